import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { FleetQueue, jobIdOf, nightOf, startFleetWorker, type NightSummary } from "../../jobs/backup/queue.js";
import { describeRedis, startRedis, type RunningRedis } from "../support/redis.js";

const CHILD = fileURLToPath(new URL("./queue-worker-child.ts", import.meta.url));
const NIGHT = "2026-12-02";
const instances = (n: number, prefix = "cmgo-") =>
  Array.from({ length: n }, (_, i) => ({ region: i % 2 ? "ap-shanghai" : "ap-guangzhou", instanceId: `${prefix}${String(i).padStart(4, "0")}` }));

function startWorkerProcess(args: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk));
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve(child);
    });
    child.once("exit", (code, signal) => reject(new Error(`worker exited (${code ?? signal}) before it was ready: ${err}`)));
  });
}

function stopWorkerProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describeRedis("the fleet queue (BullMQ)", () => {
  let redis: RunningRedis;
  let probe: Redis;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    probe = new Redis(redis.url);
  });
  afterAll(async () => {
    await Promise.all(children.map(stopWorkerProcess));
    probe?.disconnect();
    await redis?.stop();
  });

  it("names jobs by night, region and instance", () => {
    expect(nightOf(new Date("2026-12-02T23:59:59Z"))).toBe("2026-12-02");
    expect(jobIdOf({ night: NIGHT, region: "ap-guangzhou", instanceId: "cmgo-1" })).toBe("2026-12-02/ap-guangzhou/cmgo-1");
  });

  it("backs up each of 40 instances exactly once with 4 worker processes and 3 enqueuers racing, and again not at all", async () => {
    const queueName = "once";
    const enqueuers = [0, 1, 2].map(() => new FleetQueue({ redis: redis.url, queueName }));
    try {
      const workers = await Promise.all([0, 1, 2, 3].map(() => startWorkerProcess([redis.url, queueName, "30"])));
      children.push(...workers);
      await Promise.all(enqueuers.map((q) => q.enqueueNight(NIGHT, instances(40))));
      let summary: NightSummary | undefined;
      await until(async () => (summary = await enqueuers[0]!.summary(NIGHT)).done === 40, 30_000, "40 instances done");
      // A late enqueuer, after everything is done: nothing runs again.
      await enqueuers[1]!.enqueueNight(NIGHT, instances(40));
      await new Promise((resolve) => setTimeout(resolve, 500));
      const done = await probe.lrange(`${queueName}:done`, 0, -1);
      const starts = await probe.lrange(`${queueName}:starts`, 0, -1);
      expect(starts).toHaveLength(40);
      expect(new Set(done.map((line) => line.split(" ")[0])).size).toBe(40);
      expect(done).toHaveLength(40);
      summary = await enqueuers[0]!.summary(NIGHT);
      expect(summary).toMatchObject({ done: 40, failed: 0, active: 0, pending: 0 });
      expect(summary.instances.every((i) => i.attemptsStarted === 1)).toBe(true);
      // The work was shared.
      expect(new Set(summary.instances.map((i) => i.processedBy)).size).toBeGreaterThan(1);
      await Promise.all(workers.map(stopWorkerProcess));
    } finally {
      await Promise.all(enqueuers.map((q) => q.close()));
    }
  }, 60_000);

  it("hands the instance of a SIGKILLed worker to another once its lock expires", async () => {
    const queueName = "crash";
    const queue = new FleetQueue({ redis: redis.url, queueName });
    try {
      const doomed = await startWorkerProcess([redis.url, queueName, "60000", "1000", "500"]);
      children.push(doomed);
      await queue.enqueueNight(NIGHT, [{ region: "ap-guangzhou", instanceId: "cmgo-crash" }]);
      await until(async () => (await probe.llen(`${queueName}:starts`)) === 1, 10_000, "the first worker to start");
      const rescuer = await startWorkerProcess([redis.url, queueName, "10", "1000", "500"]);
      children.push(rescuer);
      const killedAt = Date.now();
      doomed.kill("SIGKILL");
      await until(async () => (await queue.summary(NIGHT)).done === 1, 15_000, "the rescue");
      const recoveredMs = Date.now() - killedAt;
      const summary = await queue.summary(NIGHT);
      expect(summary.instances[0]).toMatchObject({ instanceId: "cmgo-crash", state: "done", attemptsStarted: 2, result: { pid: rescuer.pid } });
      expect(await probe.lrange(`${queueName}:starts`, 0, -1)).toEqual([`cmgo-crash ${doomed.pid}`, `cmgo-crash ${rescuer.pid}`]);
      // Within the lock (1 s) plus a stalled check (0.5 s) and some scheduling: not a hang.
      expect(recoveredMs).toBeLessThan(8_000);
      console.log(`fleet queue: SIGKILLed worker's instance done by another ${recoveredMs} ms after the kill (lock 1000 ms, stalled check every 500 ms)`);
      await stopWorkerProcess(rescuer);
    } finally {
      await queue.close();
    }
  }, 60_000);

  it("retries a failing instance, then reports it failed with its reason while the others are done", async () => {
    const queueName = "failing";
    const queue = new FleetQueue({ redis: redis.url, queueName });
    const runs: string[] = [];
    const worker = startFleetWorker({ redis: redis.url, queueName, concurrency: 3 }, async (job, { attempt }) => {
      runs.push(`${job.instanceId}#${attempt}`);
      if (job.instanceId === "cmgo-0002") throw new Error(`CreateBackupDownloadTask refused: InvalidParameter (attempt ${attempt})`);
      return { files: 1 };
    });
    try {
      await queue.enqueueNight(NIGHT, instances(5), { attempts: 3, backoffMs: 50 });
      await until(async () => {
        const s = await queue.summary(NIGHT);
        return s.done === 4 && s.failed === 1;
      }, 20_000, "4 done and 1 failed");
      const summary = await queue.summary(NIGHT);
      expect(summary).toMatchObject({ done: 4, failed: 1, active: 0, pending: 0 });
      const failed = summary.instances.find((i) => i.state === "failed")!;
      expect(failed).toMatchObject({ instanceId: "cmgo-0002", attemptsMade: 3, failedReason: expect.stringContaining("InvalidParameter (attempt 3)") });
      expect(runs.filter((r) => r.startsWith("cmgo-0002"))).toEqual(["cmgo-0002#1", "cmgo-0002#2", "cmgo-0002#3"]);
      expect(summary.instances.filter((i) => i.state === "done").every((i) => (i.result as { files: number }).files === 1)).toBe(true);
      // Another night is its own: nothing of it yet.
      expect(await queue.summary("2026-12-03")).toMatchObject({ done: 0, failed: 0, active: 0, pending: 0 });
      await expect(queue.enqueueNight("tonight", [])).rejects.toThrow(/YYYY-MM-DD/);
    } finally {
      await worker.close();
      await queue.close();
    }
  }, 60_000);
});
