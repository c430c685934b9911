/**
 * The Node transport: one request on `node:http`/`node:https` with a shared keep-alive agent, the
 * body written as one string, the answer read as text. No `Request`/`Response`/web streams: on Node
 * those cost several times what signing and parsing do (bench/PROFILE.md). Used when no custom
 * `fetch` is given; it sends exactly the bytes the fetch path would.
 */
import type { Agent, IncomingMessage, RequestOptions, ClientRequest } from "node:http";
import type { TextResult } from "./envelope.js";
import { TencentCloudTransportError } from "./errors.js";
import type { PreparedRequest } from "./prepare.js";

interface Protocol {
  readonly request: (options: RequestOptions) => ClientRequest;
  readonly agent: Agent;
}

// Loaded on the first request, not at import: creating a client stays cheap, and TLS is only
// loaded by processes that use it. One keep-alive agent per protocol, shared by every client of
// the process, like the global fetch's pool.
let http: Promise<Protocol> | undefined;
let https: Promise<Protocol> | undefined;
function protocol(secure: boolean): Promise<Protocol> {
  if (secure) {
    return (https ??= import("node:https").then((m) => ({ request: m.request, agent: new m.Agent({ keepAlive: true, scheduling: "lifo" }) })));
  }
  return (http ??= import("node:http").then((m) => ({ request: m.request, agent: new m.Agent({ keepAlive: true, scheduling: "lifo" }) })));
}

export async function sendWithNode(action: string, prepared: PreparedRequest, signal: AbortSignal | undefined): Promise<TextResult> {
  const { request, agent } = await protocol(prepared.url.protocol === "https:");
  return new Promise<TextResult>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const url = prepared.url;
    const secure = url.protocol === "https:";
    const headers: Record<string, string | number> = { ...prepared.headers, Host: url.host };
    if (prepared.body !== undefined) headers["Content-Length"] = Buffer.byteLength(prepared.body);
    const req = request({
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ""),
      port: url.port || (secure ? 443 : 80),
      path: url.pathname + url.search,
      method: prepared.method,
      headers,
      agent,
    });
    const onAbort = () => req.destroy(signal!.reason instanceof Error ? signal!.reason : new Error(String(signal!.reason)));
    signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => signal?.removeEventListener("abort", onAbort);

    req.on("response", (res: IncomingMessage) => {
      res.setEncoding("utf8");
      let text = "";
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        done();
        const status = res.statusCode ?? 0;
        const header = (name: string): string | null => {
          const value = res.headers[name.toLowerCase()];
          return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
        };
        if (status !== 200) {
          reject(
            new TencentCloudTransportError({
              action,
              status,
              body: text,
              traceId: header("X-TC-TraceId") ?? undefined,
              message: `HTTP ${status} from ${url.host}, expected 200 with a JSON envelope`,
            }),
          );
          return;
        }
        resolve({ data: text, response: { status, headers: { get: header } } });
      });
      res.on("error", (error) => {
        done();
        reject(signal?.aborted ? signal.reason : transportFailure(action, url, error));
      });
    });
    req.on("error", (error) => {
      done();
      reject(signal?.aborted ? signal.reason : transportFailure(action, url, error));
    });
    req.end(prepared.body);
  });
}

function transportFailure(action: string, url: URL, error: Error): TencentCloudTransportError {
  return new TencentCloudTransportError({ action, message: `request to ${url.host} failed: ${error.message}` }, { cause: error });
}
