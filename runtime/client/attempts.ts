/**
 * One call, end to end: wait for the action's rate limiter, send, read the envelope, and on a safe
 * failure back off and try again, signing afresh each time; all under one deadline and one
 * AbortSignal, reporting one event per attempt. The transport itself (node:http, or openapi-fetch
 * with the signing middleware) is behind `send`.
 *
 * Two deadlines apply. The call's (`timeoutMs`, default {@link DEFAULT_TIMEOUT_MS}) bounds every
 * wait of the call: the limiter queue, credentials, each attempt with its body, the backoff between
 * attempts. Each attempt's (`attemptTimeoutMs`, default {@link DEFAULT_ATTEMPT_TIMEOUT_MS}) bounds
 * one exchange on the wire (credentials and body included); an attempt that runs out is retried only
 * where repeating it is safe. Both are plain timers cleared when the call ends.
 */
import { AttemptScope, CallScope, checkTimeout, sleep } from "../policy/deadline.js";
import { readEnvelope, type TextResult } from "../transport/envelope.js";
import { TencentCloudApiError, TencentCloudTransportError, TimeoutError } from "../errors/index.js";
import { backoffDelay } from "../policy/backoff.js";
import { RetryBudget } from "../policy/budget.js";
import { ActionRateLimiter } from "../policy/limiter.js";
import { DEFAULT_RETRY, retryReason, type RetryOptions } from "../policy/retry.js";

/**
 * Default deadline of a call: 2 minutes, room for two attempts that each wait their full
 * {@link DEFAULT_ATTEMPT_TIMEOUT_MS} plus backoff, or any number of quick retries. A stuck endpoint
 * costs a nightly job at most this much per call, never forever.
 */
export const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * Default deadline of one attempt: 60 s, the official SDK's request timeout. Tencent Cloud API 3.0
 * actions answer within seconds (long work runs as tasks, polled by waiters), so a minute without a
 * complete answer means a stalled connection or gateway.
 */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 60_000;

/** One attempt, as reported to `logger`. Never carries credentials, signatures or tokens. */
export interface CallEvent {
  readonly action: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly method: "POST" | "GET";
  /** `success`, Tencent's error answer, no valid answer, a deadline (the call's or the attempt's), or the caller's abort. */
  readonly outcome: "success" | "api-error" | "transport-error" | "timeout" | "aborted";
  /** HTTP status, when an answer arrived. */
  readonly status: number | undefined;
  readonly durationMs: number;
  readonly requestId: string | undefined;
  readonly errorCode: string | undefined;
  /** `name: message` of the error, when the attempt failed. */
  readonly error: string | undefined;
  /** Set when another attempt follows, after this many ms. */
  readonly retryInMs: number | undefined;
}

export type Logger = (event: CallEvent) => void;

/** Per-client state shared by every call: limiters, the retry budget, the learned clock offset. */
export interface CallContext {
  readonly method: "POST" | "GET";
  readonly retry: Required<Omit<RetryOptions, "budget">>;
  readonly budget: RetryBudget | undefined;
  /** The action's limiter, made on its first call (undefined when rate limiting is off). */
  limiter(action: string, documentedRate: number): ActionRateLimiter | undefined;
  readonly timeoutMs: number;
  readonly attemptTimeoutMs: number;
  readonly logger: Logger | undefined;
  readonly now: () => number;
  /** Removes the client's secrets from text bound for an error. */
  readonly redact: (text: string) => string;
  /** Added to the clock when signing, learned from `AuthFailure.SignatureExpire` answers. */
  clockOffsetMs: number;
}

export interface CallContextOptions {
  readonly method?: "POST" | "GET" | undefined;
  readonly retry?: RetryOptions | undefined;
  /** `false` turns client-side rate limiting off; a map lowers (or raises) limits per action. */
  readonly rateLimit?: boolean | Readonly<Record<string, number>> | undefined;
  readonly timeoutMs?: number | undefined;
  readonly attemptTimeoutMs?: number | undefined;
  readonly logger?: Logger | undefined;
  readonly now?: (() => number) | undefined;
}

export function createCallContext(
  options: CallContextOptions,
  redact: (text: string) => string = (text) => text,
): CallContext {
  const now = options.now ?? Date.now;
  // Made per action on its first call: a client of a 100-action service holds only what it uses.
  const limiters = new Map<string, ActionRateLimiter>();
  const overrides = typeof options.rateLimit === "object" ? options.rateLimit : {};
  const limiter = (action: string, documented: number): ActionRateLimiter | undefined => {
    if (options.rateLimit === false) return undefined;
    let found = limiters.get(action);
    if (found === undefined) limiters.set(action, (found = new ActionRateLimiter(overrides[action] ?? documented, now)));
    return found;
  };
  const retry = options.retry ?? {};
  const budget = retry.budget === false ? undefined : new RetryBudget(retry.budget?.capacity ?? DEFAULT_RETRY.capacity, retry.budget?.refillPerSuccess ?? DEFAULT_RETRY.refillPerSuccess);
  checkTimeout("timeoutMs", options.timeoutMs);
  checkTimeout("attemptTimeoutMs", options.attemptTimeoutMs);
  return {
    method: options.method ?? "POST",
    retry: {
      maxAttempts: Math.max(1, Math.floor(retry.maxAttempts ?? DEFAULT_RETRY.maxAttempts)),
      baseDelayMs: retry.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
      maxDelayMs: retry.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
    },
    budget,
    limiter,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    attemptTimeoutMs: options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS,
    logger: options.logger,
    now,
    redact,
    clockOffsetMs: 0,
  };
}

export interface CallRequest {
  readonly action: string;
  /** The action's documented requests per second (`x-tc-rate-limit`). */
  readonly rateLimit: number;
  /** Whether repeating the action is harmless (`x-tc-idempotent`). */
  readonly idempotent: boolean;
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number | undefined;
  readonly attemptTimeoutMs?: number | undefined;
  /**
   * One attempt on the wire; must honour `attempt` (its deadline, the call's, the caller's signal),
   * body streaming included. A transport that needs an AbortSignal takes `attempt.signal`.
   */
  readonly send: (attempt: AttemptScope) => Promise<TextResult>;
  /** Turns the answer's text into its value; default `JSON.parse`. */
  readonly parse?: ((text: string) => unknown) | undefined;
}

export async function runCall<T>(context: CallContext, request: CallRequest): Promise<T> {
  const timeoutMs = request.timeoutMs ?? context.timeoutMs;
  const attemptTimeoutMs = request.attemptTimeoutMs ?? context.attemptTimeoutMs;
  if (request.timeoutMs !== undefined) checkTimeout("timeoutMs", request.timeoutMs);
  if (request.attemptTimeoutMs !== undefined) checkTimeout("attemptTimeoutMs", request.attemptTimeoutMs);
  const call = new CallScope(request.signal, timeoutMs);
  const limiter = context.limiter(request.action, request.rateLimit);
  let skewRetried = false;
  let lastError: unknown;

  /** The error for a call cut short by its deadline or its caller; undefined while it may go on. */
  const stopped = (attempts: number, error: unknown): unknown => {
    // What failed at that moment failed because of it: the last error worth naming is an earlier one.
    if (call.expired) return new TimeoutError({ action: request.action, timeoutMs, attempts, lastError });
    if (request.signal?.aborted) return request.signal.reason ?? error;
    return undefined;
  };

  try {
    for (let attempt = 1; ; attempt++) {
      const started = context.now();
      let status: number | undefined;
      let release: (() => void) | undefined;
      let wire: AttemptScope | undefined;
      try {
        release = await limiter?.acquire(call);
        wire = new AttemptScope(call, attemptTimeoutMs);
        const result = await request.send(wire).finally(() => release?.());
        status = result.response.status;
        try {
          const value = readEnvelope<T & { RequestId?: string }>(request.action, result, { redact: context.redact, parse: request.parse });
          context.budget?.recordSuccess();
          report(context, request, attempt, started, { outcome: "success", status, requestId: value.RequestId });
          return value;
        } catch (error) {
          // Tencent's clock is the one that counts: learn the offset from its Date header and try once more.
          // (The offset is always learned; the immediate retry only when retries are on.)
          if (error instanceof TencentCloudApiError && error.code === "AuthFailure.SignatureExpire" && !skewRetried) {
            const serverTime = Date.parse(result.response.headers.get("date") ?? "");
            if (!Number.isNaN(serverTime)) {
              skewRetried = true;
              context.clockOffsetMs = serverTime - context.now();
              if (context.retry.maxAttempts > 1) {
                report(context, request, attempt, started, failure(error, status, 0));
                attempt--; // a clock correction is not one of the caller's attempts
                continue;
              }
            }
          }
          throw error;
        }
      } catch (caught) {
        const end = stopped(attempt, caught);
        if (end !== undefined) {
          report(context, request, attempt, started, { outcome: call.expired ? "timeout" : "aborted", status, error: describe(caught) });
          throw end;
        }
        // Only this attempt's deadline passed: a timeout of the attempt, retried where that is safe.
        const error = wire?.expired
          ? new TimeoutError({ action: request.action, timeoutMs: attemptTimeoutMs, attempts: attempt, scope: "attempt", lastError: caught })
          : caught;
        lastError = error;
        const reason = retryReason(error, request.idempotent);
        const canRetry = reason !== undefined && attempt < context.retry.maxAttempts && (context.budget?.trySpend() ?? true);
        const delay = canRetry ? backoffDelay(attempt, context.retry.baseDelayMs, context.retry.maxDelayMs, "full") : undefined;
        report(context, request, attempt, started, { ...failure(error, status, delay), ...(wire?.expired ? { outcome: "timeout" as const } : {}) });
        if (delay === undefined) {
          if (error instanceof TimeoutError && reason === undefined && !request.idempotent) {
            error.message += "; not retried: the action is not idempotent and its request was sent, so it may have taken effect";
          }
          throw withAttempts(error, attempt);
        }
        try {
          await sleep(delay, call);
        } catch (sleepError) {
          throw stopped(attempt, sleepError) ?? sleepError;
        }
      } finally {
        wire?.dispose();
      }
    }
  } finally {
    call.dispose();
  }
}

function failure(error: unknown, status: number | undefined, retryInMs: number | undefined): Partial<CallEvent> {
  if (error instanceof TencentCloudApiError) {
    return { outcome: "api-error", status, requestId: error.requestId || undefined, errorCode: error.code, error: describe(error), retryInMs };
  }
  return { outcome: "transport-error", status: error instanceof TencentCloudTransportError ? error.status : status, error: describe(error), retryInMs };
}

function report(context: CallContext, request: CallRequest, attempt: number, started: number, fields: Partial<CallEvent>): void {
  if (!context.logger) return;
  const event: CallEvent = {
    action: request.action,
    attempt,
    method: context.method,
    outcome: fields.outcome ?? "success",
    status: fields.status,
    durationMs: context.now() - started,
    requestId: fields.requestId,
    errorCode: fields.errorCode,
    error: fields.error,
    retryInMs: fields.retryInMs,
  };
  try {
    context.logger(event);
  } catch {
    // A failing logger must not change the outcome of the call.
  }
}

/** Records the attempt count on the error the caller receives, in its fields and its message. */
function withAttempts(error: unknown, attempts: number): unknown {
  if ((error instanceof TencentCloudApiError || error instanceof TencentCloudTransportError) && attempts > 1) {
    error.attempts = attempts;
    error.message += ` (after ${attempts} attempts)`;
  }
  return error;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
