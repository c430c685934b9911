/**
 * The download's errors, on one base class so a caller can tell "this file failed" from a bug. Each
 * says whether trying again can help (`retryable`): a cut connection can, a wrong checksum cannot.
 */

export class DownloadError extends Error {
  override readonly name: string = "DownloadError";
  /** Whether a later attempt (resuming the partial file) may succeed. */
  readonly retryable: boolean;
  constructor(message: string, options: { retryable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable;
  }
}

/** The server answered with a status the download cannot use (404, 5xx after the retries, …). */
export class HttpStatusError extends DownloadError {
  override readonly name = "HttpStatusError";
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message, { retryable: status >= 500 || status === 429 || status === 408 });
  }
}

/** The URL is refused (403) or expired and no fresh one could be had (or the fresh ones failed too). */
export class UrlExpiredError extends DownloadError {
  override readonly name = "UrlExpiredError";
  constructor(message: string, cause?: unknown) {
    super(message, { retryable: false, cause });
  }
}

/** The object is not the announced size: a Content-Length or Content-Range other than expectedSize, or more bytes than it. */
export class SizeMismatchError extends DownloadError {
  override readonly name = "SizeMismatchError";
  constructor(message: string) {
    super(message, { retryable: false });
  }
}

/** The file's CRC-64 is not the server's `x-cos-hash-crc64ecma`; the file was removed. */
export class ChecksumMismatchError extends DownloadError {
  override readonly name = "ChecksumMismatchError";
  constructor(
    readonly expected: bigint,
    readonly actual: bigint,
    file: string,
  ) {
    super(`CRC-64 of ${file} is ${actual}, but the server's x-cos-hash-crc64ecma is ${expected}; the file was not kept`, { retryable: false });
  }
}

/** An attempt received nothing for the stall timeout, or ran past its deadline (retryable: the next attempt resumes). */
export class StallError extends DownloadError {
  override readonly name = "StallError";
  constructor(message: string) {
    super(message, { retryable: true });
  }
}
