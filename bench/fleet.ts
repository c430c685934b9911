/**
 * The fleet run, measured: W worker processes share N instances through the Redis queue, against
 * the emulator with its per-SecretId, per-action rate limits on (Tencent's documented ones), once
 * with the shared Redis limiter and once without it (each process unlimited). Prints, per run: the
 * time, the instances done and failed, the runs started per instance, RequestLimitExceeded answers,
 * and per action the busiest 1 s window the emulator counted against its limit; with the limiter, a
 * worker is also SIGKILLed mid-run and the time until its instance is done elsewhere is shown. Each
 * worker runs the real job per instance (bench/fleet-worker.ts: backupInstance, files verified and
 * manifests written).
 *
 *   npm run bench:fleet [-- --workers 8 --instances 40]
 *
 * Needs `redis-server` (Debian's package) on PATH.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { FleetQueue, nightOf, type NightSummary } from "../jobs/backup/queue.js";
import { startRedis } from "../test/support/redis.js";
import { MOCK_CREDENTIALS, mongodbRateLimits, startMock, type InstanceSeed } from "./fleet-deps.js";
import { busiestWindow } from "./lib/busiest-window.js";

const WORKER = fileURLToPath(new URL("./fleet-worker.ts", import.meta.url));

export interface FleetRunOptions {
  readonly workers: number;
  readonly instances: number;
  readonly limiter: "redis" | "off";
  /** SIGKILL one worker once it has started an instance, and time the rescue. */
  readonly killOne?: boolean;
  /** Give up after this long, in ms. Default 120,000. */
  readonly timeoutMs?: number;
}

export interface ActionFigures {
  readonly calls: number;
  readonly refused: number;
  /** Most admitted calls in any 1,000 ms window, by the emulator log's answer times (a little after admission). */
  readonly busiestSecond: number;
  readonly limit: number;
  /** Admitted calls per second over the run. */
  readonly perSecond: number;
}

export interface FleetRunResult {
  readonly options: FleetRunOptions;
  readonly totalMs: number;
  readonly summary: NightSummary;
  readonly requestLimitExceeded: number;
  readonly actions: Readonly<Record<string, ActionFigures>>;
  /** Time from the SIGKILL until the killed worker's instance was done by another worker. */
  readonly recoveryMs?: number;
  /** Time from the SIGKILL until another worker started the killed worker's instance. */
  readonly restartMs?: number;
  readonly killedInstance?: string;
}

function spawnWorker(args: string[], onLine: (line: string) => void): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WORKER, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    let buffered = "";
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk));
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line === "ready") resolve(child);
        else onLine(line);
      }
    });
    child.once("exit", (code, signal) => reject(new Error(`a worker exited (${code ?? signal}) before it was ready: ${err}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
  });
}

/** One fleet run on its own Redis and emulator. */
export async function runFleet(options: FleetRunOptions): Promise<FleetRunResult> {
  const redis = await startRedis();
  const seeds: InstanceSeed[] = Array.from({ length: options.instances }, (_, i) => ({
    InstanceId: `cmgo-fleet${String(i).padStart(3, "0")}`,
    // 3-shard clusters: the job lists the shards (DescribeDBInstances) and asks for all three in one CreateBackupDownloadTask.
    ClusterType: "sharded",
    Shards: 3,
    Region: "ap-guangzhou",
    Backups: [
      { BackupName: `cmgo-fleet${i}_2026-12-01 03:00`, StartTime: "2026-12-01 03:00:00", EndTime: "2026-12-01 03:05:00", BackupSize: 64 },
      { BackupName: `cmgo-fleet${i}_2026-12-02 03:00`, StartTime: "2026-12-02 03:00:00", EndTime: "2026-12-02 03:05:00", BackupSize: 64 },
    ],
  }));
  const mock = await startMock({ world: { instances: seeds, taskQueuedMs: 100, taskRunningMs: 400, fileBytes: 64 * 1024 } });
  const outDir = await mkdtemp(path.join(tmpdir(), "tcgen-fleet-"));
  const queueName = `fleet-${options.limiter}`;
  const queue = new FleetQueue({ redis: redis.url, queueName });
  const workers: ChildProcess[] = [];
  try {
    const args = [redis.url, queueName, mock.url, MOCK_CREDENTIALS.secretId, MOCK_CREDENTIALS.secretKey, options.limiter, outDir];
    let killed: { at: number; instance: string } | undefined;
    let restartMs: number | undefined;
    let doomed: ChildProcess | undefined;
    for (let i = 0; i < options.workers; i++) {
      let self: ChildProcess | undefined;
      const child = await spawnWorker(args, (line) => {
        if (!line.startsWith("start ")) return;
        const instance = line.slice("start ".length);
        if (killed && instance === killed.instance && self !== doomed && restartMs === undefined) restartMs = Date.now() - killed.at;
        if (options.killOne && self === doomed && !killed) {
          killed = { at: Date.now(), instance };
          self!.kill("SIGKILL");
        }
      });
      self = child;
      workers.push(child);
    }
    doomed = options.killOne ? workers[0] : undefined;

    const night = nightOf();
    const started = performance.now();
    mock.requests.length = 0;
    await queue.enqueueNight(
      night,
      seeds.map((s) => ({ region: s.Region!, instanceId: s.InstanceId })),
      { attempts: 3, backoffMs: 200 },
    );
    let summary: NightSummary;
    let recoveryMs: number | undefined;
    for (;;) {
      summary = await queue.summary(night);
      if (killed && recoveryMs === undefined && summary.instances.some((i) => i.instanceId === killed!.instance && i.state === "done")) {
        recoveryMs = Date.now() - killed.at;
      }
      if (summary.done + summary.failed === options.instances) break;
      if (performance.now() - started > (options.timeoutMs ?? 120_000)) throw new Error(`the fleet run did not finish: ${JSON.stringify({ ...summary, instances: undefined })}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const totalMs = performance.now() - started;
    const actions: Record<string, ActionFigures> = {};
    for (const [action, limit] of Object.entries(mongodbRateLimits)) {
      const records = mock.requests.filter((r) => r.action === action);
      const admitted = records.filter((r) => r.errorCode !== "RequestLimitExceeded");
      actions[action] = {
        calls: records.length,
        refused: records.length - admitted.length,
        busiestSecond: busiestWindow(admitted.map((r) => r.time), 1000),
        limit,
        perSecond: admitted.length / (totalMs / 1000),
      };
    }
    return {
      options,
      totalMs,
      summary,
      requestLimitExceeded: mock.requests.filter((r) => r.errorCode === "RequestLimitExceeded").length,
      actions,
      ...(killed ? { killedInstance: killed.instance } : {}),
      ...(recoveryMs !== undefined ? { recoveryMs } : {}),
      ...(restartMs !== undefined ? { restartMs } : {}),
    };
  } finally {
    await Promise.all(workers.map(stop));
    await queue.close();
    await mock.close();
    await redis.stop();
    await rm(outDir, { recursive: true, force: true });
  }
}

export function formatRun(result: FleetRunResult): string {
  const { options, summary } = result;
  const started = summary.instances.map((i) => i.attemptsStarted);
  const rerun = started.filter((n) => n > 1).length;
  const lines = [
    `${options.workers} workers × ${options.instances} instances, Redis limiter ${options.limiter}${options.killOne ? ", one worker SIGKILLed mid-run" : ""}`,
    `  total ${(result.totalMs / 1000).toFixed(1)} s; done ${summary.done}, failed ${summary.failed}; runs started per instance ${Math.min(...started)}–${Math.max(...started)} (${rerun} run again); RequestLimitExceeded ${result.requestLimitExceeded}`,
  ];
  if (result.recoveryMs !== undefined) {
    lines.push(
      `  killed worker's instance ${result.killedInstance}: started by another ${((result.restartMs ?? NaN) / 1000).toFixed(2)} s after the SIGKILL ` +
        `(lock 2 s, stalled check every 1 s, then its turn in the queue), done ${(result.recoveryMs / 1000).toFixed(2)} s after it`,
    );
  }
  lines.push("  action                      calls  refused  busiest 1 s / limit   admitted/s");
  for (const [action, a] of Object.entries(result.actions)) {
    lines.push(`  ${action.padEnd(27)} ${String(a.calls).padStart(5)}  ${String(a.refused).padStart(7)}  ${String(a.busiestSecond).padStart(8)} / ${String(a.limit).padEnd(8)}  ${a.perSecond.toFixed(1).padStart(10)}`);
  }
  return lines.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { values } = parseArgs({ options: { workers: { type: "string", default: "8" }, instances: { type: "string", default: "40" } } });
  const workers = Number(values.workers);
  const instances = Number(values.instances);
  const limited = await runFleet({ workers, instances, limiter: "redis", killOne: true });
  console.log(formatRun(limited));
  const unlimited = await runFleet({ workers, instances, limiter: "off" });
  console.log(formatRun(unlimited));
}
