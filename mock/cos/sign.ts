/**
 * COS request signatures as presigned URLs carry them (COS XML API "request signature"): the query
 * has q-sign-algorithm=sha1, q-ak, q-sign-time and q-key-time (`<start>;<end>`, Unix seconds),
 * q-header-list, q-url-param-list and q-signature, as in the download URLs Tencent hands out:
 *
 *   SignKey      = HMAC-SHA1(SecretKey, KeyTime)
 *   HttpString   = method "\n" path "\n" params "\n" headers "\n"   (lower-case names, sorted)
 *   StringToSign = "sha1\n" KeyTime "\n" SHA1(HttpString) "\n"
 *   Signature    = HMAC-SHA1(SignKey, StringToSign)
 *
 * The emulator signs only the Host header and no parameters, like the published URLs.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export interface CosSecret {
  readonly secretId: string;
  readonly secretKey: string;
}

const hex = (algorithm: "sha1", data: string) => createHash(algorithm).update(data).digest("hex");
const hmac = (key: string, data: string) => createHmac("sha1", key).update(data).digest("hex");

function signature(secret: CosSecret, method: string, path: string, host: string, keyTime: string): string {
  const httpString = `${method.toLowerCase()}\n${path}\n\nhost=${encodeURIComponent(host)}\n`;
  const stringToSign = `sha1\n${keyTime}\n${hex("sha1", httpString)}\n`;
  return hmac(hmac(secret.secretKey, keyTime), stringToSign);
}

/** The query string of a URL for `method path` on `host`, valid from `startSeconds` for `expiresSeconds`. */
export function presignQuery(secret: CosSecret, method: string, path: string, host: string, startSeconds: number, expiresSeconds: number): string {
  const keyTime = `${startSeconds};${startSeconds + expiresSeconds}`;
  const query = new URLSearchParams({
    "q-sign-algorithm": "sha1",
    "q-ak": secret.secretId,
    "q-sign-time": keyTime,
    "q-key-time": keyTime,
    "q-header-list": "host",
    "q-url-param-list": "",
    "q-signature": signature(secret, method, path, host, keyTime),
  });
  return query.toString();
}

export type SignatureCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: "AccessDenied" | "SignatureDoesNotMatch"; readonly message: string };

/** Whether a request's query signs `method path` on `host` for `secret` at `nowSeconds`. */
export function checkPresigned(secret: CosSecret, method: string, path: string, host: string, query: URLSearchParams, nowSeconds: number): SignatureCheck {
  const keyTime = query.get("q-key-time");
  const given = query.get("q-signature");
  if (query.get("q-sign-algorithm") !== "sha1" || !keyTime || !given || query.get("q-ak") !== secret.secretId) {
    return { ok: false, code: "AccessDenied", message: "Access Denied." };
  }
  const match = /^(\d+);(\d+)$/.exec(keyTime);
  if (!match || query.get("q-sign-time") !== keyTime) return { ok: false, code: "AccessDenied", message: "Invalid q-sign-time." };
  const expected = Buffer.from(signature(secret, method, path, host, keyTime));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    return { ok: false, code: "SignatureDoesNotMatch", message: "The Signature you specified is invalid." };
  }
  if (nowSeconds > Number(match[2])) return { ok: false, code: "AccessDenied", message: "Request has expired" };
  if (nowSeconds < Number(match[1])) return { ok: false, code: "AccessDenied", message: "Request has not started yet" };
  return { ok: true };
}
