/**
 * The packed package on each kind of consumer (packed once for the file): an ES module program and
 * a CommonJS one (`require`, with `require(esm)` turned off as on Node 20.18 and older) each start
 * the emulator from `tcgen/mock/mongodb` on loopback and make one call through `tcgen/mongodb`;
 * a TypeScript 5.9 `"type": "commonjs"` project type-checks under `module` commonjs, node16 and
 * nodenext; `esbuild --bundle --platform=browser` of a one-call program builds with no Node
 * built-in in it, and the bundle (Web Crypto, fetch) makes its call; `@arethetypeswrong/cli` and
 * `publint` find nothing.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { childEnv } from "../../bench/lib/proc.js";
import { startMongodbMock, type RunningMongodbMock } from "../../mock/services/mongodb/index.js";
import { stagePackage } from "../../scripts/package/stage.js";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const bin = (name: string) => path.join(repoRoot, "node_modules", ".bin", name);
const CHILD_TIMEOUT = 180_000;

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function exec(file: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = childEnv()): Promise<Outcome> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, [...args], { cwd, env, timeout: CHILD_TIMEOUT, maxBuffer: 32 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return { code: typeof failure.code === "number" ? failure.code : -1, stdout: failure.stdout ?? "", stderr: `${failure.stderr ?? ""}\n${failure.message}` };
  }
}

function succeeded(what: string, outcome: Outcome): Outcome {
  if (outcome.code !== 0) throw new Error(`${what} exited ${outcome.code}\n--- stdout ---\n${outcome.stdout}\n--- stderr ---\n${outcome.stderr}`);
  return outcome;
}

const INPUT = `{ InstanceId: "cmgo-dygv1rnp", BackupName: "cmgo-dygv1rnp_2021-03-26 10:44", BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }] }`;

/** ES module: explicit credentials, the client object. */
const ESM_PROGRAM = `import { createMongodbClient } from "tcgen/mongodb";
import { startMongodbMock } from "tcgen/mock/mongodb";

const mock = await startMongodbMock();
try {
  const mongodb = createMongodbClient({ credentials: mock.credentials, endpoint: mock.url, region: "ap-guangzhou" });
  const { Tasks, RequestId } = await mongodb.createBackupDownloadTask(${INPUT});
  console.log(JSON.stringify({ requestId: RequestId, replicaSet: Tasks[0].ReplicaSetId, resolved: import.meta.resolve("tcgen/mongodb") }));
} finally {
  await mock.close();
}
`;

/** CommonJS: no credentials option, so the default chain (loaded on demand) reads them from the environment. */
const CJS_PROGRAM = `const { createMongodbCore, createBackupDownloadTask, TencentCloudApiError } = require("tcgen/mongodb");
const { startMongodbMock } = require("tcgen/mock/mongodb");

(async () => {
  const mock = await startMongodbMock();
  try {
    process.env.TENCENTCLOUD_SECRET_ID = mock.credentials.secretId;
    process.env.TENCENTCLOUD_SECRET_KEY = mock.credentials.secretKey;
    const core = createMongodbCore({ endpoint: mock.url, region: "ap-guangzhou" });
    const { Tasks, RequestId } = await createBackupDownloadTask(core, ${INPUT});
    let refused;
    try {
      await createBackupDownloadTask(createMongodbCore({ endpoint: mock.url, credentials: { ...mock.credentials, secretKey: "not-the-key" } }), ${INPUT});
    } catch (error) {
      refused = { isApiError: error instanceof TencentCloudApiError, code: error.code };
    }
    console.log(JSON.stringify({ requestId: RequestId, replicaSet: Tasks[0].ReplicaSetId, refused, resolved: require.resolve("tcgen/mongodb") }));
  } finally {
    await mock.close();
  }
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
`;

/** What a CommonJS TypeScript consumer writes; `@ts-expect-error` lines prove the types are real. */
const CJS_TS = `import { createMongodbCore, createBackupDownloadTask, TencentCloudApiError } from "tcgen/mongodb";
import { signTc3 } from "tcgen/runtime";

export async function once(endpoint: string, secretId: string, secretKey: string): Promise<string> {
  const core = createMongodbCore({ endpoint, credentials: { secretId, secretKey } });
  const answer = await createBackupDownloadTask(core, ${INPUT});
  const status: 0 | 1 | 2 | 3 | 4 = answer.Tasks[0]!.Status;
  // @ts-expect-error BackupSets is required
  await createBackupDownloadTask(core, { InstanceId: "cmgo-dygv1rnp", BackupName: "b" });
  // Node's signer is synchronous: CommonJS declarations are Node's.
  const signature: string = signTc3({ method: "POST", host: "h", contentType: "application/json", payload: "{}", timestamp: 1, service: "cvm", credentials: { secretId, secretKey } }).signature;
  return answer.RequestId + status + signature;
}

export function code(error: unknown): string | undefined {
  return error instanceof TencentCloudApiError ? error.code : undefined;
}
`;

function tsconfig(module: string, moduleResolution: string | undefined): string {
  const compilerOptions = { target: "ES2022", module, ...(moduleResolution ? { moduleResolution } : {}), lib: ["ES2022", "DOM"], types: [], strict: true, noEmit: true, skipLibCheck: false };
  return `${JSON.stringify({ compilerOptions, files: ["main.ts"] }, null, 2)}\n`;
}

async function project(dir: string, type: "module" | "commonjs", tarball: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "package.json"), `${JSON.stringify({ name: `consumer-${type}`, private: true, type }, null, 2)}\n`);
  succeeded(`npm install in ${type} project`, await exec("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], dir));
}

describe("the packed package on every kind of consumer", { timeout: CHILD_TIMEOUT }, () => {
  let workDir = "";
  let tarball = "";
  let esmDir = "";
  let cjsDir = "";

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), "tcgen-platforms-"));
    const packDir = path.join(workDir, "pack");
    await mkdir(packDir);
    // Built as `npm run build` builds it, into a stage of its own: the repository's dist/ is left to
    // the other suites, which may be reading it.
    const stage = path.join(workDir, "stage");
    await stagePackage(stage, repoRoot);
    succeeded("npm pack", await exec("npm", ["pack", "--ignore-scripts", "--pack-destination", packDir], stage));
    tarball = path.join(packDir, (await readdir(packDir)).find((name) => name.endsWith(".tgz"))!);
    esmDir = path.join(workDir, "esm");
    cjsDir = path.join(workDir, "cjs");
    await Promise.all([project(esmDir, "module", tarball), project(cjsDir, "commonjs", tarball)]);
    await writeFile(path.join(esmDir, "run.mjs"), ESM_PROGRAM);
    await writeFile(path.join(cjsDir, "run.cjs"), CJS_PROGRAM);
    await writeFile(path.join(cjsDir, "main.ts"), CJS_TS);
    await writeFile(path.join(cjsDir, "tsconfig.commonjs.json"), tsconfig("commonjs", undefined));
    await writeFile(path.join(cjsDir, "tsconfig.node16.json"), tsconfig("node16", "node16"));
    await writeFile(path.join(cjsDir, "tsconfig.nodenext.json"), tsconfig("nodenext", "nodenext"));
  }, 300_000);

  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it("an ES module program imports tcgen/mongodb and tcgen/mock/mongodb and makes a call on loopback", async () => {
    const outcome = succeeded("node run.mjs", await exec(process.execPath, ["run.mjs"], esmDir));
    const result = JSON.parse(outcome.stdout.trim().split("\n").at(-1)!) as { requestId: string; replicaSet: string; resolved: string };
    expect(result.requestId).toMatch(/\S/);
    expect(result.replicaSet).toBe("cmgo-dygv1rnp_0");
    expect(result.resolved).toMatch(/\/node_modules\/tcgen\/dist\/esm\/generated\/mongodb\/index\.js$/);
  });

  it("a CommonJS program requires them without require(esm), with credentials from the environment", async () => {
    // --no-experimental-require-module: require() of an ES module fails, as on Node 20.18 and older.
    const outcome = succeeded("node run.cjs", await exec(process.execPath, ["--no-experimental-require-module", "run.cjs"], cjsDir));
    const result = JSON.parse(outcome.stdout.trim().split("\n").at(-1)!) as { requestId: string; replicaSet: string; refused: { isApiError: boolean; code: string }; resolved: string };
    expect(result.requestId).toMatch(/\S/);
    expect(result.replicaSet).toBe("cmgo-dygv1rnp_0");
    expect(result.refused).toEqual({ isApiError: true, code: "AuthFailure.SignatureFailure" });
    expect(result.resolved).toMatch(/\/node_modules\/tcgen\/dist\/cjs\/generated\/mongodb\/index\.cjs$/);
  });

  for (const variant of ["commonjs", "node16", "nodenext"]) {
    it(`a TypeScript 5.9 "type": "commonjs" project type-checks with module ${variant} (our declarations checked too)`, async () => {
      const outcome = await exec(process.execPath, [path.join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-p", `tsconfig.${variant}.json`], cjsDir);
      expect(outcome.stdout + outcome.stderr, `tsc ${variant}`).not.toMatch(/error TS/);
      expect(outcome.code).toBe(0);
    });
  }

  it("esbuild --bundle --platform=browser builds a one-call program with no Node built-in, and the bundle makes its call", async () => {
    const mock: RunningMongodbMock = await startMongodbMock();
    try {
      const entry = path.join(esmDir, "browser.js");
      await writeFile(
        entry,
        `import { createMongodbCore, createBackupDownloadTask } from "tcgen/mongodb";
const core = createMongodbCore({ credentials: ${JSON.stringify(mock.credentials)}, endpoint: ${JSON.stringify(mock.url)} });
const { RequestId } = await createBackupDownloadTask(core, ${INPUT});
console.log(JSON.stringify({ requestId: RequestId }));
`,
      );
      const result = await build({ entryPoints: [entry], bundle: true, minify: true, platform: "browser", format: "esm", write: false, absWorkingDir: esmDir, metafile: true, logLevel: "silent" });
      const inputs = Object.keys(result.metafile.inputs);
      expect(inputs.filter((input) => input.startsWith("node:"))).toEqual([]);
      expect(inputs.some((input) => input.endsWith("dist/esm/runtime/request/sign-tc3-web.js"))).toBe(true);
      expect(inputs.some((input) => input.endsWith("dist/esm/runtime/transport/platform-web.js"))).toBe(true);
      expect(inputs.some((input) => /platform-node|files-node|sign-tc3\.js$|transport\/node\.js/.test(input))).toBe(false);
      // The bundle needs only what browsers have (fetch, crypto.subtle, TextEncoder): Node has them too.
      const bundle = path.join(esmDir, "browser.bundle.mjs");
      await writeFile(bundle, result.outputFiles[0]!.contents);
      const outcome = succeeded("node browser.bundle.mjs", await exec(process.execPath, [bundle], esmDir));
      expect((JSON.parse(outcome.stdout.trim()) as { requestId: string }).requestId).toMatch(/\S/);
      expect(mock.requests.length).toBeGreaterThan(0);
    } finally {
      await mock.close();
    }
  });

  it("@arethetypeswrong/cli (default profile) and publint find no problem", async () => {
    const attw = await exec(bin("attw"), [tarball], workDir);
    expect(attw.stdout, attw.stderr).toContain("No problems found");
    expect(attw.code).toBe(0);
    const publint = await exec(bin("publint"), [tarball], workDir);
    expect(publint.stdout, publint.stderr).toContain("All good!");
    expect(publint.code).toBe(0);
  });
});
