/**
 * No credentials given: the default chain (./chain.ts), loaded by ../credentials.ts only then, so
 * that a client given credentials neither loads nor (with code splitting) bundles the chain's links.
 */
import type { CredentialsOptions, CredentialsSource } from "../credentials.js";
import { CredentialsError } from "../errors/index.js";
import { chain } from "./chain.js";
import { fromEnv } from "./env.js";
import { fromInstanceMetadata } from "./instance-metadata.js";
import { fromProfile } from "./profile.js";
import { checkCredentials, providerResolver } from "./refresh.js";
import { fromTkeOidc } from "./web-identity.js";

/**
 * The environment is read at each call (an exported variable takes effect at once); the other links
 * go through the refreshing cache.
 */
export function defaultResolver(options: CredentialsOptions): CredentialsSource {
  const env = fromEnv(options.env ? { env: options.env } : {});
  const never = new AbortController().signal;
  const rest = providerResolver(
    chain(
      fromProfile({ ...(options.profile ? { profile: options.profile } : {}), ...(options.home ? { home: options.home } : {}), ...(options.sts ? { sts: options.sts } : {}) }),
      fromTkeOidc({ ...options.sts, ...(options.env ? { env: options.env } : {}) }),
      fromInstanceMetadata(options.instanceMetadata),
    ),
    options,
  );
  return async (signal) => {
    let unset: string;
    try {
      return checkCredentials(await env({ signal: never }), "the environment");
    } catch (error) {
      if (!(error instanceof CredentialsError && error.absent)) throw error;
      unset = error.message;
    }
    try {
      return await rest(signal);
    } catch (error) {
      if (!(error instanceof CredentialsError && error.link === "chain")) throw error;
      throw new CredentialsError(error.message.replace(/^no Tencent Cloud credentials: tried /, `no Tencent Cloud credentials: tried options.credentials (not given); ${unset}; `), {
        link: "chain",
        absent: true,
      });
    }
  };
}

