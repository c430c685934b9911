/**
 * A rate limiter shared by every job process of one account, on Redis (through ioredis).
 *
 * Tencent counts requests per SecretId and action in a sliding second. Each (account, action) has
 * one sorted set in Redis holding the send times of its recent and upcoming requests. `acquire`
 * runs one Lua script (atomic on the server) that reserves the earliest moment `t` at which one more
 * request keeps every window of `windowMs` at `limit` or fewer:
 *
 *     t = max(now, latest reservation, the limit-th latest reservation + windowMs)
 *
 * then the caller sleeps until `t` and sends. `now` is Redis's own clock (`TIME`), so the machines'
 * clocks never matter, only their timers' durations. Reservations are handed out in the order the
 * requests reach Redis, across every process: first come, first served, and nobody starves; no one
 * polls, each caller wakes once, at its own time.
 *
 * Network delays differ between requests: one reserved at `t` may arrive at Tencent later than one
 * reserved at `t + 1000`, squeezing both into one server second. `windowMs` is therefore 1,000 ms plus
 * a margin (default 100 ms) that must exceed the spread of the send-to-arrival delays: the limiter
 * then spends `limit * 1000 / windowMs` requests per second (91 % of the limit by default) and never
 * more than `limit` land in any server second.
 *
 * A caller whose deadline falls before its slot is refused at once (the script knows the wait), one
 * that is aborted while sleeping gives its reservation back. Redis that does not answer within the
 * deadline (or `commandTimeoutMs`) ends in `RedisUnavailableError`. `close()` ends the connection and
 * every wait: nothing keeps the process alive after it.
 */
import { randomUUID } from "node:crypto";
import { Redis, type RedisOptions } from "ioredis";
import { LimiterClosedError, RateLimitWaitTimeoutError, RedisUnavailableError } from "./fleet-errors.js";

/** Reserve the next slot, or say how far it is when that is beyond the caller's deadline. */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local maxWait = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
local at = now
if n > 0 then
  local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  at = math.max(at, tonumber(last[2]))
  if n >= limit then
    local nth = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
    at = math.max(at, tonumber(nth[2]) + window)
  end
end
if at - now > maxWait then return {0, at - now} end
redis.call('ZADD', KEYS[1], at, ARGV[4])
redis.call('PEXPIRE', KEYS[1], at - now + window + 1000)
return {1, at - now}
`;

export interface RedisRateLimiterOptions {
  /** `redis://host:port/db` or ioredis options. */
  readonly redis: string | RedisOptions;
  /** Whose limits these are: the SecretId (Tencent counts per key pair) or a name of the account. */
  readonly account: string;
  /** Prefix of the Redis keys. Default `tcgen:rate`. */
  readonly prefix?: string;
  /** The window counted, in ms: Tencent's second plus a margin for uneven network delays. Default 1,100. */
  readonly windowMs?: number;
  /** Longest wait for any one Redis answer, in ms (within the caller's deadline). Default 5,000. */
  readonly commandTimeoutMs?: number;
}

export interface AcquireOptions {
  /** Stops the wait (the reservation is given back); the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** Longest the caller will wait, Redis included, in ms from now. Default: no limit but `commandTimeoutMs` per Redis answer. */
  readonly deadlineMs?: number | undefined;
}

export const DEFAULT_WINDOW_MS = 1_100;

export class RedisRateLimiter {
  readonly windowMs: number;
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly commandTimeoutMs: number;
  private readonly address: string;
  private readonly waits = new Set<(error: unknown) => void>();
  private lastError: unknown;
  private closed = false;

  constructor(private readonly options: RedisRateLimiterOptions) {
    this.windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    if (!(this.windowMs >= 1000)) throw new RangeError(`windowMs must be at least 1000 (Tencent counts per second), got ${this.windowMs}`);
    if (!options.account) throw new TypeError("account must name whose limits these are (e.g. the SecretId)");
    this.prefix = options.prefix ?? "tcgen:rate";
    this.commandTimeoutMs = options.commandTimeoutMs ?? 5_000;
    const base: RedisOptions = {
      // Reconnect quickly and for ever; each command is bounded by our own deadline instead.
      retryStrategy: (times) => Math.min(50 * times, 1_000),
      maxRetriesPerRequest: null,
      connectTimeout: this.commandTimeoutMs,
      lazyConnect: true,
    };
    this.redis = typeof options.redis === "string" ? new Redis(options.redis, base) : new Redis({ ...base, ...options.redis });
    const o = this.redis.options;
    this.address = o.path ?? `${o.host ?? "127.0.0.1"}:${o.port ?? 6379}`;
    // Without a listener ioredis prints every failed reconnect; the last error goes into RedisUnavailableError.
    this.redis.on("error", (error) => (this.lastError = error));
    this.redis.connect().catch((error) => (this.lastError = error));
  }

  /** The Redis key of one action's reservations. */
  keyOf(action: string): string {
    return `${this.prefix}:{${this.options.account}}:${action}`;
  }

  /**
   * Resolves when one request of `action` may be sent, at most `limit` per window across every
   * process sharing this Redis and account.
   */
  async acquire(action: string, limit: number, options: AcquireOptions = {}): Promise<void> {
    if (this.closed) throw new LimiterClosedError();
    if (!(Number.isInteger(limit) && limit > 0)) throw new RangeError(`limit of ${action} must be a positive integer, got ${limit}`);
    const { signal } = options;
    signal?.throwIfAborted();
    const started = performance.now();
    const deadlineMs = options.deadlineMs ?? Infinity;
    const remaining = () => deadlineMs - (performance.now() - started);
    const token = randomUUID();
    const key = this.keyOf(action);
    const maxWait = Number.isFinite(deadlineMs) ? Math.max(0, Math.floor(remaining())) : 1e15;
    const [granted, waitMs] = (await this.command(
      () => this.redis.eval(RESERVE, 1, key, limit, this.windowMs, maxWait, token) as Promise<[number, number]>,
      Math.min(remaining(), this.commandTimeoutMs),
      signal,
    )) as [number, number];
    if (granted !== 1) throw new RateLimitWaitTimeoutError(action, deadlineMs, waitMs);
    if (waitMs <= 0) return;
    try {
      await this.sleep(waitMs, signal);
    } catch (error) {
      // Give the slot back so that others may use it; best effort, bounded.
      if (!this.closed) await this.command(() => this.redis.zrem(key, token), 1_000, undefined).catch(() => undefined);
      throw error;
    }
  }

  /** Ends the connection and every wait (they reject with `LimiterClosedError`). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const stop of this.waits) stop(new LimiterClosedError());
    this.waits.clear();
    if (this.redis.status === "ready") {
      const quit = this.redis.quit().catch(() => undefined);
      const timer = new Promise((resolve) => setTimeout(resolve, 1_000).unref());
      await Promise.race([quit, timer]);
    }
    this.redis.disconnect();
  }

  /** One Redis command, bounded by `timeoutMs` and `signal`; a failure or a timeout is a `RedisUnavailableError`. */
  private command<T>(run: () => Promise<T>, timeoutMs: number, signal: AbortSignal | undefined): Promise<T> {
    if (this.closed) return Promise.reject(new LimiterClosedError());
    const budget = Math.max(0, timeoutMs);
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const finish = (fn: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.waits.delete(stop);
        fn();
      };
      const stop = (error: unknown) => finish(() => reject(error));
      const onAbort = () => stop(signal!.reason);
      const timer = setTimeout(
        () => stop(new RedisUnavailableError(this.address, Math.round(budget), { cause: this.lastError })),
        budget,
      );
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waits.add(stop);
      run().then(
        (value) => finish(() => resolve(value)),
        (error: unknown) => stop(new RedisUnavailableError(this.address, Math.round(budget), { cause: error })),
      );
    });
  }

  private sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const finish = (fn: () => void) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.waits.delete(stop);
        fn();
      };
      const stop = (error: unknown) => finish(() => reject(error));
      const onAbort = () => stop(signal!.reason);
      // Node's timers may fire up to 1 ms before the requested time on the millisecond clock.
      const timer = setTimeout(() => finish(resolve), ms + 1);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waits.add(stop);
    });
  }
}

/** The action of a Tencent Cloud API request: its `X-TC-Action` header. */
function actionOf(request: Request): string {
  const action = request.headers.get("x-tc-action");
  if (!action) throw new TypeError(`not a Tencent Cloud API request (no X-TC-Action header): ${request.method} ${request.url}`);
  return action;
}

/**
 * A `fetch` for a generated client's `fetch` option: every attempt (retries included) first takes a
 * slot of its action from the shared limiter, within the attempt's own signal. Pair it with
 * `rateLimit: false` so the client's in-process limiter does not count twice (`fleetClientOptions`).
 */
export function limitedFetch(
  limiter: RedisRateLimiter,
  limits: Readonly<Record<string, number>>,
  options: { readonly fetch?: (request: Request) => Promise<Response>; readonly deadlineMs?: number } = {},
): (request: Request) => Promise<Response> {
  const send = options.fetch ?? ((request: Request) => fetch(request));
  return async (request) => {
    const action = actionOf(request);
    const limit = limits[action];
    if (limit !== undefined) await limiter.acquire(action, limit, { signal: request.signal, deadlineMs: options.deadlineMs });
    return send(request);
  };
}

/** Options for `create<Service>Client` that put every call under the shared limiter instead of the in-process one. */
export function fleetClientOptions(
  limiter: RedisRateLimiter,
  limits: Readonly<Record<string, number>>,
  options: { readonly fetch?: (request: Request) => Promise<Response>; readonly deadlineMs?: number } = {},
): { rateLimit: false; fetch: (request: Request) => Promise<Response> } {
  return { rateLimit: false, fetch: limitedFetch(limiter, limits, options) };
}
