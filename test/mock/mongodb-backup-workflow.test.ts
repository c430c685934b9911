/**
 * The actions of the backup workflow beyond the download (issue 13), through the generated client
 * against the emulator's world: instances with their replica sets and shards (DescribeDBInstances,
 * paged), on-demand backups (CreateBackupDBInstance) that complete after a delay and show up in
 * DescribeDBBackups, their progress (DescribeAsyncRequestInfo, waitForAsyncRequests), backup rules.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  createBackupDBInstance,
  createMongodbCore,
  describeAsyncRequestInfo,
  describeBackupRules,
  describeDBBackups,
  describeDBInstances,
  paginateDescribeDBInstances,
  setBackupRules,
  TencentCloudApiError,
  waitForAsyncRequests,
  WaiterFailedError,
} from "../../generated/mongodb/index.js";
import { startMongodbMock, type RunningMongodbMock } from "../../mock/services/mongodb/index.js";

let mock: RunningMongodbMock | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function start(options: Parameters<typeof startMongodbMock>[0] = {}) {
  mock = await startMongodbMock(options);
  return createMongodbCore({ endpoint: mock.url, credentials: mock.credentials, rateLimit: false });
}

describe("DescribeDBInstances", () => {
  it("lists every instance with its replica set or shards, page by page (Offset counts instances)", async () => {
    const core = await start({
      world: { instances: Array.from({ length: 7 }, (_, i) => ({ InstanceId: `cmgo-0000000${i}`, ClusterType: i % 2 === 0 ? ("replicaset" as const) : ("sharded" as const), Shards: i })) },
    });
    const listed = [];
    for await (const instance of paginateDescribeDBInstances(core, { Limit: 3 })) listed.push(instance);
    expect(listed.map((i) => i.InstanceId)).toEqual(Array.from({ length: 7 }, (_, i) => `cmgo-0000000${i}`));
    expect(listed.map((i) => i.ReplicaSets.length)).toEqual([1, 1, 1, 3, 1, 5, 1]);
    expect(listed[3]!.ReplicaSets.map((s) => s.ReplicaSetId)).toEqual(["cmgo-00000003_0", "cmgo-00000003_1", "cmgo-00000003_2"]);
    expect(listed.map((i) => i.ClusterType)).toEqual([0, 1, 0, 1, 0, 1, 0]);
    // Three pages of at most 3: Offset 0, 3, 6.
    const offsets = mock!.requests.filter((r) => r.action === "DescribeDBInstances").map((r) => (JSON.parse(r.body) as { Offset?: number }).Offset);
    expect(offsets).toEqual([0, 3, 6]);
    const page = await describeDBInstances(core, { ClusterType: 1, Limit: 100 });
    expect(page.TotalCount).toBe(3);
    expect(page.InstanceDetails.every((i) => i.ClusterType === 1)).toBe(true);
  });

  it("filters by InstanceIds, and the request is checked against the spec (Limit 1–100)", async () => {
    const core = await start();
    const { InstanceDetails, TotalCount } = await describeDBInstances(core, { InstanceIds: ["cmgo-p8vnipr5"] });
    expect(TotalCount).toBe(1);
    expect(InstanceDetails[0]!.ReplicaSets.map((s) => s.ReplicaSetId)).toEqual(["cmgo-p8vnipr5_0", "cmgo-p8vnipr5_1", "cmgo-p8vnipr5_2"]);
    await expect(describeDBInstances(core, { Limit: 101 })).rejects.toThrow(/Limit/);
  });
});

describe("on-demand backups", () => {
  it("CreateBackupDBInstance starts a backup listed in progress, which succeeds after backupMs; the waiter resolves then", async () => {
    const core = await start({ world: { backupMs: 400 } });
    const { AsyncRequestId } = await createBackupDBInstance(core, { InstanceId: "cmgo-dygv1rnp", BackupMethod: 1, BackupRemark: "before upgrade" });
    expect((await describeAsyncRequestInfo(core, { AsyncRequestId })).Status).toBe("running");
    const during = (await describeDBBackups(core, { InstanceId: "cmgo-dygv1rnp" })).BackupList;
    const mine = during.find((b) => b.BackupDesc === "before upgrade")!;
    expect(mine).toMatchObject({ Status: 1, BackupType: 1, BackupMethod: 1 });
    const started = Date.now();
    const [done] = await waitForAsyncRequests(core, { AsyncRequestIds: [AsyncRequestId] }, { minDelayMs: 50, maxDelayMs: 100 });
    // Not before the backup's 400 ms (less the two calls made since it started).
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(done).toMatchObject({ AsyncRequestId, Status: "success" });
    expect(done!.EndTime).not.toBe("");
    const after = (await describeDBBackups(core, { InstanceId: "cmgo-dygv1rnp" })).BackupList.find((b) => b.BackupName === mine.BackupName)!;
    expect(after.Status).toBe(2);
    expect(after.BackupSize).toBeGreaterThan(0);
  });

  it("a failed request ends the wait with WaiterFailedError naming it; an unknown one is refused", async () => {
    const core = await start();
    mock!.world.onAsyncRequestCreated = (request) => {
      request.forcedStatus = "failed";
    };
    const { AsyncRequestId } = await createBackupDBInstance(core, { InstanceId: "cmgo-dygv1rnp", BackupMethod: 0 });
    const error = await waitForAsyncRequests(core, { AsyncRequestIds: [AsyncRequestId] }, { minDelayMs: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaiterFailedError);
    expect((error as WaiterFailedError).failedKeys).toEqual([AsyncRequestId]);
    // The failed backup is no longer listed: DescribeDBBackups documents Status 1 and 2 only.
    const backups = (await describeDBBackups(core, { InstanceId: "cmgo-dygv1rnp" })).BackupList;
    expect(backups.map((b) => b.Status)).toEqual([2, 2]);
    await expect(describeAsyncRequestInfo(core, { AsyncRequestId: "999" })).rejects.toBeInstanceOf(TencentCloudApiError);
    await expect(createBackupDBInstance(core, { InstanceId: "cmgo-00000000", BackupMethod: 0 })).rejects.toMatchObject({ code: "InvalidParameterValue.NotFoundInstance" });
  });
});

describe("backup rules", () => {
  it("SetBackupRules changes what DescribeBackupRules answers, member by member", async () => {
    const core = await start();
    expect(await describeBackupRules(core, { InstanceId: "cmgo-p8vnipr5" })).toMatchObject({ BackupMethod: 1, BackupTime: 3, BackupSaveTime: 7 });
    await setBackupRules(core, { InstanceId: "cmgo-p8vnipr5", BackupMethod: 0, BackupTime: 22, BackupRetentionPeriod: 30 });
    expect(await describeBackupRules(core, { InstanceId: "cmgo-p8vnipr5" })).toMatchObject({ BackupMethod: 0, BackupTime: 22, BackupSaveTime: 30 });
    expect(await describeBackupRules(core, { InstanceId: "cmgo-dygv1rnp" })).toMatchObject({ BackupMethod: 1, BackupTime: 3 });
  });
});
