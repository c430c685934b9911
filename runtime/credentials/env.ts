/** The chain's first link: `TENCENTCLOUD_SECRET_ID` / `_SECRET_KEY` / `_SESSION_TOKEN`, read at each call. */
import type { ProvidedCredentials } from "../credentials.js";
import { CredentialsError } from "../errors/index.js";
import { labelled, type LabelledProvider } from "./label.js";

/** The environment variables the official SDKs read. */
export const CREDENTIAL_ENV = {
  secretId: "TENCENTCLOUD_SECRET_ID",
  secretKey: "TENCENTCLOUD_SECRET_KEY",
  token: "TENCENTCLOUD_SESSION_TOKEN",
} as const;

export interface FromEnvOptions {
  /** The environment to read; default `process.env`, read at each call. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** `process.env` where there is one (Node, Bun, Deno); an empty environment elsewhere (browsers, workers). */
export function processEnv(): Readonly<Record<string, string | undefined>> {
  return typeof process === "object" && process.env ? process.env : {};
}

export function fromEnv(options: FromEnvOptions = {}): LabelledProvider {
  return labelled("environment", async (): Promise<ProvidedCredentials> => {
    const env = options.env ?? processEnv();
    const secretId = env[CREDENTIAL_ENV.secretId];
    const secretKey = env[CREDENTIAL_ENV.secretKey];
    if (!secretId || !secretKey) {
      const unset = [!secretId && CREDENTIAL_ENV.secretId, !secretKey && CREDENTIAL_ENV.secretKey].filter(Boolean).join(" and ");
      throw new CredentialsError(`environment: ${unset} ${unset.includes(" and ") ? "are" : "is"} not set`, { link: "environment", absent: true });
    }
    const token = env[CREDENTIAL_ENV.token];
    return token ? { secretId, secretKey, token } : { secretId, secretKey };
  });
}
