/**
 * The caching, refreshing resolver of a credentials provider, and the check of a key pair: what a
 * client given credentials or a provider needs (../credentials.ts picks).
 *
 * A provider that hangs cannot block the client: each refresh has its own deadline
 * ({@link CREDENTIALS_TIMEOUT_MS}), every caller waits for it only within its own deadline and
 * signal, and a refresh that failed, timed out or was left by all its callers is dropped, so the
 * next call asks the provider again.
 */
import type { Credentials, CredentialsOptions, CredentialsProvider, CredentialsSource } from "../credentials.js";
import { untilAborted } from "../policy/deadline.js";
import { CredentialsError } from "../errors/index.js";
import { labelOf } from "./label.js";

/**
 * Provider credentials are refreshed this long before they expire, or half their lifetime before
 * when they live less than twice as long (credentials of 2 s are refreshed after 1 s).
 */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/** A provider that has not answered after this long is abandoned; the next call asks it again. */
export const CREDENTIALS_TIMEOUT_MS = 10_000;

/** After a failed refresh in the background (current credentials still valid), wait this long before the next. */
const BACKGROUND_RETRY_MS = 1_000;

export function checkCredentials(value: Credentials, where: string): Credentials {
  const missing = (["secretId", "secretKey"] as const).filter((k) => typeof value?.[k] !== "string" || value[k] === "");
  if (missing.length > 0) throw new CredentialsError(`${where}: ${missing.join(" and ")} must be non-empty strings`);
  if (value.token !== undefined && typeof value.token !== "string") throw new CredentialsError(`${where}: token must be a string`);
  // A copy holding only what is needed: never the caller's object, which may carry more.
  return value.token ? { secretId: value.secretId, secretKey: value.secretKey, token: value.token } : { secretId: value.secretId, secretKey: value.secretKey };
}

interface Refresh {
  promise: Promise<Credentials>;
  readonly controller: AbortController;
  /** Calls waiting for it; when the last one leaves on abort, the refresh is abandoned. */
  waiters: number;
}

export function providerResolver(provider: CredentialsProvider, options: CredentialsOptions): CredentialsSource {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? CREDENTIALS_TIMEOUT_MS;
  let current: { credentials: Credentials; expiresAt: number; refreshAt: number } | undefined;
  let refresh: Refresh | undefined;
  let backgroundFailedAt = -Infinity;

  const start = (): Refresh => {
    const controller = new AbortController();
    // Unref'd: the deadline of a refresh nobody waits for must not keep a finished program alive.
    const timer = setTimeout(
      () => controller.abort(new CredentialsError(`${labelOf(provider)} did not answer within ${timeoutMs} ms`, { link: "provider" })),
      timeoutMs,
    );
    (timer as { unref?: () => void }).unref?.();
    const startedAt = now();
    const run = async (): Promise<Credentials> => {
      try {
        const provided = await untilAborted(Promise.resolve().then(() => provider({ signal: controller.signal })), controller.signal);
        const credentials = checkCredentials(provided, "the credentials provider's answer");
        const expiresAt = provided.expiresAt === undefined ? Infinity : new Date(provided.expiresAt).getTime();
        if (Number.isNaN(expiresAt)) throw new CredentialsError("the credentials provider's answer: expiresAt is not a date");
        // An abandoned refresh that answers late is not used: its callers are gone and the next call asked again.
        const margin = Math.min(REFRESH_MARGIN_MS, (expiresAt - startedAt) / 2);
        if (refresh === self) current = { credentials, expiresAt, refreshAt: expiresAt - margin };
        return credentials;
      } catch (error) {
        if (error instanceof CredentialsError) throw error;
        throw new CredentialsError(`${labelOf(provider)} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error, link: "provider" });
      } finally {
        clearTimeout(timer);
        // Settled or abandoned, it is dropped: the next call that needs credentials asks again.
        if (refresh === self) refresh = undefined;
      }
    };
    const self = { controller, waiters: 0 } as Refresh;
    refresh = self;
    self.promise = run();
    return self;
  };

  return async (signal) => {
    if (current && now() < current.refreshAt) return current.credentials;
    if (current && now() < current.expiresAt) {
      // Still valid: refresh in the background and sign with these meanwhile; a failing or hanging
      // provider never delays a call while the credentials it gave last still work.
      if (refresh === undefined && now() - backgroundFailedAt >= BACKGROUND_RETRY_MS) {
        start().promise.catch(() => (backgroundFailedAt = now()));
      }
      return current.credentials;
    }
    const shared = refresh ?? start();
    shared.waiters++;
    try {
      return await untilAborted(shared.promise, signal);
    } finally {
      shared.waiters--;
      // The last caller gave up (its deadline or its signal): abandon the refresh, so that the next
      // call does not join a provider that may never answer.
      if (shared.waiters === 0 && signal?.aborted && refresh === shared) {
        refresh = undefined;
        shared.controller.abort(new CredentialsError("the credentials refresh was abandoned: every call waiting for it gave up"));
      }
    }
  };
}

