import { CredentialsError } from "./errors.js";

/** A Tencent Cloud API key pair; `token` only for temporary (STS) credentials. */
export interface Credentials {
  readonly secretId: string;
  readonly secretKey: string;
  readonly token?: string | undefined;
}

/** The environment variables the official SDKs read, in the same order. */
export const CREDENTIAL_ENV = {
  secretId: "TENCENTCLOUD_SECRET_ID",
  secretKey: "TENCENTCLOUD_SECRET_KEY",
  token: "TENCENTCLOUD_SESSION_TOKEN",
} as const;

/**
 * Returns the explicit credentials when given, otherwise those of the environment. Read at call time,
 * so a client created before the environment is set up still works. Throws `CredentialsError` naming
 * what was tried; never echoes a secret.
 */
export function resolveCredentials(
  explicit: Credentials | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Credentials {
  if (explicit !== undefined) {
    const missing = (["secretId", "secretKey"] as const).filter((k) => typeof explicit[k] !== "string" || explicit[k] === "");
    if (missing.length > 0) {
      throw new CredentialsError(`credentials.${missing.join(" and credentials.")} must be a non-empty string`);
    }
    return explicit;
  }
  const secretId = env[CREDENTIAL_ENV.secretId];
  const secretKey = env[CREDENTIAL_ENV.secretKey];
  if (!secretId || !secretKey) {
    const unset = [!secretId && CREDENTIAL_ENV.secretId, !secretKey && CREDENTIAL_ENV.secretKey].filter(Boolean);
    throw new CredentialsError(
      `no Tencent Cloud credentials: none were passed as options.credentials, and ${unset.join(" and ")} ` +
        `${unset.length > 1 ? "are" : "is"} not set in the environment`,
    );
  }
  const token = env[CREDENTIAL_ENV.token];
  return token ? { secretId, secretKey, token } : { secretId, secretKey };
}
