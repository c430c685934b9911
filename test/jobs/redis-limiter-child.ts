/**
 * One process of the shared-limiter tests: `count` requests of `action` to `url`, each in a slot of
 * the Redis limiter; prints one JSON line at the end (the grants, or the error's name), then must
 * exit on its own after `close()`.
 * argv: redisUrl account action limit count url [deadlineMs]
 */
import { RedisRateLimiter } from "../../jobs/backup/redis-limiter.js";

const [redisUrl, account, action, limit, count, url, deadlineMs] = process.argv.slice(2) as [string, string, string, string, string, string, string?];
const limiter = new RedisRateLimiter({ redis: redisUrl, account });
const grants: number[] = [];
let error: string | undefined;
try {
  for (let i = 0; i < Number(count); i++) {
    await limiter.limitedCall(
      action,
      Number(limit),
      async () => {
        grants.push(Date.now());
        const response = await fetch(`${url}?pid=${process.pid}&i=${i}`);
        await response.arrayBuffer();
      },
      { deadlineMs: Number(deadlineMs ?? 60_000) },
    );
  }
} catch (caught) {
  error = caught instanceof Error ? caught.name : String(caught);
}
await limiter.close();
process.stdout.write(JSON.stringify({ pid: process.pid, grants, error }) + "\n");
