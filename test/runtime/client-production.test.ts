/**
 * The client under load and faults, against the emulator's fault injection: retries and their
 * budget, clock-skew correction, client-side rate limiting, deadlines and aborts, credential
 * providers and the default chain, endpoints, GET mode, and events that never leak a secret.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  createMongodbClient,
  TencentCloudApiError,
  TencentCloudTransportError,
  TimeoutError,
  type CallEvent,
  type MongodbClientOptions,
} from "../../generated/mongodb/index.js";
import { startMongodbMock, type RunningMongodbMock, type StartMongodbMockOptions } from "../../mock/services/mongodb/index.js";

const running: RunningMongodbMock[] = [];
async function emulator(options: StartMongodbMockOptions = {}) {
  const mock = await startMongodbMock(options);
  running.push(mock);
  return mock;
}
afterEach(async () => {
  for (const mock of running.splice(0)) await mock.close();
});

const input = { InstanceId: "cmgo-dygv1rnp", BackupName: "cmgo-dygv1rnp_2021-03-26 10:44", BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }] };
const client = (mock: RunningMongodbMock, options: MongodbClientOptions = {}) =>
  createMongodbClient({ endpoint: mock.url, credentials: mock.credentials, retry: { baseDelayMs: 10 }, ...options });

describe("retries", () => {
  it("throttled for the first N calls, then success: one call, N+1 attempts at the emulator, each signed afresh", async () => {
    const mock = await emulator({ faults: { script: [{ error: "RequestLimitExceeded" }, { error: "RequestLimitExceeded.UinLimitExceeded" }] } });
    const events: CallEvent[] = [];
    let clock = Date.now();
    const result = await client(mock, { logger: (e) => events.push(e), now: () => (clock += 1_000) }).createBackupDownloadTask(input);
    expect(result.Tasks).toHaveLength(1);
    expect(mock.requests.map((r) => r.errorCode ?? "ok")).toEqual(["RequestLimitExceeded", "RequestLimitExceeded.UinLimitExceeded", "ok"]);
    expect(new Set(mock.requests.map((r) => r.headers["x-tc-timestamp"])).size).toBe(3);
    expect(events.map((e) => [e.attempt, e.outcome, e.errorCode])).toEqual([
      [1, "api-error", "RequestLimitExceeded"],
      [2, "api-error", "RequestLimitExceeded.UinLimitExceeded"],
      [3, "success", undefined],
    ]);
    expect(events[0]!.retryInMs).toBeGreaterThanOrEqual(0);
    expect(events[2]!.requestId).toBe(result.RequestId);
  });

  it("gives up after maxAttempts and says how many attempts were made", async () => {
    const mock = await emulator({ faults: { script: Array.from({ length: 5 }, () => ({ error: "RequestLimitExceeded" })) } });
    const error = await client(mock).createBackupDownloadTask(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TencentCloudApiError);
    expect(error).toMatchObject({ code: "RequestLimitExceeded", attempts: 3, message: expect.stringContaining("(after 3 attempts)") });
    expect(mock.requests).toHaveLength(3);
  });

  it("retries HTTP 503 and 429 of any action, not 502/504, InternalError or a dropped connection of a non-idempotent one", async () => {
    const mock = await emulator({ faults: { script: [{ status: 503 }, { status: 429 }] } });
    await expect(client(mock).createBackupDownloadTask(input)).resolves.toHaveProperty("Tasks");
    expect(mock.requests.map((r) => r.status)).toEqual([503, 429, 200]);

    // A gateway error does not say the request was not processed: only the idempotent action is repeated.
    for (const status of [502, 504]) {
      mock.requests.length = 0;
      mock.faults = { script: [{ status }] };
      await expect(client(mock).createBackupDownloadTask(input)).rejects.toMatchObject({ status, attempts: 1 });
      mock.faults = { script: [{ status }] };
      await expect(client(mock).describeBackupDownloadTask({ InstanceId: "cmgo-dygv1rnp" })).resolves.toHaveProperty("Tasks");
      expect(mock.requests.map((r) => r.status)).toEqual([status, status, 200]);
    }

    mock.requests.length = 0;
    mock.faults = { script: [{ error: "InternalError" }] };
    await expect(client(mock).createBackupDownloadTask(input)).rejects.toMatchObject({ code: "InternalError", attempts: 1 });
    mock.faults = { script: [{ drop: true }] };
    await expect(client(mock).createBackupDownloadTask(input)).rejects.toBeInstanceOf(TencentCloudTransportError);
    expect(mock.requests).toHaveLength(2);
  });

  it("retries a connection that failed before the request was sent", async () => {
    const mock = await emulator();
    let refusals = 1;
    const refusingOnce = async (request: Request) => {
      if (refusals-- > 0) throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
      return fetch(request);
    };
    await expect(client(mock, { fetch: refusingOnce }).createBackupDownloadTask(input)).resolves.toHaveProperty("Tasks");
    expect(mock.requests).toHaveLength(1);
  });

  it("a retry budget stops hammering a failing endpoint", async () => {
    const mock = await emulator({ faults: { rateLimit: false, http503Rate: 1 } });
    const mongodb = client(mock, { retry: { baseDelayMs: 1, maxAttempts: 5, budget: { capacity: 4 } } });
    for (let i = 0; i < 5; i++) await mongodb.createBackupDownloadTask(input).catch(() => undefined);
    // 4 retry tokens in all: the first call spends them, the other four get one attempt each.
    expect(mock.requests).toHaveLength(5 + 4);
  });

  it("learns the server's clock from a SignatureExpire answer, retries once, and signs later calls with it", async () => {
    const mock = await emulator({ faults: { clockSkewMs: 20 * 60_000 } });
    const mongodb = client(mock);
    await expect(mongodb.createBackupDownloadTask(input)).resolves.toHaveProperty("Tasks");
    await expect(mongodb.createBackupDownloadTask(input)).resolves.toHaveProperty("Tasks");
    expect(mock.requests.map((r) => r.errorCode ?? "ok")).toEqual(["AuthFailure.SignatureExpire", "ok", "ok"]);
  });
});

describe("client-side rate limiting", () => {
  it("a burst of 200 concurrent calls stays at ≤ 20 per second at the emulator, none throttled", async () => {
    const mock = await emulator();
    const mongodb = client(mock);
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => mongodb.createBackupDownloadTask(input)));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const arrivals = mock.requests.map((r) => r.time).sort((a, b) => a - b);
    let maxPerSecond = 0;
    for (let i = 0, j = 0; i < arrivals.length; i++) {
      while (arrivals[i]! - arrivals[j]! >= 1_000) j++;
      maxPerSecond = Math.max(maxPerSecond, i - j + 1);
    }
    console.log(`rate limiting: 200 concurrent calls, at most ${maxPerSecond} in any 1-second window at the emulator, ${mock.requests.length} requests`);
    expect(maxPerSecond).toBeLessThanOrEqual(20);
    expect(mock.requests).toHaveLength(200);
    expect(mock.requests.every((r) => r.errorCode === undefined)).toBe(true);
  }, 30_000);

  it("can be lowered per action or turned off", async () => {
    const mock = await emulator({ faults: { rateLimit: false } });
    const started = Date.now();
    await Promise.all(Array.from({ length: 4 }, () => client(mock, { rateLimit: { CreateBackupDownloadTask: 2 } }).createBackupDownloadTask(input)));
    const slow = client(mock, { rateLimit: { CreateBackupDownloadTask: 2 } });
    mock.requests.length = 0;
    await Promise.all(Array.from({ length: 4 }, () => slow.createBackupDownloadTask(input)));
    const span = mock.requests.at(-1)!.time - mock.requests[0]!.time;
    expect(span).toBeGreaterThanOrEqual(1_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });
});

describe("deadlines and cancellation", () => {
  it("a per-call timeout raises TimeoutError, distinct from other errors", async () => {
    const mock = await emulator({ faults: { latencyMs: 400 } });
    const error = await client(mock).createBackupDownloadTask(input, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ action: "CreateBackupDownloadTask", timeoutMs: 100, attempts: 1 });
  });

  it("a per-client timeout covers retries and backoff", async () => {
    const mock = await emulator({ faults: { http503Rate: 1, rateLimit: false } });
    const started = performance.now();
    const error = await client(mock, { timeoutMs: 300, retry: { maxAttempts: 100, baseDelayMs: 50, budget: false } }).createBackupDownloadTask(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).attempts).toBeGreaterThan(1);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("an abort while queued in the rate limiter leaves the queue and sends nothing", async () => {
    const mock = await emulator();
    const mongodb = client(mock, { rateLimit: { CreateBackupDownloadTask: 1 } });
    await mongodb.createBackupDownloadTask(input);
    const controller = new AbortController();
    const queued = mongodb.createBackupDownloadTask(input, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("user cancelled")), 50);
    await expect(queued).rejects.toThrow("user cancelled");
    expect(mock.requests).toHaveLength(1);
    // The limiter still serves later calls.
    await expect(mongodb.createBackupDownloadTask(input)).resolves.toHaveProperty("Tasks");
  });

  it("a timeout while queued is a TimeoutError with no attempt on the wire", async () => {
    const mock = await emulator();
    const mongodb = client(mock, { rateLimit: { CreateBackupDownloadTask: 1 } });
    await mongodb.createBackupDownloadTask(input);
    await expect(mongodb.createBackupDownloadTask(input, { timeoutMs: 100 })).rejects.toBeInstanceOf(TimeoutError);
    expect(mock.requests).toHaveLength(1);
  });
});

describe("credentials", () => {
  it("concurrent calls share one provider refresh", async () => {
    const mock = await emulator({ faults: { rateLimit: false } });
    let refreshes = 0;
    const mongodb = client(mock, {
      rateLimit: false,
      credentials: async () => {
        refreshes++;
        await new Promise((r) => setTimeout(r, 30));
        return { ...mock.credentials, expiresAt: Date.now() + 3_600_000 };
      },
    });
    await Promise.all(Array.from({ length: 30 }, () => mongodb.createBackupDownloadTask(input)));
    expect(refreshes).toBe(1);
    expect(mock.requests).toHaveLength(30);
  });

  it("reads env variables, then the profile file of a temporary HOME", async () => {
    const mock = await emulator({ credentials: [{ secretId: "AKIDfromfile", secretKey: "file-key" }, { secretId: "AKIDfromprofile", secretKey: "profile-key", token: "profile-token" }] });
    const home = await mkdtemp(path.join(tmpdir(), "tcgen-home-"));
    const saved = { ...process.env };
    try {
      await mkdir(path.join(home, ".tencentcloud"));
      await writeFile(
        path.join(home, ".tencentcloud", "credentials"),
        "[default]\nsecret_id = AKIDfromfile\nsecret_key = file-key\n[ops]\nsecret_id = AKIDfromprofile\nsecret_key = profile-key\ntoken = profile-token\n",
      );
      process.env["HOME"] = home;
      delete process.env["TENCENTCLOUD_SECRET_ID"];
      delete process.env["TENCENTCLOUD_SECRET_KEY"];
      delete process.env["TENCENTCLOUD_SESSION_TOKEN"];
      await createMongodbClient({ endpoint: mock.url }).createBackupDownloadTask(input);
      await createMongodbClient({ endpoint: mock.url, profile: "ops" }).createBackupDownloadTask(input);
      expect(mock.requests.map((r) => [r.secretId, r.errorCode])).toEqual([
        ["AKIDfromfile", undefined],
        ["AKIDfromprofile", undefined],
      ]);
      expect(mock.requests[1]!.headers).not.toHaveProperty("x-tc-token"); // never recorded, but was checked
      process.env["TENCENTCLOUD_SECRET_ID"] = "AKIDfromfile";
      process.env["TENCENTCLOUD_SECRET_KEY"] = "file-key";
      await createMongodbClient({ endpoint: mock.url, profile: "ops" }).createBackupDownloadTask(input);
      expect(mock.requests[2]!.secretId).toBe("AKIDfromfile");
    } finally {
      process.env = saved;
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe("endpoints and GET mode", () => {
  /** A fetch that records the request and answers like Tencent, without a network. */
  function capture() {
    const seen: Request[] = [];
    const fetch = async (request: Request) => {
      seen.push(request);
      return new Response(JSON.stringify({ Response: { Tasks: [], RequestId: "r" } }), { status: 200 });
    };
    return { seen, fetch };
  }
  const creds = { secretId: "AKIDtest", secretKey: "test-key" };

  it.each([
    [{}, "https://mongodb.tencentcloudapi.com/"],
    [{ region: "ap-guangzhou" }, "https://mongodb.tencentcloudapi.com/"],
    [{ region: "ap-guangzhou", useRegionalEndpoint: true }, "https://mongodb.ap-guangzhou.tencentcloudapi.com/"],
    [{ region: "ap-shanghai-fsi" }, "https://mongodb.ap-shanghai-fsi.tencentcloudapi.com/"],
    [{ international: true }, "https://mongodb.intl.tencentcloudapi.com/"],
    [{ region: "ap-shanghai-fsi", endpoint: "http://127.0.0.1:9/" }, "http://127.0.0.1:9/"],
  ] as const)("%j goes to %s, signed as mongodb", async (options, url) => {
    const { seen, fetch } = capture();
    await createMongodbClient({ credentials: creds, fetch, ...options }).createBackupDownloadTask(input);
    expect(seen[0]!.url).toBe(url);
    expect(seen[0]!.headers.get("authorization")).toMatch(/\/mongodb\/tc3_request/);
    expect(seen[0]!.headers.get("x-tc-region")).toBe((options as { region?: string }).region ?? null);
  });

  it("GET sends the flattened query exactly like the API page's example, and the emulator accepts it", async () => {
    const mock = await emulator();
    const { seen, fetch } = capture();
    await client(mock, { method: "GET", fetch }).createBackupDownloadTask(input);
    expect(new URL(seen[0]!.url).search).toBe("?InstanceId=cmgo-dygv1rnp&BackupName=cmgo-dygv1rnp_2021-03-26%2010%3A44&BackupSets.0.ReplicaSetId=cmgo-dygv1rnp_0");
    expect(seen[0]!.method).toBe("GET");
    expect(seen[0]!.headers.get("content-type")).toBe("application/x-www-form-urlencoded");

    const answer = await client(mock, { method: "GET" }).createBackupDownloadTask({ ...input, BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }] });
    expect(answer.Tasks).toEqual([{ ReplicaSetId: "cmgo-dygv1rnp_0", Status: 0 }]);
    expect(mock.requests.at(-1)).toMatchObject({ method: "GET", errorCode: undefined });
  });

  it("refuses a GET query over 32 KB before sending anything", async () => {
    const { seen, fetch } = capture();
    const big = { ...input, BackupName: "x".repeat(33 * 1024) };
    await expect(createMongodbClient({ credentials: creds, fetch, method: "GET", validate: { request: false } } as MongodbClientOptions).createBackupDownloadTask(big)).rejects.toThrow(/over Tencent's 32 KB limit; use method "POST"/);
    expect(seen).toHaveLength(0);
  });
});

describe("no secret ever leaks", () => {
  it("events, errors and the client never show the secret key, the signature or the token", async () => {
    const secretKey = "super-secret-key-4f1c";
    const token = "secret-session-token-9a7e";
    const mock = await emulator({ credentials: { secretId: "AKIDleakcheck", secretKey, token }, faults: { script: [{ error: "RequestLimitExceeded" }, { status: 503 }, { error: "InvalidParameterValue.NotFoundInstance" }] } });
    const events: CallEvent[] = [];
    const mongodb = createMongodbClient({ endpoint: mock.url, credentials: { secretId: "AKIDleakcheck", secretKey, token }, logger: (e) => events.push(e), retry: { baseDelayMs: 1 } });
    const error = await mongodb.createBackupDownloadTask(input).catch((e: unknown) => e);
    const wrongKey = await createMongodbClient({ endpoint: mock.url, credentials: { secretId: "AKIDleakcheck", secretKey: `${secretKey}x`, token }, logger: (e) => events.push(e) })
      .createBackupDownloadTask(input)
      .catch((e: unknown) => e);
    const signatures = mock.requests.length; // every Authorization the emulator saw was checked, never stored
    const texts = [
      ...events.map((e) => JSON.stringify(e)),
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: 10, showHidden: true }),
      String(wrongKey),
      inspect(wrongKey, { depth: 10, showHidden: true }),
      inspect(mongodb, { depth: 10, showHidden: true }),
      JSON.stringify(mock.requests),
    ];
    expect(events.length).toBeGreaterThanOrEqual(4);
    expect(signatures).toBeGreaterThanOrEqual(4);
    for (const text of texts) {
      expect(text).not.toContain(secretKey);
      expect(text).not.toContain(token);
      expect(text).not.toMatch(/Signature=[0-9a-f]{64}/);
      expect(text).not.toMatch(/TC3-HMAC-SHA256 Credential/);
    }
  });
});
