/** Tencent's answer envelope: `{"Response": {...}}` on success, `{"Response": {"Error": {...}}}` on failure. */
import { TencentCloudApiError, TencentCloudTransportError } from "../errors/index.js";
import { isJsonObject } from "../validation/checks.js";

/** An answer as text: what openapi-fetch resolves with for `parseAs: "text"`, or the Node transport. */
export interface TextResult {
  data?: string | undefined;
  response: { readonly status: number; readonly headers: { get(name: string): string | null } };
}

/** How much of a body is redacted before the 512-character excerpt is cut from it. */
const EXCERPT_WINDOW = 16 * 1024;

export interface EnvelopeOptions {
  /** Removes the client's secrets from text bound for an error (a server may echo them). */
  readonly redact?: ((text: string) => string) | undefined;
  /** Parses the text; default `JSON.parse` (a client with `x-tc-int64` members passes its own). */
  readonly parse?: ((text: string) => unknown) | undefined;
}

/**
 * Unwraps Tencent's envelope: returns `Response` (with `RequestId`) on success, throws
 * `TencentCloudApiError` for `Response.Error`, and `TencentCloudTransportError` for anything that is
 * not an envelope at all.
 */
export function readEnvelope<T>(action: string, result: TextResult, options: EnvelopeOptions = {}): T {
  const { response } = result;
  const redact = options.redact ?? ((text: string) => text);
  const traceId = response.headers.get("X-TC-TraceId") ?? undefined;
  const text = result.data ?? "";
  // The excerpt is 512 characters; redacting a wider window first keeps a secret cut at its end from showing.
  const fail = (message: string) =>
    new TencentCloudTransportError({ action, status: response.status, body: redact(text.slice(0, EXCERPT_WINDOW)), traceId, message });

  let envelope: unknown;
  try {
    envelope = options.parse ? options.parse(text) : JSON.parse(text);
  } catch {
    throw fail(text === "" ? "empty answer, expected a JSON envelope" : "answer is not JSON");
  }
  const body = isJsonObject(envelope) ? envelope["Response"] : undefined;
  if (!isJsonObject(body)) throw fail('answer has no "Response" object');

  const requestId = typeof body["RequestId"] === "string" ? body["RequestId"] : undefined;
  if (body["Error"] !== undefined) {
    const error = body["Error"];
    if (!isJsonObject(error) || typeof error["Code"] !== "string") throw fail('"Response.Error" has no string "Code"');
    throw new TencentCloudApiError({
      code: error["Code"],
      message: typeof error["Message"] === "string" ? redact(error["Message"]) : "",
      // Every error envelope carries one; a server that leaves it out (a proxy, a stand-in) gets "",
      // so `requestId` is always a string and the message simply names none.
      requestId: requestId ?? "",
      traceId,
      action,
    });
  }
  return body as T;
}
