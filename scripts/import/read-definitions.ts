/**
 * The input edge of `tcgen import` and `tcgen verify`: finds a service version's definition files
 * and reads them. Layout (Tencent's, see the README): `<defs>/<service>/v<YYYYMMDD>/api.json`,
 * `examples.json`, `errors.json`; English editions beside them as `api.intl-en.json`,
 * `examples.intl-en.json`, `errors.intl-en.json`, or wherever the options say.
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import {
  parseApiDefinitions,
  parseEnglishErrors,
  parseErrorDefinitions,
  parseExampleDefinitions,
  type Definitions,
} from "./definitions.js";
import { DefinitionsError, type DefinitionsProblem } from "./shared.js";

export interface DefinitionsLocation {
  /** A version directory holding api.json, or the root of the per-service tree. */
  readonly defs: string;
  /** With a root: the service (its directory name or its signing name, e.g. `as` for autoscaling). */
  readonly service?: string | undefined;
  /** With a root: the API version, `YYYY-MM-DD` or `vYYYYMMDD`. */
  readonly version?: string | undefined;
  /** English editions, when not beside api.json. */
  readonly englishApi?: string | undefined;
  readonly englishExamples?: string | undefined;
  readonly englishErrors?: string | undefined;
}

/** The version directory named by a location; a DefinitionsError when there is none. */
export async function findVersionDir(location: DefinitionsLocation): Promise<string> {
  const defs = location.defs;
  if (existsSync(path.join(defs, "api.json"))) return defs;
  if (location.service === undefined || location.version === undefined) {
    throw new DefinitionsError([{ file: path.join(defs, "api.json"), message: "not found; name a version directory, or the definitions' root with --service and --version" }]);
  }
  const version = `v${location.version.replace(/^v/, "").replace(/-/g, "")}`;
  const direct = path.join(defs, location.service, version);
  if (existsSync(path.join(direct, "api.json"))) return direct;
  // The directory may be named differently from the signing name (autoscaling/ holds service "as").
  const entries = existsSync(defs) ? await readdir(defs, { withFileTypes: true }) : [];
  for (const entry of entries.filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
    const candidate = path.join(defs, entry, version, "api.json");
    if (!existsSync(candidate)) continue;
    let metadata: { serviceShortName?: unknown } | undefined;
    try {
      metadata = (JSON.parse(await readFile(candidate, "utf8")) as { metadata?: { serviceShortName?: unknown } }).metadata;
    } catch {
      continue; // another service's broken file is not this lookup's problem
    }
    if (metadata?.serviceShortName === location.service) return path.dirname(candidate);
  }
  throw new DefinitionsError([{ file: path.join(direct, "api.json"), message: `not found: no definitions of ${location.service} ${location.version} under ${defs}` }]);
}

export async function readDefinitions(location: DefinitionsLocation): Promise<Definitions> {
  const dir = await findVersionDir(location);
  // Each file keeps its own problems so that the report lists them in file order, not in the
  // order the reads happened to finish.
  const problemsByFile: DefinitionsProblem[][] = [];
  /** Reads and parses one file; `undefined` when it is optional and absent. */
  async function read<T>(file: string, required: boolean, parse: (text: string, file: string) => T): Promise<T | undefined> {
    const problems: DefinitionsProblem[] = [];
    problemsByFile.push(problems);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" && !required) return undefined;
      problems.push({ file, message: code === "ENOENT" ? "file not found" : `cannot read: ${String(error)}` });
      return undefined;
    }
    try {
      return parse(text, file);
    } catch (error) {
      if (!(error instanceof DefinitionsError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  }
  const [api, examples, errors, englishApi, englishExamples, englishErrors] = await Promise.all([
    read(path.join(dir, "api.json"), true, parseApiDefinitions),
    read(path.join(dir, "examples.json"), false, parseExampleDefinitions),
    read(path.join(dir, "errors.json"), false, parseErrorDefinitions),
    read(location.englishApi ?? path.join(dir, "api.intl-en.json"), location.englishApi !== undefined, parseApiDefinitions),
    read(location.englishExamples ?? path.join(dir, "examples.intl-en.json"), location.englishExamples !== undefined, parseExampleDefinitions),
    read(location.englishErrors ?? path.join(dir, "errors.intl-en.json"), location.englishErrors !== undefined, parseEnglishErrors),
  ]);
  const problems = problemsByFile.flat();
  if (problems.length > 0 || api === undefined) throw new DefinitionsError(problems);
  return { api, examples, errors, english: { api: englishApi, examples: englishExamples, errors: englishErrors } };
}
