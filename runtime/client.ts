/**
 * The Tencent Cloud API 3.0 transport on top of openapi-fetch.
 *
 * Generated clients call `http.POST("/<Action>", { body })` on the typed openapi-fetch client this
 * module builds. Two middleware functions turn that into what Tencent expects:
 *   1. `onRequest` maps the pseudo-path to its action, sends `POST /` with the common `X-TC-*` headers
 *      and signs exactly the bytes and content type sent (TC3-HMAC-SHA256, service from the spec);
 *   2. `onResponse`/`onError` turn anything that is not an HTTP 200 answer into a
 *      `TencentCloudTransportError`.
 * `readEnvelope` then unwraps `{"Response": ...}` into the typed result or a `TencentCloudApiError`.
 */
import createClient, { type Client, type Middleware } from "openapi-fetch";
import { credentialsResolver, type Credentials, type CredentialsProvider } from "./credentials.js";
import { TencentCloudApiError, TencentCloudTransportError } from "./errors.js";
import { signTc3 } from "./signing.js";
import { TCGEN_VERSION } from "./version.js";

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
}

export type Language = "zh-CN" | "en-US";

/** Options shared by every generated `create<Service>Client`. */
export interface ClientOptions {
  /**
   * API key. Defaults to `TENCENTCLOUD_SECRET_ID` / `TENCENTCLOUD_SECRET_KEY` /
   * `TENCENTCLOUD_SESSION_TOKEN`, read at call time.
   */
  credentials?: Credentials | CredentialsProvider;
  /** Sent as `X-TC-Region`, e.g. `ap-guangzhou`. */
  region?: string;
  /** Base URL to send to, e.g. `http://127.0.0.1:9000`; the signature still names the spec's service. */
  endpoint?: string;
  /** Sent as `X-TC-Language`: the language of error messages. */
  language?: Language;
  /** A custom fetch (proxies, testing); defaults to the global one. */
  fetch?: (request: Request) => Promise<Response>;
  /** The clock used for `X-TC-Timestamp`, in milliseconds; defaults to `Date.now`. */
  now?: () => number;
}

/** Per-call options of every generated method. */
export interface CallOptions {
  /** Aborts the call; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

const JSON_CONTENT_TYPE = "application/json";
const REQUEST_CLIENT = `tcgen/${TCGEN_VERSION}`;

/** Builds the typed openapi-fetch client, with TC3 signing and Tencent's wire rules as middleware. */
export function createTencentCloudFetch<Paths extends {}>(
  descriptor: ServiceDescriptor,
  options: ClientOptions = {},
): Client<Paths, "application/json"> {
  const endpoint = parseEndpoint(options.endpoint ?? descriptor.endpoint);
  const http = createClient<Paths, "application/json">({
    baseUrl: endpoint.origin,
    // Tencent never redirects; a 3xx comes from something in between and must not be followed with a signed body.
    redirect: "manual",
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  http.use(tencentCloudMiddleware(descriptor, endpoint, options));
  return http;
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

function tencentCloudMiddleware(descriptor: ServiceDescriptor, endpoint: URL, options: ClientOptions): Middleware {
  const now = options.now ?? Date.now;
  const getCredentials = credentialsResolver(options.credentials);
  // Every action is `POST <endpoint path>`, normally `POST /`; the canonical URI signed is always "/".
  const target = endpoint.href;
  const actionOf = (schemaPath: string): string => {
    const action = descriptor.actions[schemaPath];
    if (action === undefined) throw new TypeError(`${schemaPath} is not an action of ${descriptor.service}`);
    return action;
  };

  return {
    async onRequest({ request, schemaPath }) {
      const action = actionOf(schemaPath);
      const credentials = await getCredentials();
      const payload = await request.text();
      const timestamp = Math.floor(now() / 1000);
      const headers: Record<string, string> = {
        "Content-Type": JSON_CONTENT_TYPE,
        "X-TC-Action": action,
        "X-TC-Version": descriptor.version,
        "X-TC-Timestamp": String(timestamp),
        "X-TC-RequestClient": REQUEST_CLIENT,
      };
      if (options.region) headers["X-TC-Region"] = options.region;
      if (options.language) headers["X-TC-Language"] = options.language;
      if (credentials.token) headers["X-TC-Token"] = credentials.token;
      headers["Authorization"] = signTc3({
        method: "POST",
        host: endpoint.host,
        contentType: JSON_CONTENT_TYPE,
        signedHeaders: { "X-TC-Action": action },
        query: "",
        payload,
        timestamp,
        service: descriptor.service,
        credentials,
      }).authorization;
      return new Request(target, { method: "POST", headers, body: payload, signal: request.signal, redirect: "manual" });
    },

    async onResponse({ request, response, schemaPath }) {
      if (response.status === 200) return undefined;
      const body = await response.text().catch(() => "");
      throw new TencentCloudTransportError({
        action: actionOf(schemaPath),
        status: response.status,
        body,
        traceId: response.headers.get("X-TC-TraceId") ?? undefined,
        message: `HTTP ${response.status} from ${new URL(request.url).host}, expected 200 with a JSON envelope`,
      });
    },

    onError({ request, error, schemaPath }) {
      // An abort is the caller's decision, not a transport failure: let its reason through unchanged.
      if (request.signal.aborted || error instanceof TencentCloudTransportError) return undefined;
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      return new TencentCloudTransportError(
        { action: actionOf(schemaPath), message: `request to ${new URL(request.url).host} failed: ${reason}` },
        { cause: error },
      );
    },
  };
}

/** What openapi-fetch resolves with when called with `parseAs: "text"`. */
interface TextResult {
  data?: string | undefined;
  response: Response;
}

/**
 * Unwraps Tencent's envelope: returns `Response` (with `RequestId`) on success, throws
 * `TencentCloudApiError` for `Response.Error`, and `TencentCloudTransportError` for anything that is
 * not an envelope at all.
 */
export function readEnvelope<T>(action: string, result: TextResult): T {
  const { response } = result;
  const traceId = response.headers.get("X-TC-TraceId") ?? undefined;
  const text = result.data ?? "";
  const fail = (message: string) =>
    new TencentCloudTransportError({ action, status: response.status, body: text, traceId, message });

  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch {
    throw fail(text === "" ? "empty answer, expected a JSON envelope" : "answer is not JSON");
  }
  const body = isRecord(envelope) ? envelope["Response"] : undefined;
  if (!isRecord(body)) throw fail('answer has no "Response" object');

  const requestId = typeof body["RequestId"] === "string" ? body["RequestId"] : undefined;
  if (body["Error"] !== undefined) {
    const error = body["Error"];
    if (!isRecord(error) || typeof error["Code"] !== "string") throw fail('"Response.Error" has no string "Code"');
    throw new TencentCloudApiError({
      code: error["Code"],
      message: typeof error["Message"] === "string" ? error["Message"] : "",
      requestId,
      traceId,
      action,
    });
  }
  return body as T;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
