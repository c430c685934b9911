/**
 * Client-side rate limiting per action: at most `limit` requests in any window of RATE_WINDOW_MS,
 * shared by every call through one client. Waiting callers queue in order and can leave on abort.
 *
 * A slot is held while its request is in flight and counted from the moment its answer (or failure)
 * came back. The server saw the request before that moment, so a request sent one window later
 * arrives at least one window after it: the server never counts more than `limit`, whatever the
 * network delays. Counting from the send instead lets a slow first burst and a prompt second one
 * land inside the same server second.
 */

/** Tencent counts requests per second; 10 ms more absorbs clock granularity between the two machines. */
export const RATE_WINDOW_MS = 1_010;

export class ActionRateLimiter {
  /** When each recent request finished; Infinity while it is in flight. */
  private readonly slots: number[] = [];
  private queue: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;

  constructor(
    readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(limit > 0)) throw new RangeError(`a rate limit must be positive, got ${limit}`);
  }

  /**
   * Resolves with a `release` function when a request may be sent; call it when the request is
   * over (answered or failed). Rejects with the signal's reason on abort.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    const turn = this.queue.then(() => this.waitForSlot(signal));
    // The next caller waits for this one whatever happens to it.
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private async waitForSlot(signal: AbortSignal | undefined): Promise<() => void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.now();
      for (let i = this.slots.length - 1; i >= 0; i--) if (this.slots[i]! <= now - RATE_WINDOW_MS) this.slots.splice(i, 1);
      if (this.slots.length < this.limit) {
        this.slots.push(Infinity);
        let released = false;
        return () => {
          if (released) return;
          released = true;
          // Replace one in-flight marker by the finish time (which marker does not matter).
          const at = this.slots.indexOf(Infinity);
          if (at >= 0) this.slots[at] = this.now();
          this.wake?.();
        };
      }
      const earliest = Math.min(...this.slots);
      await Promise.race([
        sleep(earliest === Infinity ? 60_000 : earliest + RATE_WINDOW_MS - now, signal),
        new Promise<void>((resolve) => (this.wake = resolve)),
      ]);
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
