/**
 * When to try a call again, and how long to wait: pure functions and a small token bucket.
 * Only what is safe is retried: throttling, gateway errors, connections that failed before the
 * request left, and `InternalError` for actions the spec marks idempotent.
 */
import { TencentCloudApiError, TencentCloudTransportError } from "./errors.js";

export interface RetryOptions {
  /** Attempts per call, the first included. Default 3; 1 turns retries off. */
  readonly maxAttempts?: number;
  /** First backoff ceiling in ms; doubles per attempt. Default 100. */
  readonly baseDelayMs?: number;
  /** Largest backoff in ms. Default 5,000. */
  readonly maxDelayMs?: number;
  /** Retry budget shared by every call of a client; `false` disables it. Default 20 tokens. */
  readonly budget?: false | { readonly capacity?: number; readonly refillPerSuccess?: number };
}

export const DEFAULT_RETRY = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 5_000, capacity: 20, refillPerSuccess: 0.1 } as const;

/** Tencent's throttling answers: the base code and its documented variants. */
export function isThrottling(code: string): boolean {
  return code === "RequestLimitExceeded" || code.startsWith("RequestLimitExceeded.");
}

/** Connection errors that mean nothing reached the server, so even a non-idempotent call is safe to repeat. */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

export type RetryReason = "throttled" | "gateway" | "not-sent" | "connection" | "internal-error" | "clock-skew";

/** Why `error` may be retried for an action, or undefined when it must not be. */
export function retryReason(error: unknown, idempotent: boolean): RetryReason | undefined {
  if (error instanceof TencentCloudApiError) {
    if (isThrottling(error.code)) return "throttled";
    if (error.code === "InternalError" && idempotent) return "internal-error";
    return undefined;
  }
  if (error instanceof TencentCloudTransportError) {
    if (error.status === 502 || error.status === 503 || error.status === 504) return "gateway";
    if (error.status === undefined) {
      if (NOT_SENT.has(errorCode(error.cause) ?? "")) return "not-sent";
      // The request may have arrived: only repeat what repeating cannot harm.
      if (idempotent) return "connection";
    }
  }
  return undefined;
}

/** Full jitter: a random wait between 0 and the capped exponential ceiling for this attempt (1-based). */
export function backoffDelay(attempt: number, base: number, max: number, random: () => number = Math.random): number {
  const ceiling = Math.min(max, base * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * A token bucket that stops retry storms: each retry spends a token, each success earns a fraction
 * back. When a failing endpoint has drained it, calls fail after one attempt instead of hammering it.
 */
export class RetryBudget {
  private tokens: number;
  constructor(
    private readonly capacity: number,
    private readonly refillPerSuccess: number,
  ) {
    this.tokens = capacity;
  }
  trySpend(): boolean {
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
  recordSuccess(): void {
    this.tokens = Math.min(this.capacity, this.tokens + this.refillPerSuccess);
  }
  get available(): number {
    return this.tokens;
  }
}

function errorCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}
