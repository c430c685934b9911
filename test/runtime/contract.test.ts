/**
 * Contract suite: the generated client against the emulator (`startMongodbMock`, with its world) for every
 * action of the spec and every error code the spec documents. Codes the emulator produces by itself
 * are provoked for real; the others are injected through its fault script.
 */
import { describe, expect, it } from "vitest";
import { createMongodbClient, TencentCloudApiError } from "../../generated/mongodb/index.js";
import { mongodbMock } from "../../generated/mongodb/mock.js";
import { startMongodbMock, type RunningMongodbMock } from "../../mock/services/mongodb/index.js";
import { mongodbHandlers } from "../../mock/services/mongodb/handlers.js";
import { MongodbWorld } from "../../mock/services/mongodb/world.js";

/** The actions the emulator's world answers (the others answer with the spec's examples). */
const WORLD_ACTIONS = new Set(Object.keys(mongodbHandlers(new MongodbWorld({ instances: [] }))));

type ClientOptions = Parameters<typeof createMongodbClient>[0];
type Provoke = (mock: RunningMongodbMock, action: string) => Promise<unknown> | undefined;

/** Calls `action` through the generated client with the spec's first example of it, edited by `edit`. */
function callExample(mock: RunningMongodbMock, action: string, options: ClientOptions = {}, edit = (p: Record<string, unknown>) => p): Promise<unknown> {
  // One attempt per call, no pacing: every code must reach the caller as the emulator answered it.
  const client = createMongodbClient({ endpoint: mock.url, credentials: mock.credentials, retry: { maxAttempts: 1 }, rateLimit: false, ...options }) as unknown as Record<
    string,
    (input: unknown) => Promise<unknown>
  >;
  const request = mongodbMock.actions[action]!.examples[0]!.request as Record<string, unknown>;
  return client[action[0]!.toLowerCase() + action.slice(1)]!(edit(inWorld(mock, action, request)));
}

/**
 * The example request, made to name what the world has where the world answers the action: the
 * example's instance is added to it (with a successful backup of the example's name), and an
 * asynchronous request is started for DescribeAsyncRequestInfo.
 */
function inWorld(mock: RunningMongodbMock, action: string, request: Record<string, unknown>): Record<string, unknown> {
  if (!WORLD_ACTIONS.has(action)) return request;
  const world = mock.world;
  const ids = typeof request["InstanceId"] === "string" ? [request["InstanceId"]] : Array.isArray(request["InstanceIds"]) ? (request["InstanceIds"] as string[]) : [];
  for (const id of ids) if (!world.instances.has(id)) world.addInstance({ InstanceId: id, ClusterType: "replicaset" });
  if (typeof request["BackupName"] === "string" && typeof request["InstanceId"] === "string" && !world.instances.get(request["InstanceId"])!.Backups.some((b) => b.BackupName === request["BackupName"])) {
    world.addBackup(request["InstanceId"], { BackupName: request["BackupName"], StartTime: "2021-03-26 10:44:00", EndTime: "2021-03-26 10:46:12", BackupSize: 1_536 });
  }
  if (action === "CreateBackupDownloadTask") {
    // The example names a replica set of its instance: the world gives the instance that one.
    const sets = (request["BackupSets"] as { ReplicaSetId: string }[]).map((s) => s.ReplicaSetId);
    const id = request["InstanceId"] as string;
    if (!sets.every((set) => world.instances.get(id)!.ReplicaSetIds.includes(set))) return { ...request, BackupSets: world.instances.get(id)!.ReplicaSetIds.map((ReplicaSetId) => ({ ReplicaSetId })) };
  }
  if (action === "DescribeAsyncRequestInfo") {
    const instance = [...world.instances.values()][0]!;
    return { ...request, AsyncRequestId: world.createOnDemandBackup(instance.InstanceId, 1, undefined, Date.now()).AsyncRequestId };
  }
  return request;
}

/** Codes the emulator gives for real, and how to make it (undefined: not for this action). */
const PROVOKED: Record<string, Provoke> = {
  "InvalidParameterValue.NotFoundInstance": (m, a) => !WORLD_ACTIONS.has(a) ? undefined : callExample(m, a, {}, (p) => ({ ...p, InstanceId: "cmgo-00000000", ...("BackupSets" in p ? { BackupSets: [{ ReplicaSetId: "cmgo-00000000_0" }] } : {}) })),
  "InvalidParameterValue.BackupFileNotFound": (m, a) =>
    a === "CreateBackupDownloadTask" || a === "DescribeBackupDownloadTask" ? callExample(m, a, {}, (p) => ({ ...p, BackupName: "cmgo-dygv1rnp_1999-01-01 00:00" })) : undefined,
  "AuthFailure.SignatureFailure": (m, a) => callExample(m, a, { credentials: { ...m.credentials, secretKey: "wrong" } }),
  "AuthFailure.SecretIdNotFound": (m, a) => callExample(m, a, { credentials: { ...m.credentials, secretId: "AKIDunknown" } }),
  "AuthFailure.SignatureExpire": (m, a) => callExample(m, a, { now: () => Date.now() - 3_600_000 }),
  "AuthFailure.TokenFailure": (m, a) => callExample(m, a, { credentials: { ...m.credentials, token: "never-issued" } }),
  RequestLimitExceeded: async (m, a) => {
    // The calls past the limit are refused; the others answer as the example does (an error, for some).
    const settled = await Promise.allSettled(Array.from({ length: mongodbMock.actions[a]!.rateLimit + 5 }, () => callExample(m, a)));
    const limited = settled.find((r) => r.status === "rejected" && r.reason instanceof TencentCloudApiError && r.reason.code === "RequestLimitExceeded");
    if (limited) throw (limited as PromiseRejectedResult).reason;
  },
};

describe("contract: every action", () => {
  it("covers the whole service: 86 actions, the world behind the backup workflow's", () => {
    expect(Object.keys(mongodbMock.actions)).toHaveLength(86);
    for (const action of ["DescribeDBInstances", "CreateBackupDBInstance", "DescribeAsyncRequestInfo", "DescribeBackupRules", "SetBackupRules", "DescribeDBBackups", "CreateBackupDownloadTask", "DescribeBackupDownloadTask"]) {
      expect(WORLD_ACTIONS.has(action), action).toBe(true);
    }
  });

  it.each(Object.keys(mongodbMock.actions))("%s answers its example request", async (action) => {
    const mock = await startMongodbMock();
    try {
      // An example whose documented answer is an error (DescribeSRVConnectionDomain's) gets that error.
      const documented = (mongodbMock.actions[action]!.examples[0]!.response as { Response: { Error?: { Code: string } } }).Response.Error;
      const result = (await callExample(mock, action).catch((error: unknown) => {
        if (documented !== undefined && !WORLD_ACTIONS.has(action) && error instanceof TencentCloudApiError && error.code === documented.Code) return { RequestId: error.requestId };
        throw error;
      })) as { RequestId: string };
      expect(result.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await mock.close();
    }
  });
});

describe("contract: every documented error code", () => {
  const cases = Object.entries(mongodbMock.actions).flatMap(([action, info]) =>
    [...new Set([...info.errors, ...mongodbMock.commonErrors])].map((code) => [action, code] as const),
  );
  it("covers the action's codes and the 38 common codes", () => {
    expect(cases.length).toBeGreaterThanOrEqual(38 + 5 - 1);
  });

  it.each(cases)("%s → %s reaches the caller as TencentCloudApiError", async (action, code) => {
    const mock = await startMongodbMock({ faults: { rateLimit: code === "RequestLimitExceeded" } });
    try {
      const provoked = PROVOKED[code]?.(mock, action);
      if (!provoked) mock.faults.script = [{ action, error: code, message: `scripted ${code}` }];
      const error = await (provoked ?? callExample(mock, action)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TencentCloudApiError);
      expect((error as TencentCloudApiError).code).toBe(code);
      expect((error as TencentCloudApiError).action).toBe(action);
      expect(mock.requests.some((r) => r.errorCode === code)).toBe(true);
    } finally {
      await mock.close();
    }
  });
});
