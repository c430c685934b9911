/**
 * The backup download job, as a team runs it, through the generated client exactly as another project
 * would use it (`import … from "tcgen/mongodb"`):
 *
 *   1. list the instance's backups (DescribeDBBackups, paged) and pick the newest successful one, or
 *      the one named by --backup;
 *   2. list the instance's replica sets or shards (DescribeDBInstances, paged) and create a download
 *      task for each (CreateBackupDownloadTask);
 *   3. wait until every task is ready (waitForBackupDownloadTasks: DescribeBackupDownloadTask polled
 *      with backoff);
 *   4. stream each task's `Url` to disk with a progress bar, never writing more than the task's
 *      `BackupSize`, check the byte count against it, and print a summary.
 *
 *   npx tsx examples/download-backup.ts --instance cmgo-p8vnipr5 [--backup NAME] [--out DIR]
 *                                       [--endpoint URL] [--region REGION] [--shards N] [--timeout-minutes M]
 *                                       [--call-timeout-seconds S] [--stall-seconds S]
 *
 * Nothing waits forever: every API call has a deadline (--call-timeout-seconds, default the client's
 * 120 s, each attempt at most 60 s), the wait for the files has --timeout-minutes, and a download
 * that receives nothing for --stall-seconds (default 60) is given up.
 *
 * With neither --endpoint nor credentials (TENCENTCLOUD_SECRET_ID or ~/.tencentcloud/credentials) it
 * runs against the embedded emulator (`tcgen/mock`): no cloud account needed. Ctrl-C stops cleanly:
 * each file is written as `<name>.part` and renamed only once complete and verified, so an interrupted
 * run leaves nothing under a final name.
 */
import { existsSync, createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { parseArgs } from "node:util";
import {
  BackupInfoBackupMethod,
  BackupInfoBackupType,
  BackupInfoStatus,
  createMongodbClient,
  WaiterFailedError,
  WaiterTimeoutError,
  type BackupDownloadTask,
  type BackupInfo,
  type MongodbClient,
  type WaiterProgress,
} from "tcgen/mongodb";
import { startMongodbMock, type RunningMongodbMock } from "tcgen/mock/mongodb";
import { fileProgress, formatBytes } from "./progress.js";

/** A download that receives no byte for this long (default) is given up. */
const DEFAULT_STALL_SECONDS = 60;
/** Tencent's sharded clusters have at most this many shards (the bound of --shards). */
const MAX_SHARDS = 64;
const STATUS_WORDS: Record<number, string> = { 0: "waiting", 1: "preparing", 2: "ready", 3: "failed", 4: "waiting to retry" };

class UsageError extends Error {}
/** The reason the run's AbortSignal carries after Ctrl-C. */
class Interrupted extends Error {
  override readonly name = "Interrupted";
}

const { values: args } = parseArgs({
  options: {
    instance: { type: "string" },
    backup: { type: "string" },
    out: { type: "string", default: "backups" },
    endpoint: { type: "string" },
    region: { type: "string" },
    shards: { type: "string" },
    "timeout-minutes": { type: "string", default: "30" },
    "call-timeout-seconds": { type: "string" },
    "stall-seconds": { type: "string", default: String(DEFAULT_STALL_SECONDS) },
  },
  strict: true,
});

const controller = new AbortController();
const interrupt = () => controller.abort(new Interrupted("interrupted"));
// The first Ctrl-C stops cleanly; a second one kills the process the usual way.
process.once("SIGINT", interrupt);
process.once("SIGTERM", interrupt);

let mock: RunningMongodbMock | undefined;
try {
  process.exitCode = await run();
} catch (error) {
  process.exitCode = report(error);
} finally {
  await mock?.close();
  process.removeListener("SIGINT", interrupt);
  process.removeListener("SIGTERM", interrupt);
}

async function run(): Promise<number> {
  const signal = controller.signal;
  const instanceId = args.instance;
  if (!instanceId) throw new UsageError("--instance is required, e.g. --instance cmgo-p8vnipr5");
  const timeoutMinutes = Number(args["timeout-minutes"]);
  if (!(timeoutMinutes > 0)) throw new UsageError(`--timeout-minutes must be a positive number, got "${args["timeout-minutes"]}"`);
  const callTimeoutSeconds = args["call-timeout-seconds"] === undefined ? undefined : Number(args["call-timeout-seconds"]);
  if (callTimeoutSeconds !== undefined && !(callTimeoutSeconds > 0)) {
    throw new UsageError(`--call-timeout-seconds must be a positive number, got "${args["call-timeout-seconds"]}"`);
  }
  const stallSeconds = Number(args["stall-seconds"]);
  if (!(stallSeconds > 0)) throw new UsageError(`--stall-seconds must be a positive number, got "${args["stall-seconds"]}"`);
  const shards = args.shards === undefined ? undefined : Number(args.shards);
  if (shards !== undefined && !(Number.isInteger(shards) && shards >= 1 && shards <= MAX_SHARDS)) {
    throw new UsageError(`--shards must be a whole number from 1 to ${MAX_SHARDS}, got "${args.shards}"`);
  }

  // Every API call of the run gets this deadline (the client's default when not given).
  const mongodb = await connect(callTimeoutSeconds === undefined ? {} : { timeoutMs: callTimeoutSeconds * 1000 });
  const started = performance.now();

  // 1. The backup: the one named, or the newest that succeeded.
  const backups: BackupInfo[] = [];
  for await (const backup of mongodb.paginateDescribeDBBackups({ InstanceId: instanceId }, { signal })) backups.push(backup);
  const backup = chooseBackup(backups, args.backup);
  console.log(
    `backup:   ${backup.BackupName}  (${args.backup ? "as named" : `newest successful of ${backups.length}`}; ` +
      `${nameOf(BackupInfoBackupMethod, backup.BackupMethod)}, ${nameOf(BackupInfoBackupType, backup.BackupType)}, ` +
      `${backup.BackupSize === undefined ? "size not reported" : formatBytes(backup.BackupSize * 1024)}, taken ${backup.StartTime ?? "?"})`,
  );

  // 2. A download task for every replica set or shard.
  const replicaSetIds = await createTasks(mongodb, instanceId, backup.BackupName, shards, signal);
  console.log(`tasks:    created for ${replicaSetIds.length === 1 ? "replica set" : `${replicaSetIds.length} shards:`} ${replicaSetIds.join(", ")}`);

  // 3. Wait until every file is ready.
  const waitStarted = performance.now();
  const tasks = await mongodb.waitForBackupDownloadTasks(
    { InstanceId: instanceId, BackupName: backup.BackupName, ReplicaSetIds: replicaSetIds },
    { signal, timeoutMs: timeoutMinutes * 60_000, onProgress: waitingLine() },
  );
  console.log(`ready:    after ${((performance.now() - waitStarted) / 1000).toFixed(1)} s\n`);

  // 4. Download, one file after the other, each verified before it gets its final name.
  const directory = path.resolve(args.out!, safeName(backup.BackupName));
  await mkdir(directory, { recursive: true });
  const files: { file: string; bytes: number }[] = [];
  for (const task of tasks) files.push({ file: await download(task, directory, signal, stallSeconds * 1000), bytes: task.BackupSize });

  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  console.log(`\ndone:     ${files.length} file${files.length === 1 ? "" : "s"}, ${formatBytes(total)}, every size verified against BackupSize, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (const { file, bytes } of files) {
    const shown = path.relative(process.cwd(), file);
    console.log(`  ${shown.startsWith("..") ? file : shown}  ${bytes} bytes`);
  }
  return 0;
}

/** The client: the endpoint given, Tencent Cloud when credentials exist, else the embedded emulator. */
async function connect(deadlines: { timeoutMs?: number }): Promise<MongodbClient> {
  const credentialsFile = path.join(os.homedir(), ".tencentcloud", "credentials");
  if (args.endpoint === undefined && !process.env["TENCENTCLOUD_SECRET_ID"] && !existsSync(credentialsFile)) {
    mock = await startMongodbMock();
    console.log(`emulator: mongodb 2019-07-25 on ${mock.url} (embedded; no cloud account needed)`);
    return createMongodbClient({ endpoint: mock.url, credentials: mock.credentials, region: args.region ?? "ap-guangzhou", ...deadlines });
  }
  console.log(`endpoint: ${args.endpoint ?? "https://mongodb.tencentcloudapi.com"}`);
  return createMongodbClient({ ...(args.endpoint ? { endpoint: args.endpoint } : {}), ...(args.region ? { region: args.region } : {}), ...deadlines });
}

function chooseBackup(backups: readonly BackupInfo[], name: string | undefined): BackupInfo {
  if (name !== undefined) {
    const named = backups.find((b) => b.BackupName === name);
    if (!named) throw new UsageError(`no backup named "${name}"; the instance has: ${backups.map((b) => b.BackupName).join(", ") || "none"}`);
    if (named.Status !== BackupInfoStatus.Succeeded) throw new UsageError(`backup "${name}" has not succeeded (Status ${named.Status})`);
    return named;
  }
  const succeeded = backups.filter((b) => b.Status === BackupInfoStatus.Succeeded);
  // "YYYY-MM-DD HH:mm:ss" sorts as text; the name (which ends with the time) breaks ties.
  const newest = succeeded.sort((a, b) => `${a.StartTime}${a.BackupName}`.localeCompare(`${b.StartTime}${b.BackupName}`)).at(-1);
  if (!newest) throw new UsageError(`the instance has no successful backup (DescribeDBBackups lists ${backups.length}; only the last seven days are kept)`);
  return newest;
}

/**
 * Creates one task for every replica set or shard and returns them. They are listed by
 * DescribeDBInstances (`ReplicaSets`: one replica set for a replica set instance, one entry per
 * shard of a sharded cluster); --shards N names `<instance>_0` … `_<N-1>` instead, for an account
 * whose policy allows CreateBackupDownloadTask but not DescribeDBInstances.
 */
async function createTasks(mongodb: MongodbClient, instanceId: string, backupName: string, shards: number | undefined, signal: AbortSignal): Promise<string[]> {
  const replicaSetIds = shards !== undefined ? Array.from({ length: shards }, (_, i) => `${instanceId}_${i}`) : await listReplicaSets(mongodb, instanceId, signal);
  const { Tasks } = await mongodb.createBackupDownloadTask({ InstanceId: instanceId, BackupName: backupName, BackupSets: replicaSetIds.map((id) => ({ ReplicaSetId: id })) }, { signal });
  return Tasks.map((t) => t.ReplicaSetId);
}

/** The replica sets or shards of the instance, as DescribeDBInstances lists them (paged). */
async function listReplicaSets(mongodb: MongodbClient, instanceId: string, signal: AbortSignal): Promise<string[]> {
  for await (const instance of mongodb.paginateDescribeDBInstances({ InstanceIds: [instanceId] }, { signal })) {
    if (instance.InstanceId !== instanceId) continue;
    const ids = (instance.ReplicaSets ?? []).map((set) => set.ReplicaSetId);
    if (ids.length === 0) throw new UsageError(`DescribeDBInstances lists no replica set or shard of ${instanceId}`);
    return ids;
  }
  throw new UsageError(`no instance ${instanceId} in this account and region (DescribeDBInstances does not list it)`);
}

/**
 * Streams the task's file to `<ReplicaSetId>.tar.part`, never writing more than `BackupSize` bytes,
 * checks its size, then renames it. A server that sends nothing for `stallMs` (before the headers or
 * in the middle of the body) is given up, like one that sends too much.
 */
async function download(task: BackupDownloadTask, directory: string, signal: AbortSignal, stallMs: number): Promise<string> {
  const name = `${safeName(task.ReplicaSetId)}.tar`;
  const target = path.join(directory, name);
  const partial = `${target}.part`;
  const progress = fileProgress(name, task.BackupSize);
  const stall = stallGuard(stallMs);
  const cut = AbortSignal.any([signal, stall.signal]);
  let written = 0;
  try {
    const response = await fetch(task.Url, { signal: cut });
    if (!response.ok || response.body === null) throw new Error(`GET ${redact(task.Url)} answered HTTP ${response.status}`);
    const announced = Number(response.headers.get("content-length") ?? NaN);
    if (!Number.isNaN(announced) && announced !== task.BackupSize) {
      throw new Error(`the server announces ${announced} bytes, but the task's BackupSize is ${task.BackupSize}`);
    }
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        stall.touch();
        // Checked before writing: a file longer than announced never reaches the disk past BackupSize.
        if (written + chunk.length > task.BackupSize) {
          done(new Error(`the server sent more than the task's BackupSize of ${task.BackupSize} bytes; stopped before writing past it`));
          return;
        }
        written += chunk.length;
        progress.add(chunk.length);
        done(null, chunk);
      },
    });
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), counter, createWriteStream(partial), { signal: cut });
    if (written !== task.BackupSize) throw new Error(`received ${written} bytes, but the task's BackupSize is ${task.BackupSize}`);
    await rename(partial, target);
    progress.finish(`verified: ${written} bytes = BackupSize`);
    return target;
  } catch (error) {
    await rm(partial, { force: true });
    const reason = stall.signal.aborted && !signal.aborted ? stall.signal.reason : error;
    progress.fail(signal.aborted ? "interrupted; partial file removed" : `${describe(reason)}; partial file removed`);
    throw signal.aborted ? signal.reason : new Error(`downloading ${name} failed: ${describe(reason)}`, { cause: reason });
  } finally {
    stall.dispose();
  }
}

/** A signal that aborts once `touch()` has not been called for `ms`. */
function stallGuard(ms: number): { signal: AbortSignal; touch(): void; dispose(): void } {
  const controller = new AbortController();
  const expire = () => controller.abort(new Error(`no data for ${ms / 1000} s (--stall-seconds)`));
  const timer = setTimeout(expire, ms);
  return {
    signal: controller.signal,
    touch: () => void timer.refresh(),
    dispose: () => clearTimeout(timer),
  };
}

/** The waiter's progress: a redrawn line on a terminal, a line per change otherwise. */
function waitingLine(): (progress: WaiterProgress<BackupDownloadTask>) => void {
  const tty = process.stdout.isTTY === true;
  let last = "";
  return (progress) => {
    const states = progress.items
      .map(({ key, item }) => `${key} ${item === undefined ? "not listed yet" : STATUS_WORDS[item.Status] ?? `Status ${item.Status}`}${item?.Status === 1 ? ` ${item.Percent}%` : ""}`)
      .join(", ");
    const text = `waiting:  ${progress.done}/${progress.items.length} ready (${states})`;
    if (text === last) return;
    last = text;
    if (tty) {
      process.stdout.clearLine?.(0);
      process.stdout.write(`\r${text}`);
      if (progress.nextPollInMs === undefined) process.stdout.write("\n");
    } else {
      console.log(text);
    }
  };
}

/** Exit status and message for a failed run. */
function report(error: unknown): number {
  if (controller.signal.aborted) {
    console.error("\ninterrupted: stopped; no file was left under its final name");
    return 130;
  }
  if (error instanceof UsageError) {
    console.error(`usage: ${error.message}`);
    return 2;
  }
  if (error instanceof WaiterFailedError) {
    console.error(`failed:   Tencent Cloud could not prepare the files of ${error.failedKeys.join(", ")}; create the download tasks again`);
    return 1;
  }
  if (error instanceof WaiterTimeoutError) {
    console.error(`timeout:  ${error.message}`);
    return 1;
  }
  console.error(`error:    ${describe(error)}`);
  return 1;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error && !error.message.includes(error.cause.message) ? ` (${error.cause.message})` : "";
  return `${error.message}${cause}`;
}

/** The name of an enum value, lower case: `nameOf(BackupInfoBackupMethod, 1)` is "physical". */
function nameOf(names: Readonly<Record<string, number>>, value: number): string {
  return (Object.keys(names).find((name) => names[name] === value) ?? `method ${value}`).toLowerCase();
}

/** A backup or replica set name as a file name: `cmgo-p8vnipr5_2021-03-25 03:00` → `cmgo-p8vnipr5_2021-03-25_03-00`. */
function safeName(name: string): string {
  return name.replace(/:/g, "-").replace(/[^A-Za-z0-9._-]+/g, "_");
}

/** A download URL without its query, which carries a signature. */
function redact(url: string): string {
  return url.replace(/\?.*$/, "?…");
}
