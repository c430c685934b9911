/**
 * Limits a program can rely on, measured from outside: memory stays bounded when a server sends an
 * endless body (a child process measuring its RSS), a burst lets the process exit at once after the
 * last answer (a child process timed by this one), and the retry table repeats a non-idempotent
 * action only where the request surely did not take effect.
 */
import { execFile, spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterEach, describe, expect, it } from "vitest";
import { createMongodbClient, TencentCloudApiError, type MongodbClientOptions } from "../../generated/mongodb/index.js";
import { startMongodbMock } from "../../mock/services/mongodb/index.js";
import { DEFAULT_MAX_ANSWER_BYTES } from "../../runtime/transport/answer.js";
import { repoRoot, scratchDir } from "../support/helpers.js";
import { answerFor, closedPort, closeHostileServers, createInput, hostileHttp, sendForever, timed, TRANSPORTS, type Hostile } from "../support/hostile.js";

afterEach(closeHostileServers);

const fixtures = path.join(repoRoot, "test/fixtures/hostile");
const MiB = 1024 * 1024;

describe("an endless body", () => {
  for (const transport of Object.keys(TRANSPORTS)) {
    it(`${transport}: stops at the default cap (${DEFAULT_MAX_ANSWER_BYTES / MiB} MiB) with RSS bounded`, async () => {
      const server = await hostileHttp((_req, res, _body, self) => sendForever(res, self, 256 * 1024));
      const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", path.join(fixtures, "endless-answer.ts"), server.url, transport], { cwd: repoRoot });
      const result = JSON.parse(stdout) as { name: string; message: string; maxAnswerBytes: number; ms: number; rssBefore: number; rssPeak: number };
      const growth = (result.rssPeak - result.rssBefore) / MiB;
      console.log(
        `endless body, ${transport}: ${result.name} after ${result.ms.toFixed(0)} ms; the server wrote ${(server.written / MiB).toFixed(0)} MiB; ` +
          `RSS ${(result.rssBefore / MiB).toFixed(0)} MiB before, peak ${(result.rssPeak / MiB).toFixed(0)} MiB (+${growth.toFixed(0)} MiB)`,
      );
      expect(result.name).toBe("AnswerTooLargeError");
      expect(result.maxAnswerBytes).toBe(DEFAULT_MAX_ANSWER_BYTES);
      // What was read is the cap; what the server got out is that plus the socket buffers.
      expect(server.written).toBeLessThan(DEFAULT_MAX_ANSWER_BYTES + 32 * MiB);
      // The cap plus the transport's buffers (undici's stream queue on the fetch path): bounded, where an
      // unbounded read grows with the body (260 MiB for 200 MiB before the cap).
      expect(growth).toBeLessThan(DEFAULT_MAX_ANSWER_BYTES / MiB + 96);
    });
  }
});

describe("a burst of calls", () => {
  it("25 concurrent calls (5 queued in the rate limiter): the process exits within 100 ms of the last answer, no listener left on the caller's signal", async () => {
    // Bundled and run by plain node, as a program ships: tsx's loader thread would add its own teardown.
    const scratch = await scratchDir("burst");
    const program = path.join(scratch, "burst.mjs");
    await build({ entryPoints: [path.join(fixtures, "burst.ts")], bundle: true, platform: "node", format: "esm", outfile: program, logLevel: "silent" });
    const mock = await startMongodbMock();
    try {
      const child = spawn(process.execPath, [program, mock.url, mock.credentials.secretId, mock.credentials.secretKey, "25"], {
        cwd: repoRoot,
        stdio: ["ignore", "pipe", "inherit"],
      });
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      const exitedAt = await new Promise<number>((resolve) => child.on("exit", () => resolve(Date.now())));
      const report = JSON.parse(stdout) as { lastAnswerAt: number; fulfilled: number; rejected: string[]; listenersLeft: number };
      const exitMs = exitedAt - report.lastAnswerAt;
      console.log(`burst of 25 calls: the process exited ${exitMs} ms after the last answer`);
      expect(report).toMatchObject({ fulfilled: 25, rejected: [], listenersLeft: 0 });
      expect(mock.requests.filter((r) => r.errorCode === "RequestLimitExceeded")).toHaveLength(0);
      expect(exitMs).toBeLessThan(100);
    } finally {
      await mock.close();
      await rm(scratch, { recursive: true, force: true });
    }
  });
});

describe("what is retried", () => {
  const credentials = { secretId: "AKIDretry", secretKey: "retry-secret" };
  const clientOf = (url: string, options: MongodbClientOptions = {}) =>
    createMongodbClient({ endpoint: url, credentials, retry: { baseDelayMs: 5, budget: false }, rateLimit: false, ...options });
  const create = (mongodb: ReturnType<typeof clientOf>) => mongodb.createBackupDownloadTask(createInput);
  const describeTasks = (mongodb: ReturnType<typeof clientOf>) => mongodb.describeBackupDownloadTask({ InstanceId: "cmgo-dygv1rnp" });

  /** A server failing every request the same way; counts the attempts that reached it. */
  const failing = (fail: (res: import("node:http").ServerResponse) => void) => hostileHttp((_req, res) => fail(res));
  const attemptsAgainst = async (server: Hostile, call: (mongodb: ReturnType<typeof clientOf>) => Promise<unknown>, options: MongodbClientOptions = {}) => {
    server.requests.length = 0;
    await call(clientOf(server.url, options)).catch(() => undefined);
    return server.requests.length;
  };

  it.each([
    ["HTTP 429", 429, 3],
    ["HTTP 503", 503, 3],
    ["HTTP 500", 500, 1],
    ["HTTP 502", 502, 1],
    ["HTTP 504", 504, 1],
    ["HTTP 400", 400, 1],
  ] as const)("%s: a non-idempotent action is tried %i time(s), an idempotent one as its status allows", async (_name, status, nonIdempotent) => {
    const server = await failing((res) => void res.writeHead(status, { "Content-Type": "text/plain" }).end(`status ${status}`));
    expect(await attemptsAgainst(server, create)).toBe(nonIdempotent);
    expect(await attemptsAgainst(server, describeTasks)).toBe(status === 400 ? 1 : 3);
  });

  it("InternalError: only the idempotent action is repeated", async () => {
    const server = await failing(
      (res) => void res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ Response: { Error: { Code: "InternalError", Message: "oops" }, RequestId: "r" } })),
    );
    expect(await attemptsAgainst(server, create)).toBe(1);
    expect(await attemptsAgainst(server, describeTasks)).toBe(3);
  });

  it("a connection dropped after the request was read: only the idempotent action is repeated", async () => {
    const server = await failing((res) => res.socket!.destroy());
    expect(await attemptsAgainst(server, create)).toBe(1);
    expect(await attemptsAgainst(server, describeTasks)).toBe(3);
  });

  it("an attempt that timed out after sending: only the idempotent action is repeated", async () => {
    const server = await failing(() => {});
    expect(await attemptsAgainst(server, create, { attemptTimeoutMs: 100 })).toBe(1);
    expect(await attemptsAgainst(server, describeTasks, { attemptTimeoutMs: 100 })).toBe(3);
  });

  for (const [transport, transportOptions] of Object.entries(TRANSPORTS)) {
    it(`${transport}: a refused connection never reached the server: any action is tried again`, async () => {
      const url = await closedPort();
      const result = await timed(() => create(clientOf(url, transportOptions)));
      expect(result.error).toMatchObject({ name: "TencentCloudTransportError", attempts: 3 });
      expect((result.error as Error).message).toContain("(after 3 attempts)");
    });
  }

  it("throttling, then success, for a non-idempotent action", async () => {
    let n = 0;
    const server = await hostileHttp((req, res) => {
      const body = n++ < 2 ? JSON.stringify({ Response: { Error: { Code: "RequestLimitExceeded", Message: "slow down" }, RequestId: "r" } }) : answerFor(req);
      res.writeHead(200, { "Content-Type": "application/json" }).end(body);
    });
    await expect(create(clientOf(server.url))).resolves.toMatchObject({ RequestId: "hostile-1" });
    expect(server.requests).toHaveLength(3);
    // And an error that is not retried is not retried.
    const refused = await hostileHttp((_req, res) =>
      void res.writeHead(200).end(JSON.stringify({ Response: { Error: { Code: "InvalidParameterValue", Message: "no" }, RequestId: "r" } })),
    );
    await expect(create(clientOf(refused.url))).rejects.toBeInstanceOf(TencentCloudApiError);
    expect(refused.requests).toHaveLength(1);
  });
});
