/**
 * The platform matrix (issue 14): the packed tarball installed into fresh projects, and
 *  - a one-call program (consumer/one-call.mjs) against `tcgen mock`, the emulator started with the
 *    installed package's bin, on loopback: on Node 20, 22 and 24, Bun, Deno, and workerd without
 *    nodejs_compat; the same program bundled for browsers by esbuild;
 *  - the generator as a product: `tcgen import`, `verify`, `generate`, `diff`, `mock --spec` from the
 *    installed package in a TypeScript 5.9 project and in a TypeScript 7 project, the generated client
 *    compiled by the project's TypeScript and run; the bin's one-line messages when its build or hash-wasm is missing.
 * Prints one row per platform and exits 1 when any fails. `.ci/run` runs it (`npm run test:platforms`).
 * Usage: tsx test/platforms/matrix.ts [--only <name part>]... [--known-failure <name part>]... [--keep]
 * A known failure is reported and does not fail the run, but passing does: the flag must then go.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { childEnv, killChild, lastJsonLine, run, type RunResult } from "../../bench/lib/proc.js";
import { BUN, DENO, ensureRuntime, NODE_RUNTIMES, WORKERD, type Runtime } from "./runtimes.js";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const consumerFiles = fileURLToPath(new URL("./consumer/", import.meta.url));

/** TypeScript versions of the generator's consumer projects: the 5.x line tcgen builds with, and npm's `latest`. */
const TYPESCRIPT_VERSIONS = ["5.9.3", "7.0.2"];
/** The consumer projects' Node types, the same as tcgen's own. */
const TYPES_NODE = "@types/node@20.19.43";
/** The service the generator rows import from Tencent's definitions (a fixture of 26 actions). */
const IMPORTED = { service: "chdfs", version: "2019-07-18", definitions: "test/fixtures/definitions/chdfs" };
/** The key pair `tcgen mock` is started with. */
const MOCK_KEY = { secretId: "AKIDplatformmatrix0000000000000000", secretKey: "platform-matrix-secret-key" };
/** What the one-call program must print on every platform (the task's status moves on with the emulator's clock). */
const EXPECTED_REPLICA_SETS = ["cmgo-dygv1rnp_0"];
const TASK_STATUSES = [0, 1, 2, 3, 4];
const EXPECTED_WRONG_KEY = "AuthFailure.SignatureFailure";
/** The lifecycle scripts npm runs when it installs a package. */
const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall", "prepare"];

const STEP_TIMEOUT_MS = 300_000;

interface Row {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly ms: number;
  /** Listed with --known-failure. */
  readonly known: boolean;
}

class StepError extends Error {}

function describe(what: string, result: RunResult): string {
  return `${what} exited ${result.code}${result.signal ? ` (${result.signal})` : ""}${result.timedOut ? " (timed out)" : ""}\n--- stdout ---\n${result.stdout.slice(-3000)}\n--- stderr ---\n${result.stderr.slice(-3000)}`;
}

async function step(what: string, file: string, args: readonly string[], cwd: string, env = childEnv()): Promise<RunResult> {
  const result = await run(file, args, { cwd, env, timeoutMs: STEP_TIMEOUT_MS });
  if (result.code !== 0) throw new StepError(describe(what, result));
  return result;
}

/** Every installed package (with a package.json), scoped and nested ones included. */
async function listInstalled(nodeModules: string, prefix = ""): Promise<string[]> {
  if (!existsSync(nodeModules)) return [];
  const found: string[] = [];
  for (const entry of await readdir(nodeModules, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || !entry.isDirectory()) continue;
    const dirs = entry.name.startsWith("@") ? (await readdir(path.join(nodeModules, entry.name))).map((name) => `${entry.name}/${name}`) : [entry.name];
    for (const name of dirs) {
      if (!existsSync(path.join(nodeModules, name, "package.json"))) continue;
      found.push(`${prefix}${name}`);
      found.push(...(await listInstalled(path.join(nodeModules, name, "node_modules"), `${prefix}${name}>`)));
    }
  }
  return found.sort();
}

async function newProject(dir: string, name: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "package.json"), `${JSON.stringify({ name, private: true, type: "module" }, null, 2)}\n`);
}

// ---------------------------------------------------------------------------------------------

interface Packed {
  readonly tarball: string;
  readonly bytes: number;
  readonly unpackedBytes: number;
  readonly files: number;
}

/** `npm pack` of the repository (its prepack script builds dist/). */
async function pack(workDir: string): Promise<Packed> {
  const dest = path.join(workDir, "pack");
  await mkdir(dest);
  const packed = await step("npm pack", "npm", ["pack", "--json", "--pack-destination", dest], repoRoot);
  // The prepack script's output comes first: the report is the JSON array after it.
  const report = JSON.parse(packed.stdout.slice(packed.stdout.search(/^\[/m))) as { filename: string; size: number; unpackedSize: number; entryCount: number }[];
  const entry = report[0]!;
  return { tarball: path.join(dest, path.basename(entry.filename)), bytes: entry.size, unpackedBytes: entry.unpackedSize, files: entry.entryCount };
}

interface RunningMock {
  readonly url: string;
  stop(): void;
}

/** `tcgen mock` from the installed package's bin, on 127.0.0.1 and a free port, with MOCK_KEY. */
async function startInstalledMock(projectDir: string, args: readonly string[] = []): Promise<RunningMock> {
  const bin = path.join(projectDir, "node_modules", "tcgen", "bin", "tcgen.js");
  const child = spawn(process.execPath, [bin, "mock", ...args, "--port", "0", "--secret-id", MOCK_KEY.secretId, "--secret-key", MOCK_KEY.secretKey], {
    cwd: projectDir,
    env: childEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    // With --spec it generates the service first.
    const timer = setTimeout(() => reject(new StepError(`tcgen mock printed no address in 120 s: ${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new StepError(`tcgen mock exited with ${code}: ${output}`)));
  });
  return { url, stop: () => killChild(child) };
}

function checkOneCall(result: RunResult, what: string): string {
  const printed = lastJsonLine<{ tasks: { ReplicaSetId?: unknown; Status?: unknown }[]; requestId: unknown; wrongKey: unknown }>(result, what);
  const problems: string[] = [];
  const replicaSets = Array.isArray(printed.tasks) ? printed.tasks.map((task) => task.ReplicaSetId) : [];
  const statusesKnown = Array.isArray(printed.tasks) && printed.tasks.every((task) => TASK_STATUSES.includes(task.Status as number));
  if (JSON.stringify(replicaSets) !== JSON.stringify(EXPECTED_REPLICA_SETS) || !statusesKnown) problems.push(`Tasks ${JSON.stringify(printed.tasks)}`);
  if (typeof printed.requestId !== "string" || printed.requestId === "") problems.push(`RequestId ${JSON.stringify(printed.requestId)}`);
  if (printed.wrongKey !== EXPECTED_WRONG_KEY) problems.push(`a wrong key gave ${JSON.stringify(printed.wrongKey)}, not ${EXPECTED_WRONG_KEY}`);
  if (problems.length > 0) throw new StepError(`${what}: ${problems.join("; ")}`);
  return `one call: RequestId ${printed.requestId}; wrong key: ${EXPECTED_WRONG_KEY}`;
}

/** The one-call program run by the runtime (`launch`: the runtime's arguments before the file). */
async function runOneCall(runtime: Runtime, consumerDir: string, mock: RunningMock, launch: readonly string[]): Promise<string> {
  const binary = await ensureRuntime(runtime);
  // Deno's and Bun's caches inside the project: nothing of theirs outside it.
  const env = childEnv({ DENO_NO_UPDATE_CHECK: "1", DENO_DIR: path.join(consumerDir, ".deno"), BUN_INSTALL_CACHE_DIR: path.join(consumerDir, ".bun") });
  const result = await run(binary, [...launch, "run.mjs", mock.url, MOCK_KEY.secretId, MOCK_KEY.secretKey], { cwd: consumerDir, env, timeoutMs: STEP_TIMEOUT_MS });
  if (result.code !== 0) throw new StepError(describe(runtime.name, result));
  return checkOneCall(result, runtime.name);
}

/** esbuild of a consumer program for a platform other than Node: what its exports conditions give it. */
async function bundleFor(consumerDir: string, entry: string, outfile: string, conditions: string[]): Promise<number> {
  try {
    await build({
      absWorkingDir: consumerDir,
      entryPoints: [entry],
      outfile,
      bundle: true,
      format: "esm",
      platform: "browser",
      conditions,
      minify: true,
      logLevel: "silent",
    });
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors ?? [];
    const lines = errors.map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ""}${e.text}`);
    throw new StepError(`esbuild --platform=browser --conditions=${conditions.join(",")} ${entry}: ${lines.length} error(s)\n${lines.join("\n") || String(error)}`);
  }
  return gzipSync(await readFile(path.join(consumerDir, outfile))).length;
}

/** workerd's configuration: the bundled worker, no compatibility flags (so no nodejs_compat), loopback allowed. */
function workerdConfig(bundle: string, mockUrl: string): string {
  const text = (name: string, value: string) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(value)})`;
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .oneCall),
    (name = "loopback", network = (allow = ["local", "private", "public"])),
  ],
);

const oneCall :Workerd.Worker = (
  modules = [(name = "worker", esModule = embed ${JSON.stringify(bundle)})],
  compatibilityDate = "2026-11-17",
  compatibilityFlags = [],
  globalOutbound = "loopback",
  bindings = [${[text("endpoint", mockUrl), text("secretId", MOCK_KEY.secretId), text("secretKey", MOCK_KEY.secretKey)].join(", ")}],
);
`;
}

async function runWorkerd(consumerDir: string, mock: RunningMock): Promise<string> {
  const binary = await ensureRuntime(WORKERD);
  const gzipped = await bundleFor(consumerDir, "worker.mjs", "worker.bundle.mjs", ["workerd", "worker", "browser"]);
  await writeFile(path.join(consumerDir, "workerd.capnp"), workerdConfig("worker.bundle.mjs", mock.url));
  const result = await run(binary, ["test", "workerd.capnp"], { cwd: consumerDir, env: childEnv(), timeoutMs: STEP_TIMEOUT_MS });
  if (result.code !== 0) throw new StepError(describe("workerd test", result));
  // workerd prints the worker's console on stderr.
  return `${checkOneCall({ ...result, stdout: `${result.stdout}\n${result.stderr}` }, WORKERD.name)}; worker bundle ${(gzipped / 1024).toFixed(1)} KB gzipped`;
}

async function browserBundle(consumerDir: string): Promise<string> {
  const gzipped = await bundleFor(consumerDir, "one-call.mjs", "browser.bundle.mjs", ["browser"]);
  return `esbuild --platform=browser --minify of the one-call program: ${(gzipped / 1024).toFixed(2)} KB gzipped`;
}

// ---------------------------------------------------------------------------------------------

/** A TypeScript project that installs tcgen and generates, compiles and runs a client of its own. */
async function generatorProject(workDir: string, tarball: string, typescript: string): Promise<string> {
  const dir = path.join(workDir, `typescript-${typescript}`);
  await newProject(dir, `generator-typescript-${typescript.replaceAll(".", "-")}`);
  const install = await step(`npm install tcgen typescript@${typescript}`, "npm", ["install", "--no-audit", "--no-fund", tarball, `typescript@${typescript}`, TYPES_NODE], dir);
  if (/ERESOLVE|install-scripts/.test(install.stderr)) throw new StepError(`npm install warned:\n${install.stderr}`);
  const tsc = await step("tsc --version", "npx", ["--no", "--", "tsc", "--version"], dir);
  if (!tsc.stdout.includes(`Version ${typescript}`)) throw new StepError(`the project's TypeScript is ${tsc.stdout.trim()}, not ${typescript}`);
  await cp(path.join(repoRoot, IMPORTED.definitions), path.join(dir, "definitions", IMPORTED.service), { recursive: true });
  const tcgen = (...args: string[]) => step(`npx tcgen ${args.join(" ")}`, "npx", ["--no", "--", "tcgen", ...args], dir);
  await tcgen("import", "--defs", "definitions", "--service", IMPORTED.service, "--version", IMPORTED.version);
  await tcgen("verify", "--spec", "spec", "--defs", "definitions");
  await tcgen("generate", "--spec", "spec", "--out", "src/generated");
  await tcgen("generate", "--spec", "spec", "--out", "src/generated", "--check");
  const diff = await tcgen("diff", "spec", "spec");
  if (!diff.stdout.includes("no changes")) throw new StepError(`tcgen diff spec spec:\n${diff.stdout}`);
  await cp(path.join(consumerFiles, "call-generated.ts"), path.join(dir, "src", "call-generated.ts"));
  const compilerOptions = { target: "ES2022", module: "nodenext", moduleResolution: "nodenext", lib: ["ES2022"], types: ["node"], strict: true, skipLibCheck: false, rootDir: "src", outDir: "out" };
  await writeFile(path.join(dir, "tsconfig.json"), `${JSON.stringify({ compilerOptions, include: ["src"] }, null, 2)}\n`);
  await step(`tsc ${typescript}`, "npx", ["--no", "--", "tsc", "-p", "tsconfig.json", "--pretty", "false"], dir);
  const inProcess = await step("node out/call-generated.js", process.execPath, ["out/call-generated.js"], dir);
  const printed = lastJsonLine<{ requestId: string; actions: string[] }>(inProcess, "call-generated.js");
  if (JSON.stringify(printed.actions) !== '["DescribeFileSystems"]') throw new StepError(`the emulator saw ${JSON.stringify(printed.actions)}`);
  const specMock = await startInstalledMock(dir, ["--spec", "spec"]);
  try {
    const served = await step("node out/call-generated.js <tcgen mock --spec>", process.execPath, ["out/call-generated.js", specMock.url, MOCK_KEY.secretId, MOCK_KEY.secretKey], dir);
    const answer = lastJsonLine<{ requestId: unknown }>(served, "call-generated.js against tcgen mock --spec");
    if (typeof answer.requestId !== "string" || answer.requestId === "") throw new StepError(`tcgen mock --spec answered ${served.stdout}`);
  } finally {
    specMock.stop();
  }
  const installed = await listInstalled(path.join(dir, "node_modules"));
  return `import, verify, generate (--check), diff; compiled by tsc ${typescript} (skipLibCheck false); one call answered in process and by tcgen mock --spec; ${installed.length} packages installed`;
}

/** Runs `action` with `dir` moved aside, and puts it back whatever happens. */
async function withoutDir<T>(dir: string, action: () => Promise<T>): Promise<T> {
  const aside = `${dir}.aside`;
  await rename(dir, aside);
  try {
    return await action();
  } finally {
    await rename(aside, dir);
  }
}

/** The installed bin run with a piece taken away must say what is missing in one line, no stack trace. */
async function oneLineFailure(consumerDir: string, args: readonly string[], expected: RegExp): Promise<string> {
  const bin = path.join(consumerDir, "node_modules", "tcgen", "bin", "tcgen.js");
  const result = await run(process.execPath, [bin, ...args], { cwd: consumerDir, env: childEnv(), timeoutMs: 60_000 });
  const lines = result.stderr.trim().split("\n");
  if (result.code !== 1 || lines.length !== 1 || !expected.test(lines[0]!)) throw new StepError(describe(`tcgen ${args.join(" ")}`, result));
  return lines[0]!.replace(consumerDir, ".");
}

async function missingPieces(consumerDir: string): Promise<string> {
  const modules = path.join(consumerDir, "node_modules");
  const noBuild = await withoutDir(path.join(modules, "tcgen", "dist", "cli"), () => oneLineFailure(consumerDir, ["generate"], /^tcgen: .*dist\/cli\/tcgen\.js is missing/));
  const noHashWasm = await withoutDir(path.join(modules, "hash-wasm"), () => oneLineFailure(consumerDir, ["mock"], /^tcgen mock: Cannot find package 'hash-wasm'/));
  return `exit 1 and one line each: without dist/cli/: "${noBuild.slice(0, 70)}…"; without hash-wasm: "${noHashWasm.slice(0, 60)}…"`;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: "string", multiple: true, default: [] },
      "known-failure": { type: "string", multiple: true, default: [] },
      keep: { type: "boolean", default: false },
    },
  });
  const wanted = (name: string) => values.only.length === 0 || values.only.some((part) => name.includes(part));
  const knownFailure = (name: string) => values["known-failure"].some((part) => name.includes(part));
  const workDir = await mkdtemp(path.join(tmpdir(), "tcgen-platforms-"));
  const rows: Row[] = [];
  const attempt = async (name: string, check: () => Promise<string>, always = false): Promise<boolean> => {
    if (!always && !wanted(name)) return true;
    const started = performance.now();
    const known = knownFailure(name);
    let row: Row;
    try {
      row = { name, ok: true, detail: await check(), ms: performance.now() - started, known };
    } catch (error) {
      const detail = error instanceof StepError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
      row = { name, ok: false, detail, ms: performance.now() - started, known };
    }
    rows.push(row);
    const verdict = row.ok ? (known ? "PASS (listed as a known failure: drop --known-failure)" : "pass") : known ? "fail (known failure)" : "FAIL";
    console.log(`${verdict}  ${name}  (${(row.ms / 1000).toFixed(1)} s)\n      ${row.detail.split("\n").join("\n      ")}`);
    return row.ok;
  };
  let mock: RunningMock | undefined;
  try {
    const packed = await pack(workDir);
    console.log(`tarball: ${path.basename(packed.tarball)}, ${(packed.bytes / 1024 / 1024).toFixed(2)} MB packed, ${(packed.unpackedBytes / 1024 / 1024).toFixed(2)} MB unpacked, ${packed.files} files`);

    const consumerDir = path.join(workDir, "runtime-consumer");
    await newProject(consumerDir, "runtime-consumer");
    // Every other row needs this one.
    const installed = await attempt("install: a runtime-only consumer", async () => {
      const install = await step("npm install <tarball>", "npm", ["install", "--no-audit", "--no-fund", packed.tarball], consumerDir);
      if (/install-scripts|ERESOLVE/.test(install.stderr)) throw new StepError(`npm install warned:\n${install.stderr}`);
      const manifest = JSON.parse(await readFile(path.join(consumerDir, "node_modules", "tcgen", "package.json"), "utf8")) as { scripts?: Record<string, string> };
      const scripts = INSTALL_SCRIPTS.filter((name) => manifest.scripts?.[name] !== undefined);
      if (scripts.length > 0) throw new StepError(`the published package.json has install scripts: ${scripts.join(", ")}`);
      const installed = await listInstalled(path.join(consumerDir, "node_modules"));
      return `${installed.length} packages (${installed.join(", ")}); no install scripts`;
    }, true);
    if (!installed) return 1;
    for (const name of ["one-call.mjs", "run.mjs", "worker.mjs"]) await cp(path.join(consumerFiles, name), path.join(consumerDir, name));
    mock = await startInstalledMock(consumerDir);
    console.log(`tcgen mock (the installed bin): ${mock.url}`);

    for (const runtime of NODE_RUNTIMES) await attempt(runtime.name, () => runOneCall(runtime, consumerDir, mock!, []));
    await attempt(BUN.name, () => runOneCall(BUN, consumerDir, mock!, ["run"]));
    await attempt(DENO.name, () => runOneCall(DENO, consumerDir, mock!, ["run", "--allow-net=127.0.0.1", "--allow-env", "--allow-read"]));
    await attempt(`${WORKERD.name}, without nodejs_compat`, () => runWorkerd(consumerDir, mock!));
    await attempt("browser bundle (esbuild)", () => browserBundle(consumerDir));
    for (const typescript of TYPESCRIPT_VERSIONS) await attempt(`generator in a TypeScript ${typescript} project`, () => generatorProject(workDir, packed.tarball, typescript));
    await attempt("bin with a piece missing", () => missingPieces(consumerDir));
  } finally {
    mock?.stop();
    if (values.keep) console.log(`kept ${workDir}`);
    else await rm(workDir, { recursive: true, force: true });
  }
  // A failed row is one that failed unlisted or passed listed; the closing line stands alone.
  const names = (list: Row[]) => list.map((row) => row.name).join("; ");
  const failed = rows.filter((row) => row.ok === row.known);
  const known = rows.filter((row) => !row.ok && row.known);
  console.log("");
  if (known.length > 0) console.log(`known failures (--known-failure): ${known.length}: ${names(known)}`);
  if (failed.length > 0) console.log(`failed: ${names(failed)}`);
  console.log(`platforms: ${rows.filter((row) => row.ok && !row.known).length} passed, ${failed.length} failed`);
  return failed.length === 0 ? 0 : 1;
}

process.exitCode = await main();
