/**
 * One worker process of `bench/fleet.ts`: takes instances from the fleet queue and, for each, makes
 * the API calls the backup job makes (DescribeDBBackups, CreateBackupDownloadTask, then
 * DescribeBackupDownloadTask polls until the file is ready), downloads the file and checks its size
 * and SHA-256 (`downloadFile`). The client's in-process limiter is off; with `redis` every attempt
 * takes a slot of the shared Redis limiter first, with `off` nothing limits it.
 *
 * argv: redisUrl queueName endpoint secretId secretKey mode(redis|off) outDir pollMs
 * stdout: `start <instance>` when a run starts, `ready` once the worker runs.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { downloadFile } from "../jobs/backup/download.js";
import { startFleetWorker } from "../jobs/backup/queue.js";
import { fleetClientOptions, RedisRateLimiter } from "../jobs/backup/redis-limiter.js";
import { createMongodbClient, mongodbRateLimits } from "./fleet-deps.js";

const [redisUrl, queueName, endpoint, secretId, secretKey, mode, outDir, pollMs] = process.argv.slice(2) as string[] as [
  string, string, string, string, string, "redis" | "off", string, string,
];
const limiter = mode === "redis" ? new RedisRateLimiter({ redis: redisUrl, account: secretId }) : undefined;
const mongodb = createMongodbClient({
  endpoint,
  credentials: { secretId, secretKey },
  ...(limiter ? fleetClientOptions(limiter, mongodbRateLimits) : { rateLimit: false }),
});

const fleet = startFleetWorker(
  { redis: redisUrl, queueName, name: `worker-${process.pid}`, lockDurationMs: 2_000, stalledIntervalMs: 1_000 },
  async ({ instanceId }, { signal }) => {
    process.stdout.write(`start ${instanceId}\n`);
    const { BackupList } = await mongodb.describeDBBackups({ InstanceId: instanceId }, { signal });
    const backup = [...BackupList].filter((b) => b.Status === 2).sort((a, b) => ((a.StartTime ?? "") < (b.StartTime ?? "") ? 1 : -1))[0];
    if (!backup) throw new Error(`${instanceId}: no successful backup`);
    const replicaSetId = `${instanceId}_0`;
    await mongodb.createBackupDownloadTask({ InstanceId: instanceId, BackupName: backup.BackupName, BackupSets: [{ ReplicaSetId: replicaSetId }] }, { signal });
    let polls = 0;
    for (;;) {
      polls++;
      const { Tasks } = await mongodb.describeBackupDownloadTask({ InstanceId: instanceId, BackupName: backup.BackupName }, { signal });
      const task = Tasks.find((t) => t.ReplicaSetId === replicaSetId);
      if (task?.Status === 2 && task.Url) {
        const dir = path.join(outDir, instanceId);
        await mkdir(dir, { recursive: true });
        const file = await downloadFile({ url: task.Url, target: path.join(dir, `${replicaSetId}.bin`), expectedSize: task.BackupSize, signal });
        return { backup: backup.BackupName, polls, size: file.size, sha256: file.sha256 };
      }
      if (task?.Status === 3) throw new Error(`${instanceId}: download task ended with status ${task.Status}`);
      await new Promise((resolve) => setTimeout(resolve, Number(pollMs)));
    }
  },
);
await fleet.worker.waitUntilReady();
process.stdout.write("ready\n");
process.once("SIGTERM", () => {
  void fleet
    .close()
    .then(() => limiter?.close())
    .then(() => process.exit(0));
});
