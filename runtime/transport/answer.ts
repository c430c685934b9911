/**
 * What both transports agree on about reading an answer: the content codings asked for (and so
 * decoded), the cap on an answer's size, and how much of an error page is read. The Node transport
 * decodes with node:zlib; fetch implementations decode what they were asked for themselves (the
 * Fetch standard requires it), and the fetch path reads their body through {@link readWebBody}.
 */

/** Sent as `Accept-Encoding` by both transports: the codings node:zlib and every fetch decode. */
export const ACCEPT_ENCODING = "gzip, br";

/** Content codings accepted in an answer; `x-gzip` is gzip's old name (RFC 9110 §8.4.1.3). */
const ACCEPTED_CODINGS = new Set(["gzip", "x-gzip", "br"]);

/**
 * Default cap on an answer's size, after decoding: 32 MiB. Tencent's largest API answers (a page of
 * 100 items, a log excerpt) stay in the low megabytes; a body growing past this is broken or hostile,
 * and is cut off before it can exhaust memory.
 */
export const DEFAULT_MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/** Of an answer that is not HTTP 200, only an excerpt is kept: reading stops after this many bytes. */
export const ERROR_BODY_READ_BYTES = 64 * 1024;

/**
 * The coding of an answer from its `Content-Encoding`: `undefined` for none (or `identity`),
 * `gzip` or `br`, or `{ refused }` naming what was not asked for (several codings stacked included).
 */
export function answerCoding(header: string | null | undefined): "gzip" | "br" | undefined | { refused: string } {
  if (!header) return undefined;
  const codings = header
    .split(",")
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== "" && coding !== "identity");
  if (codings.length === 0) return undefined;
  if (codings.length > 1 || !ACCEPTED_CODINGS.has(codings[0]!)) return { refused: header.trim() };
  return codings[0] === "br" ? "br" : "gzip";
}

/** The message of the error for an answer in a coding that was not asked for. */
export function refusedCodingMessage(host: string, coding: string): string {
  return `the answer from ${host} is encoded as "${coding}", which was not asked for (Accept-Encoding: ${ACCEPT_ENCODING})`;
}

/** `Content-Length` as a number, when it is one. */
export function announcedLength(header: string | null | undefined): number | undefined {
  if (header === null || header === undefined || !/^\s*\d+\s*$/.test(header)) return undefined;
  return Number(header);
}

/**
 * Reads a web body as UTF-8 text, at most `limit` bytes: `over` tells that more was coming, in which
 * case the rest is cancelled, never read.
 */
export async function readWebBody(body: ReadableStream<Uint8Array> | null, limit: number): Promise<{ text: string; over: boolean }> {
  if (body === null) return { text: "", over: false };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let over = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.byteLength > limit) {
        chunks.push(value.subarray(0, limit - size));
        size = limit;
        over = true;
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    if (over) reader.cancel().catch(() => {});
    reader.releaseLock();
  }
  // An answer cut at a large cap is of no use to anyone (only error excerpts are kept): let it go at once.
  if (over && limit > ERROR_BODY_READ_BYTES) return { text: "", over };
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { text: new TextDecoder().decode(bytes), over };
}
