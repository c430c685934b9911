import { TencentCloudTransportError } from "./transport-error.js";

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
