import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { LimiterClosedError, RateLimitWaitTimeoutError, RedisUnavailableError } from "../../jobs/backup/fleet-errors.js";
import { limitedFetch, RedisRateLimiter } from "../../jobs/backup/redis-limiter.js";
import { describeRedis, freePort, startRedis, type RunningRedis } from "../support/redis.js";
import { busiestWindow } from "../../bench/lib/busiest-window.js";

const CHILD = fileURLToPath(new URL("./redis-limiter-child.ts", import.meta.url));

/** Runs a child process to its end; resolves with its last stdout line parsed, and how long it took to exit after printing it. */
function runChild(args: string[]): Promise<{ pid: number; grants: number[]; error?: string; exitedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let printedAt = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk;
      if (out.endsWith("\n")) printedAt = performance.now();
    });
    child.stderr.on("data", (chunk: Buffer) => (err += chunk));
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`child exited with ${code}: ${err}`));
      resolve({ ...JSON.parse(out.trim().split("\n").at(-1)!), exitedAfterMs: performance.now() - printedAt });
    });
  });
}

describeRedis("the Redis rate limiter", () => {
  let redis: RunningRedis;
  let server: Server;
  let url: string;
  /** Arrival times at the server, by process id. */
  const arrivals: { at: number; pid: string }[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    server = createServer((req, res) => {
      arrivals.push({ at: performance.timeOrigin + performance.now(), pid: new URL(req.url!, "http://x").searchParams.get("pid")! });
      res.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await redis?.stop();
  });

  it("keeps 4 processes together at the limit in every 1 s window the server counts, shares it fairly, and lets each exit after close()", async () => {
    const limit = 8;
    const perProcess = 10;
    arrivals.length = 0;
    const results = await Promise.all(
      Array.from({ length: 4 }, () => runChild([redis.url, "AKID-shared", "Hammer", String(limit), String(perProcess), url])),
    );
    expect(arrivals).toHaveLength(4 * perProcess);
    const times = arrivals.map((a) => a.at);
    expect(busiestWindow(times, 1000)).toBeLessThanOrEqual(limit);
    // The limiter does not leave the account idle: 40 requests at 8 per ~1 s take about 4 s, not much more.
    const span = Math.max(...times) - Math.min(...times);
    expect(span).toBeLessThan(((4 * perProcess) / limit) * 1100 + 3_000);
    // First come, first served across processes: while all four compete (from the last one's first
    // request to the first one's last), each gets about a quarter, none less than an eighth.
    const of = (pid: number) => arrivals.filter((a) => a.pid === String(pid)).map((a) => a.at);
    const from = Math.max(...results.map((r) => Math.min(...of(r.pid))));
    const to = Math.min(...results.map((r) => Math.max(...of(r.pid))));
    const contested = arrivals.filter((a) => a.at >= from && a.at <= to);
    for (const { pid } of results) {
      const got = contested.filter((a) => a.pid === String(pid)).length;
      expect(got, `process ${pid}: ${got} of ${contested.length} while all competed`).toBeGreaterThanOrEqual(Math.floor(contested.length / 8));
    }
    // No timer or connection held any of them after close().
    for (const r of results) expect(r.exitedAfterMs).toBeLessThan(2_000);
  }, 60_000);

  it("counts per account and per action", async () => {
    const a = new RedisRateLimiter({ redis: redis.url, account: "AKID-a" });
    const b = new RedisRateLimiter({ redis: redis.url, account: "AKID-b" });
    try {
      const started = performance.now();
      await a.acquire("X", 1);
      await b.acquire("X", 1); // another account: its own slot
      await a.acquire("Y", 1); // another action: its own slot
      expect(performance.now() - started).toBeLessThan(500);
      await expect(a.acquire("X", 1, { deadlineMs: 300 })).rejects.toBeInstanceOf(RateLimitWaitTimeoutError);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("ends a wait at its deadline, and an abort while waiting gives the place in the queue back", async () => {
    const limiter = new RedisRateLimiter({ redis: redis.url, account: "AKID-abort" });
    const probe = new Redis(redis.url);
    try {
      await limiter.acquire("A", 1);
      const started = performance.now();
      const error = await limiter.acquire("A", 1, { deadlineMs: 500 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitWaitTimeoutError);
      const took = performance.now() - started;
      expect(took).toBeGreaterThanOrEqual(450);
      expect(took).toBeLessThan(1_000);

      const controller = new AbortController();
      const waiting = limiter.acquire("A", 1, { signal: controller.signal });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await probe.zcard(`${limiter.keyOf("A")}:queue`)).toBe(1);
      const abortedAt = performance.now();
      controller.abort(new Error("stop waiting"));
      await expect(waiting).rejects.toThrow("stop waiting");
      expect(performance.now() - abortedAt).toBeLessThan(200);
      expect(await probe.zcard(`${limiter.keyOf("A")}:queue`)).toBe(0);
      expect(await probe.zcard(limiter.keyOf("A"))).toBe(1);
    } finally {
      probe.disconnect();
      await limiter.close();
    }
  });

  it("close() ends a wait with LimiterClosedError", async () => {
    const limiter = new RedisRateLimiter({ redis: redis.url, account: "AKID-close" });
    await limiter.acquire("A", 1);
    const waiting = limiter.acquire("A", 1).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await limiter.close();
    expect(await waiting).toBeInstanceOf(LimiterClosedError);
    await expect(limiter.acquire("A", 1)).rejects.toBeInstanceOf(LimiterClosedError);
  });

  it("Redis down: RedisUnavailableError within the deadline, naming the address", async () => {
    const port = await freePort(); // nothing listens there
    const limiter = new RedisRateLimiter({ redis: `redis://127.0.0.1:${port}`, account: "AKID-down" });
    try {
      const started = performance.now();
      const error = await limiter.acquire("A", 5, { deadlineMs: 400 }).catch((e: unknown) => e);
      const took = performance.now() - started;
      expect(error).toBeInstanceOf(RedisUnavailableError);
      expect((error as Error).message).toContain(`127.0.0.1:${port}`);
      expect((error as Error).message).toMatch(/ECONNREFUSED|connect/);
      expect(took).toBeGreaterThanOrEqual(350);
      expect(took).toBeLessThan(1_000);
    } finally {
      await limiter.close();
    }
  });

  it("Redis down: a process that closed its limiter exits at once (no reconnect timer left)", async () => {
    const port = await freePort();
    const result = await runChild([`redis://127.0.0.1:${port}`, "AKID-down", "A", "5", "1", url, "300"]);
    expect(result.error).toBe("RedisUnavailableError");
    expect(result.exitedAfterMs).toBeLessThan(1_000);
  }, 30_000);

  it("a Redis stopped mid-run: RedisUnavailableError after commandTimeoutMs, not a hang", async () => {
    const other = await startRedis();
    const limiter = new RedisRateLimiter({ redis: other.url, account: "AKID-stop", commandTimeoutMs: 500 });
    try {
      await limiter.acquire("A", 5);
      await other.stop();
      const started = performance.now();
      await expect(limiter.acquire("A", 5)).rejects.toBeInstanceOf(RedisUnavailableError);
      expect(performance.now() - started).toBeLessThan(1_500);
    } finally {
      await limiter.close();
    }
  });

  it("limitedFetch takes a slot per attempt, by the X-TC-Action header", async () => {
    const limiter = new RedisRateLimiter({ redis: redis.url, account: "AKID-fetch" });
    const probe = new Redis(redis.url);
    try {
      const sent: string[] = [];
      const send = limitedFetch(limiter, { DescribeDBBackups: 150 }, { fetch: async (request) => (sent.push(request.headers.get("x-tc-action")!), new Response("{}")) });
      await send(new Request(url, { method: "POST", headers: { "X-TC-Action": "DescribeDBBackups" } }));
      await send(new Request(url, { method: "POST", headers: { "X-TC-Action": "DescribeDBBackups" } }));
      await send(new Request(url, { method: "POST", headers: { "X-TC-Action": "Unlisted" } }));
      expect(sent).toEqual(["DescribeDBBackups", "DescribeDBBackups", "Unlisted"]);
      expect(await probe.zcard(limiter.keyOf("DescribeDBBackups"))).toBe(2);
      await expect(send(new Request(url))).rejects.toThrow(/X-TC-Action/);
    } finally {
      probe.disconnect();
      await limiter.close();
    }
  });
});
