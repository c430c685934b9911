/**
 * Multi-file specs: a service version may be a directory `spec/<service>/<version>/` instead of one
 * file `spec/<service>/<version>.yaml`. The directory holds `openapi.yaml` (the root: `openapi`,
 * `info`, `servers`, the root `x-tc-*` extensions, `security`, `tags`, and any `paths` and
 * `components`) and any number of part files `*.yaml` beside it, each holding only `paths` and
 * `components` (a group of actions and the schemas they use).
 *
 * The parts are merged into one document here, at the second level: each path (`/paths/<path>`) and
 * each component (`/components/<kind>/<name>`) comes from exactly one file. The root comes first,
 * then the parts in code-point order of their names, so the merged document, and everything the
 * generator emits from it, is the same on every machine. A path or component defined twice is a
 * problem at the second definition, naming the first. Every JSON pointer into the merged document
 * is located in the file that defines it, so problems point into the right file.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { byCodePoint, isObject, splitPointer } from "../lib/utils.js";
import { decodeUtf8, loadSpec, parseSpec, type LoadedSpec } from "./load.js";
import { SpecError, type SpecProblem } from "./problems.js";

/** The root file of a multi-file spec. */
export const ROOT_FILE = "openapi.yaml";
const SPEC_FILE = /\.ya?ml$/;
/** What a part file may hold at its top level. */
const PART_MEMBERS = new Set(["paths", "components"]);

export interface SpecPartText {
  /** Shown in messages: `spec/<service>/<version>/<part>.yaml`. */
  readonly displayPath: string;
  readonly text: string;
}

/** Whether `dir` is a multi-file spec (it holds `openapi.yaml`). */
export async function isSpecDirectory(dir: string): Promise<boolean> {
  const info = await stat(path.join(dir, ROOT_FILE)).catch(() => undefined);
  return info?.isFile() === true;
}

/**
 * The specs under `target`: the file itself, or, in a directory searched recursively, every
 * `*.yaml` file outside multi-file specs and every directory holding `openapi.yaml` (one spec).
 */
export async function findSpecs(target: string): Promise<string[]> {
  const info = await stat(target).catch(() => undefined);
  if (!info) return [];
  if (info.isFile()) return [target];
  if (await isSpecDirectory(target)) return [target];
  const names = (await readdir(target, { recursive: true })).map((name) => name.split(path.sep).join("/"));
  const specDirs = new Set(names.filter((name) => path.posix.basename(name) === ROOT_FILE).map((name) => path.posix.dirname(name)));
  const insideSpecDir = (name: string) => {
    for (let dir = path.posix.dirname(name); dir !== "."; dir = path.posix.dirname(dir)) if (specDirs.has(dir)) return true;
    return false;
  };
  const specs = [...specDirs].map((dir) => (dir === "." ? target : path.join(target, dir)));
  for (const name of names) if (SPEC_FILE.test(name) && !insideSpecDir(name)) specs.push(path.join(target, name));
  return specs.sort(byCodePoint);
}

/** The files of the multi-file spec `dir`, root first, then the parts in code-point order. */
export async function readSpecParts(dir: string, displayDir: string): Promise<SpecPartText[]> {
  const names = (await readdir(dir)).filter((name) => SPEC_FILE.test(name) && name !== ROOT_FILE).sort(byCodePoint);
  const parts: SpecPartText[] = [];
  for (const name of [ROOT_FILE, ...names]) {
    const displayPath = `${displayDir}/${name}`;
    let bytes: Buffer;
    try {
      bytes = await readFile(path.join(dir, name));
    } catch (error) {
      throw new SpecError([{ file: displayPath, line: 1, col: 1, message: `cannot read spec: ${(error as Error).message}` }]);
    }
    parts.push({ displayPath, text: decodeUtf8(bytes, displayPath) });
  }
  return parts;
}

/**
 * The pure half: the texts of a multi-file spec (root first) → one LoadedSpec whose positions name
 * the file each pointer is in, or a SpecError listing every problem of every file.
 */
export function parseSpecParts(parts: readonly SpecPartText[], displayPath: string): LoadedSpec {
  const problems: SpecProblem[] = [];
  const loaded: LoadedSpec[] = [];
  for (const part of parts) {
    try {
      loaded.push(parseSpec(part.text, part.displayPath));
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new SpecError(problems);
  const [root, ...rest] = loaded;
  if (root === undefined) throw new SpecError([{ file: displayPath, line: 1, col: 1, message: `a multi-file spec needs ${ROOT_FILE}` }]);
  const at = (part: LoadedSpec, pointer: string, message: string): SpecProblem => ({ ...part.positionOf(pointer), message });
  if (!isObject(root.value)) return root;

  const merged: Record<string, unknown> = { ...(root.value as Record<string, unknown>) };
  /** Which file defines each merged entry: `paths/<path>` or `components/<kind>/<name>`. */
  const owners = new Map<string, LoadedSpec>();
  const paths: Record<string, unknown> = isObject(merged.paths) ? { ...(merged.paths as Record<string, unknown>) } : {};
  const components: Record<string, Record<string, unknown>> = {};
  if (isObject(merged.components)) {
    for (const [kind, entries] of Object.entries(merged.components as Record<string, unknown>)) {
      if (isObject(entries)) components[kind] = { ...entries };
    }
  }
  const own = (key: string, part: LoadedSpec, pointer: string) => {
    const first = owners.get(key);
    if (first !== undefined) {
      const where = first.positionOf(pointer);
      const [kind, ...names] = splitPointer(pointer);
      const what = kind === "paths" ? `path "${names[0]}"` : `component ${names.join(".")}`;
      problems.push(at(part, pointer, `${what} is also defined at ${where.file}:${where.line}:${where.col}; each path and component is defined in one file`));
      return false;
    }
    owners.set(key, part);
    return true;
  };
  for (const p of Object.keys(paths)) owners.set(`/paths/${escape(p)}`, root);
  for (const [kind, entries] of Object.entries(components)) if (isObject(entries)) for (const name of Object.keys(entries)) owners.set(`/components/${escape(kind)}/${escape(name)}`, root);

  for (const part of rest) {
    const value = part.value;
    if (!isObject(value)) {
      problems.push(at(part, "", `a part of a multi-file spec must be a mapping of "paths" and "components" (the root is ${ROOT_FILE})`));
      continue;
    }
    for (const key of Object.keys(value)) {
      if (!PART_MEMBERS.has(key)) problems.push(at(part, `/${escape(key)}`, `"${key}" belongs in ${ROOT_FILE}: a part file holds only "paths" and "components"`));
    }
    const partPaths = value.paths;
    if (partPaths !== undefined) {
      if (!isObject(partPaths)) problems.push(at(part, "/paths", `"paths" must be a mapping`));
      else for (const [p, item] of Object.entries(partPaths)) if (own(`/paths/${escape(p)}`, part, `/paths/${escape(p)}`)) paths[p] = item;
    }
    const partComponents = value.components;
    if (partComponents !== undefined) {
      if (!isObject(partComponents)) {
        problems.push(at(part, "/components", `"components" must be a mapping`));
        continue;
      }
      for (const [kind, entries] of Object.entries(partComponents)) {
        const pointer = `/components/${escape(kind)}`;
        if (!isObject(entries)) {
          problems.push(at(part, pointer, `"components.${kind}" must be a mapping`));
          continue;
        }
        const into = (components[kind] ??= {});
        for (const [name, entry] of Object.entries(entries)) if (own(`${pointer}/${escape(name)}`, part, `${pointer}/${escape(name)}`)) into[name] = entry;
      }
    }
  }
  if (problems.length > 0) throw new SpecError(problems);
  if (Object.keys(paths).length > 0 || merged.paths !== undefined) merged.paths = paths;
  if (Object.keys(components).length > 0 || merged.components !== undefined) merged.components = { ...(isObject(merged.components) ? merged.components : {}), ...components };

  const positionOf = (pointer: string) => {
    const segments = splitPointer(pointer);
    let owner: LoadedSpec | undefined;
    if (segments[0] === "paths" && segments.length >= 2) owner = owners.get(`/paths/${escape(segments[1]!)}`);
    else if (segments[0] === "components" && segments.length >= 3) owner = owners.get(`/components/${escape(segments[1]!)}/${escape(segments[2]!)}`);
    return (owner ?? root).positionOf(pointer);
  };
  return { displayPath, value: merged, positionOf, files: loaded.map((part) => part.displayPath) };
}

function escape(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Loads the spec at `target`: a file (`loadSpec`) or a multi-file spec directory. */
export async function loadSpecAt(target: string, displayPath: string): Promise<LoadedSpec> {
  if (await isSpecDirectory(target)) return parseSpecParts(await readSpecParts(target, displayPath), displayPath);
  return loadSpec(target, displayPath);
}
