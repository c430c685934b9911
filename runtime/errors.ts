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
 * `body` and the message never hold a secret of the client: its secret keys, tokens and signatures
 * are replaced by `[redacted]` wherever a server echoed them, in whatever encoding.
 */
export class TencentCloudTransportError extends Error {
  override readonly name: string = "TencentCloudTransportError";
  readonly status: number | undefined;
  readonly action: string;
  /** The first 512 characters of the answer's body, to diagnose proxies and gateways. */
  readonly body: string | undefined;
  readonly traceId: string | undefined;
  /**
   * `false` when the request surely never reached the server (the connection was never established),
   * so repeating it cannot do anything twice; `true` when it was sent; `undefined` when unknown.
   */
  readonly requestSent: boolean | undefined;
  /** How many attempts the call made before giving up with this error (retries included). */
  attempts = 1;

  constructor(
    fields: { message: string; action: string; status?: number; body?: string; traceId?: string | undefined; requestSent?: boolean | undefined },
    options?: { cause?: unknown },
  ) {
    super(`${fields.action}: ${fields.message}`, options);
    this.action = fields.action;
    this.status = fields.status;
    this.body = fields.body === undefined ? undefined : fields.body.slice(0, 512);
    this.traceId = fields.traceId;
    this.requestSent = fields.requestSent ?? (fields.status === undefined ? undefined : true);
  }
}

/**
 * The answer grew past `maxAnswerBytes` (after decoding) and was cut off there: nothing more was
 * read or kept. Not retried: the same request would get the same answer.
 */
export class AnswerTooLargeError extends TencentCloudTransportError {
  override readonly name = "AnswerTooLargeError";
  /** The client's `maxAnswerBytes`. */
  readonly maxAnswerBytes: number;

  constructor(fields: { action: string; status: number; maxAnswerBytes: number; host: string; announced?: number | undefined }) {
    super({
      action: fields.action,
      status: fields.status,
      requestSent: true,
      message:
        fields.announced !== undefined
          ? `the answer from ${fields.host} announces ${fields.announced} bytes, over maxAnswerBytes (${fields.maxAnswerBytes}); not read`
          : `the answer from ${fields.host} exceeds maxAnswerBytes (${fields.maxAnswerBytes} bytes); stopped reading there`,
    });
    this.maxAnswerBytes = fields.maxAnswerBytes;
  }
}

/** No usable credentials were found; raised before any request is made. */
export class CredentialsError extends Error {
  override readonly name = "CredentialsError";
}

/**
 * A deadline passed: the call's (`timeoutMs`: queueing, credentials, attempts and backoff included;
 * `scope: "call"`), or one attempt's (`attemptTimeoutMs`, `scope: "attempt"`) when that attempt was
 * not retried.
 */
export class TimeoutError extends Error {
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
