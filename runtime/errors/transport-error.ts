import { TcgenError } from "./tcgen-error.js";

/**
 * The call did not produce a Tencent Cloud API answer: the connection failed, the status was not 200,
 * or the body was not a JSON envelope. `status` is the HTTP status, `undefined` when no answer arrived.
 * `body` and the message never hold a secret of the client: its secret keys, tokens and signatures
 * are replaced by `[redacted]` wherever a server echoed them, in whatever encoding.
 */
export class TencentCloudTransportError extends TcgenError {
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
