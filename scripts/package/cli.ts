/**
 * Builds the published `tcgen` command: scripts/tcgen.ts and everything it loads (the generator,
 * import, verify, diff, the emulator's command) bundled by esbuild into dist/cli/, with the generator's
 * own dependencies (openapi-typescript and the TypeScript 5.x it runs, yaml, handlebars, chokidar)
 * inside the bundle. A consumer's `npm install tcgen` then resolves none of them: the consumer's
 * TypeScript version never meets the generator's, and nothing runs at install.
 * `hash-wasm` stays outside: it is the package's one runtime dependency (the emulator's CRC-64).
 */
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";
import { libraryGlobals } from "../check/emitted-names.js";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/** Where a package directory's bundle goes, and the scratch directories beside it. */
function places(packageDir: string) {
  // Built in a scratch directory, then swapped into dist/cli/: chunk names carry hashes, so a build in
  // place would leave old chunks. Per process, since builds may run concurrently; outside dist/, so
  // that a concurrent `npm pack` never takes it in (and never listed in package.json `files`).
  return {
    outDir: path.join(packageDir, "dist", "cli"),
    buildDir: path.join(packageDir, `.cli-build-${process.pid}`),
    replacedDir: path.join(packageDir, `.cli-replaced-${process.pid}`),
  };
}

/** Runtime dependencies of the package: installed next to tcgen, so never bundled. */
const EXTERNAL = ["hash-wasm"];

/**
 * CommonJS inside an ES module bundle (TypeScript, handlebars) calls `require` for Node's built-ins
 * and reads `__filename`: give every chunk real ones. Named so as not to clash with esbuild's helpers.
 */
const BANNER = [
  'import { createRequire as __tcgenCreateRequire } from "node:module";',
  'import { fileURLToPath as __tcgenFileURLToPath } from "node:url";',
  'import { dirname as __tcgenDirname } from "node:path";',
  "const require = __tcgenCreateRequire(import.meta.url);",
  "const __filename = __tcgenFileURLToPath(import.meta.url);",
  "const __dirname = __tcgenDirname(__filename);",
].join("\n");

/** Bundles the sources of this repository into `packageDir`/dist/cli/ (the repository's own by default, or a stage's). */
export async function buildCli(packageDir = repoRoot): Promise<Metafile> {
  const { outDir, buildDir, replacedDir } = places(packageDir);
  await rm(buildDir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: { tcgen: "scripts/tcgen.ts" },
    outdir: buildDir,
    bundle: true,
    // Chunks: `tcgen mock` and `tcgen help` never load TypeScript; each command loads what it needs.
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    minify: true,
    legalComments: "linked",
    external: EXTERNAL,
    banner: { js: BANNER },
    // The bundle has no TypeScript lib files to read: the globals generated names must not shadow,
    // taken from the TypeScript this build runs with (the one bundled).
    define: { TCGEN_LIBRARY_GLOBALS: JSON.stringify([...libraryGlobals()].sort()) },
    metafile: true,
    logLevel: "warning",
    logOverride: {
      // handlebars' CommonJS index registers `require.extensions`, which the generator never uses.
      "unsupported-require-call": "silent",
    },
  });
  await mkdir(path.dirname(outDir), { recursive: true });
  await swapInto(buildDir, outDir, replacedDir);
  return result.metafile;
}

/** Two renames, so dist/cli/ is missing only between them; a build that lost a race to another keeps the other's. */
async function swapInto(built: string, target: string, replacedDir: string): Promise<void> {
  await rename(target, replacedDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
  try {
    await rename(built, target);
  } catch (error) {
    // Another build moved its output in between: the same sources, the same output.
    if ((error as NodeJS.ErrnoException).code !== "ENOTEMPTY" && (error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    await rm(built, { recursive: true, force: true });
  }
  await rm(replacedDir, { recursive: true, force: true });
}

async function bundledBytes(metafile: Metafile, packageDir: string): Promise<number> {
  const { outDir, buildDir } = places(packageDir);
  let total = 0;
  for (const file of Object.keys(metafile.outputs)) total += (await stat(path.join(outDir, path.relative(buildDir, path.join(repoRoot, file))))).size;
  return total;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const metafile = await buildCli();
  const files = Object.keys(metafile.outputs).length;
  console.log(`tcgen CLI: ${files} files, ${((await bundledBytes(metafile, repoRoot)) / 1024 / 1024).toFixed(2)} MiB in dist/cli/`);
}
