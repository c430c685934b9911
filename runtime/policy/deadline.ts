/**
 * Deadlines and cancellation for one call, and the waits that honour them. Everything here cleans up
 * after itself: timers are cleared and listeners removed when a scope is disposed, so that no timer
 * or listener outlives the call that made it (a finished burst lets the process exit at once).
 *
 * Cheap on purpose, since every call has a deadline by default: a scope is a plain object with the
 * part of the AbortSignal interface the runtime uses ({@link AbortLike}); Node's own AbortSignal
 * costs several microseconds to create and to listen to, more than the rest of a call's bookkeeping,
 * so one is made only for the fetch path, which needs it ({@link Scope.signal}). A call arms at most
 * one timer at a time: its attempt's (which also covers the call's deadline), or, only while the call
 * waits outside an attempt (in the rate limiter's queue, between retries), the call's own.
 */

/** What the runtime needs of a signal: an AbortSignal is one, and so is a {@link Scope}. */
export interface AbortLike {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** The reason a scope carries when its own deadline passed (not its caller's signal). */
export class DeadlineExceeded extends Error {
  override readonly name = "DeadlineExceeded";
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/** Something that can be aborted once, telling its listeners (each called once, in order). */
export class Scope implements AbortLike {
  aborted = false;
  reason: unknown = undefined;
  /** Whether this scope's own deadline passed (rather than its parent or caller aborting). */
  expired = false;
  private listeners: (() => void)[] | undefined;
  private controller: AbortController | undefined;

  addEventListener(_type: "abort", listener: () => void): void {
    this.listen(listener);
    this.subscribed();
  }

  /** Adds a listener without telling the scope (see {@link CallScope.watch}). */
  protected listen(listener: () => void): void {
    (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    const at = this.listeners?.indexOf(listener) ?? -1;
    if (at >= 0) this.listeners!.splice(at, 1);
  }

  /** A real AbortSignal following this scope, made on first use (the fetch path needs one). */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      const controller = (this.controller = new AbortController());
      if (this.aborted) controller.abort(this.reason);
      else this.listen(() => controller.abort(this.reason));
    }
    return this.controller.signal;
  }

  abort(reason: unknown, expired = false): void {
    if (this.aborted) return;
    this.aborted = true;
    this.expired = expired;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = undefined;
    this.ended();
    if (listeners) for (const listener of listeners) listener();
  }

  /** A listener was added (a call's scope arms its timer then). */
  protected subscribed(): void {}
  /** The scope was aborted or disposed: timers and outside listeners go. */
  protected ended(): void {}
}

/**
 * A call: aborted by its caller's signal, or by its deadline. The deadline's timer is armed only
 * while something outside an attempt listens (a wait in the limiter queue, a backoff); during an
 * attempt, the attempt's timer watches the call's deadline too.
 */
export class CallScope extends Scope {
  /** When the call's deadline passes, in `performance.now()` time (Infinity for none). */
  readonly endsAt: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onCallerAbort: (() => void) | undefined;

  constructor(
    private readonly caller: AbortSignal | undefined,
    readonly timeoutMs: number,
  ) {
    super();
    this.endsAt = performance.now() + timeoutMs;
    if (caller?.aborted) {
      this.abort(caller.reason);
    } else if (caller) {
      this.onCallerAbort = () => this.abort(caller.reason);
      caller.addEventListener("abort", this.onCallerAbort, { once: true });
    }
  }

  /** Aborts the call as timed out. */
  expire(): void {
    this.abort(new DeadlineExceeded(this.timeoutMs), true);
  }

  /** Listens without arming the call's timer: an attempt watches the call's deadline itself. */
  watch(listener: () => void): void {
    this.listen(listener);
  }

  /** Someone waits outside an attempt: the call's own timer runs from now on. */
  protected override subscribed(): void {
    if (this.timer !== undefined || this.aborted || this.endsAt === Infinity) return;
    this.timer = setTimeout(() => this.expire(), Math.max(0, this.endsAt - performance.now()));
  }

  /** Clears the timer and the listener on the caller's signal. Idempotent. */
  dispose(): void {
    this.ended();
  }

  protected override ended(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.onCallerAbort) this.caller!.removeEventListener("abort", this.onCallerAbort);
  }
}

/**
 * One attempt: aborted when the call is, or when its own deadline (`timeoutMs`) passes; one timer,
 * at whichever of the two deadlines comes first.
 */
export class AttemptScope extends Scope {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onCallAbort = () => this.abort(this.call.reason);

  constructor(
    private readonly call: CallScope,
    readonly timeoutMs: number,
  ) {
    super();
    if (call.aborted) {
      this.abort(call.reason);
      return;
    }
    call.watch(this.onCallAbort);
    const now = performance.now();
    const own = now + timeoutMs;
    const at = Math.min(own, call.endsAt);
    if (at === Infinity) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // The call's deadline came first (or with it): the whole call is over.
      if (call.endsAt <= own) call.expire();
      else this.abort(new DeadlineExceeded(timeoutMs), true);
    }, Math.max(0, at - now));
  }

  /** Clears the timer and the listener on the call. Idempotent. */
  dispose(): void {
    this.ended();
  }

  protected override ended(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.call.removeEventListener("abort", this.onCallAbort);
  }
}

/** Checks a deadline option: a positive number of ms, or `Infinity` for none. */
export function checkTimeout(name: string, value: number | undefined): void {
  if (value !== undefined && !(typeof value === "number" && value > 0)) {
    throw new RangeError(`${name} must be a positive number of ms or Infinity, got ${String(value)}`);
  }
}

/** `promise`, or the signal's reason as soon as it aborts; the listener is removed either way. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortLike | undefined): Promise<T> {
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

/** setTimeout as a promise that a signal can cut short; timer and listener never outlive it. */
export function sleep(ms: number, signal?: AbortLike): Promise<void> {
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
