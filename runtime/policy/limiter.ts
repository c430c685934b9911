/**
 * Client-side rate limiting per action: at most `limit` requests in any window of RATE_WINDOW_MS,
 * shared by every call through one client. Waiting callers queue in order and leave at once when
 * their signal aborts (their deadline, or the caller's own signal).
 *
 * A slot is held while its request is in flight and counted from the moment its answer (or failure)
 * came back. The server saw the request before that moment, so a request sent one window later
 * arrives at least one window after it: the server never counts more than `limit`, whatever the
 * network delays. Counting from the send instead lets a slow first burst and a prompt second one
 * land inside the same server second.
 *
 * At most one timer runs per limiter, and only while someone waits for a slot that will expire; when
 * every slot is in flight there is none (a release wakes the queue). No timer or abort listener
 * outlives the wait it serves.
 */

import type { AbortLike } from "./deadline.js";

/** Tencent counts requests per second; 10 ms more absorbs clock granularity between the two machines. */
export const RATE_WINDOW_MS = 1_010;

interface Waiter {
  readonly resolve: (release: () => void) => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortLike | undefined;
  readonly onAbort: () => void;
}

export class ActionRateLimiter {
  /** When each recent request finished; Infinity while it is in flight. */
  private readonly slots: number[] = [];
  private readonly waiting: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

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
  acquire(signal?: AbortLike): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    // First come, first served: a newcomer never overtakes someone already waiting.
    if (this.waiting.length === 0 && this.take()) return Promise.resolve(this.releaser());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const at = this.waiting.indexOf(waiter);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(signal!.reason);
          this.schedule();
        },
      };
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.waiting.push(waiter);
      this.schedule();
    });
  }

  /** How many callers wait for a slot (tests, diagnostics). */
  get queued(): number {
    return this.waiting.length;
  }

  /** Takes a slot if one is free now. */
  private take(): boolean {
    const cutoff = this.now() - RATE_WINDOW_MS;
    for (let i = this.slots.length - 1; i >= 0; i--) if (this.slots[i]! <= cutoff) this.slots.splice(i, 1);
    if (this.slots.length >= this.limit) return false;
    this.slots.push(Infinity);
    return true;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Replace one in-flight marker by the finish time (which marker does not matter).
      const at = this.slots.indexOf(Infinity);
      if (at >= 0) this.slots[at] = this.now();
      this.grant();
    };
  }

  /** Hands free slots to the queue's head, in order, then waits for the next one to expire. */
  private grant(): void {
    while (this.waiting.length > 0 && this.take()) {
      const waiter = this.waiting.shift()!;
      waiter.signal?.removeEventListener("abort", waiter.onAbort);
      waiter.resolve(this.releaser());
    }
    this.schedule();
  }

  /** One timer for the earliest finished slot to leave the window, while anyone waits; none otherwise. */
  private schedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.length === 0) return;
    let earliest = Infinity;
    for (const slot of this.slots) if (slot < earliest) earliest = slot;
    // Every slot in flight: a release will grant the next one.
    if (earliest === Infinity) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.grant();
    }, Math.max(0, earliest + RATE_WINDOW_MS - this.now()));
  }
}
