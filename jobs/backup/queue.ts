/**
 * Fleet mode: tonight's instances in a Redis-backed queue (BullMQ), taken by workers on any number
 * of machines.
 *
 * - One job per (night, region, instance), its job id `<night>/<region>/<instance>`: BullMQ ignores
 *   an add whose id exists, so any number of processes may enqueue the same night and each
 *   instance is queued once. Finished jobs are kept (14 days by default) so that a late enqueuer
 *   cannot queue a night's instance again after it is done.
 * - A worker holds a lock on its job, renewed while it runs; a worker that dies (SIGKILL, a lost
 *   machine) stops renewing, and once the lock expires another worker's stalled-job check moves the
 *   job back to the queue, where the next free worker takes it (`maxStalledCount` times, then it
 *   fails). The backup itself resumes from the partial files and the manifest, so running an
 *   instance again after a crash costs what was not yet downloaded.
 * - A failing instance is retried with exponential backoff (`attempts` in all), then recorded as
 *   failed with its reason; a successful one records what the worker returned and who ran it.
 * - `summary(night)` tells done / failed / active / pending per night, instance by instance.
 *
 * Guarantee: each instance of a night completes at most once and, while workers run, at least
 * once or ends failed; it may *start* more than once (a crash, a lost lock), so the work must be
 * repeatable, as the backup job is.
 */
import { Queue, Worker, type ConnectionOptions, type Job, type JobsOptions } from "bullmq";
import type { RedisOptions } from "ioredis";

export const DEFAULT_QUEUE_NAME = "tcgen-backup";

export interface FleetQueueOptions {
  /** `redis://[:password@]host:port[/db]` or ioredis options. */
  readonly redis: string | RedisOptions;
  /** The BullMQ queue's name. Default `tcgen-backup`. */
  readonly queueName?: string;
  /** Prefix of BullMQ's Redis keys. Default `bull`. */
  readonly prefix?: string;
}

/** One instance to back up on one night. */
export interface InstanceJob {
  /** `YYYY-MM-DD` (UTC) — see `nightOf`. */
  readonly night: string;
  readonly region: string;
  readonly instanceId: string;
}

export interface EnqueueOptions {
  /** Runs of a failing instance, the first included. Default 3. */
  readonly attempts?: number;
  /** First retry delay in ms, doubling per attempt. Default 60,000. */
  readonly backoffMs?: number;
  /** How long finished jobs are kept (and so the night's ids stay taken), in s. Default 14 days. */
  readonly keepSeconds?: number;
}

export interface WorkerOptions {
  /** Shown in the summary as who ran an instance. Default `<hostname>:<pid>`. */
  readonly name?: string;
  /** Instances at once in this worker. Default 1. */
  readonly concurrency?: number;
  /** A job's lock lasts this long without renewal (renewed at half of it), in ms. Default 30,000. */
  readonly lockDurationMs?: number;
  /** How often this worker looks for jobs whose lock expired, in ms. Default 30,000. */
  readonly stalledIntervalMs?: number;
  /** Times a job may be taken back from a dead worker before it fails. Default 2. */
  readonly maxStalledCount?: number;
}

export type JobState = "done" | "failed" | "active" | "pending";

export interface InstanceStatus extends InstanceJob {
  readonly state: JobState;
  /** Runs that ended (a failure or success); a crash does not count. */
  readonly attemptsMade: number;
  /** Runs started, crashes included. */
  readonly attemptsStarted: number;
  readonly failedReason?: string;
  readonly result?: unknown;
  /** The worker that ran it last. */
  readonly processedBy?: string;
  readonly finishedAt?: string;
}

export interface NightSummary {
  readonly night: string;
  readonly done: number;
  readonly failed: number;
  readonly active: number;
  readonly pending: number;
  readonly instances: readonly InstanceStatus[];
}

/** The UTC date of `at` as `YYYY-MM-DD`: the night a run belongs to. */
export function nightOf(at: Date = new Date()): string {
  return at.toISOString().slice(0, 10);
}

/** The job id of one instance on one night (deterministic: the same from every enqueuer). */
export function jobIdOf(job: InstanceJob): string {
  return `${job.night}/${job.region}/${job.instanceId}`;
}

/** BullMQ's connection options for a URL or ioredis options; workers need `maxRetriesPerRequest: null`. */
export function connectionOf(redis: string | RedisOptions): ConnectionOptions {
  if (typeof redis !== "string") return { maxRetriesPerRequest: null, ...redis } as ConnectionOptions;
  const url = new URL(redis);
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") throw new TypeError(`not a redis:// URL: ${redis}`);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 6379,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.pathname.length > 1 ? { db: Number(url.pathname.slice(1)) } : {}),
    ...(url.protocol === "rediss:" ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  } as ConnectionOptions;
}

const NIGHT = /^\d{4}-\d{2}-\d{2}$/;

export class FleetQueue {
  readonly queue: Queue;

  constructor(options: FleetQueueOptions) {
    this.queue = new Queue(options.queueName ?? DEFAULT_QUEUE_NAME, {
      connection: connectionOf(options.redis),
      ...(options.prefix ? { prefix: options.prefix } : {}),
    });
  }

  /**
   * Queues each instance for `night` once: an instance already queued for that night (by this or any
   * other process, waiting, running, done or failed) is left as it is. Returns the job ids.
   */
  async enqueueNight(night: string, instances: readonly { region: string; instanceId: string }[], options: EnqueueOptions = {}): Promise<string[]> {
    if (!NIGHT.test(night)) throw new TypeError(`night must be YYYY-MM-DD, got ${JSON.stringify(night)}`);
    const keep = { age: options.keepSeconds ?? 14 * 24 * 3600 };
    const opts: JobsOptions = {
      attempts: options.attempts ?? 3,
      backoff: { type: "exponential", delay: options.backoffMs ?? 60_000 },
      removeOnComplete: keep,
      removeOnFail: keep,
    };
    const jobs = instances.map(({ region, instanceId }) => {
      const data: InstanceJob = { night, region, instanceId };
      return { name: "backup", data, opts: { ...opts, jobId: jobIdOf(data) } };
    });
    await this.queue.addBulk(jobs);
    return jobs.map((job) => job.opts.jobId);
  }

  /** Where each of the night's instances stands. */
  async summary(night: string): Promise<NightSummary> {
    const states: [JobState, Parameters<Queue["getJobs"]>[0]][] = [
      ["done", "completed"],
      ["failed", "failed"],
      ["active", "active"],
      ["pending", ["waiting", "delayed", "prioritized", "waiting-children"]],
    ];
    const instances: InstanceStatus[] = [];
    const seen = new Set<string>();
    for (const [state, types] of states) {
      for (const job of (await this.queue.getJobs(types, 0, -1)) as Job<InstanceJob>[]) {
        if (!job?.id || job.data.night !== night || seen.has(job.id)) continue;
        seen.add(job.id);
        instances.push({
          ...job.data,
          state,
          attemptsMade: job.attemptsMade,
          attemptsStarted: job.attemptsStarted,
          ...(job.failedReason ? { failedReason: job.failedReason } : {}),
          ...(state === "done" ? { result: job.returnvalue } : {}),
          ...(job.processedBy ? { processedBy: job.processedBy } : {}),
          ...(job.finishedOn ? { finishedAt: new Date(job.finishedOn).toISOString() } : {}),
        });
      }
    }
    instances.sort((a, b) => jobIdOf(a).localeCompare(jobIdOf(b)));
    const count = (state: JobState) => instances.filter((i) => i.state === state).length;
    return { night, done: count("done"), failed: count("failed"), active: count("active"), pending: count("pending"), instances };
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/** What a worker runs per instance: the backup of one instance; its value is recorded as the result. */
export type BackupOne<R> = (job: InstanceJob, context: { readonly signal: AbortSignal | undefined; readonly attempt: number }) => Promise<R>;

export interface FleetWorker {
  readonly worker: Worker<InstanceJob>;
  /** Stops taking instances and waits for the running ones (`force`: abandons them; their locks expire and others take them). */
  close(force?: boolean): Promise<void>;
}

/** Starts a worker taking instances from the queue until closed. */
export function startFleetWorker<R>(options: FleetQueueOptions & WorkerOptions, backupOne: BackupOne<R>): FleetWorker {
  const worker = new Worker<InstanceJob, R>(
    options.queueName ?? DEFAULT_QUEUE_NAME,
    (job, _token, signal) => backupOne(job.data, { signal, attempt: job.attemptsMade + 1 }),
    {
      connection: connectionOf(options.redis),
      ...(options.prefix ? { prefix: options.prefix } : {}),
      name: options.name ?? `${process.env["HOSTNAME"] ?? "host"}:${process.pid}`,
      concurrency: options.concurrency ?? 1,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      maxStalledCount: options.maxStalledCount ?? 2,
    },
  );
  // BullMQ reports connection trouble as events; without a listener Node would throw them.
  worker.on("error", () => undefined);
  return { worker, close: (force) => worker.close(force) };
}
