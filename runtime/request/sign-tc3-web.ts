/**
 * The TC3 signer off Node (package.json `#crypto`, condition `default`: browsers, Cloudflare
 * Workers without `nodejs_compat`, edge runtimes): Web Crypto (`crypto.subtle`), so every hash is a
 * promise and so is the signature. The steps and their checks are ./tc3.ts, shared with the
 * node:crypto signer (./sign-tc3.ts), and the results are the same byte for byte
 * (test/runtime/sign-tc3-web.test.ts runs the published vectors through both).
 */
import * as tc3 from "./tc3.js";
import type { Tc3Request, Tc3Signature } from "./tc3.js";

export { tc3Date } from "./tc3.js";
export type { Tc3Credentials, Tc3Request, Tc3Signature } from "./tc3.js";

const HMAC_SHA256 = { name: "HMAC", hash: "SHA-256" } as const;
const encoder = new TextEncoder();

/** A derived key as bytes (what `deriveTc3SigningKey` copies out) and imported for signing. */
interface SigningKey {
  readonly raw: Uint8Array<ArrayBuffer>;
  readonly key: CryptoKey;
}

/** Promises, so that concurrent first signatures of a day derive the key once. */
const signingKeyCache = new Map<string, Promise<SigningKey>>();

/** Signs one request. Pure: the module's caches change how fast a result comes, never what it is. */
export async function signTc3(request: Tc3Request): Promise<Tc3Signature> {
  const scope = tc3.scopeOf(request);
  const hashedPayload = await sha256Hex(request.payload);
  const canonicalRequest = tc3.canonicalRequestOf(request, scope, hashedPayload);
  const hashedCanonicalRequest = await sha256Hex(canonicalRequest);
  const stringToSign = tc3.stringToSignOf(request, scope, hashedCanonicalRequest);
  const { key } = await signingKey(request.credentials.secretKey, scope.date, request.service);
  const signature = hex(await crypto.subtle.sign("HMAC", key, encoder.encode(stringToSign)));
  return tc3.signatureOf(request, scope, { hashedPayload, canonicalRequest, hashedCanonicalRequest, stringToSign, signature });
}

/** kDate → kService → kSigning for one secret key, UTC date and service; a copy of the cached key. */
export async function deriveTc3SigningKey(secretKey: string, date: string, service: string): Promise<Uint8Array> {
  tc3.checkSigningKeyInputs(secretKey, date, service);
  return (await signingKey(secretKey, date, service)).raw.slice();
}

function signingKey(secretKey: string, date: string, service: string): Promise<SigningKey> {
  const cacheKey = tc3.signingKeyCacheKey(secretKey, date, service);
  let key = signingKeyCache.get(cacheKey);
  if (key === undefined) {
    key = derive(secretKey, date, service);
    if (signingKeyCache.size >= tc3.MAX_SIGNING_KEY_CACHE_SIZE) signingKeyCache.clear();
    signingKeyCache.set(cacheKey, key);
    // A failed derivation is not kept: the next signature tries again.
    key.catch(() => signingKeyCache.get(cacheKey) === key && signingKeyCache.delete(cacheKey));
  }
  return key;
}

async function derive(secretKey: string, date: string, service: string): Promise<SigningKey> {
  const kDate = await hmac(encoder.encode(tc3.TC3_KEY_PREFIX + secretKey), date);
  const kService = await hmac(kDate, service);
  const raw = await hmac(kService, tc3.TC3_REQUEST);
  return { raw, key: await importHmacKey(raw) };
}

function importHmacKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", raw, HMAC_SHA256, false, ["sign"]);
}

async function hmac(key: Uint8Array<ArrayBuffer>, data: string): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", await importHmacKey(key), encoder.encode(data)));
}

async function sha256Hex(data: string | Uint8Array): Promise<string> {
  // A Uint8Array payload is copied: Web Crypto takes no view of a SharedArrayBuffer.
  return hex(await crypto.subtle.digest("SHA-256", typeof data === "string" ? encoder.encode(data) : new Uint8Array(data)));
}

function hex(bytes: ArrayBuffer): string {
  let text = "";
  for (const byte of new Uint8Array(bytes)) text += byte.toString(16).padStart(2, "0");
  return text;
}
