/**
 * Each link of the credential chain end to end: the generated mongodb client gets its credentials
 * from a provider, which gets them from the STS or metadata emulator on loopback, and the mongodb
 * emulator (sharing the emulators' KeyStore) accepts them. Expiry and refresh under concurrency, a
 * role profile, TKE OIDC with a rotating token file, a metadata service absent, slow or wrong, and
 * secrets kept out of errors, events and inspect output.
 */
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMongodbClient, CredentialsError } from "../../generated/mongodb/index.js";
import { KeyStore } from "../../mock/keys.js";
import { startMetadataMock, type RunningMetadataMock } from "../../mock/services/metadata/index.js";
import { startMongodbMock, type RunningMongodbMock } from "../../mock/services/mongodb/index.js";
import { startStsMock, type RunningStsMock } from "../../mock/services/sts/index.js";
import { MOCK_CREDENTIALS } from "../../mock/server.js";
import type { CallEvent } from "../../runtime/client/attempts.js";
import { chain, defaultChain, fromAssumeRole, fromEnv, fromInstanceMetadata, fromProfile, fromTkeOidc } from "../../runtime/index.js";

const ROLE = "qcs::cam::uin/100000000001:roleName/tcgen-backup";
const instance = { InstanceId: "cmgo-p8vnipr5" };

let keys: KeyStore;
let mongo: RunningMongodbMock;
let home: string;
beforeAll(async () => {
  keys = new KeyStore([MOCK_CREDENTIALS]);
  mongo = await startMongodbMock({ credentials: keys, faults: { rateLimit: false } });
  home = await mkdtemp(path.join(tmpdir(), "tcgen-chain-home-"));
});
afterAll(async () => {
  await mongo.close();
  await rm(home, { recursive: true, force: true });
});

const client = (credentials: Parameters<typeof createMongodbClient>[0] extends infer O ? (O extends { credentials?: infer C } ? C : never) : never, extra = {}) =>
  createMongodbClient({ endpoint: mongo.url, credentials, rateLimit: false, retry: { maxAttempts: 1 }, ...extra });
/** The key pairs the mongodb emulator saw since `from`, in order of first use. */
const usedSince = (from: number) => [...new Set(mongo.requests.slice(from).map((r) => r.secretId))];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("environment", () => {
  it("fromEnv: the variables, read at each call", async () => {
    const env: Record<string, string> = {};
    const mongodb = client(fromEnv({ env }));
    await expect(mongodb.describeDBBackups(instance)).rejects.toThrow(/environment: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set/);
    Object.assign(env, { TENCENTCLOUD_SECRET_ID: MOCK_CREDENTIALS.secretId, TENCENTCLOUD_SECRET_KEY: MOCK_CREDENTIALS.secretKey });
    await mongodb.describeDBBackups(instance);
  });
});

describe("STS AssumeRole", () => {
  let sts: RunningStsMock;
  beforeAll(async () => {
    sts = await startStsMock({ credentials: keys, roles: [ROLE], lifetimeMs: 2_000 });
  });
  afterAll(() => sts.close());

  it("lifetime 2 s, refreshed 1 s ahead: 50 concurrent calls per round, exactly one STS call per refresh, no call refused", async () => {
    const before = { sts: sts.issued.AssumeRole, mongo: mongo.requests.length };
    const mongodb = client(fromAssumeRole({ source: MOCK_CREDENTIALS, roleArn: ROLE, endpoint: sts.url }));
    // The first round: 50 calls wait for one AssumeRole.
    await Promise.all(Array.from({ length: 50 }, () => mongodb.describeDBBackups(instance)));
    expect(sts.issued.AssumeRole - before.sts).toBe(1);
    // Then 50 concurrent calls every 100 ms for 5 s: refreshes happen in the background.
    const started = Date.now();
    let rounds = 1;
    while (Date.now() - started < 5_000) {
      await Promise.all(Array.from({ length: 50 }, () => mongodb.describeDBBackups(instance)));
      rounds++;
      await sleep(100);
    }
    const elapsed = Date.now() - started;
    // A background refresh started by the last rounds has its answer used by the next calls.
    for (let i = 0; i < 10 && usedSince(before.mongo).length < sts.issued.AssumeRole - before.sts; i++) {
      await sleep(200);
      await mongodb.describeDBBackups(instance);
    }
    const refreshes = sts.issued.AssumeRole - before.sts;
    const used = usedSince(before.mongo);
    // Every STS answer was used, none was asked twice: one call per refresh.
    expect(used).toHaveLength(refreshes);
    expect(mongo.requests.slice(before.mongo).filter((r) => r.errorCode !== undefined)).toEqual([]);
    // Credentials of at most 2 s (ExpiredTime is whole seconds: 1–2 s as the client sees them),
    // refreshed at half-life: at least one refresh per 2 s, at most one per 0.5 s.
    expect(refreshes).toBeGreaterThanOrEqual(Math.floor(elapsed / 2_000));
    expect(refreshes).toBeLessThanOrEqual(Math.ceil(elapsed / 500) + 1);
    console.log(`AssumeRole: ${rounds} rounds × 50 concurrent calls over ${elapsed} ms: ${refreshes} STS calls, ${used.length} key pairs used, 0 refused`);
  }, 30_000);

  it("after expiry with nobody calling: the next 50 concurrent calls share one blocking refresh", async () => {
    const mongodb = client(fromAssumeRole({ source: MOCK_CREDENTIALS, roleArn: ROLE, endpoint: sts.url }));
    await mongodb.describeDBBackups(instance);
    await sleep(2_100);
    const before = sts.issued.AssumeRole;
    const from = mongo.requests.length;
    await Promise.all(Array.from({ length: 50 }, () => mongodb.describeDBBackups(instance)));
    expect(sts.issued.AssumeRole - before).toBe(1);
    expect(usedSince(from)).toHaveLength(1);
  });

  it("from another provider's credentials (an instance role), and a refused role: CredentialsError naming the link and STS's code", async () => {
    const metadata = await startMetadataMock({ credentials: keys });
    try {
      const mongodb = client(fromAssumeRole({ source: fromInstanceMetadata({ endpoint: metadata.url }), roleArn: ROLE, endpoint: sts.url }));
      await mongodb.describeDBBackups(instance);
      const refused = client(fromAssumeRole({ source: MOCK_CREDENTIALS, roleArn: "qcs::cam::uin/100000000001:roleName/absent", endpoint: sts.url }));
      const error = (await refused.describeDBBackups(instance).catch((e: unknown) => e)) as CredentialsError;
      expect(error).toBeInstanceOf(CredentialsError);
      expect(error.link).toBe("assume-role");
      expect(error.message).toMatch(/^assume-role qcs::cam::uin\/100000000001:roleName\/absent: AssumeRole at 127\.0\.0\.1:\d+ failed: .*ResourceNotFound\.RoleNotFound/);
    } finally {
      await metadata.close();
    }
  });
});

describe("a role profile", () => {
  it("[ci] with role_arn and role_session_name assumes the role with the profile's key pair", async () => {
    const sts = await startStsMock({ credentials: keys, roles: [ROLE] });
    try {
      await mkdir(path.join(home, ".tencentcloud"), { recursive: true });
      await writeFile(
        path.join(home, ".tencentcloud", "credentials"),
        `[default]\nsecret_id = AKIDnotused\nsecret_key = notused\n\n[ci]\nsecret_id = ${MOCK_CREDENTIALS.secretId}\nsecret_key = ${MOCK_CREDENTIALS.secretKey}\nrole_arn = ${ROLE}\nrole_session_name = nightly-backup\nduration_seconds = 1800\n`,
      );
      const from = mongo.requests.length;
      const mongodb = client(fromProfile({ profile: "ci", home, sts: { endpoint: sts.url } }));
      await mongodb.describeDBBackups(instance);
      await mongodb.describeDBBackups(instance);
      expect(sts.issued.AssumeRole).toBe(1);
      const asked = JSON.parse(sts.requests.at(-1)!.body) as Record<string, unknown>;
      expect(asked).toEqual({ RoleArn: ROLE, RoleSessionName: "nightly-backup", DurationSeconds: 1800 });
      expect(sts.requests.at(-1)!.secretId).toBe(MOCK_CREDENTIALS.secretId);
      expect(usedSince(from)).toEqual([expect.stringMatching(/^AKIDtmp/)]);
      // The same profile through the default chain (no environment): the profile link answers.
      const viaDefault = client(defaultChain({ env: {}, home, profile: "ci", sts: { endpoint: sts.url }, instanceMetadata: { endpoint: "http://127.0.0.1:1/" } }));
      await viaDefault.describeDBBackups(instance);
    } finally {
      await sts.close();
    }
  });
});

describe("TKE OIDC", () => {
  it("reads TKE_* and the token file at each refresh: a rotated token is the one sent", async () => {
    let accepted = ["token-v1"];
    const sts = await startStsMock({ credentials: keys, roles: [ROLE], lifetimeMs: 1_500, webIdentity: { providerId: "tke-provider", acceptedTokens: () => accepted } });
    const dir = await mkdtemp(path.join(tmpdir(), "tcgen-oidc-"));
    try {
      const tokenFile = path.join(dir, "token");
      await writeFile(tokenFile, "token-v1\n");
      const env = { TKE_PROVIDER_ID: "tke-provider", TKE_WEB_IDENTITY_TOKEN_FILE: tokenFile, TKE_ROLE_ARN: ROLE, TKE_REGION: "ap-shanghai" };
      const mongodb = client(fromTkeOidc({ env, endpoint: sts.url }));
      await mongodb.describeDBBackups(instance);
      // TKE rotates the file; the old token stops being accepted.
      await writeFile(tokenFile, "token-v2\n");
      accepted = ["token-v2"];
      await sleep(1_600);
      await mongodb.describeDBBackups(instance);
      const sent = sts.requests.filter((r) => r.action === "AssumeRoleWithWebIdentity").map((r) => JSON.parse(r.body) as Record<string, string>);
      expect(sent.map((body) => body["WebIdentityToken"])).toEqual(["token-v1", "token-v2"]);
      expect(sent[0]).toMatchObject({ ProviderId: "tke-provider", RoleArn: ROLE, RoleSessionName: expect.stringMatching(/^tcgen-\d+$/) });
      // Unsigned: no key, no token header; the region is TKE_REGION.
      const record = sts.requests.at(-1)!;
      expect(record.secretId).toBe("");
      expect(record.headers["x-tc-region"]).toBe("ap-shanghai");
      // Half the variables: a clear error, not a silent fall-through.
      await expect(client(fromTkeOidc({ env: { TKE_PROVIDER_ID: "p", TKE_ROLE_ARN: ROLE }, endpoint: sts.url })).describeDBBackups(instance)).rejects.toThrow(
        /tke-oidc: TKE_WEB_IDENTITY_TOKEN_FILE and TKE_REGION are not set \(the others are\)/,
      );
    } finally {
      await sts.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 20_000);
});

describe("CVM instance metadata", () => {
  let metadata: RunningMetadataMock;
  beforeAll(async () => {
    metadata = await startMetadataMock({ credentials: keys, role: "cvm-backup-role" });
  });
  afterAll(() => metadata.close());

  it("discovers the role once, then fetches its credentials", async () => {
    const from = metadata.requests.length;
    const mongodb = client(fromInstanceMetadata({ endpoint: metadata.url }));
    await mongodb.describeDBBackups(instance);
    expect(metadata.requests.slice(from)).toEqual(["/latest/meta-data/cam/security-credentials/", "/latest/meta-data/cam/security-credentials/cvm-backup-role"]);
    const configured = client(fromInstanceMetadata({ endpoint: metadata.url, roleName: "cvm-backup-role" }));
    await configured.describeDBBackups(instance);
    expect(metadata.requests.at(-1)).toBe("/latest/meta-data/cam/security-credentials/cvm-backup-role");
  });

  it("absent (nothing listens): the default chain falls through at once with everything it tried", async () => {
    const port = await closedPort();
    const started = performance.now();
    const error = (await client(defaultChain({ env: {}, home: path.join(home, "nowhere"), instanceMetadata: { endpoint: `http://127.0.0.1:${port}/` } }))
      .describeDBBackups(instance)
      .catch((e: unknown) => e)) as CredentialsError;
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error.message).toMatch(/instance-metadata 127\.0\.0\.1:\d+: unreachable, not a CVM instance\? \(.*ECONNREFUSED/);
    expect(elapsed).toBeLessThan(1_000);
    console.log(`metadata absent (refused): fell through in ${elapsed.toFixed(0)} ms`);
  });

  it("the real host off CVM (no such name here, or no route): falls through within the 1 s connect timeout", async () => {
    const started = performance.now();
    const error = (await fromInstanceMetadata()({ signal: new AbortController().signal }).catch((e: unknown) => e)) as CredentialsError;
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error.absent).toBe(true);
    expect(elapsed).toBeLessThan(1_500);
    console.log(`metadata.tencentyun.com off CVM: absent after ${elapsed.toFixed(0)} ms (${error.message})`);
  });

  it("slow (connects, never answers): its own deadline, then a clear error; wrong: says what was wrong; no role: absent", async () => {
    metadata.behaviour = "slow";
    try {
      const started = performance.now();
      const slow = (await client(fromInstanceMetadata({ endpoint: metadata.url, timeoutMs: 500 }))
        .describeDBBackups(instance)
        .catch((e: unknown) => e)) as CredentialsError;
      expect(slow).toBeInstanceOf(CredentialsError);
      expect(slow.message).toMatch(/^instance-metadata 127\.0\.0\.1:\d+: no answer from 127\.0\.0\.1:\d+ within 500 ms \(it connected, then said nothing\)$/);
      expect(performance.now() - started).toBeLessThan(1_500);
      metadata.behaviour = "wrong";
      await expect(client(fromInstanceMetadata({ endpoint: metadata.url })).describeDBBackups(instance)).rejects.toThrow(/HTTP 200 without a role name|are not JSON/);
      await expect(client(fromInstanceMetadata({ endpoint: metadata.url, roleName: "cvm-backup-role" })).describeDBBackups(instance)).rejects.toThrow(
        /the credentials of role cvm-backup-role are not JSON \(HTTP 200\)/,
      );
      metadata.behaviour = "no-role";
      const none = (await fromInstanceMetadata({ endpoint: metadata.url })({ signal: new AbortController().signal }).catch((e: unknown) => e)) as CredentialsError;
      expect(none).toMatchObject({ absent: true, link: "instance-metadata" });
      expect(none.message).toContain("no CAM role is bound to this instance");
    } finally {
      metadata.behaviour = "ok";
    }
  });
});

describe("a hung provider", () => {
  it("ends with the call's deadline or signal, and the next call succeeds once it recovers", async () => {
    let hang = true;
    let asked = 0;
    const provider = async ({ signal }: { signal: AbortSignal }) => {
      asked++;
      if (hang) await new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
      return { ...MOCK_CREDENTIALS, expiresAt: Date.now() + 3_600_000 };
    };
    const mongodb = client(provider, { timeoutMs: 1_000 });
    const sent = mongo.requests.length;
    let started = performance.now();
    await expect(mongodb.describeDBBackups(instance)).rejects.toMatchObject({ name: "TimeoutError" });
    const first = performance.now() - started;
    expect(first).toBeGreaterThanOrEqual(950);
    expect(first).toBeLessThan(1_500);
    // A caller's signal, aborted at 300 ms, ends the next one.
    started = performance.now();
    await expect(mongodb.describeDBBackups(instance, { signal: AbortSignal.timeout(300), timeoutMs: 60_000 })).rejects.toBeTruthy();
    expect(performance.now() - started).toBeLessThan(800);
    expect(mongo.requests.length).toBe(sent); // nothing was sent without credentials
    hang = false;
    await mongodb.describeDBBackups(instance);
    expect(asked).toBe(3);
  });

  it("a failing link inside a chain stops it with its own CredentialsError (no silent fall-through to another identity)", async () => {
    const sts = await startStsMock({ credentials: keys, roles: [] });
    try {
      const mongodb = client(chain(fromEnv({ env: {} }), fromAssumeRole({ source: MOCK_CREDENTIALS, roleArn: ROLE, endpoint: sts.url }), () => Promise.resolve(MOCK_CREDENTIALS)));
      const error = (await mongodb.describeDBBackups(instance).catch((e: unknown) => e)) as CredentialsError;
      expect(error).toMatchObject({ name: "CredentialsError", link: "assume-role" });
      expect(error.message).toContain("ResourceNotFound.RoleNotFound");
    } finally {
      await sts.close();
    }
  });
});

describe("secrets", () => {
  it("never in errors, events or inspect output", async () => {
    const sts = await startStsMock({ credentials: keys, roles: [ROLE] });
    try {
      const events: CallEvent[] = [];
      const source = { secretId: MOCK_CREDENTIALS.secretId, secretKey: MOCK_CREDENTIALS.secretKey };
      const mongodb = client(fromAssumeRole({ source, roleArn: ROLE, endpoint: sts.url }), { logger: (event: CallEvent) => events.push(event) });
      const from = mongo.requests.length;
      await mongodb.describeDBBackups(instance);
      const temporary = keys.find(mongo.requests[from]!.secretId!)!;
      // A hostile answer that echoes the temporary secrets back.
      mongo.faults = { rateLimit: false, script: [{ error: "InternalError", message: `echo: ${temporary.secretKey} ${encodeURIComponent(temporary.token!)}` }] };
      const failed = await mongodb.describeDBBackups(instance).catch((e: unknown) => e);
      mongo.faults = { rateLimit: false };
      expect(failed).toMatchObject({ code: "InternalError", message: expect.stringContaining("echo: [redacted] [redacted]") });
      const refused = await client(fromAssumeRole({ source: { ...source, secretKey: "wrong-secret-key-1234" }, roleArn: ROLE, endpoint: sts.url }))
        .describeDBBackups(instance)
        .catch((e: unknown) => e);
      const text = [inspect(mongodb, { depth: 20, showHidden: true }), inspect(failed, { depth: 20 }), inspect(refused, { depth: 20 }), JSON.stringify(events)].join("\n");
      for (const secret of [source.secretKey, temporary.secretKey, temporary.token, "wrong-secret-key-1234"]) expect(text).not.toContain(secret);
      expect(refused).toBeInstanceOf(CredentialsError);
    } finally {
      await sts.close();
    }
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
