/** What the emulator's mongodb actions do with its world, in Tencent's words when they fail. */
import type { MockAnswer, MockCall, MockHandler } from "../../runtime/mock/server.js";
import type { MongodbWorld } from "./world.js";

const failure = (code: string, message: string): MockAnswer => ({ error: { code, message } });

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
  };
}
