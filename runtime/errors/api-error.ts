import { TcgenError } from "./tcgen-error.js";

/**
 * Tencent Cloud answered the call with an error envelope:
 * `{"Response": {"Error": {"Code": "...", "Message": "..."}, "RequestId": "..."}}`.
 *
 * `Code` is the union of the action's documented codes and the common codes; `(string & {})` keeps
 * codes Tencent adds later assignable without losing editor completion for the known ones.
 */
export class TencentCloudApiError<Code extends string = string> extends TcgenError {
  override readonly name = "TencentCloudApiError";
  /** Tencent's error code, e.g. `InvalidParameterValue.NotFoundInstance`. */
  readonly code: Code | (string & {});
  /**
   * The `RequestId` of the answer; quote it to Tencent support. Every error envelope carries one; the
   * empty string when a server (a proxy, a stand-in) left it out, so that it is always a string.
   */
  readonly requestId: string;
  /** The `X-TC-TraceId` response header, when present. */
  readonly traceId: string | undefined;
  /** The action that was called, e.g. `DescribeInstances`. */
  readonly action: string;
  /** How many attempts the call made before giving up with this error (retries included). */
  attempts = 1;

  constructor(fields: {
    code: Code | (string & {});
    message: string;
    requestId: string;
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
