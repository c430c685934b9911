/**
 * The emulator's definition of STS (sts 2018-08-13), the two actions credentials providers call,
 * written by hand from Tencent's definitions (`tencent-definitions/sts/v20180813`: members, the
 * documented checks, examples; test/mock/sts.test.ts checks it against the vendored copy in
 * test/fixtures/sts/). `AssumeRoleWithWebIdentity` is unsigned (`Authorization: SKIP`), as Tencent
 * documents.
 */
import type { MockActionDefinition, MockServiceDefinition, MockValidation } from "../../definition.js";

type Member = { readonly type: "string" | "integer" | "array"; readonly required?: boolean; readonly pattern?: RegExp; readonly min?: number; readonly max?: number };

/** Checks an action's parameters as Tencent documents them: required members, types, unknown members, lengths, ranges. */
function validator(members: Readonly<Record<string, Member>>): (params: unknown) => MockValidation {
  return (params) => {
    const issues: { path: string; keyword: string; message: string }[] = [];
    const value = params as Record<string, unknown>;
    for (const name of Object.keys(value)) {
      if (!Object.hasOwn(members, name)) issues.push({ path: `/${name}`, keyword: "additionalProperties", message: "is not a parameter of this action" });
    }
    for (const [name, member] of Object.entries(members)) {
      const given = value[name];
      if (given === undefined) {
        if (member.required) issues.push({ path: "", keyword: "required", message: `${name} is required` });
        continue;
      }
      const typeOk = member.type === "integer" ? Number.isInteger(given) : member.type === "array" ? Array.isArray(given) : typeof given === "string";
      if (!typeOk) {
        issues.push({ path: `/${name}`, keyword: "type", message: `must be ${member.type === "integer" ? "an integer" : `a ${member.type}`}` });
        continue;
      }
      if (member.pattern && !member.pattern.test(given as string)) issues.push({ path: `/${name}`, keyword: "pattern", message: `does not match ${member.pattern.source}` });
      const size = typeof given === "number" ? given : (given as string | unknown[]).length;
      if (member.min !== undefined && size < member.min) issues.push({ path: `/${name}`, keyword: "minimum", message: `must be at least ${member.min}` });
      if (member.max !== undefined && size > member.max) issues.push({ path: `/${name}`, keyword: "maximum", message: `must be at most ${member.max}` });
    }
    return issues.length === 0 ? { ok: true } : { ok: false, issues };
  };
}

/** `qcs::cam::uin/<uin>:roleName/<name>` or `…:role/<id>` (service roles: `…:roleName/<path>/<name>`). */
export const ROLE_ARN = /^qcs::cam::uin\/\d+:(roleName|role)\/[\w+=,.@/-]+$/;
const SESSION_NAME = /^[\w+=,.@-]{2,128}$/;

const CREDENTIALS_EXAMPLE = {
  Response: {
    Credentials: { Token: "1siMD***", TmpSecretId: "AKID***", TmpSecretKey: "q95K***" },
    ExpiredTime: 1543914376,
    Expiration: "2018-12-04T09:06:16Z",
    RequestId: "f6e7cbcb-add1-47bd-9097-d08cf8f3a919",
  },
};

const assumeRole: MockActionDefinition = {
  rateLimit: 600,
  errors: ["InternalError.GetRoleError", "InvalidParameter.ParamError", "InvalidParameter.OverTimeError", "ResourceNotFound.RoleNotFound", "UnauthorizedOperation"],
  examples: [{ name: "AssumeRole", request: { RoleArn: "qcs::cam::uin/12345678:roleName/testRoleName", RoleSessionName: "test" }, response: CREDENTIALS_EXAMPLE }],
  validateRequest: validator({
    RoleArn: { type: "string", required: true, pattern: ROLE_ARN },
    RoleSessionName: { type: "string", required: true, pattern: SESSION_NAME },
    DurationSeconds: { type: "integer", min: 0, max: 43200 },
    Policy: { type: "string" },
    ExternalId: { type: "string", pattern: /^[\w+=,.@:/-]{2,128}$/ },
    Tags: { type: "array", max: 50 },
    SourceIdentity: { type: "string" },
    SerialNumber: { type: "string" },
    TokenCode: { type: "string" },
  }),
};

const assumeRoleWithWebIdentity: MockActionDefinition = {
  rateLimit: 600,
  errors: ["InternalError.GetRoleError", "InvalidParameter.ParamError", "InvalidParameter.WebIdentityTokenError", "UnauthorizedOperation"],
  examples: [
    {
      name: "AssumeRoleWithWebIdentity",
      request: { ProviderId: "OIDC", WebIdentityToken: "eyJraWQiOiJkT**********CNOQ", RoleArn: "qcs::cam::uin/7989***:roleName/OneLogin-Role", RoleSessionName: "test_OIDC" },
      response: CREDENTIALS_EXAMPLE,
    },
  ],
  validateRequest: validator({
    ProviderId: { type: "string", required: true, min: 1 },
    WebIdentityToken: { type: "string", required: true, min: 1 },
    RoleArn: { type: "string", required: true, pattern: ROLE_ARN },
    RoleSessionName: { type: "string", required: true, pattern: SESSION_NAME },
    DurationSeconds: { type: "integer", min: 0, max: 43200 },
  }),
};

export const stsMock: MockServiceDefinition = {
  service: "sts",
  version: "2018-08-13",
  commonErrors: ["AuthFailure.InvalidAuthorization", "AuthFailure.SecretIdNotFound", "AuthFailure.SignatureExpire", "AuthFailure.SignatureFailure", "AuthFailure.TokenFailure", "InvalidParameter", "MissingParameter", "UnknownParameter", "RequestLimitExceeded"],
  actions: { AssumeRole: assumeRole, AssumeRoleWithWebIdentity: assumeRoleWithWebIdentity },
  unsignedActions: ["AssumeRoleWithWebIdentity"],
};
