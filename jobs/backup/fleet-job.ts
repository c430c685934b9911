/**
 * The job in fleet mode: `enqueueBackupNight()` puts tonight's instances in the shared queue (any
 * process, any number of times: each instance is queued once per night), and `runFleetWorker()` takes
 * instances from it and backs each up with the job's own `backupInstance()`, until the night has
 * nothing pending or running. An instance that ends incomplete or failed is thrown back to the queue
 * (BullMQ retries it with backoff, its partial files resumed); the result is read from the queue, so
 * every worker reports the whole night.
 */
import { backupInstance, overallStatus, Semaphore, type BackupJobOptions, type BackupJobResult, type InstanceOutcome } from "./job.js";
import { FleetQueue, startFleetWorker, type EnqueueOptions, type FleetQueueOptions, type NightSummary, type WorkerOptions } from "./queue.js";

export interface FleetJobOptions extends Omit<BackupJobOptions, "instances" | "regions"> {
  readonly queue: FleetQueueOptions;
  readonly worker?: Omit<WorkerOptions, "concurrency">;
  /** `YYYY-MM-DD`, default tonight (UTC). */
  readonly night: string;
  /** How often the worker checks whether the night is over, in ms. Default 1,000. */
  readonly pollMs?: number;
}

/** Thrown for an instance that did not complete, so that the queue retries it; carries the outcome. */
class InstanceNotComplete extends Error {
  override readonly name = "InstanceNotComplete";
}

export async function enqueueBackupNight(
  queueOptions: FleetQueueOptions,
  night: string,
  instances: readonly { region: string; instanceId: string }[],
  options: EnqueueOptions = {},
): Promise<string[]> {
  const queue = new FleetQueue(queueOptions);
  try {
    return await queue.enqueueNight(night, instances, options);
  } finally {
    await queue.close();
  }
}

export async function runFleetWorker(options: FleetJobOptions): Promise<BackupJobResult & { readonly night: NightSummary }> {
  const started = performance.now();
  const emit = options.onEvent ?? (() => {});
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const slots = new Semaphore(concurrency);
  const queue = new FleetQueue(options.queue);
  const fleet = startFleetWorker({ ...options.queue, ...options.worker, concurrency }, async (job, { signal }) => {
    const signals = [signal, options.signal].filter((s): s is AbortSignal => s !== undefined);
    const instanceSignal = signals.length ? AbortSignal.any(signals) : undefined;
    const outcome = await backupInstance({ region: job.region, instanceId: job.instanceId }, { ...options, ...(instanceSignal ? { signal: instanceSignal } : {}) }, slots, emit);
    emit({ type: "instance-done", outcome });
    if (outcome.status !== "complete") throw new InstanceNotComplete(`${outcome.status}: ${outcome.error ?? "not complete"}`);
    return outcome;
  });
  try {
    await fleet.worker.waitUntilReady();
    let summary: NightSummary;
    for (;;) {
      summary = await queue.summary(options.night);
      if (summary.pending === 0 && summary.active === 0) break;
      options.signal?.throwIfAborted();
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1_000));
    }
    const instances: InstanceOutcome[] = summary.instances.map((status) =>
      status.state === "done" && status.result
        ? (status.result as InstanceOutcome)
        : { region: status.region, instanceId: status.instanceId, status: "failed", files: [], bytesFetched: 0, seconds: 0, error: status.failedReason ?? status.state },
    );
    return {
      status: overallStatus(instances),
      instances,
      bytesFetched: instances.reduce((sum, i) => sum + i.bytesFetched, 0),
      seconds: (performance.now() - started) / 1000,
      night: summary,
    };
  } finally {
    await fleet.close(options.signal?.aborted === true);
    await queue.close();
  }
}
