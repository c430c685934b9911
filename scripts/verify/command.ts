/**
 * `tcgen verify --defs <dir> [--spec <file|dir>] [--show-declared]`: the I/O edge of verify. Reads
 * each spec and the definitions of its service version, prints every difference as
 * `file:line:col: message [kind]`, and answers exit 1 when there is any.
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { checkSpec } from "../check/check-spec.js";
import { readDefinitions } from "../import/read-definitions.js";
import { type Json } from "../lib/utils.js";
import { DefinitionsError } from "../import/shared.js";
import { findSpecs, loadSpecAt } from "../spec/parts.js";
import { formatProblem, SpecError } from "../spec/problems.js";
import { UsageError } from "../usage-error.js";
import { verifySpec } from "./verify.js";

export async function runVerify(args: string[], cwd = process.cwd()): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      spec: { type: "string", default: "spec" },
      defs: { type: "string" },
      "show-declared": { type: "boolean", default: false },
    },
  });
  if (values.defs === undefined) throw new UsageError("verify needs --defs <dir>: Tencent's definitions (<dir>/<service>/v<YYYYMMDD>/api.json)");
  const defs = path.resolve(cwd, values.defs);
  const files = await specFiles(path.resolve(cwd, values.spec), cwd);
  let differences = 0;
  let declared = 0;
  for (const file of files) {
    const shown = path.relative(cwd, file).split(path.sep).join("/");
    try {
      const spec = await loadSpecAt(file, shown);
      checkSpec(spec, file);
      const root = spec.value as Json;
      const definitions = await readDefinitions({ defs, service: String(root["x-tc-service"]), version: String(root["x-tc-version"]) });
      const result = verifySpec(spec, definitions);
      for (const problem of result.problems) console.error(formatProblem(problem));
      if (values["show-declared"]) for (const { problem, reason } of result.declared) console.log(`${formatProblem(problem)} (declared: ${reason})`);
      differences += result.problems.length;
      declared += result.declared.length;
      const where = path.relative(cwd, path.dirname(definitions.api.file)) || ".";
      console.log(`tcgen verify: ${shown}: ${result.actions.spec} of ${result.actions.definitions} actions compared with ${where}; ${result.problems.length} difference(s), ${result.declared.length} declared`);
    } catch (error) {
      if (error instanceof SpecError) {
        for (const problem of error.problems) console.error(formatProblem(problem));
        console.error(`tcgen verify: ${shown} has spec problems; fix them first (tcgen generate reports the same)`);
        differences += error.problems.length;
      } else if (error instanceof DefinitionsError) {
        console.error(error.message);
        console.error(`tcgen verify: cannot read the definitions for ${shown}`);
        differences += error.problems.length;
      } else {
        throw error;
      }
    }
  }
  if (differences > 0) console.error(`tcgen verify: ${differences} difference(s) from the definitions (${declared} declared in the spec)`);
  return differences > 0 ? 1 : 0;
}

async function specFiles(target: string, cwd: string): Promise<string[]> {
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new UsageError(`no such spec file or directory: ${path.relative(cwd, target) || "."}`);
  if (info.isFile()) return [target];
  const found = await findSpecs(target);
  if (found.length === 0) throw new UsageError(`no *.yaml spec files in ${path.relative(cwd, target) || "."}`);
  return found;
}
