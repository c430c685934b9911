/**
 * One process of the shared-limiter tests: `count` requests of `action` to `url`, each after a slot
 * from the Redis limiter; prints one JSON line at the end, then must exit on its own after `close()`.
 * argv: redisUrl account action limit count url
 */
import { RedisRateLimiter } from "../../jobs/backup/redis-limiter.js";

const [redisUrl, account, action, limit, count, url] = process.argv.slice(2) as [string, string, string, string, string, string];
const limiter = new RedisRateLimiter({ redis: redisUrl, account });
const grants: number[] = [];
for (let i = 0; i < Number(count); i++) {
  await limiter.limitedCall(action, Number(limit), async () => {
    grants.push(Date.now());
    const response = await fetch(`${url}?pid=${process.pid}&i=${i}`);
    await response.arrayBuffer();
  }, { deadlineMs: 60_000 });
}
await limiter.close();
process.stdout.write(JSON.stringify({ pid: process.pid, grants }) + "\n");
