/**
 * One call, end to end: wait for the action's rate limiter, send, read the envelope, and on a safe
 * failure back off and try again, signing afresh each time; all under one deadline and one
 * AbortSignal, reporting one event per attempt. The transport itself (openapi-fetch with the signing
 * middleware) is behind `send`.
 */
import { readEnvelope, type TextResult } from "./envelope.js";
import { TencentCloudApiError, TencentCloudTransportError, TimeoutError } from "./errors.js";
import { ActionRateLimiter, sleep } from "./limiter.js";
import { backoffDelay, DEFAULT_RETRY, RetryBudget, retryReason, type RetryOptions } from "./retry.js";

/** One attempt, as reported to `logger`. Never carries credentials, signatures or tokens. */
export interface CallEvent {
  readonly action: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly method: "POST" | "GET";
  /** `success`, Tencent's error answer, no valid answer, or the caller's deadline/abort. */
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
  readonly limiters: ReadonlyMap<string, ActionRateLimiter>;
  readonly timeoutMs: number | undefined;
  readonly logger: Logger | undefined;
  readonly now: () => number;
  /** Added to the clock when signing, learned from `AuthFailure.SignatureExpire` answers. */
  clockOffsetMs: number;
}

export interface CallContextOptions {
  readonly method?: "POST" | "GET" | undefined;
  readonly retry?: RetryOptions | undefined;
  /** `false` turns client-side rate limiting off; a map lowers (or raises) limits per action. */
  readonly rateLimit?: boolean | Readonly<Record<string, number>> | undefined;
  readonly timeoutMs?: number | undefined;
  readonly logger?: Logger | undefined;
  readonly now?: (() => number) | undefined;
}

export function createCallContext(rateLimits: Readonly<Record<string, number>>, options: CallContextOptions): CallContext {
  const now = options.now ?? Date.now;
  const limiters = new Map<string, ActionRateLimiter>();
  if (options.rateLimit !== false) {
    const overrides = typeof options.rateLimit === "object" ? options.rateLimit : {};
    for (const [action, documented] of Object.entries(rateLimits)) limiters.set(action, new ActionRateLimiter(overrides[action] ?? documented, now));
  }
  const retry = options.retry ?? {};
  const budget = retry.budget === false ? undefined : new RetryBudget(retry.budget?.capacity ?? DEFAULT_RETRY.capacity, retry.budget?.refillPerSuccess ?? DEFAULT_RETRY.refillPerSuccess);
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${options.timeoutMs}`);
  return {
    method: options.method ?? "POST",
    retry: {
      maxAttempts: Math.max(1, Math.floor(retry.maxAttempts ?? DEFAULT_RETRY.maxAttempts)),
      baseDelayMs: retry.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
      maxDelayMs: retry.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
    },
    budget,
    limiters,
    timeoutMs: options.timeoutMs,
    logger: options.logger,
    now,
    clockOffsetMs: 0,
  };
}

export interface CallRequest {
  readonly action: string;
  /** Whether repeating the action is harmless (`x-tc-idempotent`). */
  readonly idempotent: boolean;
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number | undefined;
  /** One attempt on the wire; must honour `signal` when there is one. */
  readonly send: (signal: AbortSignal | undefined) => Promise<TextResult>;
}

export async function runCall<T>(context: CallContext, request: CallRequest): Promise<T> {
  const timeoutMs = request.timeoutMs ?? context.timeoutMs;
  const deadline = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
  // No signal at all when the caller set no deadline and cannot abort: the common case stays cheap.
  const signal = deadline && request.signal ? AbortSignal.any([request.signal, deadline]) : (deadline ?? request.signal);
  const limiter = context.limiters.get(request.action);
  let skewRetried = false;
  let lastError: unknown;

  for (let attempt = 1; ; attempt++) {
    const started = context.now();
    let status: number | undefined;
    let release: (() => void) | undefined;
    try {
      release = await limiter?.acquire(signal);
      const result = await request.send(signal).finally(() => release?.());
      status = result.response.status;
      try {
        const value = readEnvelope<T & { RequestId?: string }>(request.action, result);
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
    } catch (error) {
      if (signal?.aborted) {
        const timedOut = deadline?.aborted === true && request.signal?.aborted !== true;
        report(context, request, attempt, started, { outcome: timedOut ? "timeout" : "aborted", status, error: describe(error) });
        if (timedOut) throw new TimeoutError({ action: request.action, timeoutMs: timeoutMs!, attempts: attempt, lastError: lastError ?? (isAbortError(error) ? undefined : error) });
        throw request.signal?.reason ?? error;
      }
      lastError = error;
      const reason = retryReason(error, request.idempotent);
      const canRetry = reason !== undefined && attempt < context.retry.maxAttempts && (context.budget?.trySpend() ?? true);
      const delay = canRetry ? backoffDelay(attempt, context.retry.baseDelayMs, context.retry.maxDelayMs) : undefined;
      report(context, request, attempt, started, failure(error, status, delay));
      if (delay === undefined) throw withAttempts(error, attempt);
      try {
        await sleep(delay, signal);
      } catch {
        const timedOut = deadline?.aborted === true && request.signal?.aborted !== true;
        if (timedOut) throw new TimeoutError({ action: request.action, timeoutMs: timeoutMs!, attempts: attempt, lastError });
        throw request.signal?.reason ?? signal?.reason;
      }
    }
  }
}

function failure(error: unknown, status: number | undefined, retryInMs: number | undefined): Partial<CallEvent> {
  if (error instanceof TencentCloudApiError) {
    return { outcome: "api-error", status, requestId: error.requestId, errorCode: error.code, error: describe(error), retryInMs };
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

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}
