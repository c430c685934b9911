/** runtime/policy/budget.ts: the retry budget, a token bucket. */
import { describe, expect, it } from "vitest";
import { RetryBudget } from "../../runtime/policy/budget.js";

describe("RetryBudget", () => {
  it("spends one token per retry and refuses once drained", () => {
    const budget = new RetryBudget(2, 0.5);
    expect([budget.trySpend(), budget.trySpend(), budget.trySpend()]).toEqual([true, true, false]);
  });
  it("earns a fraction back per success, never past its capacity", () => {
    const budget = new RetryBudget(1, 0.5);
    expect(budget.trySpend()).toBe(true);
    budget.recordSuccess();
    expect(budget.trySpend()).toBe(false);
    budget.recordSuccess();
    expect(budget.trySpend()).toBe(true);
    for (let i = 0; i < 10; i++) budget.recordSuccess();
    expect([budget.trySpend(), budget.trySpend()]).toEqual([true, false]);
  });
});
