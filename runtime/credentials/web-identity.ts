/**
 * OIDC: STS `AssumeRoleWithWebIdentity` with a token from the identity provider, sent unsigned
 * (./sts.ts). `fromTkeOidc` reads what a TKE pod with OIDC enabled gets in its environment:
 * `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE`, `TKE_ROLE_ARN`, `TKE_REGION`. The token file
 * is read again at every refresh: TKE rotates it, and a token read once would expire.
 */
import type { ProvidedCredentials } from "../credentials.js";
import { fileSystem } from "#files";
import { untilAborted } from "../policy/deadline.js";
import { CredentialsError } from "../errors/index.js";
import { processEnv } from "./env.js";
import { NO_FILE_SYSTEM } from "./files.js";
import { labelled, type LabelledProvider } from "./label.js";
import { requestStsCredentials, type StsOptions } from "./sts.js";

export interface FromWebIdentityOptions extends StsOptions {
  /** The identity provider's name in CAM (`TKE_PROVIDER_ID`). */
  readonly providerId: string;
  /** The file holding the OIDC token, read at each refresh; or `token` below. */
  readonly tokenFile?: string;
  /** The token itself, or a function giving the current one; instead of `tokenFile`. */
  readonly token?: string | (() => string | Promise<string>);
  readonly roleArn: string;
  /** Default `tcgen-<ms>`. */
  readonly roleSessionName?: string;
  readonly durationSeconds?: number;
}

export const TKE_ENV = {
  providerId: "TKE_PROVIDER_ID",
  tokenFile: "TKE_WEB_IDENTITY_TOKEN_FILE",
  roleArn: "TKE_ROLE_ARN",
  region: "TKE_REGION",
} as const;

export function fromWebIdentity(options: FromWebIdentityOptions, link = "web-identity"): LabelledProvider {
  if ((options.tokenFile === undefined) === (options.token === undefined)) throw new TypeError("fromWebIdentity: give exactly one of tokenFile and token");
  const label = `${link} ${options.roleArn}`;
  return labelled(label, async ({ signal }): Promise<ProvidedCredentials> => {
    let token: string;
    try {
      token =
        options.tokenFile !== undefined
          ? (await untilAborted(readTokenFile(options.tokenFile, signal), signal)).trim()
          : typeof options.token === "function"
            ? await options.token()
            : options.token!;
    } catch (error) {
      if (signal.aborted) throw error;
      const where = options.tokenFile !== undefined ? `the token file ${options.tokenFile}` : "the token function";
      throw new CredentialsError(`${label}: ${where} cannot be read: ${(error as Error).message}`, { link, cause: error });
    }
    if (token === "") throw new CredentialsError(`${label}: the web identity token is empty`, { link });
    const params: Record<string, unknown> = {
      ProviderId: options.providerId,
      WebIdentityToken: token,
      RoleArn: options.roleArn,
      RoleSessionName: options.roleSessionName ?? `tcgen-${Date.now()}`,
    };
    if (options.durationSeconds !== undefined) params["DurationSeconds"] = options.durationSeconds;
    return requestStsCredentials("AssumeRoleWithWebIdentity", params, null, { link, label, signal, options, secrets: [token] });
  });
}

function readTokenFile(file: string, signal: AbortSignal): Promise<string> {
  return fileSystem === undefined ? Promise.reject(new Error(NO_FILE_SYSTEM)) : fileSystem.readText(file, signal);
}

export interface FromTkeOidcOptions extends Omit<StsOptions, "region"> {
  /** The environment to read; default `process.env`, read at each refresh. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly roleSessionName?: string;
  readonly durationSeconds?: number;
}

/** TKE's OIDC: absent (the chain goes on) when none of the `TKE_*` variables is set. */
export function fromTkeOidc(options: FromTkeOidcOptions = {}): LabelledProvider {
  return labelled("tke-oidc", async ({ signal }) => {
    const env = options.env ?? processEnv();
    const values = { providerId: env[TKE_ENV.providerId], tokenFile: env[TKE_ENV.tokenFile], roleArn: env[TKE_ENV.roleArn], region: env[TKE_ENV.region] };
    const unset = (Object.keys(TKE_ENV) as (keyof typeof TKE_ENV)[]).filter((key) => !values[key]).map((key) => TKE_ENV[key]);
    if (unset.length === 4) throw new CredentialsError(`tke-oidc: ${Object.values(TKE_ENV).join(", ")} are not set`, { link: "tke-oidc", absent: true });
    if (unset.length > 0) throw new CredentialsError(`tke-oidc: ${unset.join(" and ")} ${unset.length > 1 ? "are" : "is"} not set (the others are)`, { link: "tke-oidc" });
    const provider = fromWebIdentity(
      {
        ...options,
        providerId: values.providerId!,
        tokenFile: values.tokenFile!,
        roleArn: values.roleArn!,
        region: values.region!,
      },
      "tke-oidc",
    );
    return provider({ signal });
  });
}
