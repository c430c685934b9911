/**
 * The runtime as browsers and workers get it (package.json's `default` platform modules: Web Crypto,
 * fetch, no file system), bundled from the sources by esbuild for `--platform=browser` and run in a
 * `node:vm` context that has only what such platforms have: no `process`, no `require`, no Node
 * built-ins. Against the emulator on loopback, whose TC3 check is the proof that the Web Crypto
 * signature is right; and without credentials, the default chain says why each link is absent.
 */
import vm from "node:vm";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platformSources } from "../../bench/lib/platform-sources.js";
import { startMongodbMock, type RunningMongodbMock } from "../../mock/services/mongodb/index.js";

const mongodb = new URL("../../generated/mongodb/index.ts", import.meta.url).pathname;
const INPUT = { InstanceId: "cmgo-dygv1rnp", BackupName: "cmgo-dygv1rnp_2021-03-26 10:44", BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }] };

/** Bundles `body` (which may await; it reports through `report(value)`) for browsers, with its inputs inlined. */
async function browserBundle(body: string): Promise<{ code: string; inputs: string[] }> {
  const result = await build({
    stdin: { contents: `import * as mongodb from ${JSON.stringify(mongodb)};\n(async () => {\n${body}\n})().then(report, (error) => report({ error: error.name, message: error.message }));\n`, loader: "ts", resolveDir: process.cwd() },
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "es2022",
    plugins: [platformSources("browser")],
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  return { code: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs) };
}

/** Runs a bundle with a browser's globals only; its fetch reaches loopback and nothing else. */
function runInBrowserLikeContext(code: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const loopbackFetch = (input: Request) =>
      new URL(input.url).hostname === "127.0.0.1" ? fetch(input) : Promise.reject(new TypeError(`fetch failed: ${new URL(input.url).host} is not reachable from this test`));
    const context = vm.createContext({
      report: resolve,
      fetch: loopbackFetch,
      crypto,
      Request,
      Response,
      Headers,
      URL,
      URLSearchParams,
      TextEncoder,
      TextDecoder,
      AbortController,
      AbortSignal,
      ReadableStream,
      DOMException,
      setTimeout,
      clearTimeout,
      queueMicrotask,
      performance,
      Event,
      EventTarget,
      atob,
      btoa,
      structuredClone,
      console,
    });
    vm.runInContext(code, context);
  });
}

describe("the runtime off Node (browser platform modules, no process)", () => {
  let mock: RunningMongodbMock;
  beforeAll(async () => {
    mock = await startMongodbMock();
  });
  afterAll(async () => {
    await mock.close();
  });

  it("bundles with Web Crypto and fetch only, and makes a call the emulator's TC3 check accepts", async () => {
    const { code, inputs } = await browserBundle(`
      const core = mongodb.createMongodbCore({ credentials: ${JSON.stringify(mock.credentials)}, endpoint: ${JSON.stringify(mock.url)}, region: "ap-guangzhou" });
      const answer = await mongodb.createBackupDownloadTask(core, ${JSON.stringify(INPUT)});
      return { requestId: answer.RequestId, replicaSet: answer.Tasks[0].ReplicaSetId };
    `);
    expect(inputs.filter((input) => input.startsWith("node:"))).toEqual([]);
    expect(inputs).toContain("runtime/request/sign-tc3-web.ts");
    expect(inputs).toContain("runtime/transport/platform-web.ts");
    expect(inputs).not.toContain("runtime/request/sign-tc3.ts");
    expect(inputs).not.toContain("runtime/transport/node.ts");
    const before = mock.requests.length;
    const result = await runInBrowserLikeContext(code);
    expect(result).toEqual({ requestId: expect.stringMatching(/\S/), replicaSet: "cmgo-dygv1rnp_0" });
    expect(mock.requests.length).toBe(before + 1);
  });

  it("a wrong key is refused as on Node: the same signature check, the same typed error", async () => {
    const { code } = await browserBundle(`
      const core = mongodb.createMongodbCore({ credentials: { ...${JSON.stringify(mock.credentials)}, secretKey: "not-the-key" }, endpoint: ${JSON.stringify(mock.url)} });
      try {
        await mongodb.createBackupDownloadTask(core, ${JSON.stringify(INPUT)});
        return { refused: false };
      } catch (error) {
        return { refused: true, isApiError: error instanceof mongodb.TencentCloudApiError, code: error.code };
      }
    `);
    expect(await runInBrowserLikeContext(code)).toEqual({ refused: true, isApiError: true, code: "AuthFailure.SignatureFailure" });
  });

  it("without credentials the default chain finds none, and says why for each link", async () => {
    const { code } = await browserBundle(`
      await mongodb.createBackupDownloadTask(mongodb.createMongodbCore({ endpoint: ${JSON.stringify(mock.url)} }), ${JSON.stringify(INPUT)});
      return { sent: true };
    `);
    const result = await runInBrowserLikeContext(code);
    expect(result["error"]).toBe("CredentialsError");
    const message = String(result["message"]);
    expect(message).toContain("environment: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set");
    expect(message).toContain("profile: no file system on this platform");
    expect(message).toContain("tke-oidc: TKE_PROVIDER_ID");
    expect(message).toContain("instance-metadata metadata.tencentyun.com: unreachable");
  });
});
