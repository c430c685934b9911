/**
 * The fleet run's invariants (bench/fleet.ts measures its figures): 8 worker processes, 40
 * instances, the emulator's rate limits on. With the shared Redis limiter: no RequestLimitExceeded
 * (the emulator's own per-second count), every instance done and started once, a SIGKILLed worker's
 * instance done by another. Without it: the emulator refuses, so this test can fail.
 */
import { expect, it } from "vitest";
import { formatRun, runFleet } from "../../bench/fleet.js";
import { describeRedis } from "../support/redis.js";

describeRedis("the fleet run against the emulator", () => {
  it("8 workers, 40 instances, the Redis limiter on: 0 RequestLimitExceeded, each instance done once, a killed worker's instance rescued", async () => {
    const result = await runFleet({ workers: 8, instances: 40, limiter: "redis", killOne: true });
    console.log(formatRun(result));
    expect(result.requestLimitExceeded).toBe(0);
    expect(result.summary).toMatchObject({ done: 40, failed: 0, active: 0, pending: 0 });
    // (The emulator's own count is the invariant; the busiest-second figures are read from its log's
    // answer times, a little after admission, so they are printed, not asserted: redis-limiter.test.ts
    // counts arrival windows exactly.)
    for (const instance of result.summary.instances) {
      expect(instance.attemptsStarted, instance.instanceId).toBe(instance.instanceId === result.killedInstance ? 2 : 1);
      expect((instance.result as { size: number }).size).toBe(64 * 1024);
    }
    // One CreateBackupDownloadTask per run: the killed worker's instance asked twice at most.
    expect(result.actions["CreateBackupDownloadTask"]!.calls).toBeLessThanOrEqual(41);
    expect(result.recoveryMs).toBeGreaterThan(0);
  }, 180_000);

  it("the same run without the Redis limiter gets RequestLimitExceeded from the emulator", async () => {
    const result = await runFleet({ workers: 8, instances: 40, limiter: "off" });
    console.log(formatRun(result));
    expect(result.requestLimitExceeded).toBeGreaterThan(0);
  }, 180_000);
});
