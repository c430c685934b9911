/** Shared by the tests: paths, a scratch directory inside the repo, and running the CLI for real. */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { sourcePathsOption } from "./source-paths.js";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/**
 * A fresh directory under test/.tmp (git-ignored). Inside the repo so that generated code there
 * imports the runtime by relative path, as generated/ does.
 */
export async function scratchDir(prefix: string): Promise<string> {
  const base = path.join(repoRoot, "test", ".tmp");
  await mkdir(base, { recursive: true });
  return mkdtemp(path.join(base, `${prefix}-`));
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `tcgen <args>` from source (through tsx) in `cwd`, like `npm run generate` does. tsx is told
 * the repository's tsconfig.json wherever `cwd` is: its `paths` resolve package.json's `#` imports
 * to the runtime's sources, not to a dist/ that may be stale or absent.
 */
export async function runCli(args: string[], cwd = repoRoot): Promise<CliResult> {
  const entry = path.join(repoRoot, "scripts", "tcgen.ts");
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", entry, ...args], {
      cwd,
      env: { ...process.env, TSX_TSCONFIG_PATH: path.join(repoRoot, "tsconfig.json") },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw error;
    return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
export function positionIn(text: string, needle: string): { line: number; col: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`"${needle}" is not in the text`);
  const before = text.slice(0, index).split("\n");
  return { line: before.length, col: before[before.length - 1]!.length + 1 };
}

/**
 * Writes `specText` as `<scratch>/<specFile>` and runs the generator on it; returns the problems as
 * `file:line:col: message` lines (empty when the spec is accepted).
 */
export async function specProblems(specFile: string, specText: string, scratch: string): Promise<string[]> {
  const [{ generate }, { formatProblem, SpecError }] = await Promise.all([import("../../scripts/generate.js"), import("../../scripts/spec/problems.js")]);
  await mkdir(path.join(scratch, path.dirname(specFile)), { recursive: true });
  await writeFile(path.join(scratch, specFile), specText);
  try {
    await generate({ spec: path.dirname(path.dirname(specFile)), out: "out", cwd: scratch });
  } catch (error) {
    if (error instanceof SpecError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

/** The compiler options of a strict type-check, as strict as this repository's own code. */
export function strictCompilerOptions(ts: typeof import("typescript")): import("typescript").CompilerOptions {
  return {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    types: ["node"],
    typeRoots: [path.join(repoRoot, "node_modules/@types")],
    noUncheckedIndexedAccess: true,
    noImplicitReturns: true,
    noFallthroughCasesInSwitch: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    paths: sourcePathsOption(),
  };
}

/** Type-checks `entry` and what it imports, as strictly as this repository's own code. */
export async function typeCheckStrict(entry: string): Promise<{ diagnostics: string[]; files: string[] }> {
  const { default: ts } = await import("typescript");
  const program = ts.createProgram([entry], strictCompilerOptions(ts));
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? path.relative(repoRoot, d.file.fileName) : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  return { diagnostics, files: program.getSourceFiles().map((f) => f.fileName) };
}
