/**
 * The generated mongodb client end to end, against the emulator on loopback: a real HTTP server that
 * recomputes every TC3 signature from the request as received.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { parse } from "yaml";
import {
  createMongodbClient,
  CredentialsError,
  isCreateBackupDownloadTaskError,
  mongodbErrorDescriptions,
  TencentCloudApiError,
  TencentCloudTransportError,
  type CreateBackupDownloadTaskErrorCode,
  type CreateBackupDownloadTaskRequest,
  type MongodbErrorCode,
} from "../../generated/mongodb/index.js";
import { TencentCloudApiError as RuntimeApiError } from "../../runtime/index.js";
import { mongodbMock } from "../../generated/mongodb/mock.js";
import { startMock, type MockAnswer, type RunningMock } from "../../mock/server.js";
import { TCGEN_VERSION } from "../../runtime/version.js";
import { repoRoot } from "../support/helpers.js";

const input: CreateBackupDownloadTaskRequest = {
  InstanceId: "cmgo-dygv1rnp",
  BackupName: "cmgo-dygv1rnp_2021-03-26 10:44",
  BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }],
};

/** The codes as the spec lists them, read independently of the generator. */
const spec = {
  ...parse(readFileSync(path.join(repoRoot, "spec/mongodb/2019-07-25/openapi.yaml"), "utf8")),
  paths: parse(readFileSync(path.join(repoRoot, "spec/mongodb/2019-07-25/backup.yaml"), "utf8")).paths,
};
const actionCodes: string[] = spec.paths["/CreateBackupDownloadTask"].post["x-tc-errors"].map((e: { code: string }) => e.code);
const commonCodes: string[] = spec["x-tc-common-errors"].map((e: { code: string }) => e.code);

let mock: RunningMock;
let answer: MockAnswer | undefined;
beforeAll(async () => {
  mock = await startMock(mongodbMock, {
    // Many calls in a row: the documented 20/s limit is the emulator's business elsewhere (test/mock-*.test.ts).
    faults: { rateLimit: false },
    handlers: {
      CreateBackupDownloadTask: (call) =>
        answer ?? {
          response: { Tasks: [{ ReplicaSetId: (call.params["BackupSets"] as { ReplicaSetId: string }[])[0]!.ReplicaSetId, Status: 0 }] },
        },
    },
  });
});
afterAll(() => mock.close());
afterEach(() => {
  answer = undefined;
  mock.requests.length = 0;
});

/**
 * Both transports send the same bytes and must behave the same: node:http (the default on Node) and
 * openapi-fetch over the global fetch (what a custom `fetch`, a browser or a worker uses).
 */
const TRANSPORTS = {
  "node:http": {},
  "openapi-fetch + fetch": { fetch: (request: Request) => fetch(request) },
} as const;

for (const [transport, transportOptions] of Object.entries(TRANSPORTS)) {
  const client = (options: Parameters<typeof createMongodbClient>[0] = {}) =>
    createMongodbClient({ credentials: mock.credentials, endpoint: mock.url, ...transportOptions, ...options });

  describe(`${transport}: success`, () => {
    it("returns the typed Response with a RequestId, sent as a signed POST / with the common headers", async () => {
      const { Tasks, RequestId } = await client({ region: "ap-guangzhou" }).createBackupDownloadTask(input);
      expect(Tasks).toEqual([{ ReplicaSetId: "cmgo-dygv1rnp_0", Status: 0 }]);
      expect(RequestId).toMatch(/^[0-9a-f-]{36}$/);

      expect(mock.requests).toHaveLength(1);
      const [sent] = mock.requests;
      expect(sent!.errorCode).toBeUndefined();
      expect(sent!.action).toBe("CreateBackupDownloadTask");
      expect(JSON.parse(sent!.body)).toEqual(input);
      expect(sent!.headers).toMatchObject({
        "content-type": "application/json",
        host: new URL(mock.url).host,
        "x-tc-action": "CreateBackupDownloadTask",
        "x-tc-version": "2019-07-25",
        "x-tc-region": "ap-guangzhou",
        "x-tc-requestclient": `tcgen/${TCGEN_VERSION}`,
      });
      expect(Number(sent!.headers["x-tc-timestamp"])).toBeCloseTo(Date.now() / 1000, -1);
      expect(sent!.headers).not.toHaveProperty("x-tc-language");
      expect(sent!.headers).not.toHaveProperty("x-tc-token");
    });

    it("answers with the spec's example when no handler overrides it", async () => {
      const plain = await startMock(mongodbMock);
      try {
        const result = await createMongodbClient({ credentials: plain.credentials, endpoint: plain.url }).createBackupDownloadTask(input);
        expect(result.Tasks).toEqual(
          spec.paths["/CreateBackupDownloadTask"].post.responses["200"].content["application/json"].examples.CreatingABackupDownloadTask
            .value.Response.Tasks,
        );
      } finally {
        await plain.close();
      }
    });

    it("signs unicode bodies byte for byte and sends X-TC-Language when asked", async () => {
      await client({ language: "zh-CN" }).createBackupDownloadTask({ ...input, BackupName: "备份 2021-03-26 10:44 ✓ \u{1F600}" });
      expect(mock.requests[0]!.errorCode).toBeUndefined();
      expect(JSON.parse(mock.requests[0]!.body).BackupName).toBe("备份 2021-03-26 10:44 ✓ \u{1F600}");
      expect(mock.requests[0]!.headers["x-tc-language"]).toBe("zh-CN");
    });

    it("signs as the spec's service whatever the endpoint's host name is", async () => {
      const viaLocalhost = mock.url.replace("127.0.0.1", "localhost");
      await expect(client({ endpoint: viaLocalhost }).createBackupDownloadTask(input)).resolves.toHaveProperty("RequestId");
      expect(mock.requests[0]!.headers["host"]).toBe(new URL(viaLocalhost).host);
    });

    it("reads credentials from TENCENTCLOUD_* at call time, and sends X-TC-Token only with a token", async () => {
      const withToken = await startMock(mongodbMock, { credentials: { ...mock.credentials, token: "session-token-1" } });
      const saved = { ...process.env };
      try {
        process.env["TENCENTCLOUD_SECRET_ID"] = mock.credentials.secretId;
        process.env["TENCENTCLOUD_SECRET_KEY"] = mock.credentials.secretKey;
        process.env["TENCENTCLOUD_SESSION_TOKEN"] = "session-token-1";
        const fromEnv = createMongodbClient({ endpoint: withToken.url });
        await expect(fromEnv.createBackupDownloadTask(input)).resolves.toHaveProperty("Tasks");
        expect(withToken.requests[0]!.errorCode).toBeUndefined();

        process.env["TENCENTCLOUD_SESSION_TOKEN"] = "a-stale-token";
        await expect(fromEnv.createBackupDownloadTask(input)).rejects.toMatchObject({ code: "AuthFailure.TokenFailure" });
      } finally {
        process.env = saved;
        await withToken.close();
      }
    });
  });

  describe(`${transport}: errors`, () => {
    it.each([...actionCodes, ...commonCodes])("Response.Error %s surfaces as TencentCloudApiError with that code", async (code) => {
      answer = { error: { code, message: `message for ${code}` } };
      const error = await client()
        .createBackupDownloadTask(input)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TencentCloudApiError);
      expect(isCreateBackupDownloadTaskError(error)).toBe(true);
      const apiError = error as TencentCloudApiError;
      expect(apiError.code).toBe(code);
      expect(apiError.message).toContain(`message for ${code}`);
      expect(apiError.action).toBe("CreateBackupDownloadTask");
      expect(apiError.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(apiError.traceId).toMatch(/^[0-9a-f-]{36}$/);
      expect(mongodbErrorDescriptions[code as keyof typeof mongodbErrorDescriptions]).toEqual(expect.any(String));
    });

    it("instanceof narrows code to the service's documented codes; the guard to the action's", async () => {
      answer = { error: { code: "InvalidParameterValue.NotFoundInstance", message: "no such instance" } };
      const error: unknown = await client()
        .createBackupDownloadTask(input)
        .catch((e: unknown) => e);
      if (!(error instanceof TencentCloudApiError)) throw new Error("expected a TencentCloudApiError");
      expectTypeOf(error.code).toEqualTypeOf<MongodbErrorCode | (string & {})>();
      if (!isCreateBackupDownloadTaskError(error)) throw new Error("expected the action's error");
      expectTypeOf(error.code).toEqualTypeOf<CreateBackupDownloadTaskErrorCode | (string & {})>();
      // One class at run time: the runtime's export and the service's typed export are the same.
      expect(error).toBeInstanceOf(RuntimeApiError);
      expect(TencentCloudApiError).toBe(RuntimeApiError);
    });

    it("covers the five documented and 38 common codes", () => {
      expect(actionCodes).toHaveLength(5);
      expect(commonCodes).toHaveLength(38);
    });

    it("a code Tencent adds later still arrives as TencentCloudApiError", async () => {
      answer = { error: { code: "FailedOperation.SomethingNew", message: "new" } };
      await expect(client().createBackupDownloadTask(input)).rejects.toMatchObject({
        name: "TencentCloudApiError",
        code: "FailedOperation.SomethingNew",
      });
    });

    it.each([502, 503, 404, 500])("HTTP %i is a TencentCloudTransportError carrying the status", async (status) => {
      answer = { status, body: `<html>gateway says ${status}</html>`, contentType: "text/html" };
      const error = await client()
        .createBackupDownloadTask(input)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TencentCloudTransportError);
      expect(error).not.toBeInstanceOf(TencentCloudApiError);
      expect(error).toMatchObject({ status, action: "CreateBackupDownloadTask", body: `<html>gateway says ${status}</html>` });
    });

    it.each([
      ["not JSON", "<html>ok</html>", /answer is not JSON/],
      ["empty", "", /empty answer/],
      ["no Response", '{"Result":{}}', /no "Response" object/],
      ["Error without Code", '{"Response":{"Error":{"Message":"x"},"RequestId":"r"}}', /no string "Code"/],
    ])("an HTTP 200 answer that is %s is a TencentCloudTransportError", async (_name, body, message) => {
      answer = { status: 200, body, contentType: "application/json" };
      const error = await client()
        .createBackupDownloadTask(input)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TencentCloudTransportError);
      expect(error).toMatchObject({ status: 200, message: expect.stringMatching(message) });
    });

    it("a refused connection is a TencentCloudTransportError without a status", async () => {
      const closed = await startMock(mongodbMock);
      await closed.close();
      const error = await createMongodbClient({ credentials: mock.credentials, endpoint: closed.url })
        .createBackupDownloadTask(input)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TencentCloudTransportError);
      expect(error).toMatchObject({ status: undefined, message: expect.stringMatching(/ECONNREFUSED/) });
    });

    it("missing credentials fail before any request, naming what was tried", async () => {
      const saved = { ...process.env };
      try {
        delete process.env["TENCENTCLOUD_SECRET_ID"];
        delete process.env["TENCENTCLOUD_SECRET_KEY"];
        const error = await createMongodbClient({ endpoint: mock.url })
          .createBackupDownloadTask(input)
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CredentialsError);
        expect((error as Error).message).toMatch(/TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set/);
        expect(mock.requests).toHaveLength(0);
      } finally {
        process.env = saved;
      }
    });

    it("a wrong secret key or a clock off by more than 5 minutes is refused by signature checks", async () => {
      await expect(
        client({ credentials: { ...mock.credentials, secretKey: "wrong" } }).createBackupDownloadTask(input),
      ).rejects.toMatchObject({
        code: "AuthFailure.SignatureFailure",
      });
      await expect(
        client({ now: () => Date.now() - 301_000, retry: { maxAttempts: 1 } }).createBackupDownloadTask(input),
      ).rejects.toMatchObject({
        code: "AuthFailure.SignatureExpire",
      });
      await expect(client({ now: () => Date.now() - 200_000 }).createBackupDownloadTask(input)).resolves.toHaveProperty("Tasks");
    });

    it("an aborted call rejects with the abort reason, not a transport error", async () => {
      const controller = new AbortController();
      controller.abort(new Error("caller gave up"));
      await expect(client().createBackupDownloadTask(input, { signal: controller.signal })).rejects.toThrow("caller gave up");
    });

    it("an endpoint that is not an http(s) URL is refused when the client is created", () => {
      expect(() => client({ endpoint: "mongodb.tencentcloudapi.com" })).toThrow(/absolute http\(s\) URL/);
      expect(() => client({ endpoint: "ftp://x" })).toThrow(/http\(s\) URL/);
    });
  });
}
