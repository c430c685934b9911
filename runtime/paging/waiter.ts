/**
 * Waiters: poll an action until every awaited item reaches a success status, for the `waitFor…`
 * methods the generator emits from a spec's `x-tc-waiters`. Generic: the definition names the key
 * and status members and their success and failure values; `poll` is the generated client's own
 * method (paged when the action is), so each poll is validated, rate limited and retried like any
 * other call.
 *
 * Polls back off exponentially (doubling from `minDelayMs` up to `maxDelayMs`) with jitter, so many
 * waiters started together spread out; never faster than the action's documented rate limit.
 */
import type { CallOptions } from "../client/options.js";
import { TimeoutError } from "../errors/index.js";
import { sleep } from "../policy/deadline.js";
import { backoffDelay } from "../policy/backoff.js";
import { WaiterFailedError, WaiterTimeoutError } from "../errors/index.js";


type Status = string | number;

/** What `x-tc-waiters` says about one waiter; emitted into the generated client. */
export interface WaiterDefinition {
  /** The waiter's method name, for messages. */
  readonly waiter: string;
  /** The polled action. */
  readonly action: string;
  /** The item member identifying each awaited item. */
  readonly key: string;
  /** The item member deciding success and failure. */
  readonly status: string;
  readonly success: readonly Status[];
  readonly failure: readonly Status[];
  /** The action's documented requests per second: one waiter never polls faster. */
  readonly rateLimit: number;
}

/** Where the awaited items stand after a poll. */
export interface WaiterProgress<Item> {
  /** 1 for the first poll. */
  readonly poll: number;
  readonly elapsedMs: number;
  /** Every awaited key, in the order asked, with its item as last listed (`undefined`: not listed yet). */
  readonly items: readonly { readonly key: string; readonly item: Item | undefined }[];
  /** How many awaited items have succeeded. */
  readonly done: number;
  /** When the next poll starts; `undefined` after the last one. */
  readonly nextPollInMs: number | undefined;
}

/** Options of every generated `waitFor…` method. */
export interface WaiterOptions<Item> {
  /** Give up after this many ms with `WaiterTimeoutError`. Default 30 minutes. */
  timeoutMs?: number;
  /** Cancels the wait, also mid-poll; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called after every poll. */
  onProgress?: (progress: WaiterProgress<Item>) => void;
  /** First delay between polls, doubled after each poll. Default 1,000 ms. */
  minDelayMs?: number;
  /** Largest delay between polls. Default 20,000 ms. */
  maxDelayMs?: number;
  /** The clock, in ms (tests). Default `Date.now`. */
  now?: () => number;
  /** Waits `ms`, rejecting with the signal's reason on abort (tests). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for the jitter (tests). Default `Math.random`. */
  random?: () => number;
}

export const DEFAULT_WAITER_TIMEOUT_MS = 30 * 60 * 1000;
const DEFAULT_MIN_DELAY_MS = 1_000;
const DEFAULT_MAX_DELAY_MS = 20_000;

/**
 * Polls until every item of `keys` has a success status and resolves with those items, in the order
 * of `keys`. Rejects with `WaiterFailedError` as soon as one has a failure status, with
 * `WaiterTimeoutError` when `timeoutMs` passes, or with the signal's reason on abort. When several
 * listed items share a key (a task retried after failing), a succeeded one counts first, then one
 * still under way; the key has failed only when all of them have.
 */
export async function waitForItems<Item extends object>(
  definition: WaiterDefinition,
  keys: readonly string[],
  poll: (options: CallOptions) => Promise<readonly Item[]>,
  options: WaiterOptions<Item> = {},
): Promise<Item[]> {
  const wanted = [...new Set(keys)];
  if (wanted.length === 0) throw new RangeError(`${definition.waiter}: give at least one ${definition.key} to wait for`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAITER_TIMEOUT_MS;
  if (!(timeoutMs > 0)) throw new RangeError(`${definition.waiter}: timeoutMs must be positive, got ${timeoutMs}`);
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? sleep;
  const random = options.random ?? Math.random;
  // One waiter alone never exceeds the documented rate; the client's limiter covers the rest.
  const rateIntervalMs = Math.ceil(1000 / definition.rateLimit);
  const minDelayMs = Math.max(options.minDelayMs ?? DEFAULT_MIN_DELAY_MS, rateIntervalMs);
  const maxDelayMs = Math.max(options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS, minDelayMs);
  const started = now();
  const deadline = started + timeoutMs;
  let latest = new Map<string, Item>();

  const statusOf = (item: Item | undefined): Status | undefined => (item as Record<string, Status> | undefined)?.[definition.status];
  const lastStatuses = () => Object.fromEntries(wanted.map((key) => [key, statusOf(latest.get(key))]));
  const timedOut = (polls: number, cause?: unknown) =>
    new WaiterTimeoutError(
      { waiter: definition.waiter, action: definition.action, statusField: definition.status, timeoutMs, polls, lastStatuses: lastStatuses() },
      cause === undefined ? undefined : { cause },
    );

  for (let polls = 0; ; ) {
    options.signal?.throwIfAborted();
    const remaining = deadline - now();
    if (remaining <= 0) throw timedOut(polls);
    let listed: readonly Item[];
    try {
      listed = await poll({ signal: options.signal, timeoutMs: remaining });
    } catch (error) {
      // The poll's call deadline is the waiter's remaining time; an attempt's deadline is the poll's own failure.
      if (error instanceof TimeoutError && error.scope === "call" && options.signal?.aborted !== true) throw timedOut(polls + 1, error);
      throw error;
    }
    polls += 1;
    latest = pickByKey(listed, wanted, definition);

    const succeeded = wanted.filter((key) => definition.success.includes(statusOf(latest.get(key))!));
    const failed = wanted.filter((key) => definition.failure.includes(statusOf(latest.get(key))!));
    const finished = failed.length > 0 || succeeded.length === wanted.length;
    // Never faster than the action's rate, whatever the jitter drew.
    const delay = Math.max(rateIntervalMs, backoffDelay(polls, minDelayMs, maxDelayMs, "equal", random));
    const nextPollInMs = finished ? undefined : Math.max(0, Math.min(delay, deadline - now()));
    options.onProgress?.({
      poll: polls,
      elapsedMs: now() - started,
      items: wanted.map((key) => ({ key, item: latest.get(key) })),
      done: succeeded.length,
      nextPollInMs,
    });
    if (failed.length > 0) {
      throw new WaiterFailedError({
        waiter: definition.waiter,
        action: definition.action,
        keyField: definition.key,
        statusField: definition.status,
        failedKeys: failed,
        statuses: lastStatuses(),
        failedItems: failed.map((key) => latest.get(key)),
      });
    }
    if (nextPollInMs === undefined) return wanted.map((key) => latest.get(key)!);
    await wait(nextPollInMs, options.signal);
  }
}

/** For each awaited key, the listed item that counts: succeeded first, then under way, then failed. */
function pickByKey<Item extends object>(listed: readonly Item[], wanted: readonly string[], definition: WaiterDefinition): Map<string, Item> {
  const rank = (item: Item) => {
    const status = (item as Record<string, Status>)[definition.status]!;
    return definition.success.includes(status) ? 0 : definition.failure.includes(status) ? 2 : 1;
  };
  const chosen = new Map<string, Item>();
  for (const item of listed) {
    const key = String((item as Record<string, unknown>)[definition.key]);
    if (!wanted.includes(key)) continue;
    const current = chosen.get(key);
    if (current === undefined || rank(item) < rank(current)) chosen.set(key, item);
  }
  return chosen;
}
