/**
 * The transports on Node (package.json `#transport`, condition `node`; Bun and Deno resolve it too):
 * node:http keep-alive (./node.ts) with the environment's proxy, or `fetch` when a custom one is
 * given (or, should this module run where `process.versions.node` is missing, the global one). The
 * fetch transport is loaded only then: a Node program that sends over node:http neither loads nor
 * (with code splitting) bundles it.
 */
import { DEFAULT_MAX_ANSWER_BYTES } from "./answer.js";
import type { TextResult } from "./envelope.js";
import { sendWithNode, type NodeSendOptions } from "./node.js";
import { globalFetch, type ProviderSendOptions, type Transport, type TransportOptions } from "./platform.js";
import type { PreparedRequest } from "../request/prepare.js";
import { proxyFromEnvironment } from "./proxy.js";

const fetchModule = () => import("./fetch.js");
const onNode = (): boolean => typeof process === "object" && typeof process.versions?.node === "string";

export function clientTransport(options: TransportOptions): Transport {
  if (options.fetch !== undefined || !onNode()) {
    const transport = fetchModule().then((module) => module.fetchTransport(options.fetch ?? globalFetch, options));
    return async (action, prepared, scope) => (await transport)(action, prepared, scope);
  }
  const nodeOptions: NodeSendOptions = {
    idleTimeoutMs: options.idleTimeoutMs,
    maxAnswerBytes: options.maxAnswerBytes,
    redact: options.redact,
    // The environment is asked once here whether it names a proxy: no cost per call without one.
    proxy: options.proxy ?? proxyFromEnvironment(),
    learnSecrets: options.learnSecrets,
  };
  return (action, prepared, scope) => sendWithNode(action, prepared, scope, nodeOptions);
}

export function sendProviderRequest(prepared: PreparedRequest, options: ProviderSendOptions): Promise<TextResult> {
  if (!onNode()) return fetchModule().then((module) => module.sendProviderWithFetch(prepared, options));
  return sendWithNode(options.what, prepared, options.signal, {
    idleTimeoutMs: options.timeoutMs,
    maxAnswerBytes: DEFAULT_MAX_ANSWER_BYTES,
    redact: options.redact,
    proxy: options.proxy,
    learnSecrets: options.learnSecrets,
    connectTimeoutMs: options.connectTimeoutMs,
  });
}
