/**
 * Where a client's key comes from: an explicit key pair, an async provider of temporary credentials
 * (refreshed before they expire, one refresh shared by concurrent calls; ./credentials/refresh.ts),
 * or, when neither is given, the default chain (./credentials/default.ts: environment variables, the
 * profile file, TKE OIDC, the CVM instance role), loaded by the first call that needs it.
 */
import type { FromInstanceMetadataOptions } from "./credentials/instance-metadata.js";
import { checkCredentials, providerResolver } from "./credentials/refresh.js";
import type { StsOptions } from "./credentials/sts.js";
import type { AbortLike } from "./policy/deadline.js";

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

export { CREDENTIALS_TIMEOUT_MS, REFRESH_MARGIN_MS } from "./credentials/refresh.js";

export interface CredentialsOptions {
  /** The profile of the credentials file; default `default`. */
  readonly profile?: string | undefined;
  /** For tests: the environment and home directory to read. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly home?: string;
  readonly now?: () => number;
  /** The deadline of one provider refresh, in ms; default {@link CREDENTIALS_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /** The default chain: how STS is reached (role profiles, TKE OIDC) and the metadata service. */
  readonly sts?: StsOptions;
  readonly instanceMetadata?: FromInstanceMetadataOptions;
}

/** Returns the function a client calls before each request to get its current credentials. */
export function credentialsResolver(
  source: Credentials | CredentialsProvider | undefined,
  options: CredentialsOptions = {},
): CredentialsSource {
  if (typeof source === "function") return providerResolver(source, options);
  if (source !== undefined) {
    const checked = checkCredentials(source, "options.credentials");
    return () => Promise.resolve(checked);
  }
  // One resolver per client, made once the chain's module has loaded (concurrent first calls share it).
  let chain: Promise<CredentialsSource> | undefined;
  return async (signal) => {
    const resolve = await (chain ??= import("./credentials/default.js").then((module) => module.defaultResolver(options)));
    return resolve(signal);
  };
}
