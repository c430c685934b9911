/**
 * Deadlines against hostile servers on loopback: a server that never answers, one that sends the
 * headers and stalls the body, one that trickles; the attempt and call deadlines, the idle timeout,
 * `Infinity`, and credentials providers that hang. Every wait ends within the call's deadline.
 */
import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { createMongodbClient, CredentialsError, TencentCloudTransportError, TimeoutError, type MongodbClientOptions } from "../../generated/mongodb/index.js";
import { DEFAULT_ATTEMPT_TIMEOUT_MS, DEFAULT_TIMEOUT_MS } from "../../runtime/client/attempts.js";
import { credentialsResolver } from "../../runtime/credentials.js";
import { answerFor, closeHostileServers, createInput, hostileHttp, silentServer, timed, TRANSPORTS, type Hostile } from "../support/hostile.js";

afterEach(closeHostileServers);

const credentials = { secretId: "AKIDhostile", secretKey: "hostile-secret-key" };
const clientOf = (server: Hostile, options: MongodbClientOptions = {}) =>
  createMongodbClient({ endpoint: server.url, credentials, retry: { baseDelayMs: 10 }, ...options });

describe("the default deadlines", () => {
  it(
    `a server that never answers: a non-idempotent call ends after one attempt (${DEFAULT_ATTEMPT_TIMEOUT_MS} ms), an idempotent one at the call deadline (${DEFAULT_TIMEOUT_MS} ms)`,
    async () => {
      const server = await silentServer();
      const mongodb = clientOf(server);
      const [create, describeCall] = await Promise.all([
        timed(() => mongodb.createBackupDownloadTask(createInput)),
        timed(() => mongodb.describeBackupDownloadTask({ InstanceId: "cmgo-dygv1rnp" })),
      ]);
      console.log(`silent server, default deadlines: CreateBackupDownloadTask ended after ${create.ms.toFixed(0)} ms, DescribeBackupDownloadTask after ${describeCall.ms.toFixed(0)} ms`);

      expect(create.error).toBeInstanceOf(TimeoutError);
      expect(create.error).toMatchObject({ scope: "attempt", timeoutMs: DEFAULT_ATTEMPT_TIMEOUT_MS, attempts: 1 });
      expect((create.error as Error).message).toContain("not retried: the action is not idempotent");
      expect(create.ms).toBeGreaterThanOrEqual(DEFAULT_ATTEMPT_TIMEOUT_MS - 5);
      expect(create.ms).toBeLessThan(DEFAULT_ATTEMPT_TIMEOUT_MS + 2_000);

      expect(describeCall.error).toBeInstanceOf(TimeoutError);
      expect(describeCall.error).toMatchObject({ scope: "call", timeoutMs: DEFAULT_TIMEOUT_MS, attempts: 2 });
      expect(describeCall.ms).toBeGreaterThanOrEqual(DEFAULT_TIMEOUT_MS - 5);
      expect(describeCall.ms).toBeLessThan(DEFAULT_TIMEOUT_MS + 2_000);
      // 1 connection for the create, 2 attempts of the describe.
      expect(server.connections).toBe(3);
    },
    DEFAULT_TIMEOUT_MS + 30_000,
  );
});

for (const [transport, transportOptions] of Object.entries(TRANSPORTS)) {
  describe(`${transport}: deadlines`, () => {
    it("headers then a stalled body: the attempt deadline ends it, body streaming included", async () => {
      const server = await hostileHttp((_req, res) => {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.write('{"Response": {"Tasks": [');
      });
      const result = await timed(() => clientOf(server, { ...transportOptions, attemptTimeoutMs: 300 }).createBackupDownloadTask(createInput));
      expect(result.error).toBeInstanceOf(TimeoutError);
      expect(result.error).toMatchObject({ scope: "attempt", timeoutMs: 300, attempts: 1 });
      expect(result.ms).toBeGreaterThanOrEqual(295);
      expect(result.ms).toBeLessThan(1_500);
    });

    it("an idempotent action is tried again after an attempt that timed out, until the call deadline", async () => {
      const server = await silentServer();
      const result = await timed(() =>
        clientOf(server, { ...transportOptions, attemptTimeoutMs: 200, timeoutMs: 1_000, retry: { maxAttempts: 10, baseDelayMs: 10 } }).describeBackupDownloadTask({
          InstanceId: "cmgo-dygv1rnp",
        }),
      );
      expect(result.error).toBeInstanceOf(TimeoutError);
      expect(result.error).toMatchObject({ scope: "call", timeoutMs: 1_000 });
      expect((result.error as TimeoutError).attempts).toBeGreaterThanOrEqual(4);
      expect(result.ms).toBeLessThan(1_800);
    });

    it("a per-call timeoutMs ends a call on a silent server, and a caller's signal aborts it with its reason", async () => {
      const server = await silentServer();
      const mongodb = clientOf(server, transportOptions);
      const deadline = await timed(() => mongodb.createBackupDownloadTask(createInput, { timeoutMs: 250 }));
      expect(deadline.error).toMatchObject({ name: "TimeoutError", scope: "call", timeoutMs: 250, attempts: 1 });
      expect(deadline.ms).toBeLessThan(1_000);

      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error("stop now")), 100);
      const aborted = await timed(() => mongodb.createBackupDownloadTask(createInput, { signal: controller.signal }));
      expect(aborted.error).toEqual(new Error("stop now"));
      expect(aborted.ms).toBeLessThan(1_000);
      // The call removed its listener from the caller's signal.
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    });

    it("Infinity turns the deadlines off: a slow answer still arrives", async () => {
      const server = await hostileHttp((req, res) => {
        setTimeout(() => res.writeHead(200, { "Content-Type": "application/json" }).end(answerFor(req)), 400);
      });
      const mongodb = clientOf(server, { ...transportOptions, timeoutMs: Infinity, attemptTimeoutMs: Infinity });
      await expect(mongodb.createBackupDownloadTask(createInput)).resolves.toMatchObject({ RequestId: "hostile-1" });
      // A per-call deadline still applies on top.
      await expect(mongodb.createBackupDownloadTask(createInput, { timeoutMs: 100 })).rejects.toMatchObject({ name: "TimeoutError", scope: "call" });
      expect(() => clientOf(server, { timeoutMs: 0 })).toThrow(/timeoutMs must be a positive number of ms or Infinity/);
      expect(() => clientOf(server, { attemptTimeoutMs: -1 })).toThrow(/attemptTimeoutMs must be/);
    });
  });
}

describe("node:http: the idle timeout", () => {
  it("ends a connection on which nothing moves, even with the deadlines off", async () => {
    const server = await hostileHttp((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.write('{"Response": ');
    });
    const result = await timed(() =>
      clientOf(server, { timeoutMs: Infinity, attemptTimeoutMs: Infinity, idleTimeoutMs: 250 }).createBackupDownloadTask(createInput),
    );
    expect(result.error).toBeInstanceOf(TencentCloudTransportError);
    expect((result.error as Error).message).toMatch(/was idle for 250 ms \(idleTimeoutMs\)/);
    expect(result.ms).toBeLessThan(1_500);
  });

  it("a trickling server that sends a byte every 100 ms is not idle, but the attempt deadline still ends it", async () => {
    const server = await hostileHttp((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      const timer = setInterval(() => res.write(" "), 100);
      res.on("close", () => clearInterval(timer));
    });
    const result = await timed(() => clientOf(server, { idleTimeoutMs: 250, attemptTimeoutMs: 900 }).createBackupDownloadTask(createInput));
    expect(result.error).toMatchObject({ name: "TimeoutError", scope: "attempt", timeoutMs: 900 });
    expect(result.ms).toBeGreaterThanOrEqual(895);
  });
});

describe("credentials that hang", () => {
  it("a provider that hangs once: the call ends at its timeoutMs, and the next call asks again and succeeds", async () => {
    const server = await hostileHttp((req, res) => void res.writeHead(200, { "Content-Type": "application/json" }).end(answerFor(req)));
    const asked: AbortSignal[] = [];
    const provider = ({ signal }: { signal: AbortSignal }) => {
      asked.push(signal);
      // The first refresh never settles; later ones answer at once.
      return asked.length === 1 ? new Promise<never>(() => {}) : Promise.resolve({ ...credentials, token: "session-token" });
    };
    const mongodb = createMongodbClient({ endpoint: server.url, credentials: provider });
    const hung = await timed(() => mongodb.createBackupDownloadTask(createInput, { timeoutMs: 200 }));
    expect(hung.error).toMatchObject({ name: "TimeoutError", scope: "call", timeoutMs: 200, attempts: 1 });
    expect(hung.ms).toBeLessThan(800);
    expect(server.requests).toHaveLength(0);
    // The refresh every caller left was abandoned, and the provider told so.
    expect(asked[0]!.aborted).toBe(true);

    const next = await timed(() => mongodb.createBackupDownloadTask(createInput, { timeoutMs: 200 }));
    expect(next.value).toMatchObject({ RequestId: "hostile-1" });
    expect(asked).toHaveLength(2);
    expect(server.requests[0]!.headers["x-tc-token"]).toBe("session-token");
    console.log(`hanging credentials provider: the call ended after ${hung.ms.toFixed(0)} ms (timeoutMs 200), the next call succeeded in ${next.ms.toFixed(0)} ms`);
  });

  it("an AbortSignal cuts a wait for credentials short", async () => {
    const server = await hostileHttp((req, res) => void res.writeHead(200).end(answerFor(req)));
    const mongodb = createMongodbClient({ endpoint: server.url, credentials: () => new Promise<never>(() => {}) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("user gave up")), 100);
    const result = await timed(() => mongodb.createBackupDownloadTask(createInput, { signal: controller.signal }));
    expect(result.error).toEqual(new Error("user gave up"));
    expect(result.ms).toBeLessThan(800);
  });

  it("a refresh has its own deadline: a provider that never answers fails with CredentialsError, and the next call asks again", async () => {
    let calls = 0;
    const resolve = credentialsResolver(
      () => {
        calls++;
        return calls === 1 ? new Promise<never>(() => {}) : Promise.resolve(credentials);
      },
      { timeoutMs: 150 },
    );
    const first = await timed(() => resolve());
    expect(first.error).toBeInstanceOf(CredentialsError);
    expect((first.error as Error).message).toBe("the credentials provider did not answer within 150 ms");
    expect(first.ms).toBeLessThan(800);
    await expect(resolve()).resolves.toEqual(credentials);
    expect(calls).toBe(2);
  });

  it("concurrent calls share one refresh; one caller leaving does not abandon it for the others", async () => {
    let release!: (value: typeof credentials) => void;
    let calls = 0;
    const resolve = credentialsResolver(() => {
      calls++;
      return new Promise((r) => (release = r));
    });
    const leaving = new AbortController();
    const first = resolve(leaving.signal);
    const second = resolve();
    leaving.abort(new Error("left"));
    await expect(first).rejects.toThrow("left");
    release(credentials);
    await expect(second).resolves.toEqual(credentials);
    expect(calls).toBe(1);
  });
});
