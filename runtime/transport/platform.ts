/**
 * What each platform's transport module (package.json `#transport`: ./platform-node.ts for the
 * `node` condition, ./platform-web.ts for every other platform) offers the rest of the runtime: the
 * transport of a client's calls, and one request of a credentials provider. Types only.
 */
import type { AttemptScope } from "../policy/deadline.js";
import type { PreparedRequest } from "../request/prepare.js";
import type { TextResult } from "./envelope.js";
import type { ProxySetting } from "./proxy-setting.js";

/** One attempt of a call on the wire, within `scope` (its deadlines and the caller's signal). */
export type Transport = (action: string, prepared: PreparedRequest, scope: AttemptScope) => Promise<TextResult>;

/** What a client's transport is made from: the client options that concern it, checked by the core. */
export interface TransportOptions {
  readonly fetch: ((request: Request) => Promise<Response>) | undefined;
  readonly proxy: ProxySetting;
  readonly idleTimeoutMs: number;
  readonly maxAnswerBytes: number;
  /** Removes the client's secrets from text bound for an error. */
  readonly redact: (text: string) => string;
  /** Told a proxy's credentials before they could reach any text, so that `redact` removes them. */
  readonly learnSecrets: (secrets: readonly string[]) => void;
}

/** One request of a credentials provider (STS, the metadata service), with its own deadline. */
export interface ProviderSendOptions {
  /** The action or purpose, for errors (`AssumeRole`, `instance metadata`). */
  readonly what: string;
  readonly signal: AbortSignal;
  /** Node: also the idle timeout of its connection. */
  readonly timeoutMs: number;
  /** Node only: the deadline of establishing a new connection. */
  readonly connectTimeoutMs?: number | undefined;
  readonly proxy: ProxySetting;
  readonly redact: (text: string) => string;
  readonly learnSecrets?: ((secrets: readonly string[]) => void) | undefined;
}

/** The global fetch, looked up at each request (a test or polyfill may replace it). */
export const globalFetch = (request: Request): Promise<Response> => fetch(request);
