/**
 * The CVM instance role: temporary credentials from the instance metadata service
 * (`http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/<role>`), the role
 * discovered from `…/security-credentials/` (the role bound to the instance) unless configured.
 *
 * Off CVM there is no such service, and the chain's last link must fail fast: a new connection gets
 * {@link METADATA_CONNECT_TIMEOUT_MS}, each request {@link METADATA_TIMEOUT_MS}. Unreachable (no
 * such host, refused, no connection in time) or no role bound (404) is "absent"; a service that
 * connects but does not answer in time, or answers something that is not credentials, is a failure
 * that says so. Never through a proxy: the service is link-local to the instance.
 */
import type { ProvidedCredentials } from "../credentials.js";
import type { TextResult } from "../transport/envelope.js";
import { CredentialsError, TencentCloudTransportError } from "../errors/index.js";
import type { PreparedRequest } from "../request/prepare.js";
import { Redactor } from "../request/redact.js";
import { ProviderDeadline, sendProviderRequest } from "./http.js";
import { labelled, type LabelledProvider } from "./label.js";

export const METADATA_ENDPOINT = "http://metadata.tencentyun.com/latest/meta-data/";
/** A new connection to the metadata service: off CVM the chain falls through after at most this. */
export const METADATA_CONNECT_TIMEOUT_MS = 1_000;
/** One request to the metadata service, connection included. */
export const METADATA_TIMEOUT_MS = 2_000;

export interface FromInstanceMetadataOptions {
  /** The metadata base URL; default {@link METADATA_ENDPOINT} (tests: the emulator's). */
  readonly endpoint?: string;
  /** The CAM role; default: the one bound to the instance, asked once. */
  readonly roleName?: string;
  readonly connectTimeoutMs?: number;
  readonly timeoutMs?: number;
}

interface MetadataCredentials {
  readonly Code?: unknown;
  readonly TmpSecretId?: unknown;
  readonly TmpSecretKey?: unknown;
  readonly Token?: unknown;
  readonly ExpiredTime?: unknown;
  readonly Expiration?: unknown;
}

export function fromInstanceMetadata(options: FromInstanceMetadataOptions = {}): LabelledProvider {
  const base = new URL(options.endpoint ?? METADATA_ENDPOINT);
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  const rolesUrl = new URL("cam/security-credentials/", base);
  const label = `instance-metadata ${base.host}`;
  const link = "instance-metadata";
  let discovered: string | undefined;

  const get = async (url: URL, signal: AbortSignal, redactor: Redactor): Promise<{ status: number; text: string }> => {
    const prepared: PreparedRequest = { url, method: "GET", headers: { Accept: "*/*" }, body: undefined };
    let result: TextResult;
    try {
      result = await sendProviderRequest(prepared, {
        what: "instance metadata",
        signal,
        timeoutMs: options.timeoutMs ?? METADATA_TIMEOUT_MS,
        connectTimeoutMs: options.connectTimeoutMs ?? METADATA_CONNECT_TIMEOUT_MS,
        proxy: false,
        redact: (text) => redactor.redact(text),
      });
    } catch (error) {
      if (signal.aborted) throw error;
      if (error instanceof ProviderDeadline) throw new CredentialsError(`${label}: ${error.message} (it connected, then said nothing)`, { link, cause: error });
      if (error instanceof TencentCloudTransportError && error.status !== undefined) return { status: error.status, text: error.body ?? "" };
      // Never connected (no such host, refused, connect timeout): not on CVM, or no metadata here.
      throw new CredentialsError(`${label}: unreachable, not a CVM instance? (${(error as Error).message})`, { link, absent: true, cause: error });
    }
    return { status: result.response.status, text: result.data ?? "" };
  };

  return labelled(label, async ({ signal }): Promise<ProvidedCredentials> => {
    const redactor = new Redactor();
    let role = options.roleName ?? discovered;
    if (role === undefined) {
      const answer = await get(rolesUrl, signal, redactor);
      if (answer.status === 404) throw new CredentialsError(`${label}: no CAM role is bound to this instance (${rolesUrl.pathname} answered 404)`, { link, absent: true });
      const name = answer.text.split(/\r?\n/)[0]!.trim();
      if (answer.status !== 200 || !/^[\w+=,.@-]{1,128}$/.test(name)) {
        throw new CredentialsError(`${label}: ${rolesUrl.pathname} answered HTTP ${answer.status} without a role name`, { link });
      }
      role = discovered = name;
    }
    const url = new URL(encodeURIComponent(role), rolesUrl);
    const answer = await get(url, signal, redactor);
    if (answer.status === 404) {
      discovered = undefined; // the role may have been changed: discover again next time
      throw new CredentialsError(`${label}: role ${role} is not bound to this instance (404)`, { link, absent: options.roleName === undefined });
    }
    let parsed: MetadataCredentials;
    try {
      parsed = JSON.parse(answer.text) as MetadataCredentials;
    } catch {
      throw new CredentialsError(`${label}: the credentials of role ${role} are not JSON (HTTP ${answer.status})`, { link });
    }
    if (answer.status !== 200 || parsed?.Code !== "Success") {
      throw new CredentialsError(`${label}: the credentials of role ${role}: HTTP ${answer.status}, Code ${JSON.stringify(parsed?.Code ?? null)}, expected "Success"`, { link });
    }
    const expiresAt = typeof parsed.ExpiredTime === "number" ? parsed.ExpiredTime * 1000 : Date.parse(String(parsed.Expiration));
    if (typeof parsed.TmpSecretId !== "string" || typeof parsed.TmpSecretKey !== "string" || typeof parsed.Token !== "string" || !Number.isFinite(expiresAt)) {
      throw new CredentialsError(`${label}: the credentials of role ${role} lack TmpSecretId, TmpSecretKey, Token or ExpiredTime`, { link });
    }
    return { secretId: parsed.TmpSecretId, secretKey: parsed.TmpSecretKey, token: parsed.Token, expiresAt };
  });
}
