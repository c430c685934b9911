/**
 * One request of a credentials provider (STS, the metadata service) over the runtime's own
 * transports: node:http on Node (proxies as configured, keep-alive, the answer cap), `fetch`
 * elsewhere. Each request has its own deadline besides the refresh's `signal`; when the deadline is
 * what ended it, the error says so.
 */
import { DEFAULT_MAX_ANSWER_BYTES } from "../transport/answer.js";
import type { TextResult } from "../transport/envelope.js";
import type { PreparedRequest } from "../request/prepare.js";
import { sendWithNode } from "../transport/node.js";
import { sendWithFetch } from "../transport/fetch.js";
import type { ProxySetting } from "../transport/proxy-setting.js";

export interface ProviderRequestOptions {
  /** The action or purpose, for errors (`AssumeRole`, `instance metadata`). */
  readonly what: string;
  /** The refresh's signal: aborted when the refresh is abandoned. */
  readonly signal: AbortSignal;
  /** This request's own deadline. */
  readonly timeoutMs: number;
  /** node:http only: the deadline of establishing a new connection. */
  readonly connectTimeoutMs?: number;
  readonly proxy: ProxySetting;
  readonly redact: (text: string) => string;
  readonly learnSecrets?: (secrets: readonly string[]) => void;
}

/** Thrown when the request's own deadline passed (not the refresh's signal). */
export class ProviderDeadline extends Error {}

export async function sendProviderRequest(prepared: PreparedRequest, options: ProviderRequestOptions): Promise<TextResult> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new ProviderDeadline(`no answer from ${prepared.url.host} within ${options.timeoutMs} ms`)), options.timeoutMs);
  const signal = AbortSignal.any([options.signal, deadline.signal]);
  try {
    const onNode = typeof process === "object" && typeof process.versions?.node === "string";
    return onNode
      ? await sendWithNode(options.what, prepared, signal, {
          idleTimeoutMs: options.timeoutMs,
          maxAnswerBytes: DEFAULT_MAX_ANSWER_BYTES,
          redact: options.redact,
          proxy: options.proxy,
          learnSecrets: options.learnSecrets,
          connectTimeoutMs: options.connectTimeoutMs,
        })
      : await sendWithFetch(options.what, prepared, signal, { fetch: (request) => fetch(request), maxAnswerBytes: DEFAULT_MAX_ANSWER_BYTES, redact: options.redact });
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason;
    if (deadline.signal.aborted) throw deadline.signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
