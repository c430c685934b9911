/**
 * The emulator authenticates like Tencent: a mutation suite of hand-signed requests, each altered in
 * one signed element after signing, must all be refused with the right code; unaltered ones all pass.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMongodbMock, type RunningMongodbMock } from "../../mock/services/mongodb/index.js";
import { sendRaw, signedRequest, type RawRequest } from "../support/raw-request.js";

let mock: RunningMongodbMock;
beforeAll(async () => {
  mock = await startMongodbMock({ faults: { rateLimit: false } });
});
afterAll(() => mock.close());

const base = (overrides: Partial<Parameters<typeof signedRequest>[0]> = {}) =>
  signedRequest({
    url: mock.url,
    credentials: mock.credentials,
    action: "CreateBackupDownloadTask",
    version: "2019-07-25",
    service: "mongodb",
    params: { InstanceId: "cmgo-p8vnipr5", BackupName: "cmgo-p8vnipr5_2021-03-24 15:40", BackupSets: [{ ReplicaSetId: "cmgo-p8vnipr5_1" }] },
    ...overrides,
  });

type Mutation = { name: string; code: string; apply: (r: RawRequest, i: number) => RawRequest };
const withHeader = (r: RawRequest, name: string, value: string | undefined): RawRequest => {
  const headers = { ...r.headers };
  if (value === undefined) delete headers[name];
  else headers[name] = value;
  return { ...r, headers };
};
const editAuthorization = (r: RawRequest, edit: (a: string) => string) => withHeader(r, "Authorization", edit(r.headers["Authorization"]!));

/** Each alters one element the signature covers (or the credential it names) after signing. */
const MUTATIONS: Mutation[] = [
  { name: "a body byte", code: "AuthFailure.SignatureFailure", apply: (r, i) => ({ ...r, body: String(r.body).replace("15:40", `15:4${(i % 9) + 1}`) }) },
  { name: "trailing whitespace in the body", code: "AuthFailure.SignatureFailure", apply: (r) => ({ ...r, body: `${String(r.body)} ` }) },
  { name: "the body's member order", code: "AuthFailure.SignatureFailure", apply: (r) => ({ ...r, body: JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(String(r.body))).reverse())) }) },
  { name: "the content type", code: "AuthFailure.SignatureFailure", apply: (r) => withHeader(r, "Content-Type", "application/json; charset=utf-8") },
  { name: "the host", code: "AuthFailure.SignatureFailure", apply: (r) => withHeader(r, "Host", r.headers["Host"]!.replace("127.0.0.1", "localhost")) },
  { name: "the signed action", code: "AuthFailure.SignatureFailure", apply: (r) => withHeader(r, "X-TC-Action", "DescribeDBBackups") },
  { name: "the timestamp, by a second", code: "AuthFailure.SignatureFailure", apply: (r, i) => withHeader(r, "X-TC-Timestamp", String(Number(r.headers["X-TC-Timestamp"]) - 1 - (i % 5))) },
  { name: "the timestamp, by more than 5 minutes", code: "AuthFailure.SignatureExpire", apply: (r, i) => withHeader(r, "X-TC-Timestamp", String(Number(r.headers["X-TC-Timestamp"]) + (i % 2 ? 320 : -400))) },
  { name: "the signature", code: "AuthFailure.SignatureFailure", apply: (r, i) => editAuthorization(r, (a) => a.replace(/Signature=(.)/, (_m, c: string) => `Signature=${c === String(i % 10) ? String((i + 1) % 10) : String(i % 10)}`)) },
  { name: "the SecretId", code: "AuthFailure.SecretIdNotFound", apply: (r) => editAuthorization(r, (a) => a.replace("Credential=AKID", "Credential=AKIE")) },
  { name: "the credential date", code: "AuthFailure.SignatureFailure", apply: (r) => editAuthorization(r, (a) => a.replace(/\/(\d{4})-/, (_m, y: string) => `/${Number(y) - 1}-`)) },
  { name: "the credential service", code: "AuthFailure.SignatureFailure", apply: (r) => editAuthorization(r, (a) => a.replace("/mongodb/", "/cvm/")) },
  { name: "the signed header list (x-tc-action dropped)", code: "AuthFailure.SignatureFailure", apply: (r) => editAuthorization(r, (a) => a.replace("SignedHeaders=content-type;host;x-tc-action", "SignedHeaders=content-type;host")) },
  { name: "the signed header list (host dropped)", code: "AuthFailure.SignatureFailure", apply: (r) => editAuthorization(r, (a) => a.replace("content-type;host;x-tc-action", "content-type;x-tc-action")) },
  { name: "the method", code: "AuthFailure.SignatureFailure", apply: (r) => ({ ...r, method: "GET", body: "" }) },
  { name: "the query", code: "AuthFailure.SignatureFailure", apply: (r) => ({ ...r, path: "/?InstanceId=cmgo-p8vnipr5" }) },
  { name: "a token added", code: "AuthFailure.TokenFailure", apply: (r) => withHeader(r, "X-TC-Token", "not-issued") },
  { name: "the Authorization's shape", code: "AuthFailure.InvalidAuthorization", apply: (r) => editAuthorization(r, (a) => a.replace(", Signature=", " Signature=")) },
  { name: "the algorithm", code: "AuthFailure.InvalidAuthorization", apply: (r) => editAuthorization(r, (a) => a.replace("TC3-HMAC-SHA256", "TC3-HMAC-SHA1")) },
];

describe("mutation suite", () => {
  it("refuses every request altered in one signed element with the right code, accepts every unaltered one", async () => {
    const refused: Record<string, number> = {};
    let accepted = 0;
    let total = 0;
    const rounds = 12; // 19 mutations × 12 = 228 altered requests, and 12 unaltered ones.
    for (let i = 0; i < rounds; i++) {
      const original = base({ timestamp: Math.floor(Date.now() / 1000) - i });
      const ok = await sendRaw(mock.url, original);
      expect(ok.code, `unaltered request ${i}: ${ok.text}`).toBeUndefined();
      expect(ok.status).toBe(200);
      accepted++;
      for (const mutation of MUTATIONS) {
        const altered = mutation.apply(original, i);
        const answer = await sendRaw(mock.url, altered);
        total++;
        expect(answer.code, `${mutation.name} (round ${i}): ${answer.text}`).toBe(mutation.code);
        refused[mutation.name] = (refused[mutation.name] ?? 0) + 1;
      }
    }
    console.log(`mutation suite: ${total} altered requests refused with the expected code out of ${total}; ${accepted} unaltered accepted`);
    expect(total).toBeGreaterThanOrEqual(200);
  });
});

describe("authentication details", () => {
  it("accepts content-type;host alone, and further signed headers", async () => {
    const minimal = base();
    const { authorization } = await import("../../runtime/request/sign-tc3.js").then(({ signTc3 }) =>
      signTc3({
        method: "POST",
        host: minimal.headers["Host"]!,
        contentType: "application/json",
        query: "",
        payload: minimal.body,
        timestamp: Number(minimal.headers["X-TC-Timestamp"]),
        service: "mongodb",
        credentials: mock.credentials,
      }),
    );
    expect((await sendRaw(mock.url, withHeader(minimal, "Authorization", authorization))).code).toBeUndefined();
    const regional = base({ extraSigned: { "X-TC-Region": "ap-guangzhou", "X-TC-Language": "en-US" } });
    expect((await sendRaw(mock.url, regional)).code).toBeUndefined();
    expect((await sendRaw(mock.url, withHeader(regional, "X-TC-Region", "ap-shanghai"))).code).toBe("AuthFailure.SignatureFailure");
  });

  it("says what was wrong, never the secret", async () => {
    const cases = await Promise.all([
      sendRaw(mock.url, base({ timestamp: Math.floor(Date.now() / 1000) - 1000 })),
      sendRaw(mock.url, editAuthorization(base(), (a) => a.replace("/mongodb/", "/cvm/"))),
      sendRaw(mock.url, withHeader(base(), "Authorization", undefined)),
    ]);
    expect(cases.map((c) => c.code)).toEqual(["AuthFailure.SignatureExpire", "AuthFailure.SignatureFailure", "AuthFailure.InvalidAuthorization"]);
    expect(cases[0]!.text).toMatch(/-10\d\d s off the server's time/);
    expect(cases[1]!.text).toMatch(/names service \\"cvm\\"; this endpoint is \\"mongodb\\"/);
    for (const c of cases) expect(c.text).not.toContain(mock.credentials.secretKey);
    for (const r of mock.requests) expect(JSON.stringify(r)).not.toMatch(/Signature=|secretKey|tcgenMockSecretKey/);
  });

  it("checks the token of temporary credentials", async () => {
    const temporary = await startMongodbMock({ credentials: { secretId: "AKIDtemporary", secretKey: "temporary-key", token: "sts-token" } });
    try {
      const signed = (token?: string) =>
        signedRequest({
          url: temporary.url,
          credentials: { secretId: "AKIDtemporary", secretKey: "temporary-key", ...(token ? { token } : {}) },
          action: "CreateBackupDownloadTask",
          version: "2019-07-25",
          service: "mongodb",
          params: { InstanceId: "cmgo-dygv1rnp", BackupName: "cmgo-dygv1rnp_2021-03-26 10:44", BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }] },
        });
      expect((await sendRaw(temporary.url, signed("sts-token"))).code).toBeUndefined();
      expect((await sendRaw(temporary.url, signed("other-token"))).code).toBe("AuthFailure.TokenFailure");
      expect((await sendRaw(temporary.url, signed())).code).toBe("AuthFailure.TokenFailure");
    } finally {
      await temporary.close();
    }
  });
});
