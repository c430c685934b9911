/**
 * `chain(...)`: the first link that has credentials answers. A link whose source is simply not there
 * (`CredentialsError.absent`: a variable unset, no file, not on CVM) passes to the next; a link
 * whose source is there but fails stops the chain with its error, because silently falling through
 * to another identity would run the job as someone else. The link that answered is asked first next
 * time, until it is absent again.
 *
 * `defaultChain`: environment → profile file → TKE OIDC → CVM instance role (README: "Where
 * credentials come from" gives the reasons for this order).
 */
import type { CredentialsProvider, ProvidedCredentials } from "../credentials.js";
import { CredentialsError } from "../errors/index.js";
import { fromEnv } from "./env.js";
import { fromInstanceMetadata, type FromInstanceMetadataOptions } from "./instance-metadata.js";
import { labelled, labelOf, type LabelledProvider } from "./label.js";
import { fromProfile } from "./profile.js";
import type { StsOptions } from "./sts.js";
import { fromTkeOidc } from "./web-identity.js";

export function chain(...links: CredentialsProvider[]): LabelledProvider {
  if (links.length === 0) throw new TypeError("chain: give at least one provider");
  let sticky = 0;
  let trying = 0;
  const run = async ({ signal }: { readonly signal: AbortSignal }): Promise<ProvidedCredentials> => {
    const tried: string[] = [];
    // The remembered link first, then the others in their order.
    const order = [sticky, ...links.keys()].filter((index, at, all) => all.indexOf(index) === at);
    for (const index of order) {
      trying = index;
      const link = links[index]!;
      try {
        const found = await link({ signal });
        sticky = index;
        return found;
      } catch (error) {
        if (signal.aborted) throw error;
        if (error instanceof CredentialsError && error.absent) {
          tried.push(error.message);
          continue;
        }
        throw error instanceof CredentialsError
          ? error
          : new CredentialsError(`${labelOf(link)} failed: ${error instanceof Error ? error.message : String(error)}`, { link: "provider", cause: error });
      }
    }
    sticky = 0;
    throw new CredentialsError(`no Tencent Cloud credentials: tried ${tried.join("; ")}`, { link: "chain", absent: true });
  };
  return labelled(() => labelOf(links[trying]!), run);
}

export interface DefaultChainOptions {
  /** The profile of the credentials file; default `default`. */
  readonly profile?: string;
  /** For tests: the environment (env and TKE links) and home directory to read. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly home?: string;
  /** How STS is reached (role profiles, TKE OIDC). */
  readonly sts?: StsOptions;
  /** The metadata service (endpoint, role, timeouts). */
  readonly instanceMetadata?: FromInstanceMetadataOptions;
}

/** The chain a client uses when given no credentials. */
export function defaultChain(options: DefaultChainOptions = {}): LabelledProvider {
  return chain(
    fromEnv({ ...(options.env ? { env: options.env } : {}) }),
    fromProfile({ ...(options.profile ? { profile: options.profile } : {}), ...(options.home ? { home: options.home } : {}), ...(options.sts ? { sts: options.sts } : {}) }),
    fromTkeOidc({ ...options.sts, ...(options.env ? { env: options.env } : {}) }),
    fromInstanceMetadata(options.instanceMetadata),
  );
}
