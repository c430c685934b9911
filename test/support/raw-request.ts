/** Hand-built, hand-signed requests to the emulator, for tests that alter what a client would never send. */
import { request as httpRequest } from "node:http";
import type { Credentials } from "../../runtime/credentials.js";
import { signTc3 } from "../../runtime/request/sign-tc3.js";

export interface RawRequest {
  method: string;
  /** Path and query, e.g. "/" or "/?Limit=1". */
  path: string;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** `Response.Error.Code`, when the answer is an error envelope. */
  code: string | undefined;
  json: { Response?: Record<string, unknown> } | undefined;
}

/** A correctly signed request for `params`, the way the generated client builds it (POST) or Tencent's GET form. */
export function signedRequest(options: {
  url: string;
  credentials: Credentials;
  action: string;
  version: string;
  service: string;
  params?: Record<string, unknown>;
  query?: string;
  method?: "POST" | "GET";
  timestamp?: number;
  extraSigned?: Record<string, string>;
  contentType?: string;
}): RawRequest {
  const method = options.method ?? "POST";
  const host = new URL(options.url).host;
  const body = method === "POST" ? JSON.stringify(options.params ?? {}) : "";
  const query = options.query ?? "";
  const contentType = options.contentType ?? (method === "POST" ? "application/json" : "application/x-www-form-urlencoded");
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signed = { "X-TC-Action": options.action, ...options.extraSigned };
  const { authorization } = signTc3({
    method,
    host,
    contentType,
    signedHeaders: signed,
    query,
    payload: body,
    timestamp,
    service: options.service,
    credentials: options.credentials,
  });
  const headers: Record<string, string> = {
    Host: host,
    "Content-Type": contentType,
    "X-TC-Version": options.version,
    "X-TC-Timestamp": String(timestamp),
    ...signed,
    Authorization: authorization,
  };
  if (options.credentials.token) headers["X-TC-Token"] = options.credentials.token;
  return { method, path: query ? `/?${query}` : "/", headers, body };
}

/** Sends a request exactly as given (headers included) to the emulator at `url`. */
export function sendRaw(url: string, request: RawRequest): Promise<RawAnswer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.path,
        headers: { ...request.headers, "Content-Length": String(Buffer.byteLength(request.body)) },
        setHost: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: RawAnswer["json"];
          try {
            json = JSON.parse(text) as RawAnswer["json"];
          } catch {
            json = undefined;
          }
          const error = json?.Response?.["Error"] as { Code?: string } | undefined;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, code: error?.Code, json });
        });
      },
    );
    req.on("error", reject);
    req.end(request.body);
  });
}
