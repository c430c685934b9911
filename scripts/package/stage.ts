/**
 * The package built from the current sources into a staging directory, as `npm run build` builds it
 * (tsc, then ./build.ts, then ./cli.ts) but leaving the repository's dist/ alone: for the tests and benchmarks that
 * pack it (`npm pack --ignore-scripts` in the stage) while other work may be reading dist/.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { packageRoot } from "../lib/package-root.js";
import { buildPackage } from "./build.js";
import { buildCli } from "./cli.js";

/**
 * Builds into `stage`. tsc emits despite type errors (other work may be mid-edit): they are returned,
 * and only a missing entry point or a failed CommonJS build throws.
 */
export async function stagePackage(stage: string, root = packageRoot()): Promise<{ tscErrors: string[] }> {
  await rm(stage, { recursive: true, force: true });
  await mkdir(stage, { recursive: true });
  const manifest = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as { files?: string[] };
  await cp(path.join(root, "package.json"), path.join(stage, "package.json"));
  for (const entry of manifest.files ?? []) {
    if (entry === "dist") continue;
    const from = path.join(root, entry);
    if (existsSync(from)) await cp(from, path.join(stage, entry), { recursive: true });
  }
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  const output = await promisify(execFile)(process.execPath, [tsc, "-p", "tsconfig.build.json", "--outDir", path.join(stage, "dist")], { cwd: root, maxBuffer: 32 * 1024 * 1024 }).then(
    ({ stdout }) => stdout,
    (error: { stdout?: string }) => error.stdout ?? "",
  );
  const tscErrors = output.split("\n").filter((line) => line.includes("error TS")).slice(0, 20);
  if (!existsSync(path.join(stage, "dist", "runtime", "index.js"))) {
    throw new Error(`tsc produced no dist/runtime/index.js: ${output.slice(-800)}`);
  }
  await buildPackage(stage);
  await buildCli(stage);
  return { tscErrors };
}
