/**
 * THE backoff formula of the runtime, used between retries of a call (../call.ts) and between polls
 * of a waiter (../waiter.ts): capped exponential growth, `min(maxMs, baseMs * 2^(n-1))` for the n-th
 * wait, with jitter so that clients started together drift apart.
 *
 *   - `"full"` jitter (retries): a random wait in [0, ceiling), AWS's "full jitter", which spreads a
 *     burst of failed calls the most;
 *   - `"equal"` jitter (waiters): half the ceiling fixed, half random, so that a poll never comes
 *     much sooner than the schedule promises.
 */
export type Jitter = "full" | "equal";

/** The n-th wait (1-based) in ms, an integer. */
export function backoffDelay(n: number, baseMs: number, maxMs: number, jitter: Jitter, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (n - 1));
  return jitter === "full" ? Math.floor(random() * ceiling) : Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
