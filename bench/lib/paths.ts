import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const benchDir = path.join(repoRoot, "bench");
/** Everything the benchmark builds or installs; git-ignored. */
export const outDir = path.join(benchDir, ".out");
export const nodeModules = path.join(repoRoot, "node_modules");
