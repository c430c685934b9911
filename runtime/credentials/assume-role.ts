/**
 * STS `AssumeRole`: temporary credentials of a role, obtained with any source credentials (a key
 * pair or another provider, e.g. the instance role), TC3-signed by the runtime (./sts.ts). The
 * client caches the answer and asks again ahead of its expiry.
 */
import type { Credentials, CredentialsProvider, ProvidedCredentials } from "../credentials.js";
import { CredentialsError } from "../errors/index.js";
import { labelled, labelOf, type LabelledProvider } from "./label.js";
import { requestStsCredentials, type StsOptions } from "./sts.js";

export interface FromAssumeRoleOptions extends StsOptions {
  /** The credentials that sign `AssumeRole`: a key pair, or a provider asked at each refresh. */
  readonly source: Credentials | CredentialsProvider;
  /** `qcs::cam::uin/<uin>:roleName/<name>` */
  readonly roleArn: string;
  /** Default `tcgen-<ms>`; 2–128 of `[\w+=,.@-]`. */
  readonly roleSessionName?: string;
  /** Lifetime asked for, 900–43200 s; default STS's (7200 s). */
  readonly durationSeconds?: number;
  readonly externalId?: string;
  /** A policy narrowing the role (JSON text; URL-encoded for STS here). */
  readonly policy?: string;
}

export function fromAssumeRole(options: FromAssumeRoleOptions): LabelledProvider {
  if (typeof options.roleArn !== "string" || options.roleArn === "") throw new TypeError("fromAssumeRole: roleArn must be a non-empty string");
  const label = `assume-role ${options.roleArn}`;
  return labelled(label, async ({ signal }): Promise<ProvidedCredentials> => {
    let source: Credentials;
    if (typeof options.source === "function") {
      try {
        source = await options.source({ signal });
      } catch (error) {
        if (signal.aborted) throw error;
        const why = error instanceof Error ? error.message : String(error);
        throw new CredentialsError(`${label}: its source credentials (${labelOf(options.source)}) failed: ${why}`, { link: "assume-role", cause: error });
      }
    } else {
      source = options.source;
    }
    const params: Record<string, unknown> = {
      RoleArn: options.roleArn,
      RoleSessionName: options.roleSessionName ?? `tcgen-${Date.now()}`,
    };
    if (options.durationSeconds !== undefined) params["DurationSeconds"] = options.durationSeconds;
    if (options.externalId !== undefined) params["ExternalId"] = options.externalId;
    if (options.policy !== undefined) params["Policy"] = encodeURIComponent(options.policy);
    return requestStsCredentials("AssumeRole", params, source, { link: "assume-role", label, signal, options });
  });
}
