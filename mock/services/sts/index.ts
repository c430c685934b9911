/**
 * The emulator of STS (sts 2018-08-13): `AssumeRole` (TC3-signed, checked like every other action)
 * and `AssumeRoleWithWebIdentity` (unsigned, the OIDC token checked), both issuing temporary
 * credentials into a KeyStore that other emulators share, so the mongodb emulator accepts them until
 * they expire.
 *
 * ```ts
 * const keys = new KeyStore([MOCK_CREDENTIALS]);
 * const sts = await startStsMock({ credentials: keys, lifetimeMs: 2_000 });
 * const mongo = await startMongodbMock({ credentials: keys });
 * ```
 */
import { KeyStore } from "../../keys.js";
import { MOCK_CREDENTIALS, startMock, type MockAnswer, type MockCall, type MockOptions, type RunningMock } from "../../server.js";
import { stsMock } from "./definition.js";

export interface StartStsMockOptions extends Omit<MockOptions, "handlers" | "credentials"> {
  /** Shared with the emulators that should accept what STS issues; default a store of MOCK_CREDENTIALS. */
  readonly credentials?: KeyStore;
  /** Lifetime of issued credentials in ms, overriding `DurationSeconds` (tests: 2,000). */
  readonly lifetimeMs?: number;
  /** Roles that exist (RoleArn); default: any well-formed ARN. */
  readonly roles?: readonly string[];
  /** OIDC: the identity provider's name and the tokens it currently accepts (read at each call). */
  readonly webIdentity?: { readonly providerId: string; readonly acceptedTokens: () => readonly string[] };
}

export interface RunningStsMock extends RunningMock {
  /** Successful calls per action. */
  readonly issued: { AssumeRole: number; AssumeRoleWithWebIdentity: number };
}

/** STS's default lifetime (`DurationSeconds` absent), 7,200 s. */
const DEFAULT_DURATION_SECONDS = 7200;

export async function startStsMock(options: StartStsMockOptions = {}): Promise<RunningStsMock> {
  const keys = options.credentials ?? new KeyStore([MOCK_CREDENTIALS]);
  const issued = { AssumeRole: 0, AssumeRoleWithWebIdentity: 0 };

  const answer = (call: MockCall): MockAnswer => {
    const roleArn = call.params["RoleArn"] as string;
    if (options.roles && !options.roles.includes(roleArn)) {
      // Each action's documented code for a role that is not there.
      const code = call.action === "AssumeRole" ? "ResourceNotFound.RoleNotFound" : "InternalError.GetRoleError";
      return { error: { code, message: `role ${roleArn} does not exist` } };
    }
    const duration = (call.params["DurationSeconds"] as number | undefined) ?? DEFAULT_DURATION_SECONDS;
    const key = keys.issue(call.nowMs, options.lifetimeMs ?? duration * 1000);
    issued[call.action as keyof typeof issued]++;
    return {
      response: {
        Credentials: { Token: key.token, TmpSecretId: key.secretId, TmpSecretKey: key.secretKey },
        // Whole seconds, rounded down: a client never believes them valid longer than they are.
        ExpiredTime: Math.floor(key.expiresAt / 1000),
        Expiration: new Date(Math.floor(key.expiresAt / 1000) * 1000).toISOString().replace(/\.000Z$/, "Z"),
      },
    };
  };

  const running = await startMock(stsMock, {
    ...options,
    credentials: keys,
    handlers: {
      AssumeRole: answer,
      AssumeRoleWithWebIdentity: (call) => {
        const oidc = options.webIdentity;
        if (!oidc || call.params["ProviderId"] !== oidc.providerId) {
          return { error: { code: "InvalidParameter.ParamError", message: `identity provider ${String(call.params["ProviderId"])} does not exist` } };
        }
        if (!oidc.acceptedTokens().includes(call.params["WebIdentityToken"] as string)) {
          return { error: { code: "InvalidParameter.WebIdentityTokenError", message: "the web identity token is invalid or expired" } };
        }
        return answer(call);
      },
    },
  });
  return Object.assign(running, { issued });
}

export { stsMock } from "./definition.js";
