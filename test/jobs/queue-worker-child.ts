/**
 * One worker process of the queue tests. argv: redisUrl queueName workMs [lockDurationMs stalledIntervalMs]
 * Each run pushes `<instance> <pid>` to the Redis list `<queue>:starts` when it starts and to
 * `<queue>:done` when it ends; prints "ready" once the worker runs; SIGTERM closes it.
 */
import { Redis } from "ioredis";
import { startFleetWorker } from "../../jobs/backup/queue.js";

const [redisUrl, queueName, workMs, lockDurationMs, stalledIntervalMs] = process.argv.slice(2) as [string, string, string, string?, string?];
const redis = new Redis(redisUrl);
const fleet = startFleetWorker(
  {
    redis: redisUrl,
    queueName,
    name: `child-${process.pid}`,
    concurrency: 2,
    ...(lockDurationMs ? { lockDurationMs: Number(lockDurationMs) } : {}),
    ...(stalledIntervalMs ? { stalledIntervalMs: Number(stalledIntervalMs) } : {}),
  },
  async (job) => {
    await redis.rpush(`${queueName}:starts`, `${job.instanceId} ${process.pid}`);
    await new Promise((resolve) => setTimeout(resolve, Number(workMs)));
    await redis.rpush(`${queueName}:done`, `${job.instanceId} ${process.pid}`);
    return { pid: process.pid };
  },
);
await fleet.worker.waitUntilReady();
process.stdout.write("ready\n");
process.once("SIGTERM", () => {
  void fleet.close().then(() => redis.quit()).then(() => process.exit(0));
});
