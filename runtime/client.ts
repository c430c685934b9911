/**
 * The Tencent Cloud API 3.0 transport on top of openapi-fetch.
 *
 * Generated clients call `call(action, options, input, (signal) => http.POST("/<Action>", { body }))`.
 * `call` (./call.ts) adds rate limiting, retries, deadlines and events around each attempt, and an
 * attempt goes out one of two ways, with the same bytes (./prepare.ts puts them together):
 *   - on Node, with no custom `fetch`: straight over node:http (./transport-node.ts), the fast path;
 *   - otherwise through `http`, the typed openapi-fetch client built here, whose middleware turns the
 *     typed `POST /<Action>` into what Tencent expects: `onRequest` sends `POST /` (or
 *     `GET /?<flattened>`) with the common `X-TC-*` headers, signed over exactly what is sent;
 *     `onResponse`/`onError` turn anything that is not an HTTP 200 answer into a
 *     `TencentCloudTransportError`.
 * Either way the signature names the spec's service, never the host.
 */
import type { Client, Middleware } from "openapi-fetch";
import { announcedLength, answerCoding, DEFAULT_MAX_ANSWER_BYTES, ERROR_BODY_READ_BYTES, readWebBody, refusedCodingMessage } from "./answer.js";
import { createCallContext, runCall, type Logger } from "./call.js";
import type { ValidationOptions } from "./call-validation.js";
import { checkTimeout, untilAborted, type AbortLike } from "./deadline.js";
import { prepareRequest, type PreparedRequest, type RequestSettings } from "./prepare.js";
import { answerPlan, parseWithInt64, requestPlan, stringifyWithInt64, type Int64Plans } from "./int64.js";
import { Redactor } from "./redact.js";
import { sendWithNode, type NodeSendOptions } from "./transport-node.js";
import { credentialsResolver, type Credentials, type CredentialsProvider } from "./credentials.js";
import type { TextResult } from "./envelope.js";
import { resolveEndpoint } from "./endpoints.js";
import { AnswerTooLargeError, TencentCloudTransportError } from "./errors.js";
import type { RetryOptions } from "./retry.js";

/**
 * Default `idleTimeoutMs` of the node:http transport: a connection on which nothing moved for a
 * minute is dead. Equal to the default attempt deadline, which therefore fires first; the idle
 * timeout is what still ends a stalled connection when the deadlines are set to `Infinity`.
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/** What a generated client tells the runtime about its service; emitted from the spec. */
export interface ServiceDescriptor {
  /** The signed service name (`x-tc-service`), never derived from the host. */
  readonly service: string;
  /** `X-TC-Version` (`x-tc-version`). */
  readonly version: string;
  /** The default endpoint (the spec's first server). */
  readonly endpoint: string;
  /** Pseudo-path (`/DescribeInstances`) → action (`x-tc-action`). */
  readonly actions: Readonly<Record<string, string>>;
  /** Documented requests per second of each action (`x-tc-rate-limit`). */
  readonly rateLimits: Readonly<Record<string, number>>;
  /** Actions that are safe to repeat (`x-tc-idempotent`), so `InternalError` may be retried. */
  readonly idempotent: readonly string[];
  /** Where `x-tc-int64` members are, when the spec marks any. */
  readonly int64?: Int64Plans;
}

export type Language = "zh-CN" | "en-US";

/** Options shared by every generated `create<Service>Client`; the README documents each default. */
export interface ClientOptions {
  /**
   * A key pair, or an async provider of temporary credentials (refreshed in the background 5 minutes
   * before `expiresAt`, one refresh shared by concurrent calls, each refresh given 10 s and its
   * `signal` aborted when abandoned). Default: `TENCENTCLOUD_SECRET_ID` /
   * `TENCENTCLOUD_SECRET_KEY` / `TENCENTCLOUD_SESSION_TOKEN`, then `~/.tencentcloud/credentials`.
   */
  credentials?: Credentials | CredentialsProvider;
  /** The profile of `~/.tencentcloud/credentials` used by the default chain. Default `default`. */
  profile?: string;
  /** Sent as `X-TC-Region`, e.g. `ap-guangzhou`; finance regions (`*-fsi`) also pick their own host. */
  region?: string;
  /** Send to `<service>.<region>.tencentcloudapi.com` instead of the default host. */
  useRegionalEndpoint?: boolean;
  /** Send to the international site, `<service>.intl.tencentcloudapi.com`. */
  international?: boolean;
  /** Base URL to send to, overriding all of the above; the signature still names the spec's service. */
  endpoint?: string;
  /** Sent as `X-TC-Language`: the language of error messages. */
  language?: Language;
  /** `GET` sends flattened query parameters (`Filters.0.Name=...`); default `POST` with JSON. */
  method?: "POST" | "GET";
  /**
   * Retries of throttling, HTTP 503, unsent requests, and for idempotent actions also `InternalError`,
   * gateway errors and dropped connections (README: "What is retried"); default 3 attempts, 100 ms–5 s
   * full-jitter backoff.
   */
  retry?: RetryOptions;
  /** Client-side rate limiting from `x-tc-rate-limit`, per action; `false` turns it off, a map sets limits. */
  rateLimit?: boolean | Readonly<Record<string, number>>;
  /**
   * Deadline of every call in ms: limiter queue, credentials, attempts, bodies and backoff included.
   * Default 120,000 (two full attempts); `Infinity` for none. Per call: `{ timeoutMs }`.
   */
  timeoutMs?: number;
  /** Deadline of each attempt on the wire in ms, body included. Default 60,000 (the official SDK's); `Infinity` for none. */
  attemptTimeoutMs?: number;
  /** node:http transport: give a connection up after this many ms without a byte in either direction. Default 60,000; `Infinity` for never. */
  idleTimeoutMs?: number;
  /** Largest answer read, in bytes after decoding; a larger one ends in `AnswerTooLargeError`. Default 32 MiB. */
  maxAnswerBytes?: number;
  /** Receives one event per attempt; never given credentials, signatures or tokens. */
  logger?: Logger;
  /** A custom fetch (proxies, testing); defaults to the global one (keep-alive on Node). */
  fetch?: (request: Request) => Promise<Response>;
  /** The clock used for `X-TC-Timestamp`, in milliseconds; defaults to `Date.now`. */
  now?: () => number;
  /** Checks against the spec: requests before sending (default on), answers on arrival (default `"warn"`). */
  validate?: ValidationOptions;
}

/** Per-call options of every generated method. */
export interface CallOptions {
  /** Aborts the call, also while it waits in the rate limiter or between retries. */
  signal?: AbortSignal;
  /** This call's deadline in ms, overriding the client's `timeoutMs` (`Infinity`: none). */
  timeoutMs?: number;
  /** This call's deadline per attempt in ms, overriding the client's `attemptTimeoutMs`. */
  attemptTimeoutMs?: number;
}

/** What a generated client is built on: the typed HTTP core and the call loop around it. */
export interface TencentCloudClient<Paths extends {}> {
  /**
   * The typed openapi-fetch client with Tencent's middleware. Loaded and built on first use: on Node
   * the default transport never needs it, so importing and constructing a client stays cheap.
   */
  http(): Promise<Client<Paths, "application/json">>;
  /**
   * One call of `action` with `input`: over node:http on Node, else through `viaFetch` (the typed
   * openapi-fetch call, which also type-checks `input` against the spec's paths).
   */
  call<T>(action: string, options: CallOptions | undefined, input: unknown, viaFetch: (signal: AbortSignal | undefined) => Promise<TextResult>): Promise<T>;
}

export { MAX_GET_QUERY_BYTES } from "./prepare.js";

export function createTencentCloudClient<Paths extends {}>(descriptor: ServiceDescriptor, options: ClientOptions = {}): TencentCloudClient<Paths> {
  const endpoint = parseEndpoint(
    resolveEndpoint({
      service: descriptor.service,
      defaultEndpoint: descriptor.endpoint,
      endpoint: options.endpoint,
      region: options.region,
      useRegionalEndpoint: options.useRegionalEndpoint,
      international: options.international,
    }),
  );
  if (options.method !== undefined && options.method !== "POST" && options.method !== "GET") {
    throw new TypeError(`method must be "POST" or "GET", got ${JSON.stringify(options.method)}`);
  }
  const settings: RequestSettings = {
    service: descriptor.service,
    version: descriptor.version,
    endpoint,
    method: options.method ?? "POST",
    region: options.region,
    language: options.language,
  };
  checkTimeout("idleTimeoutMs", options.idleTimeoutMs);
  const maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  if (!(maxAnswerBytes > 0)) throw new RangeError(`maxAnswerBytes must be a positive number of bytes or Infinity, got ${String(options.maxAnswerBytes)}`);
  const redactor = new Redactor();
  const redact = (text: string) => redactor.redact(text);
  const context = createCallContext(descriptor.rateLimits, options, redact);
  const now = options.now ?? Date.now;
  const getCredentials = credentialsResolver(options.credentials, { profile: options.profile });
  // Signed with Tencent's clock once a SignatureExpire answer has taught us how far ours is off.
  // Credentials are awaited within the attempt's signal: a hanging provider cannot outlast the call.
  const prepare = async (action: string, json: string, signal: AbortLike | undefined) => {
    const credentials = await untilAborted(getCredentials(signal), signal);
    redactor.learn(credentials);
    const prepared = prepareRequest(settings, action, json, credentials, Math.floor((now() + context.clockOffsetMs) / 1000));
    // The Authorization header ends with the 64 hex digits of the signature.
    redactor.rememberSignature(prepared.headers["Authorization"]!.slice(-64));
    return prepared;
  };

  // GET carries every parameter as a string in the query: x-tc-int64 members need nothing there.
  const wire = wireFormat(settings.method === "POST" ? descriptor.int64 : undefined, descriptor.int64);

  // openapi-fetch (and the global Request it builds on) is loaded only when the fetch path is used.
  let http: Promise<Client<Paths, "application/json">> | undefined;
  const typedHttp = () =>
    (http ??= import("openapi-fetch").then(({ default: createClient }) => {
      const client = createClient<Paths, "application/json">({
        baseUrl: endpoint.origin,
        // Tencent never redirects; a 3xx comes from something in between and must not be followed with a signed body.
        redirect: "manual",
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
      client.use(tencentCloudMiddleware(descriptor, { prepare, wire, redact, maxAnswerBytes }));
      return client;
    }));
  const useNode = options.fetch === undefined && typeof process === "object" && typeof process.versions?.node === "string";
  const nodeOptions: NodeSendOptions = { idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, maxAnswerBytes, redact };
  const idempotent = new Set(descriptor.idempotent);
  return {
    http: typedHttp,
    call: (action, callOptions, input, viaFetch) =>
      runCall(context, {
        action,
        idempotent: idempotent.has(action),
        signal: callOptions?.signal,
        timeoutMs: callOptions?.timeoutMs,
        attemptTimeoutMs: callOptions?.attemptTimeoutMs,
        send: useNode
          ? async (attempt) => sendWithNode(action, await prepare(action, wire.stringify(action, input), attempt), attempt, nodeOptions)
          : (attempt) => viaFetch(attempt.signal),
        parse: wire.parser(action),
      }),
  };
}

/**
 * JSON in and out of an action: `JSON.stringify`/`JSON.parse`, except for actions whose request or
 * answer holds `x-tc-int64` members (./int64.ts).
 */
interface WireFormat {
  /** The parameters as the JSON body. */
  stringify(action: string, input: unknown): string;
  /** A body `JSON.stringify` wrote, as `stringify` would have written it. */
  restringify(action: string, json: string): string;
  /** How to read the answer's text; undefined for `JSON.parse`. */
  parser(action: string): ((text: string) => unknown) | undefined;
}

function wireFormat(requestPlans: Int64Plans | undefined, answerPlans: Int64Plans | undefined): WireFormat {
  return {
    stringify(action, input) {
      const plan = requestPlans && requestPlan(requestPlans, action);
      return plan ? stringifyWithInt64(input, plan, requestPlans) : JSON.stringify(input);
    },
    restringify(action, json) {
      const plan = requestPlans && requestPlan(requestPlans, action);
      return plan ? stringifyWithInt64(JSON.parse(json), plan, requestPlans) : json;
    },
    parser(action) {
      const plan = answerPlans && answerPlan(answerPlans, action);
      return plan ? (text) => parseWithInt64(text, plan, answerPlans) : undefined;
    },
  };
}

function parseEndpoint(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new TypeError(`endpoint must be an absolute http(s) URL, got ${JSON.stringify(endpoint)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`endpoint must be an http(s) URL, got ${JSON.stringify(endpoint)}`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new TypeError(`endpoint must not carry a query, fragment or user info, got ${JSON.stringify(endpoint)}`);
  }
  return url;
}

interface MiddlewareContext {
  readonly prepare: (action: string, json: string, signal: AbortLike | undefined) => Promise<PreparedRequest>;
  readonly wire: WireFormat;
  readonly redact: (text: string) => string;
  readonly maxAnswerBytes: number;
}

function tencentCloudMiddleware(descriptor: ServiceDescriptor, { prepare, wire, redact, maxAnswerBytes }: MiddlewareContext): Middleware {
  const actionOf = (schemaPath: string): string => {
    const action = descriptor.actions[schemaPath];
    if (action === undefined) throw new TypeError(`${schemaPath} is not an action of ${descriptor.service}`);
    return action;
  };

  return {
    async onRequest({ request, schemaPath }) {
      const action = actionOf(schemaPath);
      // openapi-fetch wrote the body with JSON.stringify; x-tc-int64 members go out as bare numbers.
      const prepared = await prepare(action, wire.restringify(action, await request.text()), request.signal);
      return new Request(prepared.url, {
        method: prepared.method,
        headers: prepared.headers,
        ...(prepared.body === undefined ? {} : { body: prepared.body }),
        signal: request.signal,
        redirect: "manual",
      });
    },

    // The fetch implementation has decoded what Accept-Encoding asked for; here the body is read
    // within the cap (and the attempt's signal, which the fetch honours while streaming).
    async onResponse({ request, response, schemaPath }) {
      const action = actionOf(schemaPath);
      const host = new URL(request.url).host;
      const coding = answerCoding(response.headers.get("content-encoding"));
      if (typeof coding === "object") {
        await response.body?.cancel().catch(() => {});
        throw new TencentCloudTransportError({ action, status: response.status, requestSent: true, message: refusedCodingMessage(host, coding.refused) });
      }
      if (response.status === 200) {
        const announced = coding === undefined ? announcedLength(response.headers.get("content-length")) : undefined;
        if (announced !== undefined && announced > maxAnswerBytes) {
          await response.body?.cancel().catch(() => {});
          throw new AnswerTooLargeError({ action, status: 200, maxAnswerBytes, host, announced });
        }
        const { text, over } = await readWebBody(response.body, maxAnswerBytes).catch((error: unknown) => {
          // An abort is the call's business (call.ts tells deadlines and the caller apart).
          if (request.signal.aborted) throw error;
          throw new TencentCloudTransportError(
            { action, status: 200, requestSent: true, message: redact(`the answer from ${host} broke off: ${error instanceof Error ? error.message : String(error)}`) },
            { cause: error },
          );
        });
        if (over) throw new AnswerTooLargeError({ action, status: 200, maxAnswerBytes, host });
        const headers = new Headers(response.headers);
        headers.delete("content-encoding");
        headers.delete("content-length");
        return new Response(text, { status: 200, headers });
      }
      const { text } = await readWebBody(response.body, ERROR_BODY_READ_BYTES).catch(() => ({ text: "" }));
      throw new TencentCloudTransportError({
        action,
        status: response.status,
        body: redact(text),
        traceId: response.headers.get("X-TC-TraceId") ?? undefined,
        message: `HTTP ${response.status} from ${host}, expected 200 with a JSON envelope`,
      });
    },

    onError({ request, error, schemaPath }) {
      // An abort is the caller's decision, not a transport failure: let its reason through unchanged.
      if (request.signal.aborted || error instanceof TencentCloudTransportError) return undefined;
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      return new TencentCloudTransportError(
        { action: actionOf(schemaPath), message: redact(`request to ${new URL(request.url).host} failed: ${reason}`) },
        { cause: error },
      );
    },
  };
}
