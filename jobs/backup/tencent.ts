/**
 * What the backup job asks of Tencent Cloud, behind one small interface (`BackupApi`), so the job's
 * logic (job.ts) does not depend on which actions the client has.
 *
 * `createTencentBackupApi()` implements it with the generated mongodb client:
 * - `listInstances(regions)`: every instance of the account in each region (DescribeDBInstances,
 *   page by page), or the instances the caller named (`instances`), kept to the regions asked for;
 * - `listShards(instance)`: the replica sets / shards DescribeDBInstances lists in `ReplicaSets`,
 *   so the download tasks are created in one call (no probing of `<instance>_0`, `_1`, …);
 * - `newestBackup` / `namedBackup`: DescribeDBBackups (only the last seven days are listed);
 * - `createOnDemandBackup(instance)`: CreateBackupDBInstance with a remark naming this run, the
 *   waiter over DescribeAsyncRequestInfo, then the backup that carries the remark;
 * - `createDownloadTasks` / `refreshUrl`: CreateBackupDownloadTask, DescribeBackupDownloadTask and
 *   its waiter (the files and fresh URLs).
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
  /** Tencent's sharded clusters have at most this many shards (only when shards are not listed). Default 64. */
  readonly maxShards?: number;
  /**
   * CreateBackupDBInstance's BackupMethod for `--on-demand`: 1 physical (default: the General and the
   * Cloud Disk editions both support it, unless storage encryption is on), 0 logical, 3 snapshot.
   */
  readonly onDemandBackupMethod?: 0 | 1 | 3;
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
    async listInstances(regions, signal) {
      if (options.instances.length > 0) {
        return regions.length === 0 ? [...options.instances] : options.instances.filter((i) => regions.includes(i.region));
      }
      if (regions.length === 0) throw new NotAvailableError("name the instances with --instance, or the regions to list them from with --region");
      const found: InstanceRef[] = [];
      for (const region of regions) {
        for await (const instance of clientOf(region).paginateDescribeDBInstances({}, { signal })) found.push({ region, instanceId: instance.InstanceId });
      }
      return found;
    },

    async listShards(instance, signal) {
      for await (const listed of clientOf(instance.region).paginateDescribeDBInstances({ InstanceIds: [instance.instanceId] }, { signal })) {
        if (listed.InstanceId !== instance.instanceId) continue;
        const ids = (listed.ReplicaSets ?? []).map((set) => set.ReplicaSetId);
        // An instance listed without its replica sets (an old answer shape): fall back to asking shard by shard.
        return ids.length > 0 ? ids : undefined;
      }
      throw new BackupNotFoundError(`no instance ${instance.instanceId} in ${instance.region} (DescribeDBInstances does not list it)`);
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

    async createOnDemandBackup(instance, signal) {
      const client = clientOf(instance.region);
      // The remark names this run, so the backup it made is found again among the instance's backups.
      const remark = `tcgen-backup ${new Date().toISOString()}`;
      const { AsyncRequestId } = await client.createBackupDBInstance(
        { InstanceId: instance.instanceId, BackupMethod: options.onDemandBackupMethod ?? 1, BackupRemark: remark },
        { signal },
      );
      await client.waitForAsyncRequests({ AsyncRequestIds: [AsyncRequestId] }, { signal, timeoutMs: options.waitTimeoutMs ?? 30 * 60_000 });
      const backups = await backupsOf(instance, signal);
      const made = backups.find((b) => b.BackupDesc === remark && b.Status === BackupInfoStatus.Succeeded);
      if (!made) throw new BackupNotFoundError(`the on-demand backup of ${instance.instanceId} (request ${AsyncRequestId}) finished but DescribeDBBackups does not list it as successful`);
      return chosen(made, "on demand");
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
