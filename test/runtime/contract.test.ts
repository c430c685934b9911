/**
 * Contract suite: the generated client against the emulator (`startMongodbMock`, with its world) for every
 * action of the spec and every error code the spec documents. Codes the emulator produces by itself
 * are provoked for real; the others are injected through its fault script.
 */
import { describe, expect, it } from "vitest";
import { createMongodbClient, TencentCloudApiError } from "../../generated/mongodb/index.js";
import { mongodbMock } from "../../generated/mongodb/mock.js";
import { startMongodbMock, type RunningMongodbMock } from "../../mock/services/mongodb/index.js";

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
  return client[action[0]!.toLowerCase() + action.slice(1)]!(edit(request));
}

/** Codes the emulator gives for real, and how to make it (undefined: not for this action). */
const PROVOKED: Record<string, Provoke> = {
  "InvalidParameterValue.NotFoundInstance": (m, a) => callExample(m, a, {}, (p) => ({ ...p, InstanceId: "cmgo-00000000", ...("BackupSets" in p ? { BackupSets: [{ ReplicaSetId: "cmgo-00000000_0" }] } : {}) })),
  "InvalidParameterValue.BackupFileNotFound": (m, a) =>
    a === "CreateBackupDownloadTask" || a === "DescribeBackupDownloadTask" ? callExample(m, a, {}, (p) => ({ ...p, BackupName: "cmgo-dygv1rnp_1999-01-01 00:00" })) : undefined,
  "AuthFailure.SignatureFailure": (m, a) => callExample(m, a, { credentials: { ...m.credentials, secretKey: "wrong" } }),
  "AuthFailure.SecretIdNotFound": (m, a) => callExample(m, a, { credentials: { ...m.credentials, secretId: "AKIDunknown" } }),
  "AuthFailure.SignatureExpire": (m, a) => callExample(m, a, { now: () => Date.now() - 3_600_000 }),
  "AuthFailure.TokenFailure": (m, a) => callExample(m, a, { credentials: { ...m.credentials, token: "never-issued" } }),
  RequestLimitExceeded: async (m, a) => {
    await Promise.all(Array.from({ length: mongodbMock.actions[a]!.rateLimit + 5 }, () => callExample(m, a)));
  },
};

describe("contract: every action", () => {
  it.each(Object.keys(mongodbMock.actions))("%s answers its example request", async (action) => {
    const mock = await startMongodbMock();
    try {
      const result = (await callExample(mock, action)) as { RequestId: string };
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
