/**
 * The published package as another project sees it: `npm pack` the repository, install the tarball
 * into a fresh project, type-check a consumer of `tcgen/mongodb` under `moduleResolution` `nodenext`
 * and `bundler` (with our .d.ts files checked too), run it with node against the local emulator, and
 * call the installed `tcgen` binary.
 */
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The same rules as the benchmarks use for their nested npm runs.
import { childEnv } from "../../bench/lib/proc.js";
import { mongodbMock } from "../../generated/mongodb/mock.js";
import { startMock } from "../../mock/server.js";

const run = promisify(execFile);

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const tscBin = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
/** Consumers may compile our output with TypeScript 7 (the native compiler) while we generate with 5.x. */
const TYPESCRIPT_7 = "typescript@7.0.2";

/** Packing builds (prepack) and installing may hit the registry: be generous. */
const SETUP_TIMEOUT = 240_000;
const STEP_TIMEOUT = 120_000;
/** Child processes must never hang the suite. */
const CHILD_TIMEOUT = 180_000;
const MAX_BUFFER = 32 * 1024 * 1024;

/** The runtime dependencies a consumer gets: openapi-fetch and its one helper, nothing else. */
// hash-wasm: the CRC-64 of the backup job (jobs/backup/crc64.ts), WebAssembly, no dependencies of its own.
const EXPECTED_PACKAGES = ["hash-wasm", "tcgen"];

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program without a shell; resolves with its exit code instead of throwing on failure. */
async function exec(file: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = childEnv()): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(file, [...args], { cwd, env, timeout: CHILD_TIMEOUT, maxBuffer: MAX_BUFFER });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number | string; signal?: string; stdout?: string; stderr?: string; message: string };
    return {
      code: typeof failure.code === "number" ? failure.code : -1,
      stdout: failure.stdout ?? "",
      stderr: `${failure.stderr ?? ""}\n${failure.message}${failure.signal ? ` (signal ${failure.signal})` : ""}`,
    };
  }
}

function describeOutcome(what: string, outcome: Outcome): string {
  return `${what} exited ${outcome.code}\n--- stdout ---\n${outcome.stdout}\n--- stderr ---\n${outcome.stderr}`;
}

/** Every installed package (directories with a package.json), scoped and nested ones included. */
async function listInstalled(nodeModules: string, prefix = ""): Promise<string[]> {
  if (!existsSync(nodeModules)) return [];
  const found: string[] = [];
  for (const entry of await readdir(nodeModules, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    if (!entry.isDirectory() && !entry.isSymbolicLink()) continue;
    const dir = path.join(nodeModules, entry.name);
    if (entry.name.startsWith("@")) {
      for (const scoped of await readdir(dir, { withFileTypes: true })) {
        const scopedDir = path.join(dir, scoped.name);
        if (existsSync(path.join(scopedDir, "package.json"))) {
          found.push(`${prefix}${entry.name}/${scoped.name}`);
          found.push(...(await listInstalled(path.join(scopedDir, "node_modules"), `${prefix}${entry.name}/${scoped.name}>`)));
        }
      }
      continue;
    }
    if (existsSync(path.join(dir, "package.json"))) {
      found.push(`${prefix}${entry.name}`);
      found.push(...(await listInstalled(path.join(dir, "node_modules"), `${prefix}${entry.name}>`)));
    }
  }
  return found.sort();
}

// ---------------------------------------------------------------------------------------------
// The consumer project's files: exactly the documented public surface.

const MAIN_TS = `import { createMongodbClient, TencentCloudApiError } from "tcgen/mongodb";

declare const secretId: string;
declare const secretKey: string;
declare const token: string | undefined;

const mongodb = createMongodbClient({
  credentials: { secretId, secretKey, token },
  region: "ap-guangzhou",
  endpoint: "http://127.0.0.1:9000",
});
const { Tasks, RequestId } = await mongodb.createBackupDownloadTask({
  InstanceId: "cmgo-dygv1rnp",
  BackupName: "cmgo-dygv1rnp_2021-03-26 10:44",
  BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }],
});

// The result is typed from the spec.
const requestId: string = RequestId;
const status: 0 | 1 | 2 | 3 | 4 = Tasks[0]!.Status;
const replicaSetId: string = Tasks[0]!.ReplicaSetId;
// @ts-expect-error Status is a number enum, not a string
const statusAsText: string = Tasks[0]!.Status;
// @ts-expect-error RequestId is a string, not a number
const requestIdAsNumber: number = RequestId;

// The error class is a real value export with the documented fields.
function describeError(error: unknown): string | undefined {
  if (error instanceof TencentCloudApiError) {
    const code: string = error.code;
    const id: string | undefined = error.requestId;
    return code + (id ?? "");
  }
  return undefined;
}

export { requestId, status, replicaSetId, statusAsText, requestIdAsNumber, describeError };
`;

const WRONG_TS = `import { createMongodbClient } from "tcgen/mongodb";

const mongodb = createMongodbClient({ region: "ap-guangzhou" });

// @ts-expect-error BackupSets is required
await mongodb.createBackupDownloadTask({ InstanceId: "cmgo-dygv1rnp", BackupName: "b" });

await mongodb.createBackupDownloadTask({
  InstanceId: "cmgo-dygv1rnp",
  BackupName: "b",
  // @ts-expect-error ReplicaSetId is a string
  BackupSets: [{ ReplicaSetId: 42 }],
});

// @ts-expect-error unknown method
await mongodb.createBackupDownloadTasks({});

// @ts-expect-error region is a string
createMongodbClient({ region: 1 });

export {};
`;

/** Plain JS, the same calls as main.ts, printing JSON for the test to check. */
const RUN_MJS = `import { createMongodbClient, TencentCloudApiError } from "tcgen/mongodb";
import { TencentCloudApiError as RuntimeApiError, TcgenError } from "tcgen/runtime";

const secretId = process.env.CONSUMER_SECRET_ID;
const secretKey = process.env.CONSUMER_SECRET_KEY;
const token = process.env.CONSUMER_TOKEN || undefined;
const endpoint = process.env.CONSUMER_ENDPOINT;

const mongodb = createMongodbClient({ credentials: { secretId, secretKey, token }, region: "ap-guangzhou", endpoint });
const { Tasks, RequestId } = await mongodb.createBackupDownloadTask({
  InstanceId: "cmgo-dygv1rnp",
  BackupName: "cmgo-dygv1rnp_2021-03-26 10:44",
  BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }],
});

const wrongKey = createMongodbClient({ credentials: { secretId, secretKey: "not-the-key", token }, region: "ap-guangzhou", endpoint });
let wrong;
try {
  await wrongKey.createBackupDownloadTask({
    InstanceId: "cmgo-dygv1rnp",
    BackupName: "cmgo-dygv1rnp_2021-03-26 10:44",
    BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }],
  });
  wrong = { rejected: false };
} catch (error) {
  wrong = {
    rejected: true,
    isTencentCloudApiError: error instanceof TencentCloudApiError,
    // One class shared by every entry point, however the package is laid out.
    sameClassAcrossEntries: TencentCloudApiError === RuntimeApiError && error instanceof RuntimeApiError && error instanceof TcgenError,
    name: error?.name,
    code: error?.code,
    requestId: error?.requestId,
  };
}

console.log(JSON.stringify({ ok: { Tasks, RequestId }, wrong }));
`;

function tsconfig(module: string, moduleResolution: string, files: string[]): string {
  return JSON.stringify(
    {
      compilerOptions: {
        target: "ES2022",
        module,
        moduleResolution,
        lib: ["ES2022", "DOM"],
        types: [],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
      },
      files,
    },
    null,
    2,
  );
}

// ---------------------------------------------------------------------------------------------

const timings: Record<string, number> = {};
async function timed<T>(step: string, action: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await action();
  } finally {
    timings[step] = Math.round(performance.now() - started);
  }
}

describe("the packed tarball, installed into a consumer project", { timeout: STEP_TIMEOUT }, () => {
  let workDir: string | undefined;
  let consumerDir = "";
  let tarball = "";
  let tarballBytes = 0;
  let entryCount: number | undefined;
  let installed: string[] = [];
  let ts7Bin = "";

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), "tcgen-consumer-"));
    const packDir = path.join(workDir, "pack");
    consumerDir = path.join(workDir, "consumer");
    await mkdir(packDir);
    await mkdir(consumerDir);

    // 1. npm pack (runs `prepack`, i.e. the build).
    const packed = await timed("npm pack (with prepack/build)", () =>
      exec("npm", ["pack", "--json", "--pack-destination", packDir], repoRoot),
    );
    if (packed.code !== 0) throw new Error(describeOutcome("npm pack", packed));
    const tarballs = (await readdir(packDir)).filter((name) => name.endsWith(".tgz"));
    if (tarballs.length !== 1) throw new Error(`expected one tarball in ${packDir}, found ${JSON.stringify(tarballs)}`);
    tarball = path.join(packDir, tarballs[0]!);
    tarballBytes = (await stat(tarball)).size;
    // --json output may be preceded by the prepack script's banner: parse from the array's start.
    const jsonStart = packed.stdout.search(/^\[/m);
    if (jsonStart >= 0) {
      try {
        const report = JSON.parse(packed.stdout.slice(jsonStart)) as { entryCount?: number }[];
        entryCount = report[0]?.entryCount;
      } catch {
        // Informational only.
      }
    }

    // 2. A fresh consumer project installing the tarball.
    await writeFile(
      path.join(consumerDir, "package.json"),
      `${JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2)}\n`,
    );
    const install = await timed("npm install <tarball>", () =>
      exec("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], consumerDir),
    );
    if (install.code !== 0) throw new Error(describeOutcome("npm install", install));
    installed = await listInstalled(path.join(consumerDir, "node_modules"));
    console.log(`tcgen consumer: installed ${installed.length} packages: ${installed.join(", ")}`);

    // 3. The consumer's files.
    await writeFile(path.join(consumerDir, "main.ts"), MAIN_TS);
    await writeFile(path.join(consumerDir, "wrong.ts"), WRONG_TS);
    await writeFile(path.join(consumerDir, "run.mjs"), RUN_MJS);
    await writeFile(path.join(consumerDir, "tsconfig.nodenext.json"), tsconfig("nodenext", "nodenext", ["main.ts", "wrong.ts"]));
    await writeFile(path.join(consumerDir, "tsconfig.bundler.json"), tsconfig("esnext", "bundler", ["main.ts", "wrong.ts"]));

    // 4. TypeScript 7 in a directory of its own, so it does not count as one of the consumer's packages.
    const ts7Dir = path.join(workDir, "ts7");
    await mkdir(ts7Dir);
    await writeFile(path.join(ts7Dir, "package.json"), '{ "name": "ts7", "private": true }\n');
    const ts7 = await timed("npm install typescript@7", () =>
      exec("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", TYPESCRIPT_7], ts7Dir),
    );
    if (ts7.code !== 0) throw new Error(describeOutcome(`npm install ${TYPESCRIPT_7}`, ts7));
    ts7Bin = path.join(ts7Dir, "node_modules", "typescript", "bin", "tsc");
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    const tgzKb = (tarballBytes / 1024).toFixed(1);
    console.log(
      `tcgen consumer: tarball ${path.basename(tarball)} ${tarballBytes} bytes (${tgzKb} KiB)` +
        `${entryCount === undefined ? "" : `, ${entryCount} files`}; timings (ms): ${JSON.stringify(timings)}`,
    );
    if (workDir) await rm(workDir, { recursive: true, force: true });
  }, STEP_TIMEOUT);

  it("installs tcgen with only hash-wasm as a dependency", async () => {
    expect(existsSync(path.join(consumerDir, "node_modules", "tcgen", "package.json"))).toBe(true);
    expect(existsSync(path.join(consumerDir, "node_modules", "tcgen", "dist", "generated", "mongodb", "index.js"))).toBe(true);
    expect(existsSync(path.join(consumerDir, "node_modules", "tcgen", "dist", "generated", "mongodb", "index.d.ts"))).toBe(true);
    expect(installed, `installed: ${installed.join(", ")}`).toEqual(EXPECTED_PACKAGES);
    expect(installed.length).toBeLessThanOrEqual(2);
  });

  it.each([
    ["nodenext", "tsconfig.nodenext.json"],
    ["bundler", "tsconfig.bundler.json"],
  ])("type-checks the consumer with moduleResolution %s (strict, our .d.ts checked)", async (resolution, config) => {
    const outcome = await timed(`tsc (${resolution})`, () =>
      exec(process.execPath, [tscBin, "-p", config, "--pretty", "false"], consumerDir),
    );
    expect(outcome.code, describeOutcome(`tsc -p ${config}`, outcome)).toBe(0);
  });

  it.each([
    ["nodenext", "tsconfig.nodenext.json"],
    ["bundler", "tsconfig.bundler.json"],
  ])(`type-checks the consumer with ${TYPESCRIPT_7} too, moduleResolution %s`, async (resolution, config) => {
    const outcome = await timed(`tsc 7 (${resolution})`, () =>
      exec(process.execPath, [ts7Bin, "-p", config, "--pretty", "false"], consumerDir),
    );
    expect(outcome.code, describeOutcome(`tsc 7 -p ${config}`, outcome)).toBe(0);
  });

  it("runs with node against the emulator: a typed result and a TencentCloudApiError", async () => {
    const mock = await startMock(mongodbMock);
    try {
      const outcome = await timed("node run.mjs", () =>
        exec(
          process.execPath,
          ["run.mjs"],
          consumerDir,
          childEnv({
            CONSUMER_ENDPOINT: mock.url,
            CONSUMER_SECRET_ID: mock.credentials.secretId,
            CONSUMER_SECRET_KEY: mock.credentials.secretKey,
            CONSUMER_TOKEN: mock.credentials.token ?? "",
          }),
        ),
      );
      expect(outcome.code, describeOutcome("node run.mjs", outcome)).toBe(0);
      const lastLine = outcome.stdout.trim().split("\n").at(-1) ?? "";
      const result = JSON.parse(lastLine) as {
        ok: { Tasks: unknown; RequestId: unknown };
        wrong: { rejected: boolean; isTencentCloudApiError?: boolean; code?: string; requestId?: unknown };
      };
      expect(typeof result.ok.RequestId).toBe("string");
      expect((result.ok.RequestId as string).length).toBeGreaterThan(0);
      expect(result.ok.Tasks).toEqual([{ ReplicaSetId: "cmgo-dygv1rnp_0", Status: 2 }]);
      expect(result.wrong).toMatchObject({
        rejected: true,
        isTencentCloudApiError: true,
        sameClassAcrossEntries: true,
        code: "AuthFailure.SignatureFailure",
      });
      expect(typeof result.wrong.requestId).toBe("string");

      expect(mock.requests).toHaveLength(2);
      expect(mock.requests.map((request) => [request.action, request.errorCode])).toEqual([
        ["CreateBackupDownloadTask", undefined],
        ["CreateBackupDownloadTask", "AuthFailure.SignatureFailure"],
      ]);
    } finally {
      await mock.close();
    }
  });

  it("installs a working tcgen binary", async () => {
    const bin = path.join(consumerDir, "node_modules", ".bin", process.platform === "win32" ? "tcgen.cmd" : "tcgen");
    expect(existsSync(bin)).toBe(true);
    const outcome = await timed("tcgen help", () =>
      process.platform === "win32"
        ? exec(process.execPath, [path.join(consumerDir, "node_modules", "tcgen", "bin", "tcgen.js"), "help"], consumerDir)
        : exec(bin, ["help"], consumerDir),
    );
    expect(outcome.code, describeOutcome("tcgen help", outcome)).toBe(0);
    expect(outcome.stdout).toMatch(/^usage:/m);
    expect(outcome.stdout).toContain("tcgen generate");
    expect(outcome.stdout).toContain("tcgen mock");
  });

  it("installs a working tcgen-backup binary that backs up the embedded emulator without the optional peers", async () => {
    const script = path.join(consumerDir, "node_modules", "tcgen", "bin", "tcgen-backup.js");
    const help = await exec(process.execPath, [script, "--help"], consumerDir);
    expect(help.code, describeOutcome("tcgen-backup --help", help)).toBe(0);
    expect(help.stdout).toMatch(/^usage: tcgen-backup/m);
    // No credentials, no endpoint: the embedded emulator; BullMQ, ioredis and the AWS SDK are not installed.
    const { TENCENTCLOUD_SECRET_ID: _id, TENCENTCLOUD_SECRET_KEY: _key, ...env } = childEnv();
    const out = path.join(consumerDir, "backups-of-tcgen-backup");
    const run = await timed("tcgen-backup", () => exec(process.execPath, [script, "--instance", "cmgo-dygv1rnp", "--out", out], consumerDir, { ...env, HOME: consumerDir }));
    expect(run.code, describeOutcome("tcgen-backup", run)).toBe(0);
    expect(run.stdout).toContain("complete (exit 0): 1 of 1 instances complete");
    expect(existsSync(path.join(out, "cmgo-dygv1rnp", "cmgo-dygv1rnp_2021-03-27_03-00", "manifest.json"))).toBe(true);
  });

  // npm forwards SIGINT and SIGTERM only to the `sh -c` it runs the binary through, and SIGHUP not at
  // all: sent to the npx process alone, they would leave the server running. The emulator notices that
  // its launchers are gone and stops by itself. (SIGINT as Ctrl-C sends it, to the whole process
  // group: SIGINT to npm alone never reaches anything, since the shell defers it until its child exits.)
  it.each([
    ["SIGTERM", "the npx process"],
    ["SIGHUP", "the npx process"],
    ["SIGINT", "the npx process group (Ctrl-C)"],
  ] as const)("`npx tcgen mock` stops when %s is sent to %s", async (signal, target) => {
    const npx = spawn("npx", ["--no", "tcgen", "mock", "--port", "0"], { cwd: consumerDir, env: childEnv(), stdio: ["ignore", "pipe", "pipe"], detached: true });
    const group = -npx.pid!;
    try {
      let output = "";
      npx.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      npx.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const url = await new Promise<string>((resolve, reject) => {
        npx.stdout.on("data", () => {
          const found = /listening on (http:\/\/\S+)/.exec(output)?.[1];
          if (found && /secret key: .*\n/.test(output)) resolve(found);
        });
        npx.once("exit", (code) => reject(new Error(`npx tcgen mock exited early with ${code}: ${output}`)));
      });
      await expect(fetch(url)).resolves.toBeDefined();
      const killed = Date.now();
      if (target.includes("group")) process.kill(group, signal);
      else npx.kill(signal);
      let stoppedAfter: number | undefined;
      while (Date.now() - killed < 5_000) {
        const refused = await fetch(url, { signal: AbortSignal.timeout(500) }).then(
          () => false,
          () => true,
        );
        if (refused) {
          stoppedAfter = Date.now() - killed;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      console.log(`npx tcgen mock, ${signal} to ${target}: the emulator stopped after ${stoppedAfter ?? "(still running)"} ms`);
      expect(stoppedAfter, output).toBeDefined();
    } finally {
      // Whatever happened, nothing of this test outlives it.
      try {
        process.kill(group, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  });
});
