/**
 * A rate limiter shared by every job process of one account, on Redis (through ioredis).
 *
 * Tencent counts requests per SecretId and action in a sliding second. Each (account, action) has
 * a sorted set of slots in Redis; a slot counts from the moment it is granted until `windowMs` after
 * its request came back (released), as the runtime's in-process limiter counts. Tencent saw the
 * request between those two moments, so at most `limit` slots alive at any time means at most
 * `limit` requests in any server second, whatever the network delays, the connection set-ups or the
 * pauses between the grant and the send (a grant-time window fails there: a first request that
 * opens a TLS connection arrives hundreds of ms after its grant, next to later ones).
 *
 * Every step is one Lua script, atomic on the server, with Redis's own clock (`TIME`): the
 * machines' clocks never matter. Waiters queue in Redis by ticket, first come first served across
 * every process (no starvation); a waiter re-checks when the earliest slot ends (at most one window
 * later) and refreshes its ticket then; the ticket of a waiter that died is dropped after `staleMs`.
 * A slot whose holder died before releasing it ends after `leaseMs` + `windowMs`.
 *
 * A caller out of deadline gets `RateLimitWaitTimeoutError`, an aborted one the signal's reason;
 * both give their ticket back. Redis that does not answer within the deadline (or
 * `commandTimeoutMs`) ends in `RedisUnavailableError`. `close()` ends the connection and every
 * wait: nothing keeps the process alive after it.
 */
import { randomUUID } from "node:crypto";
import { Redis, type RedisOptions } from "ioredis";
import { LimiterClosedError, RateLimitWaitTimeoutError, RedisUnavailableError } from "./fleet-errors.js";

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * KEYS: slots, queue (ticket -> sequence), seen (ticket -> last check), seq.
 * ARGV: limit, windowMs, leaseMs, staleMs, token (this caller's ticket and slot id).
 * Returns {1, 0} when granted, {0, ms until worth checking again} otherwise.
 */
const ACQUIRE =
  NOW +
  `local limit, window, lease, stale, token = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
for _, dead in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - stale)) do
  redis.call('ZREM', KEYS[2], dead)
  redis.call('ZREM', KEYS[3], dead)
end
if not redis.call('ZSCORE', KEYS[2], token) then
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[4]), token)
end
local free = limit - redis.call('ZCARD', KEYS[1])
if redis.call('ZRANK', KEYS[2], token) < free then
  redis.call('ZREM', KEYS[2], token)
  redis.call('ZREM', KEYS[3], token)
  redis.call('ZADD', KEYS[1], now + lease + window, token)
  redis.call('PEXPIRE', KEYS[1], lease + window + 1000)
  return {1, 0}
end
redis.call('ZADD', KEYS[3], now, token)
for i = 2, 4 do redis.call('PEXPIRE', KEYS[i], stale * 2 + window) end
local wake = now + window
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if first[2] and tonumber(first[2]) < wake then wake = tonumber(first[2]) end
return {0, math.max(1, wake - now)}
`;

/** KEYS: slots. ARGV: token, windowMs. The slot now ends one window from now (never later than its lease). */
const RELEASE =
  NOW +
  `local ends = redis.call('ZSCORE', KEYS[1], ARGV[1])
if ends and tonumber(ends) > now + tonumber(ARGV[2]) then redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1]) end
return 1
`;

/** KEYS: queue, seen. ARGV: token. */
const LEAVE = `redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
`;

/** A granted slot: call `release()` once the request is over (answered or failed). */
export interface Permit {
  release(): Promise<void>;
}

export interface RedisRateLimiterOptions {
  /** `redis://host:port/db` or ioredis options. */
  readonly redis: string | RedisOptions;
  /** Whose limits these are: the SecretId (Tencent counts per key pair) or a name of the account. */
  readonly account: string;
  /** Prefix of the Redis keys. Default `tcgen:rate`. */
  readonly prefix?: string;
  /** How long a released slot still counts, in ms: Tencent's second plus a margin for clock granularity. Default 1,010. */
  readonly windowMs?: number;
  /** Longest a request may hold its slot before release (a holder that died), in ms. Default 120,000 (the client's call deadline). */
  readonly leaseMs?: number;
  /** A waiter not seen for this long (a process that died while waiting) loses its place, in ms. Default 3,000. */
  readonly staleMs?: number;
  /** Longest wait for any one Redis answer, in ms (within the caller's deadline). Default 5,000. */
  readonly commandTimeoutMs?: number;
}

export interface AcquireOptions {
  /** Stops the wait (the reservation is given back); the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** Longest the caller will wait, Redis included, in ms from now. Default: no limit but `commandTimeoutMs` per Redis answer. */
  readonly deadlineMs?: number | undefined;
}

export const DEFAULT_WINDOW_MS = 1_010;

export class RedisRateLimiter {
  readonly windowMs: number;
  readonly leaseMs: number;
  readonly staleMs: number;
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
    this.leaseMs = options.leaseMs ?? 120_000;
    this.staleMs = options.staleMs ?? 3_000;
    if (!(this.staleMs > this.windowMs)) throw new RangeError(`staleMs must exceed windowMs (waiters check in once per window), got ${this.staleMs}`);
    this.prefix = options.prefix ?? "tcgen:rate";
    this.commandTimeoutMs = options.commandTimeoutMs ?? 5_000;
    const base: RedisOptions = {
      // Reconnect quickly and for ever; each command is bounded by our own deadline instead.
      retryStrategy: (times) => Math.min(50 * times, 1_000),
      maxRetriesPerRequest: null,
      connectTimeout: this.commandTimeoutMs,
      // ioredis ends a connection with a timer of this length that nothing clears when the connection
      // never opened (Redis down): its 2 s default kept the process alive that long after close().
      disconnectTimeout: 100,
      lazyConnect: true,
    };
    this.redis = typeof options.redis === "string" ? new Redis(options.redis, base) : new Redis({ ...base, ...options.redis });
    const o = this.redis.options;
    this.address = o.path ?? `${o.host ?? "127.0.0.1"}:${o.port ?? 6379}`;
    // Without a listener ioredis prints every failed reconnect; the last error goes into RedisUnavailableError.
    this.redis.on("error", (error) => (this.lastError = error));
    this.redis.connect().catch((error) => (this.lastError = error));
  }

  /** The Redis key of one action's slots (its queue, tickets and sequence sit beside it). */
  keyOf(action: string): string {
    return `${this.prefix}:{${this.options.account}}:${action}`;
  }

  /**
   * Resolves with a permit when one request of `action` may be sent: at most `limit` slots alive
   * at once across every process sharing this Redis and account. Release the permit when the
   * request is over.
   */
  async acquire(action: string, limit: number, options: AcquireOptions = {}): Promise<Permit> {
    if (this.closed) throw new LimiterClosedError();
    if (!(Number.isInteger(limit) && limit > 0)) throw new RangeError(`limit of ${action} must be a positive integer, got ${limit}`);
    const { signal } = options;
    signal?.throwIfAborted();
    const started = performance.now();
    const deadlineMs = options.deadlineMs ?? Infinity;
    const remaining = () => deadlineMs - (performance.now() - started);
    const token = randomUUID();
    const key = this.keyOf(action);
    const keys = [key, `${key}:queue`, `${key}:seen`, `${key}:seq`];
    try {
      for (;;) {
        if (remaining() <= 0) throw new RateLimitWaitTimeoutError(action, deadlineMs, undefined);
        const cutByDeadline = remaining() < this.commandTimeoutMs;
        const [granted, waitMs] = await this.command(
          () => this.redis.eval(ACQUIRE, 4, ...keys, limit, this.windowMs, this.leaseMs, this.staleMs, token) as Promise<[number, number]>,
          Math.min(remaining(), this.commandTimeoutMs),
          signal,
        ).catch((error: unknown) => {
          // A connected Redis that was merely slower than the rest of the caller's deadline is a wait that ran out.
          if (error instanceof RedisUnavailableError && cutByDeadline && this.redis.status === "ready") {
            throw new RateLimitWaitTimeoutError(action, deadlineMs, undefined);
          }
          throw error;
        });
        if (granted === 1) return this.permit(key, token);
        if (remaining() <= 0) throw new RateLimitWaitTimeoutError(action, deadlineMs, undefined);
        await this.sleep(Math.min(waitMs, remaining()), signal);
      }
    } catch (error) {
      // Give the place in the queue back: best effort, briefly (a dead waiter's ticket goes stale anyway).
      if (!this.closed && this.redis.status === "ready") {
        await this.command(() => this.redis.eval(LEAVE, 2, keys[1]!, keys[2]!, token), 250, undefined).catch(() => undefined);
      }
      throw error;
    }
  }

  /**
   * Runs `fn` in a slot of `action`, released when it settles. `fn` gets the caller's signal.
   */
  async limitedCall<T>(action: string, limit: number, fn: () => Promise<T>, options: AcquireOptions = {}): Promise<T> {
    const permit = await this.acquire(action, limit, options);
    try {
      return await fn();
    } finally {
      await permit.release();
    }
  }

  private permit(key: string, token: string): Permit {
    let released: Promise<void> | undefined;
    return {
      // A release that fails leaves the slot to end with its lease: slower, never over the limit.
      release: () =>
        (released ??= this.closed
          ? Promise.resolve()
          : this.command(() => this.redis.eval(RELEASE, 1, key, token, this.windowMs), this.commandTimeoutMs, undefined).then(
              () => undefined,
              () => undefined,
            )),
    };
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
    const unavailable = (cause: unknown) => new RedisUnavailableError(this.address, Math.round(budget), { cause });
    return this.bounded(budget, signal, () => ({ error: unavailable(this.lastError) }), run().catch((error: unknown) => Promise.reject(unavailable(error))));
  }

  private sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    // Node's timers may fire up to 1 ms before the requested time on the millisecond clock.
    return this.bounded(ms + 1, signal, () => ({ value: undefined }));
  }

  /**
   * Waits for `work` (or nothing) for at most `ms`, then settles as `onTimer` says; ends early on
   * abort (the signal's reason) or `close()`. Its timer and listener never outlive it.
   */
  private bounded<T>(ms: number, signal: AbortSignal | undefined, onTimer: () => { value: T } | { error: unknown }, work?: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const finish = (settle: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.waits.delete(stop);
        settle();
      };
      const stop = (error: unknown) => finish(() => reject(error));
      const onAbort = () => stop(signal!.reason);
      const timer = setTimeout(() => {
        const outcome = onTimer();
        if ("error" in outcome) stop(outcome.error);
        else finish(() => resolve(outcome.value));
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waits.add(stop);
      work?.then(
        (value) => finish(() => resolve(value)),
        (error: unknown) => stop(error),
      );
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
 * slot of its action from the shared limiter, within the attempt's own signal, and releases it when
 * the answer's head has arrived (Tencent has counted the request by then). Pair it with
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
    if (limit === undefined) return send(request);
    const permit = await limiter.acquire(action, limit, { signal: request.signal, deadlineMs: options.deadlineMs });
    try {
      return await send(request);
    } finally {
      await permit.release();
    }
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
