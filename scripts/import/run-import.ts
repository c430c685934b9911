/**
 * `tcgen import`, end to end: read the definitions (input edge), build the spec or merge it into
 * the existing one (pure), check the result with the generator's own checker, and write it
 * atomically (output edge). Nothing is written when anything fails, and an existing spec is only
 * ever added to.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { checkSpec } from "../check/check-spec.js";
import { specProblems } from "../generate.js";
import { type Json } from "../lib/utils.js";
import { parseSpec, type LoadedSpec } from "../spec/load.js";
import { formatProblem, SpecError, type SpecProblem } from "../spec/problems.js";
import { buildSpec, type ImportedSpec } from "./build-spec.js";
import type { Definitions } from "./definitions.js";
import { mergeSpec } from "./merge.js";
import { readDefinitions, type DefinitionsLocation } from "./read-definitions.js";
import { emitSpec } from "./yaml-emit.js";

export interface ImportRequest {
  readonly location: DefinitionsLocation;
  /** Only these actions; all when empty. */
  readonly actions: readonly string[];
  /** The spec file; default `spec/<service>/<version>.yaml`; `-`: a new spec, returned and never written. */
  readonly out?: string | undefined;
  /** Add to an existing spec instead of refusing to touch it. */
  readonly merge: boolean;
  /** Write nothing; report what would be written or added. */
  readonly dryRun: boolean;
  /** Paths are resolved, and shown, relative to this directory. */
  readonly cwd: string;
}

export interface ImportOutcome {
  readonly file: string;
  readonly displayPath: string;
  /** `created` a new spec, `merged` into an existing one. */
  readonly mode: "created" | "merged";
  readonly written: boolean;
  readonly text: string;
  readonly actions: readonly string[];
  /** `file:line:col: …` lines: what merging added, where. */
  readonly added: readonly string[];
  /** `file:line:col: … [kind]` lines: what differs and was left as the spec has it. */
  readonly differences: readonly string[];
  /** Differences the spec declares with x-tc-verify (not listed). */
  readonly declared: number;
  /** Additions a person must make (the container is in flow style). */
  readonly manual: readonly string[];
  /** The generator's warnings for the x-tc-review markers of the result. */
  readonly reviews: number;
  /** Problems the generator's checker finds in the result (a name it refuses, say): written, but generate will fail. */
  readonly refused: readonly SpecProblem[];
}

/** The importer produced something the generator refuses although the input spec was fine: a bug of ours. */
export class ImportBugError extends Error {
  override readonly name = "ImportBugError";
}

export async function runImport(request: ImportRequest): Promise<ImportOutcome> {
  const definitions = await readDefinitions(request.location);
  const imported = buildSpec(definitions, { actions: request.actions });
  const { service, version } = definitions.api;
  const toStdout = request.out === "-";
  const file = path.resolve(request.cwd, toStdout || request.out === undefined ? path.join("spec", service, `${version}.yaml`) : request.out);
  const displayPath = toStdout ? "-" : path.relative(request.cwd, file).split(path.sep).join("/");

  if (toStdout && request.merge) throw new SpecError([{ file: displayPath, line: 1, col: 1, message: "--merge adds to a spec file; it cannot merge into standard output" }]);
  if (toStdout || !existsSync(file)) {
    const text = emitSpec(imported, header(definitions, imported));
    const refused = await checked(text, displayPath, file);
    const written = !request.dryRun && !toStdout;
    if (written) await writeAtomically(file, text);
    return { file, displayPath, mode: "created", written, text, actions: imported.actions, added: [], differences: [], declared: 0, manual: [], reviews: countReviews(text), refused };
  }
  if (!request.merge) {
    throw new SpecError([{ file: displayPath, line: 1, col: 1, message: "the spec exists; pass --merge to add what it lacks (nothing it has is changed), or --out another file" }]);
  }

  const original = await readFile(file, "utf8");
  const existing = parseSpec(original, displayPath);
  checkSpec(existing, file); // the user's spec must be sound before anything is added to it
  const root = existing.value as Json;
  if (root["x-tc-service"] !== service || root["x-tc-version"] !== version) {
    throw new SpecError([{ file: displayPath, line: existing.positionOf("/x-tc-service").line, col: 1, message: `the spec is ${String(root["x-tc-service"])} ${String(root["x-tc-version"])}, the definitions ${service} ${version}` }]);
  }
  const merged = mergeSpec(original, root, imported, { actions: imported.actions, complete: request.actions.length === 0, errors: definitions.errors !== undefined });
  const refused = await checked(merged.text, displayPath, file);
  if (refused.length > 0) {
    throw new ImportBugError(`merging produced a spec the generator refuses, from a spec it accepts (a bug in tcgen import; nothing was written):\n${refused.map(formatProblem).join("\n")}`);
  }
  // Reported in file order, each at its place in the spec as it was.
  const at = (pointer: string, message: string) => ({ ...existing.positionOf(pointer), message });
  const lines = (problems: SpecProblem[]) => problems.sort((a, b) => a.line - b.line || a.col - b.col).map(formatProblem);
  const written = !request.dryRun && merged.text !== original;
  if (written) await writeAtomically(file, merged.text);
  return {
    file,
    displayPath,
    mode: "merged",
    written,
    text: merged.text,
    actions: imported.actions,
    added: lines(merged.added.map((n) => at(n.pointer, n.message))),
    differences: lines(merged.differences.map((d) => at(d.pointer, `${d.message} [${d.kind}]`))),
    declared: merged.declared,
    manual: lines(merged.manual.map((n) => at(n.pointer, n.message))),
    reviews: countReviews(merged.text) - countReviews(original),
    refused: [],
  };
}

/**
 * What `tcgen generate` would refuse in the result: its checks (placement included: the file's path
 * must fit its contents) and the names of what it would emit.
 */
async function checked(text: string, displayPath: string, file: string): Promise<SpecProblem[]> {
  let spec: LoadedSpec;
  try {
    spec = parseSpec(text, displayPath);
  } catch (error) {
    if (error instanceof SpecError) return [...error.problems];
    throw error;
  }
  return specProblems(spec, file);
}

function countReviews(text: string): number {
  return (text.match(/^\s*- fact: /gm) ?? []).length;
}

function header(definitions: Definitions, imported: ImportedSpec): string[] {
  const { api } = definitions;
  const source = `${path.basename(path.dirname(path.dirname(api.file)))}/${path.basename(path.dirname(api.file))}`;
  const english = definitions.english.api ? "English where Tencent's English edition has them, else Chinese" : "Tencent's Chinese (no English edition was given)";
  return [
    `${api.serviceTitle} (${api.service}), Tencent Cloud API 3.0, version ${api.version}.`,
    "",
    `Imported by \`tcgen import\` from Tencent's definitions (${source}): ${imported.actions.length} action(s).`,
    `Texts: ${english}.`,
    "Conventions and extensions: spec/README.md. Before relying on this spec, review it: each",
    "x-tc-review entry names a fact the definitions do not give and the default written instead;",
    "`tcgen generate` lists them as warnings until the entry is deleted.",
  ];
}

/** Writes a temporary sibling and renames it over the target, so a failure leaves the old file whole. */
async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = path.join(path.dirname(file), `.tcgen-import-${process.pid}-${path.basename(file)}`);
  try {
    await writeFile(temporary, text);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
