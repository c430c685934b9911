/**
 * One request of a credentials provider (STS, the metadata service) over the runtime's own
 * transports (package.json `#transport`): node:http on Node (proxies as configured, keep-alive, the
 * answer cap), `fetch` elsewhere. Each request has its own deadline besides the refresh's `signal`;
 * when the deadline is what ended it, the error says so.
 */
import type { TextResult } from "../transport/envelope.js";
import type { ProviderSendOptions } from "../transport/platform.js";
import type { PreparedRequest } from "../request/prepare.js";
import { sendProviderRequest as send } from "#transport";

/** `signal` is the refresh's: aborted when the refresh is abandoned; `timeoutMs` this request's own deadline. */
export type ProviderRequestOptions = ProviderSendOptions;

/** Thrown when the request's own deadline passed (not the refresh's signal). */
export class ProviderDeadline extends Error {}

export async function sendProviderRequest(prepared: PreparedRequest, options: ProviderRequestOptions): Promise<TextResult> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new ProviderDeadline(`no answer from ${prepared.url.host} within ${options.timeoutMs} ms`)), options.timeoutMs);
  const signal = AbortSignal.any([options.signal, deadline.signal]);
  try {
    return await send(prepared, { ...options, signal });
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason;
    if (deadline.signal.aborted) throw deadline.signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
