/**
 * One worker process of `bench/fleet.ts`: the real job (jobs/backup/job.ts `backupInstance`, as
 * `tcgen-backup --fleet` runs it) taking instances from the fleet queue: DescribeDBInstances (the
 * shards), DescribeDBBackups, one CreateBackupDownloadTask for all shards, the waiter on
 * DescribeBackupDownloadTask, then each file downloaded with its size, CRC-64 and SHA-256 checked and
 * the manifest written. The client's in-process limiter is off; with `redis` every attempt takes a
 * slot of the shared Redis limiter first, with `off` nothing limits it.
 *
 * argv: redisUrl queueName endpoint secretId secretKey mode(redis|off) outDir
 * stdout: `start <instance>` when a run starts, `ready` once the worker runs.
 */
import { backupInstance, Semaphore } from "../jobs/backup/job.js";
import { startFleetWorker } from "../jobs/backup/queue.js";
import { fleetClientOptions, RedisRateLimiter } from "../jobs/backup/redis-limiter.js";
import { createTencentBackupApi, mongodbRateLimits } from "../jobs/backup/tencent.js";

const [redisUrl, queueName, endpoint, secretId, secretKey, mode, outDir] = process.argv.slice(2) as string[] as [string, string, string, string, string, "redis" | "off", string];
const limiter = mode === "redis" ? new RedisRateLimiter({ redis: redisUrl, account: secretId }) : undefined;
const api = createTencentBackupApi({
  instances: [],
  client: { endpoint, credentials: { secretId, secretKey }, ...(limiter ? fleetClientOptions(limiter, mongodbRateLimits) : { rateLimit: false }) },
});
const slots = new Semaphore(4);

const fleet = startFleetWorker(
  { redis: redisUrl, queueName, name: `worker-${process.pid}`, lockDurationMs: 2_000, stalledIntervalMs: 1_000 },
  async ({ region, instanceId }, { signal }) => {
    process.stdout.write(`start ${instanceId}\n`);
    const outcome = await backupInstance({ region, instanceId }, { api, out: outDir, ...(signal ? { signal } : {}) }, slots, () => {});
    if (outcome.status !== "complete") throw new Error(`${instanceId}: ${outcome.status}: ${outcome.error}`);
    return outcome;
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
