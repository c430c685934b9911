/**
 * A token bucket that stops retry storms: each retry spends a token, each success earns a fraction
 * back. When a failing endpoint has drained it, calls fail after one attempt instead of hammering it.
 */
export class RetryBudget {
  private tokens: number;
  constructor(
    private readonly capacity: number,
    private readonly refillPerSuccess: number,
  ) {
    this.tokens = capacity;
  }
  /** Takes a token for one retry; false when none is left (then the call is not retried). */
  trySpend(): boolean {
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
  recordSuccess(): void {
    this.tokens = Math.min(this.capacity, this.tokens + this.refillPerSuccess);
  }
}
