/**
 * The STS calls behind `fromAssumeRole` and `fromWebIdentity` (service `sts`, version 2018-08-13):
 * put together and TC3-signed by the runtime's own `prepareRequest`, sent by its transports, read by
 * its envelope reader. `AssumeRoleWithWebIdentity` is sent unsigned (`Authorization: SKIP`, no
 * `X-TC-Token`), as Tencent's documentation of that action requires; the web identity token in its
 * body is the proof.
 */
import type { Credentials, ProvidedCredentials } from "../credentials.js";
import { parseEndpoint } from "../request/endpoints.js";
import { readEnvelope } from "../transport/envelope.js";
import { CredentialsError } from "../errors/index.js";
import { prepareRequest } from "../request/prepare.js";
import { Redactor } from "../request/redact.js";
import type { ProxySetting } from "../transport/proxy-setting.js";
import { ProviderDeadline, sendProviderRequest } from "./http.js";

export const STS_SERVICE = { service: "sts", version: "2018-08-13", endpoint: "https://sts.tencentcloudapi.com" } as const;

/** The deadline of one STS request. */
export const STS_TIMEOUT_MS = 5_000;

/** Where and how STS is reached; shared by `fromAssumeRole` and `fromWebIdentity`. */
export interface StsOptions {
  /** Default `https://sts.tencentcloudapi.com` (tests: the emulator). */
  readonly endpoint?: string | undefined;
  /** `X-TC-Region`; default `ap-guangzhou`, as the official SDK sends. */
  readonly region?: string | undefined;
  /** The deadline of one STS request in ms; default {@link STS_TIMEOUT_MS}. */
  readonly timeoutMs?: number | undefined;
  /** As the client option: a proxy URL, `false`, or the environment's. */
  readonly proxy?: ProxySetting;
}

interface StsAnswer {
  readonly Credentials?: { readonly TmpSecretId?: unknown; readonly TmpSecretKey?: unknown; readonly Token?: unknown };
  readonly ExpiredTime?: unknown;
  readonly Expiration?: unknown;
}

/**
 * One STS call that answers temporary credentials. `source` signs it; null sends it unsigned.
 * Failures are a CredentialsError of `link` whose message names the action, the role and the host.
 */
export async function requestStsCredentials(
  action: "AssumeRole" | "AssumeRoleWithWebIdentity",
  params: Readonly<Record<string, unknown>>,
  source: Credentials | null,
  context: { readonly link: string; readonly label: string; readonly signal: AbortSignal; readonly options: StsOptions; readonly secrets?: readonly string[] },
): Promise<ProvidedCredentials> {
  const { options, signal, link } = context;
  const endpoint = parseEndpoint(options.endpoint ?? STS_SERVICE.endpoint);
  const redactor = new Redactor();
  if (source) redactor.learn(source);
  redactor.learnSecrets(context.secrets ?? []);
  const redact = (text: string) => redactor.redact(text);
  const settings = { service: STS_SERVICE.service, version: STS_SERVICE.version, endpoint, method: "POST", region: options.region ?? "ap-guangzhou", language: undefined } as const;
  const prepared = await prepareRequest(settings, action, JSON.stringify(params), source, Math.floor(Date.now() / 1000));
  const failed = (why: string, cause?: unknown) =>
    new CredentialsError(`${context.label}: ${action} at ${endpoint.host} failed: ${redact(why)}`, { link, cause });
  let answer: StsAnswer;
  try {
    const result = await sendProviderRequest(prepared, {
      what: action,
      signal,
      timeoutMs: options.timeoutMs ?? STS_TIMEOUT_MS,
      proxy: options.proxy,
      redact,
      learnSecrets: (secrets) => redactor.learnSecrets(secrets),
    });
    answer = readEnvelope<StsAnswer>(action, result, { redact });
  } catch (error) {
    if (signal.aborted) throw error;
    if (error instanceof ProviderDeadline) throw failed(error.message, error);
    throw failed(error instanceof Error ? error.message : String(error), error);
  }
  const keys = answer.Credentials;
  const expiredTime = typeof answer.ExpiredTime === "number" ? answer.ExpiredTime * 1000 : Date.parse(String(answer.Expiration));
  if (typeof keys?.TmpSecretId !== "string" || typeof keys.TmpSecretKey !== "string" || typeof keys.Token !== "string" || !Number.isFinite(expiredTime)) {
    throw failed("the answer lacks Credentials.TmpSecretId, TmpSecretKey, Token or ExpiredTime");
  }
  return { secretId: keys.TmpSecretId, secretKey: keys.TmpSecretKey, token: keys.Token, expiresAt: expiredTime };
}
