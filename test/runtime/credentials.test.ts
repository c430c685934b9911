/** Where credentials come from: explicit, a refreshing provider, or env vars then ~/.tencentcloud/credentials. */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialsResolver, REFRESH_MARGIN_MS, type ProvidedCredentials } from "../../runtime/credentials.js";
import { CredentialsError } from "../../runtime/errors/index.js";

let home: string;
beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), "tcgen-home-"));
});
afterAll(() => rm(home, { recursive: true, force: true }));

describe("explicit credentials", () => {
  it("are checked at once and copied", async () => {
    const given = { secretId: "AKIDx", secretKey: "key", extra: "not kept" };
    expect(await credentialsResolver(given)()).toEqual({ secretId: "AKIDx", secretKey: "key" });
    expect(() => credentialsResolver({ secretId: "", secretKey: "k" })).toThrow(CredentialsError);
    expect(() => credentialsResolver({ secretId: "id", secretKey: "" })).toThrow(/secretKey must be non-empty/);
  });
});

describe("the default chain", () => {
  it("prefers TENCENTCLOUD_* variables, token included", async () => {
    const env = { TENCENTCLOUD_SECRET_ID: "AKIDenv", TENCENTCLOUD_SECRET_KEY: "env-key", TENCENTCLOUD_SESSION_TOKEN: "env-token" };
    expect(await credentialsResolver(undefined, { env, home })()).toEqual({ secretId: "AKIDenv", secretKey: "env-key", token: "env-token" });
  });

  it("then reads ~/.tencentcloud/credentials, [default] or a named profile", async () => {
    await mkdir(path.join(home, ".tencentcloud"), { recursive: true });
    await writeFile(
      path.join(home, ".tencentcloud", "credentials"),
      "# comment\n[default]\nsecret_id = AKIDfile\nsecret_key = file-key\n\n[ci]\nsecret_id=AKIDci\nsecret_key=ci-key\ntoken=ci-token\n",
    );
    expect(await credentialsResolver(undefined, { env: {}, home })()).toEqual({ secretId: "AKIDfile", secretKey: "file-key" });
    expect(await credentialsResolver(undefined, { env: {}, home, profile: "ci" })()).toEqual({ secretId: "AKIDci", secretKey: "ci-key", token: "ci-token" });
  });

  it("names everything it tried when nothing is found", async () => {
    const empty = await mkdtemp(path.join(tmpdir(), "tcgen-empty-home-"));
    // Off CVM: a metadata endpoint where nothing listens (the default host does not resolve here either).
    const instanceMetadata = { endpoint: "http://127.0.0.1:1/latest/meta-data/" };
    try {
      const error = await credentialsResolver(undefined, { env: { TENCENTCLOUD_SECRET_ID: "AKIDonly" }, home: empty, instanceMetadata })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CredentialsError);
      expect((error as CredentialsError).link).toBe("chain");
      expect((error as Error).message).toMatch(
        new RegExp(
          "^no Tencent Cloud credentials: tried options.credentials \\(not given\\); environment: TENCENTCLOUD_SECRET_KEY is not set; " +
            `profile: no ${escape(path.join(empty, ".tencentcloud", "credentials"))} nor /etc/tencentcloud/credentials; ` +
            "tke-oidc: TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN, TKE_REGION are not set; " +
            "instance-metadata 127.0.0.1:1: unreachable, not a CVM instance\\? \\(.*ECONNREFUSED.*\\)$",
        ),
      );
      const missingProfile = await credentialsResolver(undefined, { env: {}, home, profile: "prod", instanceMetadata })().catch((e: Error) => e.message);
      expect(missingProfile).toContain(`; profile: ${path.join(home, ".tencentcloud", "credentials")} [prod]: no such section; `);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("a credentials provider", () => {
  it("is called once for concurrent calls, and again only shortly before expiry", async () => {
    let now = 1_000_000;
    let calls = 0;
    const provider = async (): Promise<ProvidedCredentials> => {
      calls++;
      await new Promise((r) => setTimeout(r, 20));
      return { secretId: `AKIDsts${calls}`, secretKey: "sts-key", token: `token-${calls}`, expiresAt: now + 30 * 60_000 };
    };
    const resolve = credentialsResolver(provider, { now: () => now });
    const first = await Promise.all(Array.from({ length: 50 }, () => resolve()));
    expect(calls).toBe(1);
    expect(new Set(first.map((c) => c.token))).toEqual(new Set(["token-1"]));

    now += 30 * 60_000 - REFRESH_MARGIN_MS - 1;
    expect((await resolve()).token).toBe("token-1");
    now += 2;
    // Inside the margin the current credentials still work: calls get them at once while one
    // refresh runs in the background, and the calls after it get the new ones.
    const during = await Promise.all(Array.from({ length: 20 }, () => resolve()));
    expect(calls).toBe(2);
    expect(new Set(during.map((c) => c.token))).toEqual(new Set(["token-1"]));
    await new Promise((r) => setTimeout(r, 40));
    const refreshed = await Promise.all(Array.from({ length: 20 }, () => resolve()));
    expect(calls).toBe(2);
    expect(new Set(refreshed.map((c) => c.token))).toEqual(new Set(["token-2"]));
  });

  it("keeps still-valid credentials while the provider fails, then reports the failure", async () => {
    let now = 0;
    let fail = false;
    const resolve = credentialsResolver(
      async () => {
        if (fail) throw new Error("metadata service down");
        return { secretId: "AKIDsts", secretKey: "k", token: "t", expiresAt: new Date(now + 10 * 60_000) };
      },
      { now: () => now },
    );
    await resolve();
    fail = true;
    now += 6 * 60_000; // inside the refresh margin, not expired
    expect((await resolve()).token).toBe("t");
    now += 5 * 60_000; // expired
    await expect(resolve()).rejects.toThrow(/the credentials provider failed: metadata service down/);
  });
});
