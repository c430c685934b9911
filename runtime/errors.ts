/**
 * The errors a tcgen client throws. Each says what happened in its message and carries the facts as
 * fields, so callers can branch on them without parsing text.
 */

/**
 * Tencent Cloud answered the call with an error envelope:
 * `{"Response": {"Error": {"Code": "...", "Message": "..."}, "RequestId": "..."}}`.
 *
 * `Code` is the union of the action's documented codes and the common codes; `(string & {})` keeps
 * codes Tencent adds later assignable without losing editor completion for the known ones.
 */
export class TencentCloudApiError<Code extends string = string> extends Error {
  override readonly name = "TencentCloudApiError";
  /** Tencent's error code, e.g. `InvalidParameterValue.NotFoundInstance`. */
  readonly code: Code | (string & {});
  /** The `RequestId` of the answer; quote it to Tencent support. */
  readonly requestId: string | undefined;
  /** The `X-TC-TraceId` response header, when present. */
  readonly traceId: string | undefined;
  /** The action that was called, e.g. `DescribeInstances`. */
  readonly action: string;
  /** How many attempts the call made before giving up with this error (retries included). */
  attempts = 1;

  constructor(fields: {
    code: Code | (string & {});
    message: string;
    requestId: string | undefined;
    traceId: string | undefined;
    action: string;
  }) {
    super(`${fields.action}: ${fields.code}: ${fields.message}` + (fields.requestId ? ` (RequestId ${fields.requestId})` : ""));
    this.code = fields.code;
    this.requestId = fields.requestId;
    this.traceId = fields.traceId;
    this.action = fields.action;
  }
}

/**
 * The call did not produce a Tencent Cloud API answer: the connection failed, the status was not 200,
 * or the body was not a JSON envelope. `status` is the HTTP status, `undefined` when no answer arrived.
 */
export class TencentCloudTransportError extends Error {
  override readonly name = "TencentCloudTransportError";
  readonly status: number | undefined;
  readonly action: string;
  /** The first 512 characters of the answer's body, to diagnose proxies and gateways. */
  readonly body: string | undefined;
  readonly traceId: string | undefined;
  /** How many attempts the call made before giving up with this error (retries included). */
  attempts = 1;

  constructor(
    fields: { message: string; action: string; status?: number; body?: string; traceId?: string | undefined },
    options?: { cause?: unknown },
  ) {
    super(`${fields.action}: ${fields.message}`, options);
    this.action = fields.action;
    this.status = fields.status;
    this.body = fields.body === undefined ? undefined : fields.body.slice(0, 512);
    this.traceId = fields.traceId;
  }
}

/** No usable credentials were found; raised before any request is made. */
export class CredentialsError extends Error {
  override readonly name = "CredentialsError";
}

/** The call's deadline (`timeoutMs`) passed, while queued, sending, or waiting to retry. */
export class TimeoutError extends Error {
  override readonly name = "TimeoutError";
  readonly action: string;
  readonly timeoutMs: number;
  /** Attempts started before the deadline. */
  readonly attempts: number;

  constructor(fields: { action: string; timeoutMs: number; attempts: number; lastError?: unknown }) {
    const last = fields.lastError instanceof Error ? `; last error: ${fields.lastError.message}` : "";
    super(`${fields.action}: no answer within ${fields.timeoutMs} ms (${fields.attempts} attempt${fields.attempts === 1 ? "" : "s"}${last})`, {
      cause: fields.lastError,
    });
    this.action = fields.action;
    this.timeoutMs = fields.timeoutMs;
    this.attempts = fields.attempts;
  }
}
