/**
 * What the backup job asks of Tencent Cloud, behind one small interface (`BackupApi`), so the job's
 * logic (job.ts) does not depend on which actions the client has.
 *
 * `createTencentBackupApi()` implements it with the actions the generated client has today:
 * DescribeDBBackups (the backups), CreateBackupDownloadTask, DescribeBackupDownloadTask and its
 * waiter (the files and fresh URLs). What it cannot do yet, and what will replace it:
 *
 * - `listInstances(regions)` returns the instances the caller named (`instances`), in the regions
 *   asked for; with none named it fails with `NotAvailableError`. The DescribeDBInstances version
 *   lists every instance of the account in each region, page by page, and keeps the named ones only
 *   as a filter.
 * - `listShards(instance)` answers `undefined` (not known before the tasks are made), and
 *   `createDownloadTasks` then finds the shards as the one-instance job does: it asks for
 *   `<instance>_0`, `_1`, … one task at a time until one is refused as not a shard of the instance
 *   (InvalidParameterValue). The DescribeDBInstances version reads the replica sets / shards from the
 *   instance's `ReplicaSets` and creates all tasks in one call.
 * - `createOnDemandBackup(instance)` fails with `NotAvailableError`; the version on
 *   CreateBackupDBInstance starts a backup, waits for it with DescribeAsyncRequestInfo, and answers
 *   the new backup as `newestBackup` does.
 */
import {
  BackupInfoStatus,
  createMongodbClient,
  TencentCloudApiError,
  type BackupInfo,
  type MongodbClient,
  type MongodbClientOptions,
} from "../../generated/mongodb/index.js";
import * as mongodbActions from "../../generated/mongodb/index.js";

export interface InstanceRef {
  readonly region: string;
  readonly instanceId: string;
}

export interface ChosenBackup {
  readonly name: string;
  readonly id?: string;
  /** "YYYY-MM-DD HH:mm:ss" as Tencent writes it. */
  readonly startTime?: string;
  /** How it was chosen, for the summary: "newest of 3", "as named", "on demand". */
  readonly how: string;
}

export interface BackupFileTask {
  readonly replicaSetId: string;
  readonly url: string;
  /** BackupSize of the task, in bytes. */
  readonly size: number;
}

export interface BackupApi {
  /** The instances to back up in these regions. */
  listInstances(regions: readonly string[], signal?: AbortSignal): Promise<InstanceRef[]>;
  /** The replica sets or shards of the instance, or undefined when only `createDownloadTasks` can find them. */
  listShards(instance: InstanceRef, signal?: AbortSignal): Promise<string[] | undefined>;
  /** The newest successful backup of the instance. */
  newestBackup(instance: InstanceRef, signal?: AbortSignal): Promise<ChosenBackup>;
  /** The backup of that name, which must have succeeded. */
  namedBackup(instance: InstanceRef, name: string, signal?: AbortSignal): Promise<ChosenBackup>;
  /** A fresh backup, created and waited for. */
  createOnDemandBackup(instance: InstanceRef, signal?: AbortSignal): Promise<ChosenBackup>;
  /** A download task per replica set or shard (all of them when `shards` is undefined), waited for until ready. */
  createDownloadTasks(instance: InstanceRef, backup: ChosenBackup, shards: readonly string[] | undefined, signal?: AbortSignal): Promise<BackupFileTask[]>;
  /** A fresh URL of a ready task's file (its URL expired or was refused). */
  refreshUrl(instance: InstanceRef, backup: ChosenBackup, replicaSetId: string, signal?: AbortSignal): Promise<string>;
}

/** What this API cannot do with the client's actions (see the module's comment); a usage problem, not a failure. */
export class NotAvailableError extends Error {
  override readonly name = "NotAvailableError";
}

/** The backup is not there or cannot be downloaded (a problem of that instance, not of the run). */
export class BackupNotFoundError extends Error {
  override readonly name = "BackupNotFoundError";
}

export interface TencentBackupApiOptions {
  /** The instances named by the user (`--instance`), with their regions. */
  readonly instances: readonly InstanceRef[];
  /** Options of every region's client: endpoint, credentials, `timeoutMs` (each call's deadline), fetch / limiter. */
  readonly client: Omit<MongodbClientOptions, "region">;
  /** Longest wait for the download tasks, in ms. Default 30 minutes. */
  readonly waitTimeoutMs?: number;
  /** Tencent's sharded clusters have at most this many shards. Default 64. */
  readonly maxShards?: number;
}

export function createTencentBackupApi(options: TencentBackupApiOptions): BackupApi {
  const clients = new Map<string, MongodbClient>();
  const clientOf = (region: string) => {
    let client = clients.get(region);
    if (!client) clients.set(region, (client = createMongodbClient({ ...options.client, region })));
    return client;
  };
  const maxShards = options.maxShards ?? 64;
  const backupsOf = async (instance: InstanceRef, signal?: AbortSignal) => {
    const backups: BackupInfo[] = [];
    for await (const backup of clientOf(instance.region).paginateDescribeDBBackups({ InstanceId: instance.instanceId }, { signal })) backups.push(backup);
    return backups;
  };
  const chosen = (backup: BackupInfo, how: string): ChosenBackup => ({
    name: backup.BackupName,
    ...(backup.BackId !== undefined ? { id: String(backup.BackId) } : {}),
    ...(backup.StartTime ? { startTime: backup.StartTime } : {}),
    how,
  });

  return {
    async listInstances(regions) {
      if (options.instances.length === 0) {
        throw new NotAvailableError(
          `listing the instances of ${regions.join(", ") || "a region"} needs DescribeDBInstances, which this client does not have yet; name the instances with --instance`,
        );
      }
      return regions.length === 0 ? [...options.instances] : options.instances.filter((i) => regions.includes(i.region));
    },

    async listShards() {
      return undefined;
    },

    async newestBackup(instance, signal) {
      const backups = await backupsOf(instance, signal);
      const succeeded = backups.filter((b) => b.Status === BackupInfoStatus.Succeeded);
      // "YYYY-MM-DD HH:mm:ss" sorts as text; the name (which ends with the time) breaks ties.
      const newest = succeeded.sort((a, b) => `${a.StartTime}${a.BackupName}`.localeCompare(`${b.StartTime}${b.BackupName}`)).at(-1);
      if (!newest) throw new BackupNotFoundError(`${instance.instanceId} has no successful backup (DescribeDBBackups lists ${backups.length}; only the last seven days are kept)`);
      return chosen(newest, `newest successful of ${backups.length}`);
    },

    async namedBackup(instance, name, signal) {
      const backups = await backupsOf(instance, signal);
      const named = backups.find((b) => b.BackupName === name);
      if (!named) throw new BackupNotFoundError(`${instance.instanceId} has no backup named "${name}"; it has: ${backups.map((b) => b.BackupName).join(", ") || "none"}`);
      if (named.Status !== BackupInfoStatus.Succeeded) throw new BackupNotFoundError(`backup "${name}" of ${instance.instanceId} has not succeeded (Status ${named.Status})`);
      return chosen(named, "as named");
    },

    async createOnDemandBackup(instance) {
      throw new NotAvailableError(
        `an on-demand backup of ${instance.instanceId} needs CreateBackupDBInstance and DescribeAsyncRequestInfo, which this client does not have yet; use the newest backup or --backup NAME`,
      );
    },

    async createDownloadTasks(instance, backup, shards, signal) {
      const client = clientOf(instance.region);
      const base = { InstanceId: instance.instanceId, BackupName: backup.name };
      let ids: string[];
      if (shards) {
        const { Tasks } = await client.createBackupDownloadTask({ ...base, BackupSets: shards.map((id) => ({ ReplicaSetId: id })) }, { signal });
        ids = Tasks.map((t) => t.ReplicaSetId);
      } else {
        ids = [];
        for (let n = 0; n < maxShards; n++) {
          const id = `${instance.instanceId}_${n}`;
          try {
            await client.createBackupDownloadTask({ ...base, BackupSets: [{ ReplicaSetId: id }] }, { signal });
            ids.push(id);
          } catch (error) {
            // `<instance>_0` always exists; a refused later one marks the end of the shards.
            if (ids.length > 0 && error instanceof TencentCloudApiError && error.code === "InvalidParameterValue") break;
            throw error;
          }
        }
      }
      const tasks = await client.waitForBackupDownloadTasks({ ...base, ReplicaSetIds: ids }, { signal, timeoutMs: options.waitTimeoutMs ?? 30 * 60_000 });
      return tasks.map((t) => ({ replicaSetId: t.ReplicaSetId, url: t.Url, size: t.BackupSize }));
    },

    async refreshUrl(instance, backup, replicaSetId, signal) {
      const client = clientOf(instance.region);
      // Newest first: the first ready task of the replica set is the one the job downloads from.
      for await (const task of client.paginateDescribeBackupDownloadTask({ InstanceId: instance.instanceId, BackupName: backup.name }, { signal })) {
        if (task.ReplicaSetId === replicaSetId && task.Status === 2 && task.Url) return task.Url;
      }
      throw new BackupNotFoundError(`no ready download task of ${replicaSetId} (backup "${backup.name}") is listed any more`);
    },
  };
}

/** Each mongodb action's `x-tc-rate-limit`, read from its descriptor: what the shared Redis limiter enforces. */
export const mongodbRateLimits: Readonly<Record<string, number>> = Object.fromEntries(
  (Object.values(mongodbActions) as unknown[])
    .filter((value): value is { action: string; rateLimit: number } => typeof value === "object" && value !== null && "action" in value && "rateLimit" in value)
    .map((descriptor) => [descriptor.action, descriptor.rateLimit]),
);
