/**
 * The nightly backup job as a library function: `runBackupJob(options)` backs up each instance (the
 * newest successful backup, a named one, or an on-demand one), every replica set or shard of it,
 * into `<out>/<instance>/<backup>/`, verified and finished by its manifest, instances and files in
 * parallel under one cap, optionally copied to an S3-compatible bucket with retention. The command
 * (`tcgen-backup`, cli.ts) is this function plus argument parsing, display and exit codes.
 *
 * A rerun is cheap: an instance whose backup directory has a manifest that its files still match
 * (size, SHA-256, CRC-64) is done without a download task; otherwise downloadBackupSet skips the
 * verified files and resumes the partial ones.
 */
import path from "node:path";
import { downloadBackupSet, type BackupSetFile } from "./backup-set.js";
import type { DownloadOptions } from "./download.js";
import { readManifest, verifyAgainstManifest, type BackupManifest } from "./manifest.js";
import type { RetentionPolicy } from "./retention.js";
import type { S3Target } from "./s3-upload.js";
import { NotAvailableError, type BackupApi, type ChosenBackup, type InstanceRef } from "./tencent.js";

export type BackupChoice = { readonly kind: "newest" } | { readonly kind: "named"; readonly name: string } | { readonly kind: "on-demand" };

export interface BackupJobOptions {
  readonly api: BackupApi;
  /** The instances to back up; with `regions` and none given, every instance the API lists there. */
  readonly instances?: readonly InstanceRef[];
  readonly regions?: readonly string[];
  readonly backup?: BackupChoice;
  /** The root directory: files land in `<out>/<instance>/<backup name>/`. */
  readonly out: string;
  /** Instances at once, and files downloading at once across all of them. Default 4. */
  readonly concurrency?: number;
  /** Passed to every downloadFile (stall timeout, retries, fetch…). */
  readonly download?: Omit<DownloadOptions, "url" | "getFreshUrl" | "target" | "expectedSize" | "signal" | "onProgress">;
  /** Copies of each verified backup, and the retention of those copies. */
  readonly s3?: { readonly target: S3Target; readonly retention?: RetentionPolicy };
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: JobEvent) => void;
}

export type JobEvent =
  | { readonly type: "instances"; readonly instances: readonly InstanceRef[] }
  | { readonly type: "backup"; readonly instanceId: string; readonly backup: ChosenBackup }
  | { readonly type: "skipped"; readonly instanceId: string; readonly reason: string }
  | { readonly type: "tasks"; readonly instanceId: string; readonly files: readonly { readonly name: string; readonly size: number }[] }
  | { readonly type: "file-start"; readonly instanceId: string; readonly file: string; readonly size: number; readonly from: number }
  | { readonly type: "file-progress"; readonly instanceId: string; readonly file: string; readonly written: number; readonly size: number; readonly fetched: number }
  | { readonly type: "file-note"; readonly instanceId: string; readonly file: string; readonly note: string }
  | { readonly type: "file-done"; readonly instanceId: string; readonly file: string; readonly size: number; readonly fetched: number; readonly resumedFrom: number; readonly crcVerified: boolean }
  | { readonly type: "file-failed"; readonly instanceId: string; readonly file: string; readonly error: string }
  | { readonly type: "s3-copied"; readonly instanceId: string; readonly keyPrefix: string; readonly deleted: readonly string[] }
  | { readonly type: "instance-done"; readonly outcome: InstanceOutcome };

export interface FileOutcome {
  readonly name: string;
  readonly size: number;
  readonly outcome: "verified" | "downloaded" | "failed";
  /** Body bytes received in this run. */
  readonly bytesFetched: number;
  /** Where this run's download started (the partial file it resumed); 0 for a fresh start. */
  readonly resumedFrom: number;
  readonly error?: string;
}

export interface InstanceOutcome {
  readonly region: string;
  readonly instanceId: string;
  readonly backupName?: string;
  /** complete: every file verified and the manifest written; incomplete: some file failed (no manifest); failed: nothing downloaded (no backup, API error). */
  readonly status: "complete" | "incomplete" | "failed";
  readonly directory?: string;
  readonly files: readonly FileOutcome[];
  readonly bytesFetched: number;
  readonly seconds: number;
  readonly error?: string;
  readonly s3KeyPrefix?: string;
}

export interface BackupJobResult {
  /** complete: every instance complete; partial: some but not all; failed: none complete. */
  readonly status: "complete" | "partial" | "failed";
  readonly instances: readonly InstanceOutcome[];
  readonly bytesFetched: number;
  readonly seconds: number;
}

/** Exit codes of the command, one per result status (2 is a usage error, 130 an interruption). */
export const EXIT_CODES = { complete: 0, failed: 1, usage: 2, partial: 3, interrupted: 130 } as const;

export function overallStatus(instances: readonly InstanceOutcome[]): BackupJobResult["status"] {
  const complete = instances.filter((i) => i.status === "complete").length;
  if (complete === instances.length) return "complete";
  return complete === 0 ? "failed" : "partial";
}

export async function runBackupJob(options: BackupJobOptions): Promise<BackupJobResult> {
  const started = performance.now();
  const emit = options.onEvent ?? (() => {});
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const slots = new Semaphore(concurrency);
  const instances = options.instances?.length ? [...options.instances] : await options.api.listInstances(options.regions ?? [], options.signal);
  emit({ type: "instances", instances });
  const outcomes: InstanceOutcome[] = [];
  const queue = [...instances];
  const worker = async () => {
    for (let instance = queue.shift(); instance; instance = queue.shift()) {
      const outcome = await backupInstance(instance, options, slots, emit);
      outcomes.push(outcome);
      emit({ type: "instance-done", outcome });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, instances.length) }, worker));
  options.signal?.throwIfAborted();
  const order = new Map(instances.map((i, n) => [i.instanceId, n]));
  outcomes.sort((a, b) => order.get(a.instanceId)! - order.get(b.instanceId)!);
  return {
    status: overallStatus(outcomes),
    instances: outcomes,
    bytesFetched: outcomes.reduce((sum, i) => sum + i.bytesFetched, 0),
    seconds: (performance.now() - started) / 1000,
  };
}

/** One instance, never throwing for the instance's own problems (they are its outcome); an abort throws. */
export async function backupInstance(instance: InstanceRef, options: BackupJobOptions, slots: Semaphore, emit: (event: JobEvent) => void): Promise<InstanceOutcome> {
  const started = performance.now();
  const { api, signal } = options;
  const { instanceId, region } = instance;
  const seconds = () => (performance.now() - started) / 1000;
  let backup: ChosenBackup | undefined;
  let directory: string | undefined;
  try {
    const choice = options.backup ?? { kind: "newest" };
    backup =
      choice.kind === "named" ? await api.namedBackup(instance, choice.name, signal) : choice.kind === "on-demand" ? await api.createOnDemandBackup(instance, signal) : await api.newestBackup(instance, signal);
    emit({ type: "backup", instanceId, backup });
    directory = path.join(options.out, safeName(instanceId), safeName(backup.name));

    // Done on an earlier run: the manifest's files still match, no task needed.
    const previous = await readManifest(directory);
    if (previous.status === "complete" && previous.manifest.backupName === backup.name) {
      const checks = await verifyAgainstManifest(directory, previous.manifest.files, signal ? { signal } : {});
      if (checks.every((c) => c.status === "verified")) {
        emit({ type: "skipped", instanceId, reason: "the manifest verifies every file" });
        const files = previous.manifest.files.map((f) => ({ name: f.name, size: f.size, outcome: "verified" as const, bytesFetched: 0, resumedFrom: 0 }));
        const s3KeyPrefix = await copyOff(options, directory, previous.manifest, emit);
        return { region, instanceId, backupName: backup.name, status: "complete", directory, files, bytesFetched: 0, seconds: seconds(), ...(s3KeyPrefix ? { s3KeyPrefix } : {}) };
      }
    }

    const shards = await api.listShards(instance, signal);
    const tasks = await api.createDownloadTasks(instance, backup, shards, signal);
    const chosenBackup = backup;
    const files: BackupSetFile[] = tasks.map((task) => ({
      name: `${safeName(task.replicaSetId)}.tar`,
      replicaSetId: task.replicaSetId,
      url: task.url,
      expectedSize: task.size,
      getFreshUrl: () => api.refreshUrl(instance, chosenBackup, task.replicaSetId, signal),
    }));
    emit({ type: "tasks", instanceId, files: files.map((f) => ({ name: f.name, size: f.expectedSize })) });
    const resumedFrom = new Map<string, number>();
    const sizes = new Map(files.map((f) => [f.name, f.expectedSize]));
    const set = await downloadBackupSet({
      directory,
      instanceId,
      region,
      backupName: backup.name,
      ...(backup.id ? { backupId: backup.id } : {}),
      files,
      concurrency: slots.size,
      download: { ...options.download, fetch: slots.limitFetch(options.download?.fetch ?? globalThis.fetch) },
      ...(signal ? { signal } : {}),
      onEvent: (event) => {
        if (event.type === "file-failed") return emit({ type: "file-failed", instanceId, file: event.name, error: event.error.message });
        if (event.type !== "file") return;
        const file = event.name;
        const size = sizes.get(file) ?? 0;
        const e = event.event;
        if (e.type === "resume") resumedFrom.set(file, e.from);
        else if (e.type === "request" && e.attempt === 1) emit({ type: "file-start", instanceId, file, size, from: e.from });
        else if (e.type === "progress") emit({ type: "file-progress", instanceId, file, written: e.written, size, fetched: e.fetched });
        else if (e.type === "retry") emit({ type: "file-note", instanceId, file, note: `retry in ${(e.delayMs / 1000).toFixed(1)} s: ${e.error}` });
        else if (e.type === "url-refresh") emit({ type: "file-note", instanceId, file, note: `fresh URL: ${e.reason}` });
        else if (e.type === "restart") emit({ type: "file-note", instanceId, file, note: `from byte 0: ${e.reason}` });
        else if (e.type === "done") emit({ type: "file-done", instanceId, file, size: e.result.size, fetched: e.result.bytesFetched, resumedFrom: e.result.resumedFrom, crcVerified: e.result.crcVerified });
      },
    });
    const outcomes: FileOutcome[] = set.files.map((f) => ({
      name: f.name,
      size: sizes.get(f.name) ?? 0,
      outcome: f.outcome,
      bytesFetched: f.bytesFetched,
      resumedFrom: resumedFrom.get(f.name) ?? 0,
      ...(f.error ? { error: f.error.message } : {}),
    }));
    const base = { region, instanceId, backupName: backup.name, directory, files: outcomes, bytesFetched: set.bytesFetched };
    if (set.status !== "complete" || !set.manifest) {
      const failed = outcomes.filter((f) => f.outcome === "failed");
      return { ...base, status: "incomplete", seconds: seconds(), error: `${failed.length} of ${outcomes.length} files failed: ${failed.map((f) => `${f.name}: ${f.error}`).join("; ")}` };
    }
    const s3KeyPrefix = await copyOff(options, directory, set.manifest, emit);
    return { ...base, status: "complete", seconds: seconds(), ...(s3KeyPrefix ? { s3KeyPrefix } : {}) };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    // A choice the API cannot make is the run's problem (a usage error), not this instance's.
    if (error instanceof NotAvailableError) throw error;
    return {
      region,
      instanceId,
      ...(backup ? { backupName: backup.name } : {}),
      ...(directory ? { directory } : {}),
      status: "failed",
      files: [],
      bytesFetched: 0,
      seconds: seconds(),
      error: describe(error),
    };
  }
}

/** Uploads the verified backup and applies the retention; the key prefix of the copy. */
async function copyOff(options: BackupJobOptions, directory: string, manifest: BackupManifest, emit: (event: JobEvent) => void): Promise<string | undefined> {
  if (!options.s3) return undefined;
  const { createS3Client, uploadBackup, applyRetention } = await import("./s3-upload.js");
  const client = await createS3Client(options.s3.target);
  try {
    const uploaded = await uploadBackup({ client, target: options.s3.target, directory, manifest, ...(options.signal ? { signal: options.signal } : {}) });
    const deleted = options.s3.retention ? (await applyRetention(client, options.s3.target, manifest.instanceId, options.s3.retention)).deleted : [];
    emit({ type: "s3-copied", instanceId: manifest.instanceId, keyPrefix: uploaded.keyPrefix, deleted });
    return uploaded.keyPrefix;
  } finally {
    client.destroy();
  }
}

/**
 * A cap on downloads across instances: a permit is taken before each GET and held until its body
 * has been read, cancelled or has failed, so `size` files stream at once in the whole job.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(readonly size: number) {}

  async acquire(signal?: AbortSignal | null): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.active >= this.size) {
      await new Promise<void>((resolve, reject) => {
        const go = () => {
          signal?.removeEventListener("abort", stop);
          resolve();
        };
        const stop = () => {
          this.waiting.splice(this.waiting.indexOf(go), 1);
          reject(signal!.reason);
        };
        this.waiting.push(go);
        signal?.addEventListener("abort", stop, { once: true });
      });
    } else {
      this.active++;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }

  limitFetch(fetchImpl: typeof globalThis.fetch): typeof globalThis.fetch {
    return async (input, init) => {
      const release = await this.acquire(init?.signal);
      let response: Response;
      try {
        response = await fetchImpl(input, init);
      } catch (error) {
        release();
        throw error;
      }
      if (!response.body) {
        release();
        return response;
      }
      const reader = response.body.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          try {
            const { done, value } = await reader.read();
            if (done) {
              release();
              controller.close();
            } else controller.enqueue(value);
          } catch (error) {
            release();
            controller.error(error);
          }
        },
        async cancel(reason) {
          release();
          await reader.cancel(reason);
        },
      });
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    };
  }
}

/** A backup or replica set name as a file name: `cmgo-p8vnipr5_2021-03-25 03:00` → `cmgo-p8vnipr5_2021-03-25_03-00`. */
export function safeName(name: string): string {
  return name.replace(/:/g, "-").replace(/[^A-Za-z0-9._-]+/g, "_");
}

export function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error && !error.message.includes(error.cause.message) ? ` (${error.cause.message})` : "";
  return `${error.message}${cause}`;
}
