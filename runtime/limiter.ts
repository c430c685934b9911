/**
 * Client-side rate limiting per action: at most `limit` sends in any sliding window, shared by every
 * call through one client. Waiting callers queue in order and can leave the queue on abort.
 */

/**
 * The window is a little longer than Tencent's second: requests spaced exactly one second apart can
 * arrive closer together after network jitter, and the server counts arrivals.
 */
export const RATE_WINDOW_MS = 1_050;

export class ActionRateLimiter {
  private readonly sent: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(limit > 0)) throw new RangeError(`a rate limit must be positive, got ${limit}`);
  }

  /** Resolves when a send is allowed (and records it); rejects with the signal's reason on abort. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot(signal));
    // The next caller waits for this one whatever happens to it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async waitForSlot(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.now();
      while (this.sent.length > 0 && this.sent[0]! <= now - RATE_WINDOW_MS) this.sent.shift();
      if (this.sent.length < this.limit) {
        this.sent.push(now);
        return;
      }
      await sleep(this.sent[0]! + RATE_WINDOW_MS - now, signal);
    }
  }
}

/** setTimeout as a promise that an AbortSignal can cut short. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
