/** runtime/policy/limiter.ts: per-action client-side rate limiting on a fake clock. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ActionRateLimiter, RATE_WINDOW_MS } from "../../runtime/policy/limiter.js";

describe("ActionRateLimiter", () => {
  beforeEach(() => void vi.useFakeTimers({ now: 0 }));
  afterEach(() => void vi.useRealTimers());

  it("lets `limit` requests through per window, then queues in arrival order", async () => {
    const limiter = new ActionRateLimiter(2, () => Date.now());
    const order: number[] = [];
    const all = [1, 2, 3].map((i) => limiter.acquire().then((release) => (order.push(i), release())));
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(RATE_WINDOW_MS);
    await Promise.all(all);
    expect(order).toEqual([1, 2, 3]);
  });
  it("rejects a waiter with its signal's reason on abort", async () => {
    const limiter = new ActionRateLimiter(1, () => Date.now());
    const release = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
    release();
  });
  it("refuses a limit that is not positive", () => {
    expect(() => new ActionRateLimiter(0)).toThrow(RangeError);
  });
});
