/** The emulator's wire rules, its world, and fault injection, seen through the generated client and raw requests. */
import { afterEach, describe, expect, it } from "vitest";
import { createMongodbClient, TencentCloudApiError, TencentCloudTransportError } from "../../generated/mongodb/index.js";
import { startMongodbMock, type RunningMongodbMock, type StartMongodbMockOptions } from "../../mock/services/mongodb/index.js";
import { sendRaw, signedRequest } from "../support/raw-request.js";

const running: RunningMongodbMock[] = [];
async function emulator(options: StartMongodbMockOptions = {}) {
  const mock = await startMongodbMock(options);
  running.push(mock);
  // A client that sends each call once and does not pace itself: the emulator's behaviour is under test.
  const mongodb = createMongodbClient({ endpoint: mock.url, credentials: mock.credentials, retry: { maxAttempts: 1 }, rateLimit: false });
  return { mock, mongodb };
}
afterEach(async () => {
  for (const mock of running.splice(0)) await mock.close();
});

const replicaSet = { InstanceId: "cmgo-dygv1rnp", BackupName: "cmgo-dygv1rnp_2021-03-26 10:44", BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }] };
const sharded = {
  InstanceId: "cmgo-p8vnipr5",
  BackupName: "cmgo-p8vnipr5_2021-03-24 15:40",
  BackupSets: [0, 1, 2].map((n) => ({ ReplicaSetId: `cmgo-p8vnipr5_${n}` })),
};
const raw = (mock: RunningMongodbMock, overrides: Partial<Parameters<typeof signedRequest>[0]> = {}) =>
  signedRequest({ url: mock.url, credentials: mock.credentials, action: "CreateBackupDownloadTask", version: "2019-07-25", service: "mongodb", params: replicaSet, ...overrides });

describe("wire rules", () => {
  it("checks X-TC-Action and X-TC-Version", async () => {
    const { mock } = await emulator();
    expect((await sendRaw(mock.url, raw(mock, { action: "DropEverything" }))).code).toBe("InvalidAction");
    expect((await sendRaw(mock.url, raw(mock, { version: "2018-01-01" }))).code).toBe("NoSuchVersion");
    const noVersion = raw(mock);
    delete noVersion.headers["X-TC-Version"];
    expect((await sendRaw(mock.url, noVersion)).code).toBe("MissingParameter");
  });

  it("serves GET with flattened parameters, signed over the query as sent", async () => {
    const { mock } = await emulator();
    const query = "InstanceId=cmgo-p8vnipr5&BackupName=cmgo-p8vnipr5_2021-03-24%2015%3A40&BackupSets.0.ReplicaSetId=cmgo-p8vnipr5_0&BackupSets.1.ReplicaSetId=cmgo-p8vnipr5_1";
    const answer = await sendRaw(mock.url, raw(mock, { method: "GET", query }));
    expect(answer.code, answer.text).toBeUndefined();
    expect(answer.json?.Response?.["Tasks"]).toEqual([
      { ReplicaSetId: "cmgo-p8vnipr5_0", Status: 0 },
      { ReplicaSetId: "cmgo-p8vnipr5_1", Status: 0 },
    ]);
    const gap = "InstanceId=cmgo-p8vnipr5&BackupName=x&BackupSets.1.ReplicaSetId=cmgo-p8vnipr5_1";
    const refused = await sendRaw(mock.url, raw(mock, { method: "GET", query: gap }));
    expect(refused.code).toBe("InvalidParameter");
    expect(refused.text).toContain("BackupSets.0");
  });

  it("refuses a POST body over 10 MB and a GET query over 32 KB with RequestSizeLimitExceeded", async () => {
    const { mock } = await emulator();
    const big = raw(mock, { params: { ...replicaSet, BackupName: "x".repeat(10 * 1024 * 1024) } });
    expect((await sendRaw(mock.url, big)).code).toBe("RequestSizeLimitExceeded");
    const longQuery = `InstanceId=cmgo-dygv1rnp&BackupName=${"y".repeat(33 * 1024)}`;
    expect((await sendRaw(mock.url, raw(mock, { method: "GET", query: longQuery }))).code).toBe("RequestSizeLimitExceeded");
  });

  it("wants a JSON object for POST", async () => {
    const { mock } = await emulator();
    const form = raw(mock, { contentType: "text/plain" });
    expect((await sendRaw(mock.url, form)).code).toBe("InvalidParameter");
  });

  it("answers 404 outside / and never logs the Authorization header", async () => {
    const { mock } = await emulator();
    const elsewhere = { ...raw(mock), path: "/CreateBackupDownloadTask" };
    expect((await sendRaw(mock.url, elsewhere)).status).toBe(404);
    await sendRaw(mock.url, raw(mock));
    expect(mock.requests.every((r) => !("authorization" in r.headers) && !("x-tc-token" in r.headers))).toBe(true);
  });
});

describe("parameters, checked with the spec's generated validators", () => {
  it.each([
    ["a missing member", { InstanceId: "cmgo-dygv1rnp", BackupName: "b" }, "MissingParameter", "parameter BackupSets"],
    ["an unknown member", { ...replicaSet, Region: "ap-guangzhou" }, "UnknownParameter", "parameter Region"],
    ["a wrong type", { ...replicaSet, BackupSets: "cmgo-dygv1rnp_0" }, "InvalidParameter", "parameter BackupSets"],
    ["a value against the pattern", { ...replicaSet, InstanceId: "mongo-1" }, "InvalidParameterValue", "parameter InstanceId"],
    ["an empty list", { ...replicaSet, BackupSets: [] }, "InvalidParameterValue", "parameter BackupSets"],
    ["a nested unknown member", { ...replicaSet, BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0", Extra: 1 }] }, "UnknownParameter", "parameter BackupSets.0.Extra"],
    ["a replica set of another instance", { ...replicaSet, BackupSets: [{ ReplicaSetId: "cmgo-p8vnipr5_0" }] }, "InvalidParameterValue", "parameter BackupSets.0.ReplicaSetId"],
  ])("%s → %s naming it", async (_name, params, code, names) => {
    const { mock } = await emulator();
    const answer = await sendRaw(mock.url, raw(mock, { params }));
    expect(answer.code, answer.text).toBe(code);
    expect(answer.text).toContain(names);
  });

  it("checks GET parameters after rebuilding them, numbers included", async () => {
    const { mock } = await emulator();
    const unknown = await sendRaw(mock.url, raw(mock, { method: "GET", query: "InstanceId=cmgo-dygv1rnp&BackupName=b&BackupSets.0.ReplicaSetId=cmgo-dygv1rnp_0&Limit=10" }));
    expect(unknown.code).toBe("UnknownParameter");
    expect(unknown.text).toContain("parameter Limit");
  });
});

describe("the world", () => {
  it("moves a download task 0 → 1 → 2 over the configured time", async () => {
    let now = Date.now();
    const { mock, mongodb } = await emulator({ now: () => now, world: { taskQueuedMs: 1_000, taskRunningMs: 4_000 } });
    const status = async () => (await mongodb.createBackupDownloadTask(replicaSet)).Tasks[0]!.Status;
    expect(await status()).toBe(0);
    // The client signs with the machine clock; keep the emulator's within its five minutes.
    now += 1_500;
    expect(await status()).toBe(1);
    const task = mock.world.tasks[0]!;
    expect(mock.world.statusOf(task, now).Percent).toBeGreaterThan(0);
    now += 4_000;
    expect(await status()).toBe(2);
    expect(mock.world.tasks).toHaveLength(1);
  });

  it("creates one task per shard of a sharded cluster", async () => {
    const { mongodb, mock } = await emulator();
    const { Tasks } = await mongodb.createBackupDownloadTask(sharded);
    expect(Tasks.map((t) => t.ReplicaSetId)).toEqual(["cmgo-p8vnipr5_0", "cmgo-p8vnipr5_1", "cmgo-p8vnipr5_2"]);
    expect(mock.world.tasks).toHaveLength(3);
  });

  it("answers NotFoundInstance, BackupFileNotFound and an unknown shard in Tencent's words", async () => {
    const { mongodb } = await emulator();
    await expect(mongodb.createBackupDownloadTask({ ...replicaSet, InstanceId: "cmgo-zzzzzzzz", BackupSets: [{ ReplicaSetId: "cmgo-zzzzzzzz_0" }] })).rejects.toMatchObject({
      code: "InvalidParameterValue.NotFoundInstance",
    });
    await expect(mongodb.createBackupDownloadTask({ ...replicaSet, BackupName: "cmgo-dygv1rnp_2020-01-01 00:00" })).rejects.toMatchObject({
      code: "InvalidParameterValue.BackupFileNotFound",
    });
    await expect(mongodb.createBackupDownloadTask({ ...sharded, BackupSets: [{ ReplicaSetId: "cmgo-p8vnipr5_3" }] })).rejects.toMatchObject({
      code: "InvalidParameterValue",
      message: expect.stringContaining("BackupSets.0.ReplicaSetId"),
    });
  });

  it("takes its own seed", async () => {
    const { mongodb, mock } = await emulator({
      world: { instances: [{ InstanceId: "cmgo-aaaaaaaa", ClusterType: "sharded", Shards: 5, Backups: [{ BackupName: "cmgo-aaaaaaaa_2024-01-01 00:00", StartTime: "2024-01-01 00:00:00", EndTime: "2024-01-01 00:10:00", BackupSize: 10 }] }] },
    });
    expect(mock.world.instances.get("cmgo-aaaaaaaa")!.ReplicaSetIds).toHaveLength(5);
    await expect(mongodb.createBackupDownloadTask(replicaSet)).rejects.toMatchObject({ code: "InvalidParameterValue.NotFoundInstance" });
    mock.world.addBackup("cmgo-aaaaaaaa", { BackupName: "cmgo-aaaaaaaa_2024-01-02 00:00", StartTime: "2024-01-02 00:00:00", EndTime: "2024-01-02 00:10:00", BackupSize: 10 });
    await expect(
      mongodb.createBackupDownloadTask({ InstanceId: "cmgo-aaaaaaaa", BackupName: "cmgo-aaaaaaaa_2024-01-02 00:00", BackupSets: [{ ReplicaSetId: "cmgo-aaaaaaaa_4" }] }),
    ).resolves.toHaveProperty("Tasks");
  });
});

describe("fault injection", () => {
  it("enforces x-tc-rate-limit per second per key: the 21st call within a second is RequestLimitExceeded", async () => {
    let now = 1_800_000_000_000;
    const { mock, mongodb } = await emulator({ now: () => now });
    const timed = createMongodbClient({ endpoint: mock.url, credentials: mock.credentials, now: () => now, retry: { maxAttempts: 1 }, rateLimit: false });
    const results = await Promise.allSettled(Array.from({ length: 25 }, () => timed.createBackupDownloadTask(replicaSet)));
    const throttled = results.filter((r) => r.status === "rejected" && (r.reason as TencentCloudApiError).code === "RequestLimitExceeded");
    expect(results.length - throttled.length).toBe(20);
    expect(throttled).toHaveLength(5);
    now += 1_001;
    await expect(timed.createBackupDownloadTask(replicaSet)).resolves.toHaveProperty("Tasks");
    void mongodb;
  });

  it("runs a script of faults first: throttled N times, then success, attempts counted", async () => {
    const { mock, mongodb } = await emulator({ faults: { script: [{ error: "RequestLimitExceeded" }, { error: "RequestLimitExceeded.UinLimitExceeded" }, { status: 503 }, { drop: true }] } });
    await expect(mongodb.createBackupDownloadTask(replicaSet)).rejects.toMatchObject({ code: "RequestLimitExceeded" });
    await expect(mongodb.createBackupDownloadTask(replicaSet)).rejects.toMatchObject({ code: "RequestLimitExceeded.UinLimitExceeded" });
    await expect(mongodb.createBackupDownloadTask(replicaSet)).rejects.toMatchObject({ name: "TencentCloudTransportError", status: 503 });
    const dropped = await mongodb.createBackupDownloadTask(replicaSet).catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(TencentCloudTransportError);
    expect((dropped as TencentCloudTransportError).status).toBeUndefined();
    await expect(mongodb.createBackupDownloadTask(replicaSet)).resolves.toHaveProperty("Tasks");
    expect(mock.requests.map((r) => r.errorCode ?? r.status)).toEqual(["RequestLimitExceeded", "RequestLimitExceeded.UinLimitExceeded", 503, 0, 200]);
  });

  it("injects InternalError, 502 and 503 at the configured rates, reproducibly from a seed", async () => {
    const outcomes = async () => {
      const { mongodb } = await emulator({ faults: { rateLimit: false, internalErrorRate: 0.2, http502Rate: 0.1, http503Rate: 0.1, seed: 42 } });
      const seen: string[] = [];
      for (let i = 0; i < 200; i++) {
        seen.push(await mongodb.createBackupDownloadTask(replicaSet).then(() => "ok", (e: unknown) => (e instanceof TencentCloudApiError ? e.code : String((e as TencentCloudTransportError).status))));
      }
      return seen;
    };
    const first = await outcomes();
    const count = (what: string) => first.filter((s) => s === what).length;
    expect(count("InternalError")).toBeGreaterThan(15);
    expect(count("502")).toBeGreaterThan(5);
    expect(count("503")).toBeGreaterThan(5);
    expect(count("ok")).toBeGreaterThan(100);
    expect(await outcomes()).toEqual(first);
  });

  it("adds latency and can be changed while running", async () => {
    const { mock, mongodb } = await emulator({ faults: { latencyMs: 150 } });
    const started = performance.now();
    await mongodb.createBackupDownloadTask(replicaSet);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    mock.faults = { dropRate: 1 };
    await expect(mongodb.createBackupDownloadTask(replicaSet)).rejects.toBeInstanceOf(TencentCloudTransportError);
  });

  it("a skewed server clock refuses honest timestamps with SignatureExpire and says so in its Date header", async () => {
    const { mock } = await emulator({ faults: { clockSkewMs: 600_000 } });
    const answer = await sendRaw(mock.url, raw(mock));
    expect(answer.code).toBe("AuthFailure.SignatureExpire");
    const serverDate = Date.parse(String(answer.headers["date"]));
    expect(serverDate - Date.now()).toBeGreaterThan(590_000);
  });
});
