/**
 * Footprint, measured the way a consumer meets each package:
 *  - tcgen is built from the current source into a staging copy of the package (tsc, as `npm run
 *    build` does, but into bench/.out so the repository's dist/ is left alone), packed with
 *    `npm pack`, and installed from the tarball into a fresh project; the official SDK is installed
 *    at its pinned version into another fresh project;
 *  - packages installed: every package directory under each project's node_modules;
 *  - cold import + client construction: `node <program>` wall time, many runs alternating with a
 *    bare `node -e ""` (and an empty ES module), medians;
 *  - bundle size: esbuild --bundle --minify of a one-call program, for node and for the browser;
 *    gzip with node:zlib; a failed build is recorded with its error text.
 */
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { minifiedBundle } from "../lib/bundle-options.js";
import { stagePackage } from "../../scripts/package/stage.js";
import { childEnv, run, runSync } from "../lib/proc.js";
import { outDir, repoRoot } from "../lib/paths.js";
import { median } from "../lib/stats.js";
import { BENCH_CREDENTIALS } from "../lib/fixture.js";

export const OFFICIAL_PACKAGE = "tencentcloud-sdk-nodejs-mongodb";
export const OFFICIAL_VERSION = "4.1.316";

export interface InstallResult {
  ok: boolean;
  dir: string;
  packages: string[];
  count: number;
  ms: number;
  error?: string;
  /** Versions of note (tcgen, openapi-fetch / the SDK and its common package). */
  versions: Record<string, string>;
}

export interface BundleResult {
  platform: "node" | "browser";
  ok: boolean;
  bytes?: number;
  gzipBytes?: number;
  error?: string;
}

export interface FootprintResult {
  pack: { ok: boolean; tarball?: string; size?: number; unpackedSize?: number; entryCount?: number; tscErrors: string[]; error?: string };
  install: { tcgen: InstallResult; official: InstallResult };
  startup: {
    runs: number;
    /** Wall ms of each run, per program. */
    samples: Record<string, number[]>;
    medians: Record<string, number>;
    /** Median of the program minus median of `node -e ""`. */
    overBare: Record<string, number>;
    /** Median over rounds of (program − `node -e ""` of the same round): what the targets judge. */
    pairedOverBare: Record<string, number>;
    /** Where each program was run from. */
    programs: Record<string, string>;
  };
  bundles: { tcgen: BundleResult[]; official: BundleResult[] };
}

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const NPM_FLAGS = ["--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];

/** Every installed package (a directory with a package.json), scoped and nested ones included. */
async function listInstalled(nodeModulesDir: string, prefix = ""): Promise<string[]> {
  if (!existsSync(nodeModulesDir)) return [];
  const found: string[] = [];
  for (const entry of await readdir(nodeModulesDir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || (!entry.isDirectory() && !entry.isSymbolicLink())) continue;
    const dir = path.join(nodeModulesDir, entry.name);
    const names = entry.name.startsWith("@")
      ? (await readdir(dir, { withFileTypes: true })).map((scoped) => `${entry.name}/${scoped.name}`)
      : [entry.name];
    for (const name of names) {
      const pkgDir = path.join(nodeModulesDir, name);
      if (!existsSync(path.join(pkgDir, "package.json"))) continue;
      found.push(`${prefix}${name}`);
      found.push(...(await listInstalled(path.join(pkgDir, "node_modules"), `${prefix}${name}>`)));
    }
  }
  return found.sort();
}

async function versionOf(projectDir: string, name: string): Promise<string | undefined> {
  try {
    return (JSON.parse(await readFile(path.join(projectDir, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return undefined;
  }
}

async function freshProject(name: string, type: "module" | "commonjs"): Promise<string> {
  const dir = path.join(outDir, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "package.json"), `${JSON.stringify({ name: `bench-${name}`, version: "0.0.0", private: true, type }, null, 2)}\n`);
  return dir;
}

async function install(dir: string, spec: string, versionNames: string[]): Promise<InstallResult> {
  const result = await run(NPM, ["install", ...NPM_FLAGS, spec], { cwd: dir, env: childEnv(), timeoutMs: 180_000 });
  const packages = await listInstalled(path.join(dir, "node_modules"));
  const versions: Record<string, string> = {};
  for (const name of versionNames) {
    const version = await versionOf(dir, name);
    if (version) versions[name] = version;
  }
  const ok = result.code === 0;
  return {
    ok,
    dir,
    packages,
    count: packages.length,
    ms: result.wallMs,
    versions,
    ...(ok ? {} : { error: `npm install ${spec} exited ${result.code}: ${result.stderr.trim().slice(-800)}` }),
  };
}

/** The package built into a staging copy (scripts/package/stage.ts), then `npm pack`ed (scripts off: the build is done). */
async function packTcgen(): Promise<FootprintResult["pack"]> {
  const stage = path.join(outDir, "pkg");
  let tscErrors: string[];
  try {
    ({ tscErrors } = await stagePackage(stage, repoRoot));
  } catch (error) {
    return { ok: false, tscErrors: [], error: error instanceof Error ? error.message : String(error) };
  }
  const pack = await run(NPM, ["pack", "--ignore-scripts", "--json", "--pack-destination", outDir], { cwd: stage, env: childEnv(), timeoutMs: 120_000 });
  if (pack.code !== 0) return { ok: false, tscErrors, error: `npm pack exited ${pack.code}: ${pack.stderr.slice(-800)}` };
  const info = (JSON.parse(pack.stdout) as { filename: string; size: number; unpackedSize: number; entryCount: number }[])[0]!;
  return { ok: true, tarball: path.join(outDir, info.filename), size: info.size, unpackedSize: info.unpackedSize, entryCount: info.entryCount, tscErrors };
}

const TCGEN_IMPORT = (specifier: string) => `import { createMongodbClient } from ${JSON.stringify(specifier)};
createMongodbClient({ credentials: ${JSON.stringify(BENCH_CREDENTIALS)}, region: "ap-guangzhou" });
`;
const OFFICIAL_IMPORT = `const { mongodb } = require(${JSON.stringify(OFFICIAL_PACKAGE)});
new mongodb.v20190725.Client({ credential: ${JSON.stringify(BENCH_CREDENTIALS)}, region: "ap-guangzhou", profile: { httpProfile: { endpoint: "mongodb.tencentcloudapi.com" } } });
`;
const INPUT = `{ InstanceId: "cmgo-dygv1rnp", BackupName: "cmgo-dygv1rnp_2021-03-26 10:44", BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }] }`;
// The tree-shakable form (a core and one standalone function), the one a size-minded program uses.
const TCGEN_ONE_CALL = (specifier: string) => `import { createMongodbCore, createBackupDownloadTask } from ${JSON.stringify(specifier)};
const core = createMongodbCore({ credentials: ${JSON.stringify(BENCH_CREDENTIALS)}, region: "ap-guangzhou", endpoint: "http://127.0.0.1:9000" });
const { Tasks } = await createBackupDownloadTask(core, ${INPUT});
console.log(Tasks[0].Status);
`;
const OFFICIAL_ONE_CALL = `import tencentcloud from ${JSON.stringify(OFFICIAL_PACKAGE)};
const client = new tencentcloud.mongodb.v20190725.Client({ credential: ${JSON.stringify(BENCH_CREDENTIALS)}, region: "ap-guangzhou", profile: { httpProfile: { endpoint: "mongodb.tencentcloudapi.com" } } });
const { Tasks } = await client.CreateBackupDownloadTask(${INPUT});
console.log(Tasks[0].Status);
`;

async function bundle(entry: string, platform: "node" | "browser"): Promise<BundleResult> {
  try {
    // The consumer projects sit under bench/.out/: without this esbuild would apply the repository's
    // tsconfig.json, whose `paths` send `tcgen/*` and the `#` imports to Node's sources.
    const result = await build({ ...minifiedBundle(entry, platform), tsconfigRaw: {} });
    const bytes = result.outputFiles.reduce((sum, file) => sum + file.contents.byteLength, 0);
    const gzipBytes = result.outputFiles.reduce((sum, file) => sum + gzipSync(file.contents, { level: 9 }).byteLength, 0);
    return { platform, ok: true, bytes, gzipBytes };
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors;
    const text = errors?.length
      ? errors
          .slice(0, 5)
          .map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ""}${e.text}`)
          .join("; ") + (errors.length > 5 ? `; … ${errors.length - 5} more` : "")
      : String(error);
    return { platform, ok: false, error: `${errors?.length ?? 1} error(s): ${text}` };
  }
}

export async function runFootprint(options: { startupRuns: number; log: (line: string) => void }): Promise<FootprintResult> {
  const { log } = options;
  log("footprint: building and packing tcgen (tsc into bench/.out/pkg, npm pack)…");
  const pack = await packTcgen();
  if (!pack.ok) log(`footprint: packing failed: ${pack.error}`);

  log("footprint: installing the tarball and the official SDK into fresh projects…");
  const tcgenDir = await freshProject("consumer-tcgen", "module");
  const tcgen: InstallResult = pack.ok
    ? await install(tcgenDir, pack.tarball!, ["tcgen", "openapi-fetch"])
    : { ok: false, dir: tcgenDir, packages: [], count: Number.NaN, ms: 0, versions: {}, error: pack.error ?? "not packed" };
  const officialDir = await freshProject("consumer-official", "commonjs");
  const official = await install(officialDir, `${OFFICIAL_PACKAGE}@${OFFICIAL_VERSION}`, [OFFICIAL_PACKAGE, "tencentcloud-sdk-nodejs-common"]);
  for (const [name, r] of [["tcgen", tcgen], ["official", official]] as const) {
    log(`footprint: ${name}: ${r.ok ? `${r.count} packages installed in ${(r.ms / 1000).toFixed(1)} s` : `install failed: ${r.error}`}`);
  }

  // The programs, in the consumer projects; without an install, from the repository instead.
  const tcgenSpecifier = tcgen.ok ? "tcgen/mongodb" : path.join(repoRoot, "generated", "mongodb", "index.ts");
  const tcgenProgramDir = tcgen.ok ? tcgenDir : path.join(outDir, "fallback-tcgen");
  const officialProgramDir = official.ok ? officialDir : path.join(outDir, "fallback-official");
  await mkdir(tcgenProgramDir, { recursive: true });
  await mkdir(officialProgramDir, { recursive: true });
  const emptyModule = path.join(outDir, "empty.mjs");
  await writeFile(emptyModule, "");
  const tcgenImport = path.join(tcgenProgramDir, "import-construct.mjs");
  const officialImport = path.join(officialProgramDir, "import-construct.cjs");
  await writeFile(officialImport, OFFICIAL_IMPORT);
  const programs: Record<string, string[]> = { bare: ["-e", ""], "bare ESM": [emptyModule], official: [officialImport] };
  if (tcgen.ok) {
    await writeFile(tcgenImport, TCGEN_IMPORT(tcgenSpecifier));
    programs["tcgen"] = [tcgenImport];
  } else if (existsSync(path.join(outDir, "pkg", "dist", "generated", "mongodb", "index.js"))) {
    await writeFile(tcgenImport, TCGEN_IMPORT(path.join(outDir, "pkg", "dist", "generated", "mongodb", "index.js")));
    programs["tcgen"] = [tcgenImport];
  }

  log(`footprint: cold import + construction, ${options.startupRuns} runs per program, alternating…`);
  const names = Object.keys(programs);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const env = childEnv();
  for (const args of Object.values(programs)) runSync(process.execPath, args, { env, timeoutMs: 30_000 }); // warm the file cache
  for (let i = 0; i < options.startupRuns; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length]!;
      const result = runSync(process.execPath, programs[name]!, { env, timeoutMs: 30_000 });
      if (result.code !== 0) throw new Error(`startup program ${name} failed (exit ${result.code}): ${result.stderr.slice(-1000)}`);
      samples[name]!.push(result.wallMs);
    }
  }
  const medians = Object.fromEntries(names.map((n) => [n, median(samples[n]!)]));
  const overBare = Object.fromEntries(names.map((n) => [n, medians[n]! - medians["bare"]!]));
  const pairedOverBare = Object.fromEntries(names.map((n) => [n, median(samples[n]!.map((v, i) => v - samples["bare"]![i]!))]));

  log("footprint: bundling one-call programs with esbuild (node, browser)…");
  const tcgenEntry = path.join(tcgenProgramDir, "one-call.mjs");
  await writeFile(tcgenEntry, TCGEN_ONE_CALL(tcgen.ok ? "tcgen/mongodb" : path.join(repoRoot, "generated", "mongodb", "index.ts")));
  const officialEntry = path.join(officialProgramDir, "one-call.mjs");
  await writeFile(officialEntry, OFFICIAL_ONE_CALL);
  const bundles = {
    tcgen: [await bundle(tcgenEntry, "node"), await bundle(tcgenEntry, "browser")],
    official: [await bundle(officialEntry, "node"), await bundle(officialEntry, "browser")],
  };

  return {
    pack,
    install: { tcgen, official },
    startup: {
      runs: options.startupRuns,
      samples,
      medians,
      overBare,
      pairedOverBare,
      programs: Object.fromEntries(names.map((n) => [n, programs[n]!.join(" ") || "-e ''"])),
    },
    bundles,
  };
}
