/**
 * `tcgen import`: the command line of the importer (scripts/import/run-import.ts does the work).
 * Exit codes: 0 done, 1 bad definitions, a spec problem, or a result the generator refuses, 2 wrong usage.
 */
import { parseArgs } from "node:util";
import { formatProblem, SpecError } from "../spec/problems.js";
import { UsageError } from "../usage-error.js";
import { ImportBugError, runImport } from "./run-import.js";
import { DefinitionsError } from "./shared.js";

export async function runImportCommand(args: string[], cwd = process.cwd()): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      defs: { type: "string" },
      service: { type: "string" },
      version: { type: "string" },
      action: { type: "string", multiple: true, default: [] },
      out: { type: "string" },
      merge: { type: "boolean", default: false },
      "dry-run": { type: "boolean", default: false },
      "english-api": { type: "string" },
      "english-examples": { type: "string" },
      "english-errors": { type: "string" },
    },
  });
  if (values.defs === undefined) throw new UsageError("import needs --defs <dir>: a version directory (…/cvm/v20170312) or the definitions' root with --service and --version");
  const toStdout = values.out === "-";
  try {
    const outcome = await runImport({
      location: {
        defs: values.defs,
        service: values.service,
        version: values.version,
        englishApi: values["english-api"],
        englishExamples: values["english-examples"],
        englishErrors: values["english-errors"],
      },
      actions: values.action,
      out: values.out,
      merge: values.merge,
      dryRun: values["dry-run"],
      cwd,
    });
    if (toStdout) process.stdout.write(outcome.text);
    const log = toStdout ? console.error : console.log;
    for (const line of outcome.added) log(line);
    for (const line of outcome.differences) console.error(line);
    for (const line of outcome.manual) console.error(line);
    const verb = toStdout ? "printed" : outcome.written ? "wrote" : values["dry-run"] ? "would write" : "left unchanged";
    if (outcome.mode === "created") {
      log(`tcgen import: ${verb} ${toStdout ? "the spec" : outcome.displayPath}: ${outcome.actions.length} action(s), ${outcome.reviews} fact(s) to review (x-tc-review; tcgen generate lists them)`);
    } else {
      log(
        `tcgen import: ${verb} ${outcome.displayPath}: ${outcome.added.length} addition(s), ${outcome.differences.length} difference(s) left as the spec has them` +
          `${outcome.declared > 0 ? ` (and ${outcome.declared} declared with x-tc-verify)` : ""}, ${outcome.reviews} new fact(s) to review` +
          `${outcome.manual.length > 0 ? `, ${outcome.manual.length} addition(s) to make by hand` : ""}`,
      );
    }
    if (outcome.refused.length > 0) {
      for (const problem of outcome.refused) console.error(formatProblem(problem));
      console.error(`tcgen import: tcgen generate refuses the imported spec (${outcome.refused.length} problem(s) above); fix them in the spec`);
      return 1;
    }
    return 0;
  } catch (error) {
    if (error instanceof DefinitionsError || error instanceof SpecError) {
      console.error(error.message);
      console.error(`tcgen import: ${error.problems.length} problem(s); nothing was written`);
      return 1;
    }
    if (error instanceof ImportBugError) {
      console.error(`tcgen import: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
