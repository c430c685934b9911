/**
 * package.json's `#` imports in source mode, read from tsconfig.json's `paths` (Node's sources of the
 * platform modules), as absolute paths: for vitest's aliases and for the TypeScript programs tests
 * build, which read no tsconfig.json and would otherwise resolve `#crypto` to a built dist/.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export function sourcePaths(): Record<string, string> {
  // tsconfig.json may hold `//` comment lines.
  const text = readFileSync(path.join(repoRoot, "tsconfig.json"), "utf8").replace(/^\s*\/\/.*$/gm, "");
  const paths = (JSON.parse(text) as { compilerOptions: { paths: Record<string, [string]> } }).compilerOptions.paths;
  return Object.fromEntries(Object.entries(paths).map(([name, [target]]) => [name, path.join(repoRoot, target)]));
}

/** The same as TypeScript `paths`. */
export function sourcePathsOption(): Record<string, string[]> {
  return Object.fromEntries(Object.entries(sourcePaths()).map(([name, target]) => [name, [target]]));
}
