/**
 * Deadlines and cancellation for one call: an AbortSignal that fires at a deadline or when a parent
 * signal aborts, and the waits that honour it. Everything here cleans up after itself: a scope's
 * timer is cleared and its listener on the parent removed when the scope is disposed, so that no
 * timer or listener outlives the call that made it (a finished burst lets the process exit at once).
 *
 * `AbortSignal.timeout` and `AbortSignal.any` are not used: the first keeps its timer until it fires
 * (a minute or two after a call that took milliseconds), the second keeps listeners on its sources.
 */

/** The reason a scope's signal carries when its own deadline passed (not its parent's). */
export class DeadlineExceeded extends Error {
  override readonly name = "DeadlineExceeded";
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

export interface DeadlineScope {
  /** Undefined when there is neither a deadline nor a parent signal: nothing can cut the work short. */
  readonly signal: AbortSignal | undefined;
  /** Whether this scope's own deadline passed (rather than its parent aborting). */
  readonly expired: boolean;
  /** Clears the timer and the listener on the parent. Idempotent. */
  dispose(): void;
}

const NONE: DeadlineScope = { signal: undefined, expired: false, dispose() {} };

/**
 * A signal that aborts after `timeoutMs` (with {@link DeadlineExceeded}) or when `parent` aborts
 * (with the parent's reason). `Infinity` means no deadline; then the parent itself is the signal.
 */
export function deadlineScope(parent: AbortSignal | undefined, timeoutMs: number): DeadlineScope {
  if (timeoutMs === Infinity) return parent === undefined ? NONE : { signal: parent, expired: false, dispose() {} };
  const controller = new AbortController();
  let expired = false;
  const onParentAbort = () => controller.abort(parent!.reason);
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DeadlineExceeded(timeoutMs));
  }, timeoutMs);
  if (parent?.aborted) {
    clearTimeout(timer);
    controller.abort(parent.reason);
  } else {
    parent?.addEventListener("abort", onParentAbort, { once: true });
  }
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener("abort", onParentAbort);
    },
  };
}

/** Checks a deadline option: a positive number of ms, or `Infinity` for none. */
export function checkTimeout(name: string, value: number | undefined): void {
  if (value !== undefined && !(typeof value === "number" && value > 0)) {
    throw new RangeError(`${name} must be a positive number of ms or Infinity, got ${String(value)}`);
  }
}

/** `promise`, or the signal's reason as soon as it aborts; the listener is removed either way. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** setTimeout as a promise that an AbortSignal can cut short; timer and listener never outlive it. */
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
