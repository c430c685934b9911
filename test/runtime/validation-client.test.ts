/**
 * Validation on every call path of the generated clients: a request that does not match the spec
 * throws RequestValidationError before anything is sent (before credentials are even looked up);
 * an answer that drifted from the spec warns by default, throws with `response: "strict"` and is
 * let through with `"off"`; members Tencent adds never count as drift. Answers come from a stub
 * `fetch`, so nothing here depends on the network or the emulator.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createMongodbClient,
  RequestValidationError,
  ResponseValidationError,
  TencentCloudApiError,
  type CreateBackupDownloadTaskRequest,
  type ValidationOptions,
} from "../../generated/mongodb/index.js";
import { generate } from "../../scripts/generate.js";
import { repoRoot, scratchDir } from "../support/helpers.js";

const input: CreateBackupDownloadTaskRequest = {
  InstanceId: "cmgo-dygv1rnp",
  BackupName: "cmgo-dygv1rnp_2021-03-26 10:44",
  BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }],
};
const credentials = { secretId: "AKIDexample", secretKey: "secret" };

/** What the stub answers with (the `Response` object), and every request it received. */
let answer: unknown = { Tasks: [{ ReplicaSetId: "cmgo-dygv1rnp_0", Status: 2 }], RequestId: "req-1" };
const sent: Request[] = [];
async function stubFetch(request: Request): Promise<Response> {
  sent.push(request);
  return new Response(JSON.stringify({ Response: answer }), { status: 200, headers: { "Content-Type": "application/json" } });
}
afterEach(() => {
  sent.length = 0;
  answer = { Tasks: [{ ReplicaSetId: "cmgo-dygv1rnp_0", Status: 2 }], RequestId: "req-1" };
  vi.restoreAllMocks();
});

const client = (validate?: ValidationOptions) => createMongodbClient({ credentials, fetch: stubFetch, ...(validate ? { validate } : {}) });

describe("requests", () => {
  it("a valid request goes out and its answer comes back", async () => {
    await expect(client().createBackupDownloadTask(input)).resolves.toEqual(answer);
    expect(sent).toHaveLength(1);
  });

  it("an invalid one throws RequestValidationError listing every issue, and nothing is sent", async () => {
    const wrong = { ...input, BackupSets: [{ ReplicaSetId: "cmgo-p8vnipr5_0" }, { ReplicaSetId: 3 }], Nope: true } as unknown as CreateBackupDownloadTaskRequest;
    const error = await client().createBackupDownloadTask(wrong).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    const failure = error as RequestValidationError;
    expect(failure.action).toBe("CreateBackupDownloadTask");
    expect(failure.issues.map((i) => `${i.path} ${i.keyword}`)).toEqual([
      "/BackupSets/1/ReplicaSetId type",
      "/Nope additionalProperties",
      "/BackupSets/0/ReplicaSetId x-tc-field-patterns",
    ]);
    expect(failure.message).toBe(
      [
        "CreateBackupDownloadTask: the request does not match the spec, nothing was sent:",
        "  /BackupSets/1/ReplicaSetId: must be a string, got number [type]",
        "  /Nope: is not a member the spec declares [additionalProperties]",
        '  /BackupSets/0/ReplicaSetId: must be "<InstanceId>_<n>", a replica set or shard of the instance named by InstanceId [x-tc-field-patterns]',
      ].join("\n"),
    );
    expect(sent).toHaveLength(0);
  });

  it("is checked before anything else: even without credentials, the validation error comes first", async () => {
    const saved = { ...process.env };
    try {
      delete process.env["TENCENTCLOUD_SECRET_ID"];
      delete process.env["TENCENTCLOUD_SECRET_KEY"];
      const noCredentials = createMongodbClient({ fetch: stubFetch, profile: "no-such-profile" });
      await expect(noCredentials.createBackupDownloadTask({} as CreateBackupDownloadTaskRequest)).rejects.toBeInstanceOf(RequestValidationError);
      expect(sent).toHaveLength(0);
    } finally {
      process.env = saved;
    }
  });

  it("validate.request false sends it anyway (for a parameter the spec does not know yet)", async () => {
    const extra = { ...input, NewParameter: 1 } as CreateBackupDownloadTaskRequest;
    await expect(client({ request: false }).createBackupDownloadTask(extra)).resolves.toEqual(answer);
    expect(JSON.parse(await sent[0]!.text())).toEqual(extra);
  });
});

describe("answers", () => {
  const drifted = { Tasks: [{ ReplicaSetId: "cmgo-dygv1rnp_0", Status: 9 }], RequestId: "req-2" };

  it("members Tencent adds later are never drift, even in strict mode", async () => {
    answer = { Tasks: [{ ReplicaSetId: "cmgo-dygv1rnp_0", Status: 2, Region: "ap-guangzhou", Bucket: "b" }], RequestId: "req-1", Later: true };
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await expect(client({ response: "strict" }).createBackupDownloadTask(input)).resolves.toEqual(answer);
    await expect(client().createBackupDownloadTask(input)).resolves.toEqual(answer);
    expect(warn).not.toHaveBeenCalled();
  });

  it('by default ("warn"), drift is returned and reported once per action through console.warn', async () => {
    answer = drifted;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const mongodb = client();
    await expect(mongodb.createBackupDownloadTask(input)).resolves.toEqual(drifted);
    await expect(mongodb.createBackupDownloadTask(input)).resolves.toEqual(drifted);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/^CreateBackupDownloadTask: the answer does not match the spec \(RequestId req-2\):\n {2}\/Tasks\/0\/Status: must be one of 0, 1, 2, 3, 4 \[enum\]/);
  });

  it("validate.onWarning receives every drifted answer as a ResponseValidationError", async () => {
    answer = drifted;
    const warnings: ResponseValidationError[] = [];
    const mongodb = client({ response: "warn", onWarning: (warning) => warnings.push(warning) });
    await mongodb.createBackupDownloadTask(input);
    await mongodb.createBackupDownloadTask(input);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toBeInstanceOf(ResponseValidationError);
    expect(warnings[0]).toMatchObject({ action: "CreateBackupDownloadTask", requestId: "req-2", issues: [{ path: "/Tasks/0/Status", keyword: "enum" }] });
  });

  it('"strict" throws ResponseValidationError with the RequestId', async () => {
    answer = { Tasks: [{ Status: "2" }] };
    const error = await client({ response: "strict" }).createBackupDownloadTask(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({
      action: "CreateBackupDownloadTask",
      requestId: undefined,
      issues: [
        { path: "/Tasks/0/ReplicaSetId", keyword: "required" },
        { path: "/Tasks/0/Status", keyword: "type" },
        { path: "/Tasks/0/Status", keyword: "enum" },
        { path: "/RequestId", keyword: "required" },
      ],
    });
  });

  it('"off" skips the check', async () => {
    answer = drifted;
    const onWarning = vi.fn();
    await expect(client({ response: "off", onWarning }).createBackupDownloadTask(input)).resolves.toEqual(drifted);
    expect(onWarning).not.toHaveBeenCalled();
  });

  it("error answers are still TencentCloudApiError, whatever the validation mode", async () => {
    answer = { Error: { Code: "InvalidParameterValue.NotFoundInstance", Message: "no such instance" }, RequestId: "req-3" };
    await expect(client({ response: "strict" }).createBackupDownloadTask(input)).rejects.toBeInstanceOf(TencentCloudApiError);
  });
});

describe("every method of a generated client validates", () => {
  let scratch: string;
  let createCatalogClient: (options: Record<string, unknown>) => Record<string, (input: unknown) => Promise<unknown>>;
  beforeAll(async () => {
    scratch = await scratchDir("validation-client");
    await generate({ spec: "test/fixtures/specs/catalog/2024-06-01.yaml", out: scratch, cwd: repoRoot });
    ({ createCatalogClient } = await import(pathToFileURL(path.join(scratch, "catalog", "index.ts")).href));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it("both actions of the catalog fixture check their request and their answer", async () => {
    const catalog = createCatalogClient({ credentials, fetch: stubFetch, validate: { response: "strict" } });
    await expect(catalog["putCategory"]!({ Prefix: "ab" })).rejects.toMatchObject({ name: "RequestValidationError", action: "PutCategory" });
    await expect(catalog["listCategories"]!({ Limit: 0 })).rejects.toMatchObject({ name: "RequestValidationError", action: "ListCategories" });
    expect(sent).toHaveLength(0);

    answer = { Categories: [{ Name: "" }], TotalCount: 1, RequestId: "r" };
    await expect(catalog["listCategories"]!({})).rejects.toMatchObject({ name: "ResponseValidationError", issues: [{ path: "/Categories/0/Name", keyword: "minLength" }] });
    answer = { Category: { Name: "books", Unknown: 1 }, State: "ACTIVE", RequestId: "r" };
    await expect(catalog["putCategory"]!({ Category: { Name: "books" }, Prefix: "ab" })).resolves.toEqual(answer);
    answer = { Category: { Name: "books" }, State: "GONE", RequestId: "r" };
    await expect(catalog["putCategory"]!({ Category: { Name: "books" }, Prefix: "ab" })).rejects.toMatchObject({ name: "ResponseValidationError", requestId: "r" });
  });
});
