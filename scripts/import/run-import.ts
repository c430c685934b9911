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
import { isSpecDirectory, parseSpecParts, readSpecParts } from "../spec/parts.js";
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
  // A multi-file spec (spec/<service>/<version>/openapi.yaml and its parts) is merged into file by file.
  const directory = request.out === undefined ? path.resolve(request.cwd, "spec", service, version) : file;
  if (!toStdout && (await isSpecDirectory(directory))) return mergeIntoDirectory(request, definitions, imported, directory);

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
 * `--merge` into a multi-file spec: the spec is read and checked as one document; each addition goes
 * into the file that holds its place (a member into its schema's file, an error code into its
 * action's), and new actions, with the new schemas they bring, into the last part file that has
 * `paths` (a person may then move them to their group). Nothing is written unless the whole result
 * is a spec the generator accepts; the changed files are then each replaced atomically.
 */
async function mergeIntoDirectory(request: ImportRequest, definitions: Definitions, imported: ImportedSpec, directory: string): Promise<ImportOutcome> {
  const displayPath = path.relative(request.cwd, directory).split(path.sep).join("/");
  if (!request.merge) {
    throw new SpecError([{ file: displayPath, line: 1, col: 1, message: "the spec exists; pass --merge to add what it lacks (nothing it has is changed), or --out another file" }]);
  }
  const parts = await readSpecParts(directory, displayPath);
  const existing = parseSpecParts(parts, displayPath);
  checkSpec(existing, directory);
  const root = existing.value as Json;
  const { service, version } = definitions.api;
  if (root["x-tc-service"] !== service || root["x-tc-version"] !== version) {
    throw new SpecError([{ ...existing.positionOf("/x-tc-service"), col: 1, message: `the spec is ${String(root["x-tc-service"])} ${String(root["x-tc-version"])}, the definitions ${service} ${version}` }]);
  }
  const withPaths = parts.filter((part, i) => i > 0 && /^paths:/m.test(part.text));
  const newActionsPart = (withPaths.at(-1) ?? parts[0]!).displayPath;
  const claimed = new Set<string>();
  const scope = { actions: imported.actions, complete: request.actions.length === 0, errors: definitions.errors !== undefined };
  const results = parts.map((part) =>
    mergeSpec(part.text, root, imported, scope, {
      claimed,
      owns: (pointer) => (pointer === "/paths" ? part.displayPath === newActionsPart : existing.positionOf(pointer).file === part.displayPath),
    }),
  );
  const merged = parts.map((part, i) => ({ displayPath: part.displayPath, text: results[i]!.text }));
  let refused: SpecProblem[];
  try {
    refused = await specProblems(parseSpecParts(merged, displayPath), directory);
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    refused = [...error.problems];
  }
  if (refused.length > 0) {
    throw new ImportBugError(`merging produced a spec the generator refuses, from a spec it accepts (a bug in tcgen import; nothing was written):\n${refused.map(formatProblem).join("\n")}`);
  }
  const at = (pointer: string, message: string) => ({ ...existing.positionOf(pointer), message });
  const lines = (problems: SpecProblem[]) => problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col).map(formatProblem);
  const changed = merged.filter((part, i) => part.text !== parts[i]!.text);
  const written = !request.dryRun && changed.length > 0;
  if (written) for (const part of changed) await writeAtomically(path.join(directory, path.posix.basename(part.displayPath)), part.text);
  const first = results[0]!;
  const countAll = (texts: readonly { text: string }[]) => texts.reduce((sum, t) => sum + countReviews(t.text), 0);
  return {
    file: directory,
    displayPath,
    mode: "merged",
    written,
    text: merged.map((part) => part.text).join(""),
    actions: imported.actions,
    added: lines(results.flatMap((r) => r.added.map((n) => at(n.pointer, n.message)))),
    // The differences and declarations are those of the whole document: the same for every file.
    differences: lines(first.differences.map((d) => at(d.pointer, `${d.message} [${d.kind}]`))),
    declared: first.declared,
    manual: lines(results.flatMap((r) => r.manual.map((n) => at(n.pointer, n.message)))),
    reviews: countAll(merged) - countAll(parts),
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
