/**
 * The Node transport: one request on `node:http`/`node:https` with a shared keep-alive agent, the
 * body written as one string, the answer read as bytes (decoded with node:zlib when it is gzip or
 * brotli, as `Accept-Encoding` asked), capped at `maxAnswerBytes`, then turned into text. No
 * `Request`/`Response`/web streams: on Node those cost several times what signing and parsing do
 * (bench/PROFILE.md). Used when no custom `fetch` is given; it sends exactly the bytes the fetch path
 * would.
 *
 * Nothing here waits unbounded: `signal` (the attempt's deadline, the call's, the caller's) destroys
 * the request at any stage, body streaming included, and a connection on which nothing moves for
 * `idleTimeoutMs` is given up. Every error says whether the request was sent (`requestSent`), which
 * decides whether a non-idempotent call may be repeated.
 */
import type { Agent, ClientRequest, IncomingMessage, RequestOptions } from "node:http";
import type { Socket } from "node:net";
import type { Transform } from "node:stream";
import { answerCoding, announcedLength, ERROR_BODY_READ_BYTES, refusedCodingMessage } from "./answer.js";
import type { AbortLike } from "../policy/deadline.js";
import type { TextResult } from "./envelope.js";
import { AnswerTooLargeError, TencentCloudTransportError } from "../errors/index.js";
import type { PreparedRequest } from "../request/prepare.js";
import { proxyRouteFor } from "./proxy.js";
import type { ProxySetting } from "./proxy-setting.js";

interface Protocol {
  readonly request: (options: RequestOptions) => ClientRequest;
  readonly agent: Agent;
}

interface Zlib {
  readonly createGunzip: () => Transform;
  readonly createBrotliDecompress: () => Transform;
}

/** What one attempt over node:http needs besides the request. */
export interface NodeSendOptions {
  /** Give up when nothing is sent or received for this long; `Infinity` for never. */
  readonly idleTimeoutMs: number;
  /** Largest answer read, after decoding. */
  readonly maxAnswerBytes: number;
  /** Removes the client's secrets from text bound for an error. */
  readonly redact: (text: string) => string;
  /** The `proxy` option (./transport/proxy.ts); undefined follows the environment at each request. */
  readonly proxy?: ProxySetting;
  /** Told the proxy's credentials before they could reach any text, so that `redact` removes them. */
  readonly learnSecrets?: (secrets: readonly string[]) => void;
  /** Give up when a new connection is not established within this many ms (the metadata service). */
  readonly connectTimeoutMs?: number;
}

// Loaded on the first request, not at import: creating a client stays cheap, and TLS (and zlib) are
// only loaded by processes that use them. One keep-alive agent per protocol, shared by every client
// of the process, like the global fetch's pool; its idle sockets are unref'd by Node, so they never
// keep a finished program alive.
let http: Promise<Protocol> | undefined;
let https: Promise<Protocol> | undefined;
let zlib: Promise<Zlib> | undefined;
function protocol(secure: boolean): Promise<Protocol> {
  if (secure) {
    return (https ??= import("node:https").then((m) => ({ request: m.request, agent: new m.Agent({ keepAlive: true, scheduling: "lifo" }) })));
  }
  return (http ??= import("node:http").then((m) => ({ request: m.request, agent: new m.Agent({ keepAlive: true, scheduling: "lifo" }) })));
}

export async function sendWithNode(action: string, prepared: PreparedRequest, signal: AbortLike | undefined, options: NodeSendOptions): Promise<TextResult> {
  const url = prepared.url;
  const secure = url.protocol === "https:";
  const { request, agent: direct } = await protocol(secure);
  const routing = proxyRouteFor(url, options.proxy);
  let route: Awaited<typeof routing>;
  try {
    route = routing && (await routing);
  } catch (error) {
    throw new TencentCloudTransportError({ action, requestSent: false, message: (error as Error).message }, { cause: error });
  }
  if (route) options.learnSecrets?.(route.secrets);
  const agent = route?.agent ?? direct;
  // Errors name the proxy a request went through (never its credentials).
  const via = route ? ` through the proxy ${route.display}` : "";
  if (signal?.aborted) throw signal.reason;
  const headers: Record<string, string | number> = { ...prepared.headers, Host: url.host };
  if (prepared.body !== undefined) headers["Content-Length"] = Buffer.byteLength(prepared.body);

  return new Promise<TextResult>((resolve, reject) => {
    let connected = false;
    let settled = false;
    let response: IncomingMessage | undefined;
    let decoder: Transform | undefined;

    const req = request({
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ""),
      port: url.port || (secure ? 443 : 80),
      path: url.pathname + url.search,
      method: prepared.method,
      headers,
      agent,
    });

    const settle = (outcome: { value: TextResult } | { error: unknown }) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      if ("value" in outcome) return resolve(outcome.value);
      req.destroy();
      decoder?.destroy();
      reject(outcome.error);
    };
    const failure = (message: string, cause?: unknown, status?: number) =>
      new TencentCloudTransportError(
        { action, status, requestSent: connected, message: options.redact(message) },
        cause === undefined ? undefined : { cause },
      );
    const onAbort = () => settle({ error: failure(`the request to ${url.host} was cut short`, signal!.reason) });
    signal?.addEventListener("abort", onAbort, { once: true });

    // Sent means written to an established connection: a reused keep-alive socket, or a new one once
    // connected (and, for TLS, once the handshake is done). Before that, the server saw nothing.
    req.on("socket", (socket: Socket) => {
      if (!socket.connecting) connected = true;
      else {
        const limit = options.connectTimeoutMs;
        const timer =
          limit === undefined ? undefined : setTimeout(() => settle({ error: failure(`no connection to ${url.host} within ${limit} ms (connect timeout)`) }), limit);
        socket.once(secure ? "secureConnect" : "connect", () => {
          connected = true;
          clearTimeout(timer);
        });
        socket.once("close", () => clearTimeout(timer));
      }
    });
    if (options.idleTimeoutMs !== Infinity) {
      req.setTimeout(options.idleTimeoutMs, () => settle({ error: failure(`the connection to ${url.host} was idle for ${options.idleTimeoutMs} ms (idleTimeoutMs)`) }));
    }
    req.on("error", (error) => settle({ error: failure(`request to ${url.host}${via} failed: ${error.message}`, error) }));

    req.on("response", (res: IncomingMessage) => {
      response = res;
      const status = res.statusCode ?? 0;
      const header = (name: string): string | null => {
        const value = res.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
      };
      const traceId = header("X-TC-TraceId") ?? undefined;
      const limit = status === 200 ? options.maxAnswerBytes : ERROR_BODY_READ_BYTES;
      const coding = answerCoding(header("content-encoding"));
      if (typeof coding === "object") return settle({ error: failure(refusedCodingMessage(url.host, coding.refused), undefined, status) });
      const announced = coding === undefined ? announcedLength(header("content-length")) : undefined;
      if (status === 200 && announced !== undefined && announced > limit) {
        return settle({ error: new AnswerTooLargeError({ action, status, maxAnswerBytes: limit, host: url.host, announced }) });
      }

      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (over: boolean) => {
        if (status === 200 && over) return settle({ error: new AnswerTooLargeError({ action, status, maxAnswerBytes: limit, host: url.host }) });
        const text = Buffer.concat(chunks, size).toString("utf8");
        if (status !== 200) {
          return settle({
            error: new TencentCloudTransportError({
              action,
              status,
              body: options.redact(text),
              traceId,
              message: `HTTP ${status} from ${url.host}${via}, expected 200 with a JSON envelope`,
            }),
          });
        }
        settle({ value: { data: text, response: { status, headers: { get: header } } } });
      };
      const onData = (chunk: Buffer) => {
        if (settled) return;
        if (size + chunk.length > limit) {
          chunks.push(chunk.subarray(0, limit - size));
          size = limit;
          return finish(true);
        }
        chunks.push(chunk);
        size += chunk.length;
      };
      res.on("error", (error) => settle({ error: failure(`the answer from ${url.host} broke off: ${error.message}`, error, status) }));
      res.on("aborted", () => settle({ error: failure(`the answer from ${url.host} broke off`, undefined, status) }));

      if (coding === undefined) {
        res.on("data", onData);
        res.on("end", () => finish(false));
        return;
      }
      // A coded answer: decoded as it streams, so the cap applies to what it expands to.
      (zlib ??= import("node:zlib"))
        .then((z) => {
          if (settled) return;
          decoder = coding === "br" ? z.createBrotliDecompress() : z.createGunzip();
          decoder.on("data", onData);
          decoder.on("end", () => finish(false));
          decoder.on("error", (error) => settle({ error: failure(`the ${coding} answer from ${url.host} cannot be decoded: ${error.message}`, error, status) }));
          res.pipe(decoder);
        })
        .catch((error: unknown) => settle({ error: failure(`node:zlib is not available: ${String(error)}`, error, status) }));
    });
    req.on("close", () => {
      // The socket closed before the answer was complete (and no error said why).
      if (!settled && response?.complete !== true) settle({ error: failure(`the connection to ${url.host} closed before the answer was complete`, undefined, response?.statusCode) });
    });
    req.end(prepared.body);
  });
}
