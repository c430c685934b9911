/** What the emulator's mongodb actions do with its world, in Tencent's words when they fail. */
import type { MockAnswer, MockCall, MockHandler } from "../../server.js";
import { downloadUrl } from "./download.js";
import { mongodbMock } from "../../../generated/mongodb/mock.js";
import { CHINA_STANDARD_TIME_MS, plainTime, type BackupSeed, type DownloadTask, type Instance, type MongodbWorld } from "./world.js";

const failure = (code: string, message: string): MockAnswer => ({ error: { code, message } });
const notFound = (instanceId: string) => failure("InvalidParameterValue.NotFoundInstance", `instance ${instanceId} was not found`);

/** DescribeBackupDownloadTask's defaults, as documented. */
const DEFAULT_TASK_LIMIT = 20;
/** DescribeDBInstances' page size when Limit is not given, as documented. */
const DEFAULT_INSTANCE_LIMIT = 20;
/** Where the emulator says its files are kept (Tencent names a COS bucket). */
const BUCKET = "tcgen-mock-backups";
/** How long Tencent keeps a backup; DeleteTime is this long after its end. */
const BACKUP_RETENTION_MS = 7 * 86_400_000;

export function mongodbHandlers(world: MongodbWorld): Record<string, MockHandler> {
  return {
    CreateBackupDownloadTask(call: MockCall): MockAnswer {
      const { InstanceId, BackupName, BackupSets } = call.params as {
        InstanceId: string;
        BackupName: string;
        BackupSets: { ReplicaSetId: string }[];
      };
      const instance = world.instances.get(InstanceId);
      if (!instance) return failure("InvalidParameterValue.NotFoundInstance", `instance ${InstanceId} was not found`);
      if (!instance.Backups.some((b) => b.BackupName === BackupName && b.Status === 2)) {
        return failure("InvalidParameterValue.BackupFileNotFound", `backup "${BackupName}" of ${InstanceId} was not found`);
      }
      for (const [i, set] of BackupSets.entries()) {
        if (!instance.ReplicaSetIds.includes(set.ReplicaSetId)) {
          return failure(
            "InvalidParameterValue",
            `parameter BackupSets.${i}.ReplicaSetId: ${set.ReplicaSetId} is not a ${instance.ClusterType === "sharded" ? "shard" : "replica set"} of ${InstanceId} (it has ${instance.ReplicaSetIds.join(", ")})`,
          );
        }
      }
      const Tasks = BackupSets.map(({ ReplicaSetId }) => {
        const task = world.downloadTask(InstanceId, BackupName, ReplicaSetId, call.nowMs);
        return { ReplicaSetId, Status: world.statusOf(task, call.nowMs).Status };
      });
      return { response: { Tasks } };
    },

    DescribeDBBackups(call: MockCall): MockAnswer {
      const { InstanceId, BackupMethod, Limit, Offset = 0 } = call.params as { InstanceId: string; BackupMethod?: number; Limit?: number; Offset?: number };
      const instance = world.instances.get(InstanceId);
      if (!instance) return notFound(InstanceId);
      world.settleBackups(call.nowMs);
      // Oldest first, as the API page's example lists them; without Limit, every backup.
      const matching = instance.Backups.filter((b) => BackupMethod === undefined || b.BackupMethod === BackupMethod).sort((a, b) => compare(a.StartTime, b.StartTime));
      const page = matching.slice(Offset, Limit === undefined ? undefined : Offset + Limit);
      return { response: { BackupList: page.map((backup) => backupInfo(instance, backup)), TotalCount: matching.length } };
    },

    DescribeBackupDownloadTask(call: MockCall): MockAnswer {
      const params = call.params as {
        InstanceId: string;
        BackupName?: string;
        StartTime?: string;
        EndTime?: string;
        Limit?: number;
        Offset?: number;
        OrderBy?: "createTime" | "finishTime";
        OrderByType?: "asc" | "desc";
        Status?: number[];
      };
      const instance = world.instances.get(params.InstanceId);
      if (!instance) return notFound(params.InstanceId);
      if (params.BackupName !== undefined && !instance.Backups.some((b) => b.BackupName === params.BackupName)) {
        return failure("InvalidParameterValue.BackupFileNotFound", `backup "${params.BackupName}" of ${params.InstanceId} was not found`);
      }
      const listed = world.tasks
        .filter((task) => task.InstanceId === instance.InstanceId && (params.BackupName === undefined || task.BackupName === params.BackupName))
        .map((task) => ({ task, view: downloadTaskView(world, instance, task, call) }))
        .filter(({ view }) => params.Status === undefined || params.Status.includes(view.Status))
        .filter(({ view }) => (params.StartTime === undefined || view.CreateTime >= params.StartTime) && (params.EndTime === undefined || view.CreateTime <= params.EndTime));
      // Newest first by default; ties in creation order, so pages never overlap.
      const sortKey = (task: DownloadTask) => (params.OrderBy === "finishTime" ? (world.finishedAtMs(task, call.nowMs) ?? Infinity) : task.CreatedMs);
      const direction = params.OrderByType === "asc" ? 1 : -1;
      listed.sort((a, b) => direction * (sortKey(a.task) - sortKey(b.task) || a.task.id - b.task.id));
      // Offset counts pages of Limit tasks here, as the API documents it.
      const limit = params.Limit ?? DEFAULT_TASK_LIMIT;
      const start = (params.Offset ?? 0) * limit;
      return { response: { TotalCount: listed.length, Tasks: listed.slice(start, start + limit).map(({ view }) => view) } };
    },

    DescribeDBInstances(call: MockCall): MockAnswer {
      const params = call.params as { InstanceIds?: string[]; ClusterType?: number; Status?: number[]; Limit?: number; Offset?: number; OrderByType?: "ASC" | "DESC" };
      // In the order they were added (Tencent's default order is its own); ClusterType -1 or absent: both kinds.
      const matching = [...world.instances.values()].filter(
        (instance) =>
          (params.InstanceIds === undefined || params.InstanceIds.length === 0 || params.InstanceIds.includes(instance.InstanceId)) &&
          (params.ClusterType === undefined || params.ClusterType === -1 || params.ClusterType === (instance.ClusterType === "sharded" ? 1 : 0)) &&
          (params.Status === undefined || params.Status.length === 0 || params.Status.includes(2)),
      );
      if (params.OrderByType === "DESC") matching.reverse();
      // Offset counts instances, Limit is the page size (default 20), as the API page documents.
      const offset = params.Offset ?? 0;
      const page = matching.slice(offset, offset + (params.Limit ?? DEFAULT_INSTANCE_LIMIT));
      return { response: { TotalCount: matching.length, InstanceDetails: page.map((instance) => instanceDetail(instance)) } };
    },

    CreateBackupDBInstance(call: MockCall): MockAnswer {
      const { InstanceId, BackupMethod, BackupRemark } = call.params as { InstanceId: string; BackupMethod: number; BackupRemark?: string };
      if (!world.instances.has(InstanceId)) return notFound(InstanceId);
      const request = world.createOnDemandBackup(InstanceId, BackupMethod, BackupRemark, call.nowMs);
      return { response: { AsyncRequestId: request.AsyncRequestId } };
    },

    DescribeAsyncRequestInfo(call: MockCall): MockAnswer {
      const { AsyncRequestId } = call.params as { AsyncRequestId: string };
      const request = world.asyncRequests.find((r) => r.AsyncRequestId === AsyncRequestId);
      if (!request) return failure("InvalidParameterValue", `parameter AsyncRequestId: no asynchronous request ${AsyncRequestId}`);
      world.settleBackups(call.nowMs);
      const { Status, EndMs } = world.asyncStatusOf(request, call.nowMs);
      return {
        response: {
          Status,
          StartTime: plainTime(request.CreatedMs + CHINA_STANDARD_TIME_MS),
          EndTime: EndMs === undefined ? "" : plainTime(EndMs + CHINA_STANDARD_TIME_MS),
        },
      };
    },

    DescribeBackupRules(call: MockCall): MockAnswer {
      const { InstanceId } = call.params as { InstanceId: string };
      const instance = world.instances.get(InstanceId);
      if (!instance) return notFound(InstanceId);
      // The example's answer for what the world does not model (long-term retention, quotas).
      const example = exampleAnswer("DescribeBackupRules");
      return { response: { ...example, ...instance.BackupRule } };
    },

    SetBackupRules(call: MockCall): MockAnswer {
      const params = call.params as { InstanceId: string; BackupMethod?: number; BackupTime?: number; BackupRetentionPeriod?: number; ActiveWeekdays?: string; BackupFrequency?: number };
      const instance = world.instances.get(params.InstanceId);
      if (!instance) return notFound(params.InstanceId);
      const rule = instance.BackupRule;
      if (params.BackupMethod !== undefined) rule.BackupMethod = params.BackupMethod;
      if (params.BackupTime !== undefined) rule.BackupTime = params.BackupTime;
      if (params.BackupRetentionPeriod !== undefined) rule.BackupSaveTime = params.BackupRetentionPeriod;
      if (params.ActiveWeekdays !== undefined) rule.ActiveWeekdays = params.ActiveWeekdays;
      if (params.BackupFrequency !== undefined) rule.BackupFrequency = params.BackupFrequency;
      return { response: {} };
    },
  };
}

/** The `Response` of the spec's first example of `action`, without its RequestId. */
function exampleAnswer(action: string): Record<string, unknown> {
  const response = (mongodbMock.actions[action]?.examples[0]?.response as { Response?: Record<string, unknown> } | undefined)?.Response ?? {};
  const { RequestId: _, ...rest } = response;
  return rest;
}

/**
 * An instance as DescribeDBInstances lists it: the spec example's instance (every member Tencent
 * answers) with the world's identity, kind, region and replica sets or shards.
 */
function instanceDetail(instance: Instance) {
  const template = (exampleAnswer("DescribeDBInstances")["InstanceDetails"] as Record<string, unknown>[])[0]!;
  const replicaSet = (template["ReplicaSets"] as Record<string, unknown>[])[0]!;
  return {
    ...template,
    InstanceId: instance.InstanceId,
    RealInstanceId: instance.InstanceId,
    InstanceName: instance.InstanceId,
    ClusterType: instance.ClusterType === "sharded" ? 1 : 0,
    Region: instance.Region,
    Zone: `${instance.Region}-2`,
    ReplicationSetNum: instance.ReplicaSetIds.length,
    ReplicaSets: instance.ReplicaSetIds.map((id) => ({ ...replicaSet, ReplicaSetId: id, ReplicaSetName: id, RealReplicaSetId: id })),
  };
}

/** A backup as DescribeDBBackups lists it; the world keeps sizes in KB, as this action reports them. */
function backupInfo(instance: Instance, backup: BackupSeed) {
  return {
    InstanceId: instance.InstanceId,
    BackId: backIdOf(instance.InstanceId, backup.BackupName),
    BackupName: backup.BackupName,
    BackupDesc: backup.BackupDesc ?? (backup.BackupType === 0 ? "Set daily scheduled automatic backup in the system background." : ""),
    BackupMethod: backup.BackupMethod ?? 0,
    BackupType: backup.BackupType ?? 0,
    BackupSize: backup.BackupSize,
    BackupRegion: "",
    StartTime: backup.StartTime,
    EndTime: backup.EndTime,
    // An on-demand backup still in progress has no end yet, so no deletion time either.
    DeleteTime: backup.EndTime === "" ? "" : plainTime(Date.parse(`${backup.EndTime.replace(" ", "T")}Z`) + BACKUP_RETENTION_MS),
    RestoreTime: backup.EndTime,
    Status: backup.Status ?? 2,
  };
}

/** A download task as DescribeBackupDownloadTask lists it: its file's size in bytes, its Url once Status is 2. */
function downloadTaskView(world: MongodbWorld, instance: Instance, task: DownloadTask, call: MockCall) {
  const { Status, Percent } = world.statusOf(task, call.nowMs);
  const backup = instance.Backups.find((b) => b.BackupName === task.BackupName);
  return {
    CreateTime: plainTime(task.CreatedMs + CHINA_STANDARD_TIME_MS),
    BackupName: task.BackupName,
    ReplicaSetId: task.ReplicaSetId,
    BackupSize: world.fileBytes,
    Status,
    Percent,
    TimeSpend: Math.floor(((world.finishedAtMs(task, call.nowMs) ?? call.nowMs) - task.CreatedMs) / 1000),
    Url: Status === 2 ? downloadUrl(call.baseUrl, task.id, task.ReplicaSetId) : "",
    BackupMethod: backup?.BackupMethod ?? 0,
    BackupDesc: backup?.BackupDesc ?? "",
    Region: instance.Region,
    Bucket: BUCKET,
  };
}

/** A stable record ID per backup (FNV-1a of its instance and name), as Tencent numbers its records. */
function backIdOf(instanceId: string, backupName: string): number {
  let hash = 0x811c9dc5;
  for (const char of `${instanceId}/${backupName}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return (hash >>> 0) % 100_000_000;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
