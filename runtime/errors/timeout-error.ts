import { TcgenError } from "./tcgen-error.js";

/**
 * A deadline passed: the call's (`timeoutMs`: queueing, credentials, attempts and backoff included;
 * `scope: "call"`), or one attempt's (`attemptTimeoutMs`, `scope: "attempt"`) when that attempt was
 * not retried.
 */
export class TimeoutError extends TcgenError {
  override readonly name = "TimeoutError";
  readonly action: string;
  /** The deadline that passed, in ms. */
  readonly timeoutMs: number;
  /** `"call"`: the call's `timeoutMs`; `"attempt"`: one attempt's `attemptTimeoutMs`. */
  readonly scope: "call" | "attempt";
  /** Attempts started before the deadline. */
  readonly attempts: number;

  constructor(fields: { action: string; timeoutMs: number; attempts: number; lastError?: unknown; scope?: "call" | "attempt"; why?: string }) {
    const scope = fields.scope ?? "call";
    const last = fields.lastError instanceof Error ? `; last error: ${fields.lastError.message}` : "";
    const counted = `${fields.attempts} attempt${fields.attempts === 1 ? "" : "s"}`;
    super(
      scope === "call"
        ? `${fields.action}: no answer within ${fields.timeoutMs} ms (timeoutMs; ${counted}${last})`
        : `${fields.action}: attempt ${fields.attempts} got no answer within ${fields.timeoutMs} ms (attemptTimeoutMs)${fields.why ? `; ${fields.why}` : ""}`,
      { cause: fields.lastError },
    );
    this.action = fields.action;
    this.timeoutMs = fields.timeoutMs;
    this.scope = scope;
    this.attempts = fields.attempts;
  }
}
