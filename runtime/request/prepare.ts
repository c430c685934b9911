/**
 * The one place a request is put together: URL, method, common `X-TC-*` headers, body or query,
 * and the TC3 signature over exactly those bytes. Both transports (node:http and fetch) send what
 * this returns, so they cannot drift apart. The signer is the platform's (package.json `#crypto`):
 * node:crypto on Node, Web Crypto elsewhere, whose hashes are promises; hence the promise here.
 */
import { ACCEPT_ENCODING } from "../transport/answer.js";
import type { Credentials } from "../credentials.js";
import { signTc3 } from "#crypto";
import { TCGEN_VERSION } from "../version.js";
import { toQueryString } from "./wire.js";

export interface PreparedRequest {
  readonly url: URL;
  readonly method: "POST" | "GET";
  readonly headers: Record<string, string>;
  /** The JSON body of a POST; undefined for GET. */
  readonly body: string | undefined;
}

export interface RequestSettings {
  readonly service: string;
  readonly version: string;
  readonly endpoint: URL;
  readonly method: "POST" | "GET";
  readonly region: string | undefined;
  readonly language: string | undefined;
}

const JSON_CONTENT_TYPE = "application/json";
const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";
const REQUEST_CLIENT = `tcgen/${TCGEN_VERSION}`;
/** Tencent's limit on a GET query. */
export const MAX_GET_QUERY_BYTES = 32 * 1024;

/**
 * `json` is the action's parameters as JSON text (what a POST sends byte for byte). `credentials`
 * null sends `Authorization: SKIP`, unsigned, as Tencent documents for the few actions that take
 * no key (STS `AssumeRoleWithWebIdentity`).
 */
export async function prepareRequest(settings: RequestSettings, action: string, json: string, credentials: Credentials | null, timestamp: number): Promise<PreparedRequest> {
  const get = settings.method === "GET";
  // GET carries the parameters flattened in the query and signs the empty payload.
  const query = get ? toQueryString(JSON.parse(json) as Record<string, unknown>) : "";
  if (get && byteLength(query) > MAX_GET_QUERY_BYTES) {
    throw new RangeError(`${action}: the GET query would be ${byteLength(query)} bytes, over Tencent's 32 KB limit; use method "POST"`);
  }
  const contentType = get ? FORM_CONTENT_TYPE : JSON_CONTENT_TYPE;
  const headers: Record<string, string> = {
    "Content-Type": contentType,
    "X-TC-Action": action,
    "X-TC-Version": settings.version,
    "X-TC-Timestamp": String(timestamp),
    "X-TC-RequestClient": REQUEST_CLIENT,
    // Explicit, so both transports send the same bytes and decode the same codings (answer.ts).
    "Accept-Encoding": ACCEPT_ENCODING,
  };
  if (settings.region) headers["X-TC-Region"] = settings.region;
  if (settings.language) headers["X-TC-Language"] = settings.language;
  if (credentials?.token) headers["X-TC-Token"] = credentials.token;
  headers["Authorization"] = credentials === null ? "SKIP" : (await signTc3({
    method: settings.method,
    host: settings.endpoint.host,
    contentType,
    signedHeaders: { "X-TC-Action": action },
    query,
    payload: get ? "" : json,
    timestamp,
    service: settings.service,
    credentials,
  })).authorization;
  const url = query === "" ? settings.endpoint : new URL(`${settings.endpoint.href}?${query}`);
  return { url, method: settings.method, headers, body: get ? undefined : json };
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}
