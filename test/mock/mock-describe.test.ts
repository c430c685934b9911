/**
 * The emulator's describe actions, DescribeDBBackups and DescribeBackupDownloadTask, served from its
 * world through the generated client; every answer is checked strictly against the spec.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createMongodbClient } from "../../generated/mongodb/index.js";
import { startMongodbMock, type RunningMongodbMock, type StartMongodbMockOptions } from "../../mock/services/mongodb/index.js";

const running: RunningMongodbMock[] = [];
afterEach(async () => {
  for (const mock of running.splice(0)) await mock.close();
});
/** The emulator on a clock only the test moves, and a client that checks every answer against the spec. */
async function emulator(options: StartMongodbMockOptions = {}) {
  // Frozen but for what the test adds, so ages (Percent, TimeSpend) are exact; near enough to the
  // client's clock for its signatures.
  const clock = { offsetMs: 0 };
  const frozen = Date.now();
  const mock = await startMongodbMock({ now: () => frozen + clock.offsetMs, ...options });
  running.push(mock);
  const mongodb = createMongodbClient({ endpoint: mock.url, credentials: mock.credentials, validate: { response: "strict" }, rateLimit: false });
  return { mock, mongodb, clock };
}
const sharded = { InstanceId: "cmgo-p8vnipr5", BackupName: "cmgo-p8vnipr5_2021-03-24 15:40" };
const shards = [0, 1, 2].map((n) => ({ ReplicaSetId: `cmgo-p8vnipr5_${n}` }));

describe("DescribeDBBackups", () => {
  it("lists an instance's backups, oldest first, sizes in KB, with TotalCount", async () => {
    const { mongodb } = await emulator();
    const { BackupList, TotalCount } = await mongodb.describeDBBackups({ InstanceId: "cmgo-p8vnipr5" });
    expect(TotalCount).toBe(2);
    expect(BackupList.map((b) => [b.BackupName, b.BackupSize, b.BackupMethod, b.BackupType, b.Status])).toEqual([
      ["cmgo-p8vnipr5_2021-03-24 15:40", 20_480, 1, 1, 2],
      ["cmgo-p8vnipr5_2021-03-25 03:00", 21_504, 1, 0, 2],
    ]);
    expect(BackupList[0]).toMatchObject({ InstanceId: "cmgo-p8vnipr5", StartTime: "2021-03-24 15:40:00", EndTime: "2021-03-24 15:49:05", DeleteTime: "2021-03-31 15:49:05" });
    expect(BackupList[0]!.BackId).not.toBe(BackupList[1]!.BackId);
  });

  it("filters by BackupMethod and pages by Offset (backups) and Limit", async () => {
    const { mongodb } = await emulator();
    const logical = await mongodb.describeDBBackups({ InstanceId: "cmgo-dygv1rnp", BackupMethod: 0 });
    expect(logical.BackupList.map((b) => b.BackupName)).toEqual(["cmgo-dygv1rnp_2021-03-26 10:44"]);
    expect(logical.TotalCount).toBe(1);
    const second = await mongodb.describeDBBackups({ InstanceId: "cmgo-dygv1rnp", Offset: 1, Limit: 1 });
    expect(second.BackupList.map((b) => b.BackupName)).toEqual(["cmgo-dygv1rnp_2021-03-27 03:00"]);
    expect(second.TotalCount).toBe(2);
  });

  it("answers NotFoundInstance for an unknown instance", async () => {
    const { mongodb } = await emulator();
    await expect(mongodb.describeDBBackups({ InstanceId: "cmgo-zzzzzzzz" })).rejects.toMatchObject({ code: "InvalidParameterValue.NotFoundInstance" });
  });
});

describe("DescribeBackupDownloadTask", () => {
  it("shows a task's Status and Percent move 0 → 1 → 2, with a Url and the file's size in bytes only at 2", async () => {
    const { mongodb, clock } = await emulator({ world: { taskQueuedMs: 1_000, taskRunningMs: 4_000, fileBytes: 1_000 } });
    await mongodb.createBackupDownloadTask({ ...sharded, BackupSets: [shards[0]!] });
    const task = async () => (await mongodb.describeBackupDownloadTask({ InstanceId: sharded.InstanceId })).Tasks[0]!;
    expect(await task()).toMatchObject({ Status: 0, Percent: 0, Url: "", BackupSize: 1_000, ReplicaSetId: "cmgo-p8vnipr5_0", BackupName: sharded.BackupName, BackupMethod: 1, Region: "ap-guangzhou" });
    clock.offsetMs += 3_000;
    expect(await task()).toMatchObject({ Status: 1, Percent: 50, Url: "", TimeSpend: 3 });
    clock.offsetMs += 3_000;
    const done = await task();
    expect(done).toMatchObject({ Status: 2, Percent: 100, TimeSpend: 5 });
    // A presigned URL of the emulator's COS server (mock/cos), signed at the server's clock for 24 h.
    expect(done.Url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/backups\/1\/cmgo-p8vnipr5_0\.tar\?q-sign-algorithm=sha1&.*q-sign-time=(\d+)%3B\d+&/);
    expect(done.CreateTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it("filters by BackupName, Status and creation time; BackupFileNotFound for a backup the instance lacks", async () => {
    const { mock, mongodb, clock } = await emulator();
    await mongodb.createBackupDownloadTask({ ...sharded, BackupSets: shards });
    clock.offsetMs += 60_000;
    await mongodb.createBackupDownloadTask({ InstanceId: sharded.InstanceId, BackupName: "cmgo-p8vnipr5_2021-03-25 03:00", BackupSets: [shards[0]!] });
    const count = async (filters: Record<string, unknown>) => (await mongodb.describeBackupDownloadTask({ InstanceId: sharded.InstanceId, ...filters })).TotalCount;
    expect(await count({})).toBe(4);
    expect(await count({ BackupName: sharded.BackupName })).toBe(3);
    expect(await count({ Status: [2] })).toBe(3);
    expect(await count({ Status: [0, 1] })).toBe(1);
    const newest = (await mongodb.describeBackupDownloadTask({ InstanceId: sharded.InstanceId, Limit: 1 })).Tasks[0]!;
    expect(await count({ StartTime: newest.CreateTime })).toBe(1);
    expect(await count({ EndTime: newest.CreateTime })).toBe(4);
    await expect(mongodb.describeBackupDownloadTask({ InstanceId: sharded.InstanceId, BackupName: "cmgo-p8vnipr5_1999-01-01 00:00" })).rejects.toMatchObject({
      code: "InvalidParameterValue.BackupFileNotFound",
    });
    expect(mock.world.tasks).toHaveLength(4);
  });

  it("orders newest first by default, asc on request, by finish time when asked; 20 per page; Offset counts pages", async () => {
    const { mock, mongodb } = await emulator({
      world: { instances: [{ InstanceId: "cmgo-many0002", ClusterType: "sharded", Shards: 25, Backups: [{ BackupName: "cmgo-many0002_2024-01-01 00:00", StartTime: "2024-01-01 00:00:00", EndTime: "2024-01-01 00:05:00", BackupSize: 10 }] }] },
    });
    const base = Date.now() - 100_000;
    for (let i = 0; i < 25; i++) mock.world.downloadTask("cmgo-many0002", "cmgo-many0002_2024-01-01 00:00", `cmgo-many0002_${i}`, base + i * 1_000);
    // The oldest task finished last.
    mock.world.tasks[0]!.forcedStatus = 1;
    const ids = async (params: Record<string, unknown>) => (await mongodb.describeBackupDownloadTask({ InstanceId: "cmgo-many0002", ...params })).Tasks.map((t) => Number(t.ReplicaSetId.split("_")[1]));
    const first = await ids({});
    expect(first).toEqual(Array.from({ length: 20 }, (_, i) => 24 - i));
    expect(await ids({ Offset: 1 })).toEqual([4, 3, 2, 1, 0]);
    expect(await ids({ OrderByType: "asc", Limit: 3, Offset: 2 })).toEqual([6, 7, 8]);
    expect((await ids({ OrderBy: "finishTime", Limit: 2 }))[0]).toBe(0);
  });
});
