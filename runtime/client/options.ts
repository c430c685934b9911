/** The options of every generated client and of each call; the README documents each default. */
import type { Logger } from "./attempts.js";
import type { ValidationOptions } from "../validation/call-validation.js";
import type { Credentials, CredentialsProvider } from "../credentials.js";
import type { RetryOptions } from "../policy/retry.js";

export type Language = "zh-CN" | "en-US";

/** Options shared by every generated `create<Service>Client`; the README documents each default. */
export interface ClientOptions {
  /**
   * A key pair, or an async provider of temporary credentials such as `fromAssumeRole(…)`,
   * `fromInstanceMetadata()` or `chain(…)` (refreshed in the background ahead of `expiresAt`, one
   * refresh shared by concurrent calls, each refresh given 10 s and its `signal` aborted when
   * abandoned). Default: the chain `TENCENTCLOUD_SECRET_ID` / `_SECRET_KEY` / `_SESSION_TOKEN`,
   * the profile file, TKE OIDC (`TKE_*`), the CVM instance role.
   */
  credentials?: Credentials | CredentialsProvider;
  /** The profile of `~/.tencentcloud/credentials` used by the default chain. Default `default`. */
  profile?: string;
  /** Sent as `X-TC-Region`, e.g. `ap-guangzhou`; finance regions (`*-fsi`) also pick their own host. */
  region?: string;
  /** Send to `<service>.<region>.tencentcloudapi.com` instead of the default host. */
  useRegionalEndpoint?: boolean;
  /** Send to the international site, `<service>.intl.tencentcloudapi.com`. */
  international?: boolean;
  /** Base URL to send to, overriding all of the above; the signature still names the spec's service. */
  endpoint?: string;
  /** Sent as `X-TC-Language`: the language of error messages. */
  language?: Language;
  /** `GET` sends flattened query parameters (`Filters.0.Name=...`); default `POST` with JSON. */
  method?: "POST" | "GET";
  /**
   * Retries of throttling, HTTP 503, unsent requests, and for idempotent actions also `InternalError`,
   * gateway errors and dropped connections (README: "What is retried"); default 3 attempts, 100 ms–5 s
   * full-jitter backoff.
   */
  retry?: RetryOptions;
  /** Client-side rate limiting from `x-tc-rate-limit`, per action; `false` turns it off, a map sets limits. */
  rateLimit?: boolean | Readonly<Record<string, number>>;
  /**
   * Deadline of every call in ms: limiter queue, credentials, attempts, bodies and backoff included.
   * Default 120,000 (two full attempts); `Infinity` for none. Per call: `{ timeoutMs }`.
   */
  timeoutMs?: number;
  /** Deadline of each attempt on the wire in ms, body included. Default 60,000 (the official SDK's); `Infinity` for none. */
  attemptTimeoutMs?: number;
  /** node:http transport: give a connection up after this many ms without a byte in either direction. Default 60,000; `Infinity` for never. */
  idleTimeoutMs?: number;
  /** Largest answer read, in bytes after decoding; a larger one ends in `AnswerTooLargeError`. Default 32 MiB. */
  maxAnswerBytes?: number;
  /** Receives one event per attempt; never given credentials, signatures or tokens. */
  logger?: Logger;
  /**
   * node:http transport: the proxy to send through (`http://user:pass@host:port`), or `false` for none.
   * Default: `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` and `NO_PROXY` from the environment (whether
   * any is set is checked when the client is created; the proxy and `NO_PROXY` then at each request;
   * needs the optional packages `https-proxy-agent`, `http-proxy-agent`, `proxy-from-env`).
   */
  proxy?: string | false;
  /** A custom fetch (testing, other platforms); defaults to the global one (keep-alive on Node). */
  fetch?: (request: Request) => Promise<Response>;
  /** The clock used for `X-TC-Timestamp`, in milliseconds; defaults to `Date.now`. */
  now?: () => number;
  /** Checks against the spec: requests before sending (default on), answers on arrival (default `"warn"`). */
  validate?: ValidationOptions;
}

/** Per-call options of every generated method. */
export interface CallOptions {
  /** Aborts the call, also while it waits in the rate limiter or between retries. */
  signal?: AbortSignal;
  /** This call's deadline in ms, overriding the client's `timeoutMs` (`Infinity`: none). */
  timeoutMs?: number;
  /** This call's deadline per attempt in ms, overriding the client's `attemptTimeoutMs`. */
  attemptTimeoutMs?: number;
}
