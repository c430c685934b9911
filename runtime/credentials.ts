/**
 * Where a client's key comes from: an explicit key pair, an async provider of temporary credentials
 * (refreshed before they expire, one refresh shared by concurrent calls), or the default chain the
 * official SDKs use: environment variables, then the `~/.tencentcloud/credentials` file.
 *
 * A provider that hangs cannot block the client: each refresh has its own deadline
 * ({@link CREDENTIALS_TIMEOUT_MS}), every caller waits for it only within its own deadline and
 * signal, and a refresh that failed, timed out or was left by all its callers is dropped, so the
 * next call asks the provider again.
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { untilAborted, type AbortLike } from "./policy/deadline.js";
import { CredentialsError } from "./errors/index.js";

/** A Tencent Cloud API key pair; `token` only for temporary (STS) credentials. */
export interface Credentials {
  readonly secretId: string;
  readonly secretKey: string;
  readonly token?: string | undefined;
}

/** Temporary credentials as a provider returns them. */
export interface ProvidedCredentials extends Credentials {
  /** When they stop working (a Date or UNIX ms); omitted for credentials that do not expire. */
  readonly expiresAt?: Date | number | undefined;
}

/**
 * An async source of temporary credentials. `signal` aborts when the refresh is abandoned (its
 * deadline passed, or every call waiting for it gave up): a provider doing I/O should pass it on.
 */
export type CredentialsProvider = (options: { readonly signal: AbortSignal }) => Promise<ProvidedCredentials>;

/** What a client calls before each request: its current credentials, waited for within `signal`. */
export type CredentialsSource = (signal?: AbortLike) => Promise<Credentials>;

/** The environment variables the official SDKs read. */
export const CREDENTIAL_ENV = {
  secretId: "TENCENTCLOUD_SECRET_ID",
  secretKey: "TENCENTCLOUD_SECRET_KEY",
  token: "TENCENTCLOUD_SESSION_TOKEN",
} as const;

/** Provider credentials are refreshed this long before they expire. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/** A provider that has not answered after this long is abandoned; the next call asks it again. */
export const CREDENTIALS_TIMEOUT_MS = 10_000;

/** After a failed refresh in the background (current credentials still valid), wait this long before the next. */
const BACKGROUND_RETRY_MS = 1_000;

export interface CredentialsOptions {
  /** The profile of the credentials file; default `default`. */
  readonly profile?: string | undefined;
  /** For tests: the environment and home directory to read. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly home?: string;
  readonly now?: () => number;
  /** The deadline of one provider refresh, in ms; default {@link CREDENTIALS_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
}

/** Returns the function a client calls before each request to get its current credentials. */
export function credentialsResolver(
  source: Credentials | CredentialsProvider | undefined,
  options: CredentialsOptions = {},
): CredentialsSource {
  if (typeof source === "function") return providerResolver(source, options.now ?? Date.now, options.timeoutMs ?? CREDENTIALS_TIMEOUT_MS);
  if (source !== undefined) {
    const checked = checkCredentials(source, "options.credentials");
    return () => Promise.resolve(checked);
  }
  return defaultChain(options);
}

function checkCredentials(value: Credentials, where: string): Credentials {
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

function providerResolver(provider: CredentialsProvider, now: () => number, timeoutMs: number): CredentialsSource {
  let current: { credentials: Credentials; expiresAt: number } | undefined;
  let refresh: Refresh | undefined;
  let backgroundFailedAt = -Infinity;

  const start = (): Refresh => {
    const controller = new AbortController();
    // Unref'd: the deadline of a refresh nobody waits for must not keep a finished program alive.
    const timer = setTimeout(
      () => controller.abort(new CredentialsError(`the credentials provider did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    (timer as { unref?: () => void }).unref?.();
    const run = async (): Promise<Credentials> => {
      try {
        const provided = await untilAborted(Promise.resolve().then(() => provider({ signal: controller.signal })), controller.signal);
        const credentials = checkCredentials(provided, "the credentials provider's answer");
        const expiresAt = provided.expiresAt === undefined ? Infinity : new Date(provided.expiresAt).getTime();
        if (Number.isNaN(expiresAt)) throw new CredentialsError("the credentials provider's answer: expiresAt is not a date");
        // An abandoned refresh that answers late is not used: its callers are gone and the next call asked again.
        if (refresh === self) current = { credentials, expiresAt };
        return credentials;
      } catch (error) {
        if (error instanceof CredentialsError) throw error;
        throw new CredentialsError(`the credentials provider failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
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
    if (current && now() < current.expiresAt - REFRESH_MARGIN_MS) return current.credentials;
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

function defaultChain(options: CredentialsOptions): CredentialsSource {
  let fromFile: Promise<Credentials | string> | undefined;
  return async (signal) => {
    const env = options.env ?? process.env;
    const secretId = env[CREDENTIAL_ENV.secretId];
    const secretKey = env[CREDENTIAL_ENV.secretKey];
    if (secretId && secretKey) {
      const token = env[CREDENTIAL_ENV.token];
      return token ? { secretId, secretKey, token } : { secretId, secretKey };
    }
    const file = path.join(options.home ?? homedir(), ".tencentcloud", "credentials");
    const profile = options.profile ?? "default";
    fromFile ??= readProfile(file, profile);
    const found = await untilAborted(fromFile, signal);
    if (typeof found !== "string") return found;
    fromFile = undefined; // the file may appear later: look again next time
    const unset = [!secretId && CREDENTIAL_ENV.secretId, !secretKey && CREDENTIAL_ENV.secretKey].filter(Boolean).join(" and ");
    throw new CredentialsError(
      `no Tencent Cloud credentials: tried options.credentials (not given), the environment (${unset} ${unset.includes(" and ") ? "are" : "is"} not set), ` +
        `and ${file} [${profile}] (${found})`,
    );
  };
}

/** The profile's key pair from an INI credentials file, or why there is none. */
async function readProfile(file: string, profile: string): Promise<Credentials | string> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : `unreadable: ${(error as Error).message}`;
  }
  const values = parseIni(text)[profile];
  if (!values) return `no [${profile}] section`;
  const secretId = values["secret_id"];
  const secretKey = values["secret_key"];
  if (!secretId || !secretKey) return `[${profile}] lacks ${[!secretId && "secret_id", !secretKey && "secret_key"].filter(Boolean).join(" and ")}`;
  return values["token"] ? { secretId, secretKey, token: values["token"] } : { secretId, secretKey };
}

/** Sections of an INI file: `[name]`, `key = value`, `#` and `;` comments. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = Object.create(null) as Record<string, Record<string, string>>;
  let section: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      section = sections[header[1]!] ??= Object.create(null) as Record<string, string>;
      continue;
    }
    const eq = line.indexOf("=");
    if (section && eq > 0) section[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return sections;
}
