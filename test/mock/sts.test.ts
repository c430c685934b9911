/**
 * The STS and metadata emulators: checked against Tencent's definitions (vendored in
 * test/fixtures/sts/), signatures checked like every other action, AssumeRoleWithWebIdentity
 * unsigned, and the temporary keys they issue accepted by the mongodb emulator until they expire.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMongodbClient, TencentCloudApiError } from "../../generated/mongodb/index.js";
import { KeyStore } from "../../mock/keys.js";
import { startMetadataMock, type RunningMetadataMock } from "../../mock/services/metadata/index.js";
import { startMongodbMock, type RunningMongodbMock } from "../../mock/services/mongodb/index.js";
import { startStsMock, stsMock, type RunningStsMock } from "../../mock/services/sts/index.js";
import { MOCK_CREDENTIALS } from "../../mock/server.js";
import { repoRoot } from "../support/helpers.js";
import { sendRaw, signedRequest } from "../support/raw-request.js";

const definitions = JSON.parse(readFileSync(path.join(repoRoot, "test/fixtures/sts/sts-2018-08-13.json"), "utf8")) as {
  actions: Record<string, { request: Record<string, { type: string; required: boolean }>; response: Record<string, unknown>; errors: string[] }>;
};
const ROLE = "qcs::cam::uin/100000000001:roleName/tcgen-backup";
const TOKEN = "eyJhbGciOiJSUzI1NiJ9.tke-oidc-token-1.sig";

let keys: KeyStore;
let sts: RunningStsMock;
let mongo: RunningMongodbMock;
let now = Date.now();
beforeAll(async () => {
  keys = new KeyStore([MOCK_CREDENTIALS]);
  sts = await startStsMock({ credentials: keys, roles: [ROLE], webIdentity: { providerId: "tke-oidc", acceptedTokens: () => [TOKEN] }, now: () => now });
  mongo = await startMongodbMock({ credentials: keys, now: () => now });
});
afterAll(async () => {
  await Promise.all([sts.close(), mongo.close()]);
});

const assume = (params: Record<string, unknown>, credentials = MOCK_CREDENTIALS) =>
  sendRaw(sts.url, signedRequest({ url: sts.url, credentials, action: "AssumeRole", version: "2018-08-13", service: "sts", params, timestamp: Math.floor(now / 1000) }));
const withWebIdentity = (params: Record<string, unknown>, authorization = "SKIP") =>
  sendRaw(sts.url, {
    method: "POST",
    path: "/",
    headers: { Host: new URL(sts.url).host, "Content-Type": "application/json", "X-TC-Action": "AssumeRoleWithWebIdentity", "X-TC-Version": "2018-08-13", "X-TC-Timestamp": String(Math.floor(now / 1000)), Authorization: authorization },
    body: JSON.stringify(params),
  });

describe("the STS definition", () => {
  it("has Tencent's two actions with their request members, required ones required, and documented error codes", () => {
    for (const action of ["AssumeRole", "AssumeRoleWithWebIdentity"]) {
      const members = definitions.actions[action]!.request;
      const full = Object.fromEntries(
        Object.entries(members).map(([name, member]) => [name, member.type === "int" ? 3600 : member.type === "list" ? [] : name === "RoleArn" ? ROLE : "abc-123"]),
      );
      expect(stsMock.actions[action]!.validateRequest!(full)).toEqual({ ok: true });
      for (const [name, member] of Object.entries(members)) {
        const { [name]: _left, ...without } = full;
        expect(stsMock.actions[action]!.validateRequest!(without).ok, `${action} without ${name}`).toBe(!member.required);
      }
      expect(stsMock.actions[action]!.validateRequest!({ ...full, Extra: 1 }).ok).toBe(false);
      for (const code of stsMock.actions[action]!.errors) expect(definitions.actions[action]!.errors).toContain(code);
    }
  });
});

describe("AssumeRole", () => {
  it("signed with a permanent key: temporary credentials the mongodb emulator accepts, until they expire", async () => {
    const answer = await assume({ RoleArn: ROLE, RoleSessionName: "nightly", DurationSeconds: 900 });
    expect(answer.code).toBeUndefined();
    const response = answer.json!.Response! as { Credentials: { TmpSecretId: string; TmpSecretKey: string; Token: string }; ExpiredTime: number; Expiration: string };
    expect(Object.keys(response).sort()).toEqual(Object.keys(definitions.actions["AssumeRole"]!.response).sort());
    expect(response.ExpiredTime).toBe(Math.floor((now + 900_000) / 1000));
    expect(response.Expiration).toBe(new Date(response.ExpiredTime * 1000).toISOString().replace(".000Z", "Z"));
    const temporary = { secretId: response.Credentials.TmpSecretId, secretKey: response.Credentials.TmpSecretKey, token: response.Credentials.Token };
    const client = createMongodbClient({ endpoint: mongo.url, credentials: temporary, now: () => now, retry: { maxAttempts: 1 } });
    await client.describeDBBackups({ InstanceId: "cmgo-p8vnipr5" });
    // Without the token, or with another: refused.
    const tokenless = createMongodbClient({ endpoint: mongo.url, credentials: { ...temporary, token: undefined }, now: () => now, retry: { maxAttempts: 1 } });
    await expect(tokenless.describeDBBackups({ InstanceId: "cmgo-p8vnipr5" })).rejects.toMatchObject({ code: "AuthFailure.TokenFailure" });
    now += 900_000;
    const expired = await client.describeDBBackups({ InstanceId: "cmgo-p8vnipr5" }).catch((e: unknown) => e);
    expect(expired).toBeInstanceOf(TencentCloudApiError);
    expect(expired).toMatchObject({ code: "AuthFailure.TokenFailure" });
    expect((expired as Error).message).toContain("the temporary credentials expired at");
    // Temporary credentials can sign AssumeRole too (Tencent: "permanent or temporary keys").
    now -= 900_000;
    expect((await assume({ RoleArn: ROLE, RoleSessionName: "again" }, temporary)).code).toBeUndefined();
  });

  it("is checked like every action: signature, unknown role, parameters, and no SKIP", async () => {
    expect((await assume({ RoleArn: ROLE, RoleSessionName: "x" })).code).toBe("InvalidParameterValue"); // 2–128 characters
    expect((await assume({ RoleArn: "qcs::cam::uin/100000000001:roleName/nobody", RoleSessionName: "nightly" })).code).toBe("ResourceNotFound.RoleNotFound");
    expect((await assume({ RoleSessionName: "nightly" })).code).toBe("MissingParameter");
    expect((await assume({ RoleArn: ROLE, RoleSessionName: "nightly" }, { secretId: MOCK_CREDENTIALS.secretId, secretKey: "wrong" })).code).toBe("AuthFailure.SignatureFailure");
    const unsigned = await sendRaw(sts.url, {
      method: "POST",
      path: "/",
      headers: { Host: new URL(sts.url).host, "Content-Type": "application/json", "X-TC-Action": "AssumeRole", "X-TC-Version": "2018-08-13", "X-TC-Timestamp": String(Math.floor(now / 1000)), Authorization: "SKIP" },
      body: JSON.stringify({ RoleArn: ROLE, RoleSessionName: "nightly" }),
    });
    expect(unsigned.code).toBe("AuthFailure.InvalidAuthorization");
  });
});

describe("AssumeRoleWithWebIdentity", () => {
  it("unsigned (Authorization: SKIP) with an accepted token: credentials; another token, provider or a signature attempt: refused", async () => {
    const ok = await withWebIdentity({ ProviderId: "tke-oidc", WebIdentityToken: TOKEN, RoleArn: ROLE, RoleSessionName: "pod-1" });
    expect(ok.code).toBeUndefined();
    expect(ok.json!.Response!["Credentials"]).toMatchObject({ TmpSecretId: expect.stringMatching(/^AKIDtmp/) });
    expect((await withWebIdentity({ ProviderId: "tke-oidc", WebIdentityToken: "stale", RoleArn: ROLE, RoleSessionName: "pod-1" })).code).toBe("InvalidParameter.WebIdentityTokenError");
    expect((await withWebIdentity({ ProviderId: "other", WebIdentityToken: TOKEN, RoleArn: ROLE, RoleSessionName: "pod-1" })).code).toBe("InvalidParameter.ParamError");
    expect((await withWebIdentity({ ProviderId: "tke-oidc", WebIdentityToken: TOKEN, RoleArn: ROLE, RoleSessionName: "pod-1" }, "TC3-HMAC-SHA256 nonsense")).code).toBe(
      "AuthFailure.InvalidAuthorization",
    );
  });
});

describe("the metadata emulator", () => {
  let metadata: RunningMetadataMock;
  beforeAll(async () => {
    metadata = await startMetadataMock({ credentials: keys, role: "cvm-role", now: () => now });
  });
  afterAll(() => metadata.close());

  it("lists the bound role and answers its credentials in CVM's format; 404 for any other role or without a role", async () => {
    const base = metadata.url + "cam/security-credentials/";
    expect(await (await fetch(base)).text()).toBe("cvm-role");
    const answer = (await (await fetch(base + "cvm-role")).json()) as Record<string, unknown>;
    expect(Object.keys(answer).sort()).toEqual(["Code", "Expiration", "ExpiredTime", "TmpSecretId", "TmpSecretKey", "Token"]);
    expect(answer["Code"]).toBe("Success");
    expect(keys.find(answer["TmpSecretId"] as string)?.token).toBe(answer["Token"]);
    expect((await fetch(base + "other")).status).toBe(404);
    metadata.behaviour = "no-role";
    expect((await fetch(base)).status).toBe(404);
    metadata.behaviour = "ok";
  });
});
