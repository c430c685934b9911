/**
 * The fetch transport: one attempt through `fetch` (a custom `fetch` option, or the global one off
 * Node), with the same bytes as the node:http transport (../prepare.ts puts them together). The
 * answer is read within `maxAnswerBytes` and anything that is not an HTTP 200 answer becomes a
 * `TencentCloudTransportError`; a 3xx is never followed with a signed body (`redirect: "manual"`).
 *
 * Written over `fetch` directly rather than through openapi-fetch: the typed paths openapi-fetch adds
 * are the generated functions' job, and a one-call program should not carry a second HTTP client.
 */
import { announcedLength, answerCoding, DEFAULT_MAX_ANSWER_BYTES, ERROR_BODY_READ_BYTES, readWebBody, refusedCodingMessage } from "./answer.js";
import type { TextResult } from "./envelope.js";
import { AnswerTooLargeError, TencentCloudTransportError } from "../errors/index.js";
import type { PreparedRequest } from "../request/prepare.js";
import { globalFetch, type ProviderSendOptions, type Transport } from "./platform.js";

export interface FetchSendOptions {
  readonly fetch: (request: Request) => Promise<Response>;
  readonly maxAnswerBytes: number;
  /** Removes the client's secrets from text bound for an error. */
  readonly redact: (text: string) => string;
}

/** A client's transport over `fetchImpl`: each attempt with its scope's AbortSignal. */
export function fetchTransport(fetchImpl: FetchSendOptions["fetch"], options: Omit<FetchSendOptions, "fetch">): Transport {
  const sendOptions: FetchSendOptions = { fetch: fetchImpl, maxAnswerBytes: options.maxAnswerBytes, redact: options.redact };
  return (action, prepared, scope) => sendWithFetch(action, prepared, scope.signal, sendOptions);
}

/** One request of a credentials provider through the global fetch. */
export function sendProviderWithFetch(prepared: PreparedRequest, options: ProviderSendOptions): Promise<TextResult> {
  return sendWithFetch(options.what, prepared, options.signal, { fetch: globalFetch, maxAnswerBytes: DEFAULT_MAX_ANSWER_BYTES, redact: options.redact });
}

export async function sendWithFetch(action: string, prepared: PreparedRequest, signal: AbortSignal, options: FetchSendOptions): Promise<TextResult> {
  const { redact, maxAnswerBytes } = options;
  const host = new URL(prepared.url).host;
  let response: Response;
  try {
    response = await options.fetch(
      new Request(prepared.url, {
        method: prepared.method,
        headers: prepared.headers,
        ...(prepared.body === undefined ? {} : { body: prepared.body }),
        signal,
        redirect: "manual",
      }),
    );
  } catch (error) {
    // An abort is the caller's decision, not a transport failure: let its reason through unchanged.
    if (signal.aborted || error instanceof TencentCloudTransportError) throw error;
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    throw new TencentCloudTransportError({ action, message: redact(`request to ${host} failed: ${reason}`) }, { cause: error });
  }
  // The fetch implementation has decoded what Accept-Encoding asked for; here the body is read
  // within the cap (and the attempt's signal, which the fetch honours while streaming).
  const coding = answerCoding(response.headers.get("content-encoding"));
  if (typeof coding === "object") {
    await response.body?.cancel().catch(() => {});
    throw new TencentCloudTransportError({ action, status: response.status, requestSent: true, message: refusedCodingMessage(host, coding.refused) });
  }
  if (response.status !== 200) {
    const { text } = await readWebBody(response.body, ERROR_BODY_READ_BYTES).catch(() => ({ text: "" }));
    throw new TencentCloudTransportError({
      action,
      status: response.status,
      body: redact(text),
      traceId: response.headers.get("X-TC-TraceId") ?? undefined,
      message: `HTTP ${response.status} from ${host}, expected 200 with a JSON envelope`,
    });
  }
  const announced = coding === undefined ? announcedLength(response.headers.get("content-length")) : undefined;
  if (announced !== undefined && announced > maxAnswerBytes) {
    await response.body?.cancel().catch(() => {});
    throw new AnswerTooLargeError({ action, status: 200, maxAnswerBytes, host, announced });
  }
  const { text, over } = await readWebBody(response.body, maxAnswerBytes).catch((error: unknown) => {
    // An abort is the call's business (../call.ts tells deadlines and the caller apart).
    if (signal.aborted) throw error;
    throw new TencentCloudTransportError(
      { action, status: 200, requestSent: true, message: redact(`the answer from ${host} broke off: ${error instanceof Error ? error.message : String(error)}`) },
      { cause: error },
    );
  });
  if (over) throw new AnswerTooLargeError({ action, status: 200, maxAnswerBytes, host });
  return { data: text, response: { status: 200, headers: response.headers } };
}
