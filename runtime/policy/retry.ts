/**
 * When to try a call again, and how long to wait: pure functions and a small token bucket.
 * Only what is safe is retried. An action the spec does not mark `x-tc-idempotent` may have taken
 * effect whenever its request may have reached Tencent, so it is repeated only where the answer (or
 * the lack of one) says it surely did not: throttling, HTTP 503 and 429, and connections that never
 * got established. Idempotent actions are also repeated after `InternalError`, HTTP 500/502/504,
 * dropped connections and attempts that got no answer in time. The README's "What is retried"
 * table is this function.
 */
import { TencentCloudApiError, AnswerTooLargeError, TencentCloudTransportError, TimeoutError } from "../errors/index.js";

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

/**
 * Connection errors that mean no connection was established, so nothing reached the server and even
 * a non-idempotent call is safe to repeat. (A reset or a hang-up after connecting is not one of
 * them: the request may have been read.)
 */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL", "UND_ERR_CONNECT_TIMEOUT"]);

/**
 * HTTP statuses that refuse the request without handling it (RFC 9110 §15.6.4, RFC 6585 §4): safe
 * to repeat for any action. 502 and 504 are not among them: the gateway may have forwarded the
 * request before its upstream failed or timed out.
 */
const REFUSED_STATUSES = new Set([429, 503]);
/** Server and gateway failures after which only a harmless repetition is allowed. */
const FAILED_STATUSES = new Set([500, 502, 504]);

export type RetryReason = "throttled" | "refused" | "not-sent" | "gateway" | "connection" | "internal-error";

/** Why `error` may be retried for an action, or undefined when it must not be. */
export function retryReason(error: unknown, idempotent: boolean): RetryReason | undefined {
  if (error instanceof TencentCloudApiError) {
    if (isThrottling(error.code)) return "throttled";
    if (error.code === "InternalError" && idempotent) return "internal-error";
    return undefined;
  }
  if (error instanceof TimeoutError) {
    // One attempt got no answer in time (the call's own deadline is never retried).
    if (error.scope !== "attempt") return undefined;
    if (error.cause instanceof TencentCloudTransportError && error.cause.requestSent === false) return "not-sent";
    return idempotent ? "connection" : undefined;
  }
  if (error instanceof AnswerTooLargeError) return undefined;
  if (error instanceof TencentCloudTransportError) {
    if (error.status !== undefined) {
      if (REFUSED_STATUSES.has(error.status)) return error.status === 429 ? "throttled" : "refused";
      if (FAILED_STATUSES.has(error.status) && idempotent) return "gateway";
      return undefined;
    }
    if (error.requestSent === false || NOT_SENT.has(errorCode(error.cause) ?? "")) return "not-sent";
    // The request may have arrived: only repeat what repeating cannot harm.
    if (idempotent) return "connection";
  }
  return undefined;
}

function errorCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}
