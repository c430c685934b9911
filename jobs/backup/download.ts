/**
 * One backup file, downloaded safely: streamed to `<target>.part`, resumed with `Range` + `If-Range`
 * after a cut, a stall or a crash, the URL refreshed when it is refused (403) or has expired, the size
 * enforced while streaming, CRC-64 checked against `x-cos-hash-crc64ecma` and SHA-256 computed, then
 * fsync and an atomic rename. A file that fails its CRC is removed, never kept under any name.
 *
 * What makes a partial file resumable is its sidecar, `<target>.part.json` (written atomically before
 * the first byte): the object's validator (ETag, else Last-Modified) and size when the partial file
 * was started. A resumed request sends it as `If-Range`, so a server whose object has changed answers
 * 200 with the whole new object, and the download starts again from byte 0 (event "restart").
 *
 * The CRC and SHA-256 are of the whole object, so a resumed download first re-reads the bytes already
 * on disk into both hashes (`rehashMs` in the result; bench/crc64.ts prints the cost per GiB).
 */
import { createHash, type Hash } from "node:crypto";
import { open, readFile, rename, rm, stat, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { createCrc64, parseCosCrc64, type Crc64 } from "./crc64.js";
import { ChecksumMismatchError, DownloadError, HttpStatusError, SizeMismatchError, StallError, UrlExpiredError } from "./errors.js";
import { fsyncDirectory, writeFileAtomic } from "./atomic.js";

export interface DownloadOptions {
  /** The presigned URL to fetch (a task's `Url`). */
  readonly url: string;
  /** A fresh URL for the same file (DescribeBackupDownloadTask), called when the URL is refused or expired. */
  readonly getFreshUrl?: () => Promise<string>;
  /** The final file name; the download writes `<target>.part` and `<target>.part.json` beside it. */
  readonly target: string;
  /** The file's size in bytes (the task's BackupSize): never more is written, a different size fails. */
  readonly expectedSize: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: DownloadEvent) => void;
  /** Default globalThis.fetch. */
  readonly fetch?: typeof globalThis.fetch;
  /** An attempt that receives nothing (headers or body) for this long is aborted and resumed. Default 60,000. */
  readonly stallMs?: number;
  /** Deadline of one attempt, from its request to its last byte; the next attempt resumes. Default none. */
  readonly attemptTimeoutMs?: number;
  /** Attempts that may fail (cut, stall, 5xx) before the download gives up. Default 8. */
  readonly maxAttempts?: number;
  /** How many fresh URLs may be asked for. Default 3. */
  readonly maxUrlRefreshes?: number;
  /** How many times the object may change under the download (restart from 0). Default 2. */
  readonly maxRestarts?: number;
  /** Wait before retry `n` (1-based), in ms. Default full jitter, 500 ms doubling up to 30 s. */
  readonly backoff?: (attempt: number) => number;
  /** Fail when the server sends no `x-cos-hash-crc64ecma`. Default false (SHA-256 is still computed). */
  readonly requireCrc?: boolean;
  /** The clock for URL expiry, ms since the epoch. Default Date.now. */
  readonly now?: () => number;
}

export type DownloadEvent =
  /** A partial file was found and its bytes re-read into the hashes. */
  | { readonly type: "resume"; readonly from: number; readonly rehashMs: number }
  | { readonly type: "request"; readonly attempt: number; readonly from: number }
  | { readonly type: "progress"; readonly written: number; readonly total: number; readonly fetched: number }
  /** The partial file was dropped and the download begins again at byte 0. */
  | { readonly type: "restart"; readonly reason: string }
  | { readonly type: "url-refresh"; readonly reason: string }
  | { readonly type: "retry"; readonly attempt: number; readonly delayMs: number; readonly error: string }
  | { readonly type: "done"; readonly result: DownloadResult };

export interface DownloadResult {
  readonly target: string;
  readonly size: number;
  /** CRC-64/XZ of the file, unsigned decimal (as COS writes it). */
  readonly crc64: string;
  /** Whether the server sent `x-cos-hash-crc64ecma` and it matched. */
  readonly crcVerified: boolean;
  /** SHA-256 of the file, lower-case hex. */
  readonly sha256: string;
  /** Body bytes received over the network in this call, every attempt included. */
  readonly bytesFetched: number;
  /** Where this call started: the length of the partial file it resumed (0 for a fresh start). */
  readonly resumedFrom: number;
  /** Time spent re-reading the partial file into the hashes. */
  readonly rehashMs: number;
  readonly attempts: number;
  readonly urlRefreshes: number;
  readonly restarts: number;
  /** The ETag (or Last-Modified) of the object downloaded. */
  readonly validator: string | undefined;
  /** The URL that delivered the last bytes (it may be a refreshed one). */
  readonly url: string;
}

/** The sidecar of a partial file. */
interface PartState {
  readonly schema: 1;
  readonly expectedSize: number;
  /** The ETag if the server sent one, else Last-Modified. */
  readonly validator: string;
  readonly startedAt: string;
}

const DEFAULTS = { stallMs: 60_000, maxAttempts: 8, maxUrlRefreshes: 3, maxRestarts: 2 };
const WRITE_BATCH = 1024 * 1024;

/** Full jitter, the runtime's backoff formula (runtime/retry.ts backoffDelay): 0 … min(30 s, 500 ms × 2^(n-1)). */
const defaultBackoff = (attempt: number) => Math.floor(Math.random() * Math.min(30_000, 500 * 2 ** (attempt - 1)));

export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
  const { target, expectedSize } = options;
  if (!(Number.isSafeInteger(expectedSize) && expectedSize >= 0)) throw new RangeError(`expectedSize must be a whole number of bytes, got ${expectedSize}`);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const stallMs = options.stallMs ?? DEFAULTS.stallMs;
  const maxAttempts = options.maxAttempts ?? DEFAULTS.maxAttempts;
  const maxUrlRefreshes = options.maxUrlRefreshes ?? DEFAULTS.maxUrlRefreshes;
  const maxRestarts = options.maxRestarts ?? DEFAULTS.maxRestarts;
  const backoff = options.backoff ?? defaultBackoff;
  const now = options.now ?? Date.now;
  const emit = options.onProgress ?? (() => {});
  const partFile = `${target}.part`;
  const stateFile = `${target}.part.json`;
  const name = path.basename(target);

  let url = options.url;
  let attempts = 0;
  let failures = 0;
  let urlRefreshes = 0;
  let restarts = 0;
  let bytesFetched = 0;
  let serverCrc: bigint | undefined;

  const refreshUrl = async (reason: string, cause?: unknown): Promise<void> => {
    if (!options.getFreshUrl) throw new UrlExpiredError(`${reason}, and no way to get a fresh URL was given`, cause);
    if (urlRefreshes >= maxUrlRefreshes) throw new UrlExpiredError(`${reason}, after ${urlRefreshes} fresh URL${urlRefreshes === 1 ? "" : "s"}`, cause);
    urlRefreshes++;
    emit({ type: "url-refresh", reason });
    url = await options.getFreshUrl();
  };

  // The partial file, resumed when its sidecar says which object it is part of.
  let state = await readPartState(stateFile, expectedSize);
  const onDisk = state ? await sizeOf(partFile) : undefined;
  let written = onDisk !== undefined && onDisk <= expectedSize ? onDisk : 0;
  if (written === 0) state = undefined;
  // A complete partial file still needs the server's CRC: fetch its last byte again.
  if (expectedSize > 0 && written === expectedSize) written--;
  const resumedFrom = written;
  const file = await open(partFile, written > 0 ? "r+" : "w");
  let hashes: Hashes;
  let rehashMs = 0;
  try {
    await file.truncate(written);
    const started = performance.now();
    hashes = await hashPrefix(file, written);
    rehashMs = performance.now() - started;
    if (written > 0) emit({ type: "resume", from: written, rehashMs });
    if (!state) await rm(stateFile, { force: true });
  } catch (error) {
    await file.close();
    throw error;
  }

  const restart = async (reason: string): Promise<void> => {
    if (restarts >= maxRestarts) throw new DownloadError(`${name}: ${reason}; gave up after ${restarts} restarts`, { retryable: false });
    restarts++;
    emit({ type: "restart", reason });
    await file.truncate(0);
    await rm(stateFile, { force: true });
    state = undefined;
    written = 0;
    hashes = await hashPrefix(file, 0);
  };

  try {
    for (;;) {
      options.signal?.throwIfAborted();
      // Checked before every attempt: a long download or a long backoff can outlive the URL's window.
      if (isExpired(url, now())) await refreshUrl("the URL's signature has expired (q-sign-time)");
      attempts++;
      if (written > 0 && !state) {
        // Nothing to validate a range with (the server sent neither ETag nor Last-Modified): from byte 0.
        emit({ type: "restart", reason: "the server gave no ETag or Last-Modified to resume with" });
        await file.truncate(0);
        written = 0;
        hashes = await hashPrefix(file, 0);
      }
      const from: number = written;
      emit({ type: "request", attempt: attempts, from });
      const attempt = attemptSignal(options.signal, stallMs, options.attemptTimeoutMs);
      try {
        const headers: Record<string, string> = {};
        if (from > 0 && state) {
          headers["Range"] = `bytes=${from}-`;
          headers["If-Range"] = state.validator;
        }
        const response = await fetchImpl(url, { headers, signal: attempt.signal });
        attempt.touch();
        if (response.status === 403) {
          const detail = cosError(await response.text().catch(() => ""));
          await refreshUrl(`GET answered 403${detail ? ` (${detail})` : ""}`);
          continue;
        }
        if (response.status === 416) {
          await response.body?.cancel();
          await restart(`the server refused the range from byte ${from} (416)`);
          continue;
        }
        if (response.status !== 200 && response.status !== 206) {
          const detail = cosError(await response.text().catch(() => ""));
          throw new HttpStatusError(response.status, detail?.split(":")[0], `GET ${redact(url)} answered HTTP ${response.status}${detail ? ` (${detail})` : ""}`);
        }
        const validator = response.headers.get("etag") ?? response.headers.get("last-modified") ?? undefined;
        if (response.status === 200 && from > 0) {
          await restart(`the server answered 200 to a request from byte ${from}: the object changed since the partial file was started (${state?.validator} → ${validator ?? "none"})`);
        } else if (response.status === 206) {
          const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get("content-range") ?? "");
          if (!range || Number(range[1]) !== from) {
            await response.body?.cancel();
            await restart(`the server answered a range other than the one asked for (${response.headers.get("content-range")})`);
            continue;
          }
          if (range[3] !== "*" && Number(range[3]) !== expectedSize) {
            await response.body?.cancel();
            throw new SizeMismatchError(`${name}: the object has ${range[3]} bytes, but ${expectedSize} were expected`);
          }
          if (state && validator !== undefined && validator !== state.validator) {
            // A server that ignores If-Range and sends a range of a changed object.
            await response.body?.cancel();
            await restart(`the object changed (${state.validator} → ${validator})`);
            continue;
          }
        }
        const announced = response.headers.get("content-length");
        if (announced !== null && Number(announced) !== expectedSize - written) {
          await response.body?.cancel();
          throw new SizeMismatchError(`${name}: the server announces ${announced} bytes from byte ${written}, but the file has ${expectedSize} bytes in all`);
        }
        serverCrc = parseCosCrc64(response.headers.get("x-cos-hash-crc64ecma"));
        if (!state || written === 0) {
          state = undefined;
          if (validator === undefined) {
            // Without a validator a resumed range could splice two versions together: no sidecar, no resume.
            await rm(stateFile, { force: true });
          } else {
            state = { schema: 1, expectedSize, validator, startedAt: new Date(now()).toISOString() };
            await writeFileAtomic(stateFile, `${JSON.stringify(state, null, 2)}\n`);
          }
        }
        if (!response.body) throw new DownloadError(`GET ${redact(url)} answered without a body`, { retryable: true });
        const streamed = await streamBody(response.body, file, hashes, written, expectedSize, attempt, (fetched, received) => {
          bytesFetched += fetched;
          emit({ type: "progress", written: received, total: expectedSize, fetched: bytesFetched });
        });
        written = streamed.written;
        if (streamed.exceeded) {
          throw new SizeMismatchError(`${name}: the server sent more than the expected ${expectedSize} bytes; stopped before writing past them`);
        }
        if (written < expectedSize) {
          throw new DownloadError(`${name}: the response ended at byte ${written} of ${expectedSize}`, { retryable: true });
        }
        break;
      } catch (error) {
        written = await flushedLength(file, written);
        const reason = attempt.reason() ?? error;
        if (options.signal?.aborted) throw options.signal.reason;
        const failure = reason instanceof DownloadError ? reason : new DownloadError(`${name}: ${describe(reason)}`, { retryable: true, cause: reason });
        if (!failure.retryable) throw failure;
        failures++;
        if (failures >= maxAttempts) throw new DownloadError(`${name}: gave up after ${failures} failed attempts; the partial file is kept for a later run: ${failure.message}`, { retryable: true, cause: failure });
        const delayMs = backoff(failures);
        emit({ type: "retry", attempt: attempts, delayMs, error: failure.message });
        await sleep(delayMs, options.signal);
      } finally {
        attempt.dispose();
      }
    }

    const crc = hashes.crc.digest();
    const sha256 = hashes.sha256.digest("hex");
    if (serverCrc !== undefined && serverCrc !== crc) {
      await file.close().catch(() => {});
      await rm(partFile, { force: true });
      await rm(stateFile, { force: true });
      throw new ChecksumMismatchError(serverCrc, crc, name);
    }
    if (serverCrc === undefined && options.requireCrc) {
      throw new DownloadError(`${name}: the server sent no x-cos-hash-crc64ecma, and requireCrc is set`, { retryable: false });
    }
    await file.sync();
    await file.close();
    await rename(partFile, target);
    await rm(stateFile, { force: true });
    await fsyncDirectory(path.dirname(target));
    const result: DownloadResult = {
      target,
      size: written,
      crc64: crc.toString(),
      crcVerified: serverCrc !== undefined,
      sha256,
      bytesFetched,
      resumedFrom,
      rehashMs,
      attempts,
      urlRefreshes,
      restarts,
      validator: state?.validator,
      url,
    };
    emit({ type: "done", result });
    return result;
  } catch (error) {
    await file.close().catch(() => {});
    if (error instanceof SizeMismatchError) {
      // Not the file we were told of: nothing of it is worth resuming.
      await rm(partFile, { force: true });
      await rm(stateFile, { force: true });
    }
    throw error;
  }
}

interface Hashes {
  crc: Crc64;
  sha256: Hash;
}

/** Fresh hashes fed with the first `length` bytes of the file. */
async function hashPrefix(file: FileHandle, length: number): Promise<Hashes> {
  const hashes: Hashes = { crc: await createCrc64(), sha256: createHash("sha256") };
  const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
  for (let position = 0; position < length; ) {
    const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, length - position), position);
    if (bytesRead === 0) throw new Error(`the partial file ended at byte ${position} while ${length} were expected`);
    const piece = buffer.subarray(0, bytesRead);
    hashes.crc.update(piece);
    hashes.sha256.update(piece);
    position += bytesRead;
  }
  return hashes;
}

/**
 * Reads the body into the file from `written` on, batching writes, never writing past `expectedSize`:
 * a chunk that would go past it stops the stream (`exceeded`) before any of it is written.
 * Bytes written are always hashed, so after an error the file and the hashes still agree.
 */
async function streamBody(
  body: ReadableStream<Uint8Array>,
  file: FileHandle,
  hashes: Hashes,
  written: number,
  expectedSize: number,
  attempt: AttemptSignal,
  onFetched: (bytes: number, received: number) => void,
): Promise<{ written: number; exceeded: boolean }> {
  const reader = body.getReader();
  const pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let position = written;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const batch = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    pending.length = 0;
    pendingBytes = 0;
    let done = 0;
    while (done < batch.length) done += (await file.write(batch, done, batch.length - done, position + done)).bytesWritten;
    position += batch.length;
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      attempt.touch();
      if (position + pendingBytes + value.length > expectedSize) {
        onFetched(value.length, position + pendingBytes);
        await reader.cancel().catch(() => {});
        await flush();
        return { written: position, exceeded: true };
      }
      hashes.crc.update(value);
      hashes.sha256.update(value);
      pending.push(value);
      pendingBytes += value.length;
      onFetched(value.length, position + pendingBytes);
      if (pendingBytes >= WRITE_BATCH) await flush();
    }
    await flush();
    return { written: position, exceeded: false };
  } catch (error) {
    // Keep what arrived intact: it is hashed already, and the next attempt resumes after it.
    await flush();
    throw error;
  } finally {
    reader.releaseLock();
  }
}

/** The length of the partial file after a failed attempt (what was flushed). */
async function flushedLength(file: FileHandle, fallback: number): Promise<number> {
  try {
    return (await file.stat()).size;
  } catch {
    return fallback;
  }
}

interface AttemptSignal {
  readonly signal: AbortSignal;
  /** Something arrived: the stall timer starts again. */
  touch(): void;
  /** Why the attempt was cut (stall or deadline), if it was. */
  reason(): StallError | undefined;
  dispose(): void;
}

/** The attempt's signal: the caller's, a stall timer and a deadline. */
function attemptSignal(outer: AbortSignal | undefined, stallMs: number, deadlineMs: number | undefined): AttemptSignal {
  const controller = new AbortController();
  let cut: StallError | undefined;
  const abort = (error: StallError) => {
    cut ??= error;
    controller.abort(error);
  };
  const stall = setTimeout(() => abort(new StallError(`no data for ${stallMs / 1000} s`)), stallMs);
  const deadline = deadlineMs === undefined ? undefined : setTimeout(() => abort(new StallError(`the attempt ran past its ${deadlineMs / 1000} s deadline`)), deadlineMs);
  const signals = outer ? [outer, controller.signal] : [controller.signal];
  return {
    signal: AbortSignal.any(signals),
    touch: () => void stall.refresh(),
    reason: () => cut,
    dispose: () => {
      clearTimeout(stall);
      if (deadline) clearTimeout(deadline);
    },
  };
}

async function readPartState(stateFile: string, expectedSize: number): Promise<PartState | undefined> {
  let text: string;
  try {
    text = await readFile(stateFile, "utf8");
  } catch {
    return undefined;
  }
  try {
    const state = JSON.parse(text) as Partial<PartState>;
    if (state.schema !== 1 || state.expectedSize !== expectedSize || typeof state.validator !== "string" || state.validator === "") return undefined;
    return state as PartState;
  } catch {
    return undefined; // a torn or foreign sidecar: start again rather than trust it
  }
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch {
    return undefined;
  }
}

/** Whether a presigned COS URL's window (q-sign-time `<start>;<end>`, also inside a `sign=` parameter) has ended. */
export function isExpired(url: string, nowMs: number): boolean {
  let query: URLSearchParams;
  try {
    query = new URL(url).searchParams;
  } catch {
    return false;
  }
  const nested = query.get("sign");
  const signTime = query.get("q-sign-time") ?? (nested ? new URLSearchParams(nested).get("q-sign-time") : null);
  const end = /^\d+;(\d+)$/.exec(signTime ?? "")?.[1];
  return end !== undefined && nowMs / 1000 > Number(end);
}

/** `Code: Message` of a COS XML error body, if it is one. */
function cosError(body: string): string | undefined {
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
  return code ? `${code}${message ? `: ${message}` : ""}` : undefined;
}

/** A URL without its query, which carries a signature. */
export function redact(url: string): string {
  return url.replace(/\?.*$/, "?…");
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error && !error.message.includes(error.cause.message) ? ` (${error.cause.message})` : "";
  return `${error.message}${cause}`;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
