/** runtime/policy/backoff.ts: the one backoff formula of retries (full jitter) and waiters (equal jitter). */
import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../runtime/policy/backoff.js";

describe("backoffDelay", () => {
  it("doubles from the base up to the cap", () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, 100, 5_000, "full", () => 0.999999));
    expect(ceilings).toEqual([99, 199, 399, 799, 1599, 3199, 4999]);
  });
  it("full jitter draws in [0, ceiling)", () => {
    expect(backoffDelay(3, 100, 5_000, "full", () => 0)).toBe(0);
    expect(backoffDelay(3, 100, 5_000, "full", () => 0.5)).toBe(200);
  });
  it("equal jitter keeps half of the ceiling fixed", () => {
    expect(backoffDelay(1, 1_000, 20_000, "equal", () => 0)).toBe(500);
    expect(backoffDelay(1, 1_000, 20_000, "equal", () => 0.999999)).toBe(1_000);
    expect(backoffDelay(10, 1_000, 20_000, "equal", () => 0.5)).toBe(15_000);
  });
});
