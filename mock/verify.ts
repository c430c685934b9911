/**
 * The emulator's authentication: what Tencent Cloud checks before it looks at an action, as a pure
 * function of the request as received, the known keys and the server's clock. Each failure carries
 * Tencent's error code and a message that says what was wrong, never a secret.
 */
import { timingSafeEqual } from "node:crypto";
import type { Credentials } from "../runtime/credentials.js";
import { signTc3, tc3Date } from "../runtime/request/sign-tc3.js";
import type { StoredKey } from "./keys.js";

/** An API error answer the emulator gives: Tencent's code and a message. */
export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A request as it arrived: header names lowercase, the query string exactly as sent. */
export interface ReceivedRequest {
  readonly method: string;
  readonly query: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Uint8Array;
}

/** Tencent rejects timestamps more than five minutes off its clock. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

const AUTHORIZATION =
  /^TC3-HMAC-SHA256 Credential=([^/\s,]+)\/([^/\s,]+)\/([^/\s,]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

/** Returns the key pair that signed the request, or throws the ApiFailure Tencent would answer. */
export function verifyTc3(
  request: ReceivedRequest,
  context: {
    readonly service: string;
    readonly keys: readonly Credentials[] | { find(secretId: string): StoredKey | undefined };
    readonly nowSeconds: number;
    /** The server's clock in ms, for the expiry of temporary keys; default `nowSeconds` × 1000. */
    readonly nowMs?: number;
  },
): Credentials {
  const header = (name: string) => request.headers[name];
  const authorization = header("authorization");
  if (!authorization) throw new ApiFailure("AuthFailure.InvalidAuthorization", "the request has no Authorization header");
  const match = AUTHORIZATION.exec(authorization);
  if (!match) {
    throw new ApiFailure(
      "AuthFailure.InvalidAuthorization",
      "the Authorization header is not `TC3-HMAC-SHA256 Credential=<SecretId>/<date>/<service>/tc3_request, SignedHeaders=<names>, Signature=<hex>`",
    );
  }
  const [, secretId, date, service, signedHeaderList, signature] = match as unknown as [string, string, string, string, string, string];

  const key: StoredKey | undefined = Array.isArray(context.keys)
    ? (context.keys as readonly Credentials[]).find((k) => k.secretId === secretId)
    : (context.keys as { find(secretId: string): StoredKey | undefined }).find(secretId);
  if (!key) throw new ApiFailure("AuthFailure.SecretIdNotFound", `SecretId ${secretId} does not exist`);

  const timestampText = header("x-tc-timestamp");
  if (timestampText === undefined) throw new ApiFailure("MissingParameter", "the request is missing the X-TC-Timestamp header");
  if (!/^\d{1,12}$/.test(timestampText)) throw new ApiFailure("InvalidParameter", `X-TC-Timestamp must be UNIX seconds, got "${timestampText}"`);
  const timestamp = Number(timestampText);
  const skew = timestamp - context.nowSeconds;
  if (Math.abs(skew) > MAX_CLOCK_SKEW_SECONDS) {
    throw new ApiFailure(
      "AuthFailure.SignatureExpire",
      `X-TC-Timestamp ${timestamp} is ${skew} s off the server's time ${context.nowSeconds} (limit ${MAX_CLOCK_SKEW_SECONDS} s)`,
    );
  }
  if (date !== tc3Date(timestamp)) {
    throw new ApiFailure("AuthFailure.SignatureFailure", `the credential date ${date} is not the UTC date of X-TC-Timestamp (${tc3Date(timestamp)})`);
  }
  if (service !== context.service) {
    throw new ApiFailure("AuthFailure.SignatureFailure", `the credential names service "${service}"; this endpoint is "${context.service}"`);
  }

  const signedNames = signedHeaderList.split(";");
  const sorted = [...signedNames].sort();
  if (signedNames.some((name, i) => name !== sorted[i] || name === sorted[i - 1])) {
    throw new ApiFailure("AuthFailure.InvalidAuthorization", "SignedHeaders must be sorted, lowercase and without duplicates");
  }
  for (const required of ["content-type", "host"]) {
    if (!signedNames.includes(required)) throw new ApiFailure("AuthFailure.SignatureFailure", `SignedHeaders must include ${required}`);
  }
  const extra: Record<string, string> = {};
  for (const name of signedNames) {
    if (name === "content-type" || name === "host") continue;
    const value = header(name);
    if (value === undefined) throw new ApiFailure("AuthFailure.SignatureFailure", `the signed header ${name} is not in the request`);
    extra[name] = value;
  }
  const expected = signTc3({
    method: request.method,
    host: header("host") ?? "",
    contentType: header("content-type") ?? "",
    signedHeaders: extra,
    query: request.query,
    payload: request.body,
    timestamp,
    service: context.service,
    credentials: key,
  });
  if (!constantTimeEqual(expected.signature, signature)) {
    throw new ApiFailure("AuthFailure.SignatureFailure", "the signature does not match the request as received (method, host, query, signed headers or body)");
  }
  const token = header("x-tc-token");
  if ((key.token ?? "") !== (token ?? "")) {
    throw new ApiFailure("AuthFailure.TokenFailure", key.token ? "X-TC-Token does not match the temporary credentials" : "X-TC-Token was sent with permanent credentials");
  }
  const nowMs = context.nowMs ?? context.nowSeconds * 1000;
  if (key.expiresAt !== undefined && nowMs >= key.expiresAt) {
    throw new ApiFailure("AuthFailure.TokenFailure", `the temporary credentials expired at ${new Date(key.expiresAt).toISOString()}`);
  }
  return key;
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
