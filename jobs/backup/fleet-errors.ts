/** Errors of the fleet pieces (the Redis rate limiter and the queue), one base class. */

export class FleetError extends Error {
  override name = "FleetError";
}

/** Redis did not answer within the deadline (down, unreachable, or refusing): the message says which address and why. */
export class RedisUnavailableError extends FleetError {
  override name = "RedisUnavailableError";
  constructor(
    readonly address: string,
    readonly waitedMs: number,
    options?: { cause?: unknown },
  ) {
    const cause = options?.cause instanceof Error ? `: ${options.cause.message}` : "";
    super(`Redis at ${address} did not answer within ${waitedMs} ms${cause}`, options);
  }
}

/** The rate limiter's next free slot for `action` is further away than the caller's deadline allows. */
export class RateLimitWaitTimeoutError extends FleetError {
  override name = "RateLimitWaitTimeoutError";
  constructor(
    readonly action: string,
    readonly deadlineMs: number,
    /** How long the wait would have been, when known. */
    readonly neededMs: number | undefined,
  ) {
    super(
      `no ${action} slot within ${deadlineMs} ms` + (neededMs === undefined ? "" : ` (the next one is ${neededMs} ms away)`),
    );
  }
}

/** The limiter was closed; no more slots are handed out. */
export class LimiterClosedError extends FleetError {
  override name = "LimiterClosedError";
  constructor() {
    super("the Redis rate limiter is closed");
  }
}
