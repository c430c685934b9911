/**
 * The emulator's in-memory TencentDB for MongoDB: instances with their replica sets or shards, their
 * backups, and the download tasks created for them. Task status is derived from the clock, so a task
 * moves 0 (waiting) → 1 (downloading, with Percent) → 2 (completed) without timers.
 */

export type ClusterType = "replicaset" | "sharded";

export interface BackupSeed {
  /** `<InstanceId>_<YYYY-MM-DD HH:mm>`, as Tencent names backups. */
  readonly BackupName: string;
  /** 0 logical, 1 physical, 3 snapshot. */
  readonly BackupMethod?: number;
  /** 0 automatic, 1 manual. */
  readonly BackupType?: number;
  /** "YYYY-MM-DD HH:mm:ss" (no zone, as Tencent answers). */
  readonly StartTime: string;
  readonly EndTime: string;
  /** Size in KB, as DescribeDBBackups reports it. */
  readonly BackupSize: number;
  /** 1 in progress, 2 succeeded, 3 failed. */
  readonly Status?: number;
  readonly BackupDesc?: string;
}

export interface InstanceSeed {
  readonly InstanceId: string;
  readonly ClusterType: ClusterType;
  /** Number of shards of a sharded cluster (a replica set instance has one replica set, `<id>_0`). */
  readonly Shards?: number;
  readonly Region?: string;
  readonly Backups?: readonly BackupSeed[];
}

export interface WorldOptions {
  /** Replaces the default instances. */
  readonly instances?: readonly InstanceSeed[];
  /** How long a new download task waits (Status 0), in ms. Default 300. */
  readonly taskQueuedMs?: number;
  /** How long it then prepares the file (Status 1), in ms. Default 1,200. */
  readonly taskRunningMs?: number;
  /** Size in bytes of each downloadable backup file the emulator serves. Default 4 MiB. */
  readonly fileBytes?: number;
  /** How long an on-demand backup (CreateBackupDBInstance) runs before it succeeds, in ms. Default 1,500. */
  readonly backupMs?: number;
}

/** An instance's automatic backup rule (DescribeBackupRules / SetBackupRules). */
export interface BackupRule {
  /** 0 logical, 1 physical, 3 snapshot. */
  BackupMethod: number;
  /** Hour of the day the automatic backup starts (0–23). */
  BackupTime: number;
  /** Days backups are kept. */
  BackupSaveTime: number;
  /** Days of the week it runs, "0,1,…,6". */
  ActiveWeekdays: string;
  /** Hours between backups: 12 or 24. */
  BackupFrequency: number;
}

/** An asynchronous request (DescribeAsyncRequestInfo), here always an on-demand backup. */
export interface AsyncRequest {
  /** Decimal, as Tencent answers it. */
  readonly AsyncRequestId: string;
  readonly InstanceId: string;
  /** The backup it makes, listed by DescribeDBBackups with Status 1 until it succeeds. */
  readonly BackupName: string;
  readonly CreatedMs: number;
  /** Set to force an outcome (tests): "failed", "paused", "undoed", or "running" forever. */
  forcedStatus?: "failed" | "paused" | "undoed" | "running";
}

export interface Instance {
  readonly InstanceId: string;
  readonly ClusterType: ClusterType;
  readonly Region: string;
  /** `<InstanceId>_0` … `<InstanceId>_<n-1>`. */
  readonly ReplicaSetIds: readonly string[];
  readonly Backups: BackupSeed[];
  /** The automatic backup rule (DescribeBackupRules); default: physical, daily at 03:00, kept 7 days. */
  readonly BackupRule: BackupRule;
}

export interface DownloadTask {
  /** The emulator's id of the task, used in its download URL. */
  readonly id: number;
  readonly InstanceId: string;
  readonly BackupName: string;
  readonly ReplicaSetId: string;
  readonly CreatedMs: number;
  /** Set to force an outcome (tests): 3 failed, 4 waiting for retry. */
  forcedStatus?: number;
}

/** The default world: the API page's replica set instance, and a sharded cluster with 3 shards. */
export const DEFAULT_INSTANCES: readonly InstanceSeed[] = [
  {
    InstanceId: "cmgo-dygv1rnp",
    ClusterType: "replicaset",
    Region: "ap-guangzhou",
    Backups: [
      { BackupName: "cmgo-dygv1rnp_2021-03-26 10:44", StartTime: "2021-03-26 10:44:00", EndTime: "2021-03-26 10:46:12", BackupSize: 1_536, BackupMethod: 0, BackupType: 1 },
      { BackupName: "cmgo-dygv1rnp_2021-03-27 03:00", StartTime: "2021-03-27 03:00:00", EndTime: "2021-03-27 03:02:31", BackupSize: 1_620, BackupMethod: 1, BackupType: 0 },
    ],
  },
  {
    InstanceId: "cmgo-p8vnipr5",
    ClusterType: "sharded",
    Shards: 3,
    Region: "ap-guangzhou",
    Backups: [
      { BackupName: "cmgo-p8vnipr5_2021-03-24 15:40", StartTime: "2021-03-24 15:40:00", EndTime: "2021-03-24 15:49:05", BackupSize: 20_480, BackupMethod: 1, BackupType: 1 },
      { BackupName: "cmgo-p8vnipr5_2021-03-25 03:00", StartTime: "2021-03-25 03:00:00", EndTime: "2021-03-25 03:11:40", BackupSize: 21_504, BackupMethod: 1, BackupType: 0 },
    ],
  },
];

export class MongodbWorld {
  readonly instances = new Map<string, Instance>();
  readonly tasks: DownloadTask[] = [];
  readonly taskQueuedMs: number;
  readonly taskRunningMs: number;
  readonly fileBytes: number;
  readonly backupMs: number;
  /** Every asynchronous request (on-demand backup) created, oldest first. */
  readonly asyncRequests: AsyncRequest[] = [];
  /** Called with each new asynchronous request (tests): set `request.forcedStatus` to force its outcome. */
  onAsyncRequestCreated: ((request: AsyncRequest) => void) | undefined;
  /**
   * Called with each new download task (tests): set `task.forcedStatus = 3` to make it fail, e.g.
   * `mock.world.onTaskCreated = (task) => { if (task.ReplicaSetId.endsWith("_1")) task.forcedStatus = 3; }`.
   */
  onTaskCreated: ((task: DownloadTask) => void) | undefined;

  constructor(options: WorldOptions = {}) {
    this.taskQueuedMs = options.taskQueuedMs ?? 300;
    this.taskRunningMs = options.taskRunningMs ?? 1_200;
    this.fileBytes = options.fileBytes ?? 4 * 1024 * 1024;
    this.backupMs = options.backupMs ?? 1_500;
    if (!(Number.isInteger(this.fileBytes) && this.fileBytes >= 0)) throw new RangeError(`fileBytes must be a whole number of bytes, got ${options.fileBytes}`);
    for (const seed of options.instances ?? DEFAULT_INSTANCES) this.addInstance(seed);
  }

  addInstance(seed: InstanceSeed): Instance {
    const count = seed.ClusterType === "sharded" ? (seed.Shards ?? 2) : 1;
    const instance: Instance = {
      InstanceId: seed.InstanceId,
      ClusterType: seed.ClusterType,
      Region: seed.Region ?? "ap-guangzhou",
      ReplicaSetIds: Array.from({ length: count }, (_, n) => `${seed.InstanceId}_${n}`),
      Backups: (seed.Backups ?? []).map((b) => ({ Status: 2, BackupMethod: 0, BackupType: 0, ...b })),
      BackupRule: { BackupMethod: 1, BackupTime: 3, BackupSaveTime: 7, ActiveWeekdays: "0,1,2,3,4,5,6", BackupFrequency: 24 },
    };
    this.instances.set(instance.InstanceId, instance);
    return instance;
  }

  addBackup(instanceId: string, backup: BackupSeed): void {
    const instance = this.instances.get(instanceId);
    if (!instance) throw new Error(`no instance ${instanceId} in the emulator's world`);
    instance.Backups.push({ Status: 2, BackupMethod: 0, BackupType: 0, ...backup });
  }

  /**
   * Starts an on-demand backup of `instanceId` at `nowMs` (CreateBackupDBInstance): listed at once
   * with Status 1 (in progress), succeeding `backupMs` later (`settleBackups`).
   */
  createOnDemandBackup(instanceId: string, backupMethod: number, remark: string | undefined, nowMs: number): AsyncRequest {
    const instance = this.instances.get(instanceId);
    if (!instance) throw new Error(`no instance ${instanceId} in the emulator's world`);
    // Tencent names a backup after its start, to the minute, in China Standard Time (UTC+8).
    const start = plainTime(nowMs + CHINA_STANDARD_TIME_MS);
    let BackupName = `${instanceId}_${start.slice(0, 16)}`;
    for (let n = 2; instance.Backups.some((b) => b.BackupName === BackupName); n++) BackupName = `${instanceId}_${start.slice(0, 16)} (${n})`;
    const request: AsyncRequest = { AsyncRequestId: String(10_000 + this.asyncRequests.length + 1), InstanceId: instanceId, BackupName, CreatedMs: nowMs };
    this.asyncRequests.push(request);
    instance.Backups.push({ BackupName, BackupMethod: backupMethod, BackupType: 1, StartTime: start, EndTime: "", BackupSize: 0, Status: 1, ...(remark !== undefined ? { BackupDesc: remark } : {}) });
    this.onAsyncRequestCreated?.(request);
    return request;
  }

  /** Status of an asynchronous request at `nowMs`: running until `backupMs` has passed, then success. */
  asyncStatusOf(request: AsyncRequest, nowMs: number): { Status: "running" | "success" | "failed" | "paused" | "undoed"; EndMs: number | undefined } {
    if (request.forcedStatus !== undefined) return { Status: request.forcedStatus, EndMs: request.forcedStatus === "running" ? undefined : request.CreatedMs };
    return nowMs - request.CreatedMs < this.backupMs ? { Status: "running", EndMs: undefined } : { Status: "success", EndMs: request.CreatedMs + this.backupMs };
  }

  /**
   * Brings on-demand backups up to `nowMs`: a finished one gets its end time and size, and Status 2;
   * a failed one is no longer listed (DescribeDBBackups documents Status 1 and 2 only).
   */
  settleBackups(nowMs: number): void {
    for (const request of this.asyncRequests) {
      const instance = this.instances.get(request.InstanceId);
      const index = instance?.Backups.findIndex((b) => b.BackupName === request.BackupName && b.Status === 1) ?? -1;
      if (!instance || index < 0) continue;
      const { Status, EndMs } = this.asyncStatusOf(request, nowMs);
      if (Status === "running" || EndMs === undefined) continue;
      const backup = instance.Backups[index]!;
      if (Status !== "success") instance.Backups.splice(index, 1);
      else instance.Backups[index] = { ...backup, EndTime: plainTime(EndMs + CHINA_STANDARD_TIME_MS), BackupSize: Math.ceil((this.fileBytes * instance.ReplicaSetIds.length) / 1024), Status: 2 };
    }
  }

  /** The task for (instance, backup, replica set), created at `nowMs` unless one is already under way. */
  downloadTask(instanceId: string, backupName: string, replicaSetId: string, nowMs: number): DownloadTask {
    const existing = this.tasks.find(
      (t) => t.InstanceId === instanceId && t.BackupName === backupName && t.ReplicaSetId === replicaSetId && this.statusOf(t, nowMs).Status !== 3,
    );
    if (existing) return existing;
    const task: DownloadTask = { id: this.tasks.length + 1, InstanceId: instanceId, BackupName: backupName, ReplicaSetId: replicaSetId, CreatedMs: nowMs };
    this.tasks.push(task);
    this.onTaskCreated?.(task);
    return task;
  }

  /** When the task's file became ready (Status 2), or undefined while it is not. */
  finishedAtMs(task: DownloadTask, nowMs: number): number | undefined {
    if (this.statusOf(task, nowMs).Status !== 2) return undefined;
    return task.forcedStatus === 2 ? task.CreatedMs : task.CreatedMs + this.taskQueuedMs + this.taskRunningMs;
  }

  /** Status and Percent of a task at `nowMs`, from its age. */
  statusOf(task: DownloadTask, nowMs: number): { Status: number; Percent: number } {
    if (task.forcedStatus !== undefined) return { Status: task.forcedStatus, Percent: task.forcedStatus === 2 ? 100 : 0 };
    const age = nowMs - task.CreatedMs;
    if (age < this.taskQueuedMs) return { Status: 0, Percent: 0 };
    if (age < this.taskQueuedMs + this.taskRunningMs) {
      return { Status: 1, Percent: Math.min(99, Math.floor(((age - this.taskQueuedMs) / this.taskRunningMs) * 100)) };
    }
    return { Status: 2, Percent: 100 };
  }
}

/** Tencent writes times as "YYYY-MM-DD HH:mm:ss" in China Standard Time (UTC+8). */
export const CHINA_STANDARD_TIME_MS = 8 * 3_600_000;

/** "YYYY-MM-DD HH:mm:ss" of a UTC instant (shift it first for another zone). */
export function plainTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/** Byte `offset` onwards of a task's file: the same bytes for the same task every time. */
export function fileChunk(taskId: number, offset: number, length: number): Buffer {
  const chunk = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) {
    const n = offset + i;
    // A cheap mix of position and task, so a truncated or shifted download does not compare equal.
    chunk[i] = (Math.imul(n ^ (n >>> 7), 2654435761) + Math.imul(taskId, 40503)) >>> 24;
  }
  return chunk;
}
