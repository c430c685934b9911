/**
 * The TC3 signer on Node (package.json `#crypto`, condition `node`): synchronous, over `node:crypto`.
 * The steps and their checks are ./tc3.ts, shared with the Web Crypto signer (./sign-tc3-web.ts).
 */
import { createHash, createHmac } from "node:crypto";
import * as tc3 from "./tc3.js";
import type { Tc3Request, Tc3Signature } from "./tc3.js";

export { tc3Date } from "./tc3.js";
export type { Tc3Credentials, Tc3Request, Tc3Signature } from "./tc3.js";

const signingKeyCache = new Map<string, Buffer>();

/** Signs one request. Pure: the module's caches change how fast a result comes, never what it is. */
export function signTc3(request: Tc3Request): Tc3Signature {
  const scope = tc3.scopeOf(request);
  const hashedPayload = sha256Hex(request.payload);
  const canonicalRequest = tc3.canonicalRequestOf(request, scope, hashedPayload);
  const hashedCanonicalRequest = sha256Hex(canonicalRequest);
  const stringToSign = tc3.stringToSignOf(request, scope, hashedCanonicalRequest);
  const signature = createHmac("sha256", signingKey(request.credentials.secretKey, scope.date, request.service))
    .update(stringToSign)
    .digest("hex");
  return tc3.signatureOf(request, scope, { hashedPayload, canonicalRequest, hashedCanonicalRequest, stringToSign, signature });
}

/**
 * kDate → kService → kSigning for one secret key, UTC date and service. Cached; returns a copy, so a
 * caller that scribbles on the buffer cannot poison later signatures.
 */
export function deriveTc3SigningKey(secretKey: string, date: string, service: string): Uint8Array {
  tc3.checkSigningKeyInputs(secretKey, date, service);
  return Buffer.from(signingKey(secretKey, date, service));
}

function signingKey(secretKey: string, date: string, service: string): Buffer {
  const cacheKey = tc3.signingKeyCacheKey(secretKey, date, service);
  let key = signingKeyCache.get(cacheKey);
  if (key === undefined) {
    const kDate = hmac(tc3.TC3_KEY_PREFIX + secretKey, date);
    const kService = hmac(kDate, service);
    key = hmac(kService, tc3.TC3_REQUEST);
    if (signingKeyCache.size >= tc3.MAX_SIGNING_KEY_CACHE_SIZE) signingKeyCache.clear();
    signingKeyCache.set(cacheKey, key);
  }
  return key;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
