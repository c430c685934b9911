/**
 * TC3-HMAC-SHA256, the request signature of Tencent Cloud API 3.0: everything but the hashing, as
 * pure functions shared by the two signers, ./sign-tc3.ts (node:crypto, synchronous) and
 * ./sign-tc3-web.ts (Web Crypto, asynchronous); package.json's `#crypto` import picks one per
 * platform.
 *
 * Shaped like AWS `@smithy/signature-v4` (TC3 is SigV4 with other names): constants first, then the
 * steps of the spec in order. Every intermediate value is returned, so tests can check each one
 * against the published vectors.
 *
 *   CanonicalRequest = Method \n "/" \n Query \n CanonicalHeaders \n SignedHeaders \n hex(sha256(Payload))
 *   StringToSign     = "TC3-HMAC-SHA256" \n Timestamp \n Date/Service/"tc3_request" \n hex(sha256(CanonicalRequest))
 *   SigningKey       = HMAC(HMAC(HMAC("TC3" + SecretKey, Date), Service), "tc3_request")
 *   Signature        = hex(HMAC(SigningKey, StringToSign))
 *
 * Error messages never contain the secret key (or any header value).
 */

/** Names the algorithm: first line of the string to sign and first word of the Authorization header. */
const TC3_ALGORITHM = "TC3-HMAC-SHA256";
/** Terminates the credential scope and is the last input of the signing-key chain. */
export const TC3_REQUEST = "tc3_request";
/** Prepended to the secret key to form the first HMAC key (like SigV4's "AWS4"). */
export const TC3_KEY_PREFIX = "TC3";
/** API 3.0 always addresses the root path; the action travels in `X-TC-Action`. */
const CANONICAL_URI = "/";
/** Signed in every request: the server refuses signatures that omit them. */
const CONTENT_TYPE = "content-type";
const HOST = "host";

/**
 * Largest accepted timestamp: 9999-12-31T23:59:59Z, the last second with a four-digit year. Anything
 * larger is almost certainly milliseconds (`Date.now()`) passed where seconds are expected.
 */
const MAX_TIMESTAMP = 253_402_300_799;
const SECONDS_PER_DAY = 86_400;
/** Service names are product codes (`cvm`, `cbs`); `/` or spaces would corrupt the credential scope. */
const SERVICE_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** RFC 9110 token, lowercased: what may appear as a header name. */
const HEADER_NAME_PATTERN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
/** A CR or LF inside a value would forge extra lines in the canonical headers. */
const LINE_BREAK = /[\r\n]/;

/**
 * Derived signing keys are cached by date, service and secret key. A key lives one UTC day, so a
 * process signs with the same few keys all day; clearing the whole cache when it is full keeps it
 * bounded without LRU bookkeeping (the next signature simply re-derives its key: three HMACs).
 */
export const MAX_SIGNING_KEY_CACHE_SIZE = 64;
/** The last day number `tc3Date` formatted, and its text. */
let lastDay = -1;
let lastDate = "";

export interface Tc3Credentials {
  readonly secretId: string;
  readonly secretKey: string;
}

export interface Tc3Request {
  /** "POST" or "GET" (uppercase on the wire; signed uppercased). */
  method: string;
  /** The Host header exactly as sent, e.g. "cvm.tencentcloudapi.com" or "127.0.0.1:9000". */
  host: string;
  /** The Content-Type exactly as sent: `application/json` and `application/json; charset=utf-8` sign differently. */
  contentType: string;
  /** Further headers to sign besides content-type and host, e.g. `{ "X-TC-Action": "DescribeInstances" }`; names case-insensitive. */
  signedHeaders?: Readonly<Record<string, string>>;
  /** Canonical query string exactly as sent (no leading "?"); "" / undefined for POST. */
  query?: string;
  /** The exact body bytes ("" for GET); strings are signed as UTF-8. */
  payload: string | Uint8Array;
  /** UNIX seconds, the value sent as X-TC-Timestamp. */
  timestamp: number;
  /** The product, e.g. "cvm"; never derived from the host, so custom endpoints sign correctly. */
  service: string;
  credentials: Tc3Credentials;
}

export interface Tc3Signature {
  /** Full Authorization header value. */
  authorization: string;
  /** Hex. */
  signature: string;
  /** e.g. "content-type;host;x-tc-action". */
  signedHeaders: string;
  /** e.g. "2019-02-25/cvm/tc3_request". */
  credentialScope: string;
  /** UTC date of the timestamp, YYYY-MM-DD. */
  date: string;
  hashedPayload: string;
  canonicalRequest: string;
  hashedCanonicalRequest: string;
  stringToSign: string;
}

/** What a request fixes before any hashing: checked inputs, date, canonical headers and scope. */
export interface Tc3Scope {
  readonly date: string;
  readonly canonicalHeaders: string;
  readonly signedHeaders: string;
  readonly credentialScope: string;
}

/** Checks a request and computes what needs no hashing; throws a TypeError naming what is wrong. */
export function scopeOf(request: Tc3Request): Tc3Scope {
  const { credentials, service, payload } = request;
  assertCredentials(credentials);
  assertService(service);
  if (typeof request.method !== "string" || request.method === "") {
    throw new TypeError("TC3: method must be a non-empty string such as \"POST\"");
  }
  if (typeof payload !== "string" && !(payload instanceof Uint8Array)) {
    throw new TypeError("TC3: payload must be the exact body as a string or Uint8Array");
  }
  const date = tc3Date(request.timestamp);
  const { canonicalHeaders, signedHeaders } = canonicalizeHeaders(request);
  return { date, canonicalHeaders, signedHeaders, credentialScope: `${date}/${service}/${TC3_REQUEST}` };
}

export function canonicalRequestOf(request: Tc3Request, scope: Tc3Scope, hashedPayload: string): string {
  return (
    `${request.method.toUpperCase()}\n${CANONICAL_URI}\n${request.query ?? ""}\n` +
    `${scope.canonicalHeaders}\n${scope.signedHeaders}\n${hashedPayload}`
  );
}

export function stringToSignOf(request: Tc3Request, scope: Tc3Scope, hashedCanonicalRequest: string): string {
  return `${TC3_ALGORITHM}\n${request.timestamp}\n${scope.credentialScope}\n${hashedCanonicalRequest}`;
}

/** The signature with every intermediate value, once the hashes are known. */
export function signatureOf(
  request: Tc3Request,
  scope: Tc3Scope,
  hashes: { readonly hashedPayload: string; readonly canonicalRequest: string; readonly hashedCanonicalRequest: string; readonly stringToSign: string; readonly signature: string },
): Tc3Signature {
  const authorization =
    `${TC3_ALGORITHM} Credential=${request.credentials.secretId}/${scope.credentialScope}, ` +
    `SignedHeaders=${scope.signedHeaders}, Signature=${hashes.signature}`;
  return {
    authorization,
    signature: hashes.signature,
    signedHeaders: scope.signedHeaders,
    credentialScope: scope.credentialScope,
    date: scope.date,
    hashedPayload: hashes.hashedPayload,
    canonicalRequest: hashes.canonicalRequest,
    hashedCanonicalRequest: hashes.hashedCanonicalRequest,
    stringToSign: hashes.stringToSign,
  };
}

/** Checks the arguments of `deriveTc3SigningKey`. */
export function checkSigningKeyInputs(secretKey: string, date: string, service: string): void {
  if (typeof secretKey !== "string" || secretKey === "") {
    throw new TypeError("TC3: secretKey must be a non-empty string");
  }
  if (typeof date !== "string" || !DATE_PATTERN.test(date)) {
    throw new TypeError("TC3: date must be a UTC date formatted YYYY-MM-DD");
  }
  assertService(service);
}

/** The cache key of a signing key: date and service never contain "\n" (checked), so it is unambiguous. */
export function signingKeyCacheKey(secretKey: string, date: string, service: string): string {
  return `${date}\n${service}\n${secretKey}`;
}

/** The UTC date (YYYY-MM-DD) of a UNIX timestamp in seconds: the date of the credential scope. */
export function tc3Date(timestamp: number): string {
  if (!Number.isInteger(timestamp) || timestamp < 0 || timestamp > MAX_TIMESTAMP) {
    const got = typeof timestamp === "number" ? String(timestamp) : typeof timestamp;
    throw new TypeError(`TC3: timestamp must be an integer number of UNIX seconds in [0, ${MAX_TIMESTAMP}] (got ${got})`);
  }
  // UNIX time has no leap seconds, so the day number is exact; remember the last one, since a process
  // signs thousands of requests per day and formatting a Date is the costliest part of this function.
  const day = Math.floor(timestamp / SECONDS_PER_DAY);
  if (day !== lastDay) {
    lastDate = new Date(day * SECONDS_PER_DAY * 1000).toISOString().slice(0, 10);
    lastDay = day;
  }
  return lastDate;
}

/**
 * `name:value\n` lines sorted by name, and the `;`-joined names. Names are lowercased, values trimmed
 * and lowercased (the spec's rule, which is why `X-TC-Action: DescribeInstances` signs as
 * `x-tc-action:describeinstances`). The explicit contentType and host always win over same-named
 * entries of `signedHeaders`, so the signed values are the ones sent.
 */
function canonicalizeHeaders(request: Tc3Request): { canonicalHeaders: string; signedHeaders: string } {
  const contentType = canonicalValue(CONTENT_TYPE, request.contentType, true);
  const host = canonicalValue(HOST, request.host, true);
  const extra = request.signedHeaders;
  // The common case (the official SDKs' `content-type;host`): no sorting, no arrays.
  if (extra === undefined) {
    return {
      canonicalHeaders: `${CONTENT_TYPE}:${contentType}\n${HOST}:${host}\n`,
      signedHeaders: `${CONTENT_TYPE};${HOST}`,
    };
  }

  const headers = new Map<string, string>([
    [CONTENT_TYPE, contentType],
    [HOST, host],
  ]);
  const seen = new Set<string>();
  for (const [rawName, value] of Object.entries(extra)) {
    const name = rawName.toLowerCase();
    if (!HEADER_NAME_PATTERN.test(name)) {
      throw new TypeError(`TC3: ${JSON.stringify(rawName)} is not a valid header name`);
    }
    // Two spellings of one name would leave the signed value ambiguous; refuse rather than guess.
    if (seen.has(name)) throw new TypeError(`TC3: header ${name} is given twice in signedHeaders`);
    seen.add(name);
    if (name === CONTENT_TYPE || name === HOST) continue;
    headers.set(name, canonicalValue(name, value, false));
  }

  // Names are ASCII, so the default UTF-16 order equals the byte order the server uses.
  const names = [...headers.keys()].sort();
  let canonicalHeaders = "";
  for (const name of names) canonicalHeaders += `${name}:${headers.get(name)}\n`;
  return { canonicalHeaders, signedHeaders: names.join(";") };
}

function canonicalValue(name: string, value: string, required: boolean): string {
  if (typeof value !== "string" || (required && value.trim() === "")) {
    throw new TypeError(`TC3: the ${name} header value must be a ${required ? "non-empty " : ""}string`);
  }
  if (LINE_BREAK.test(value)) throw new TypeError(`TC3: the ${name} header value must not contain CR or LF`);
  return value.trim().toLowerCase();
}

function assertCredentials(credentials: Tc3Credentials): void {
  if (credentials === null || typeof credentials !== "object") {
    throw new TypeError("TC3: credentials must be an object with secretId and secretKey");
  }
  if (typeof credentials.secretId !== "string" || credentials.secretId === "") {
    throw new TypeError("TC3: credentials.secretId must be a non-empty string");
  }
  if (typeof credentials.secretKey !== "string" || credentials.secretKey === "") {
    throw new TypeError("TC3: credentials.secretKey must be a non-empty string");
  }
}

function assertService(service: string): void {
  if (typeof service !== "string" || !SERVICE_PATTERN.test(service)) {
    throw new TypeError(
      'TC3: service must be a non-empty lowercase product name such as "cvm" (letters, digits, "-", "_")',
    );
  }
}
