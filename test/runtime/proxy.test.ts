/**
 * Proxies on the node:http transport, against a real HTTP proxy on loopback (the `proxy` package,
 * a Squid-like CONNECT and forwarding proxy): the `proxy` option, HTTPS_PROXY / HTTP_PROXY / NO_PROXY
 * from the environment, proxy authentication, and what the proxy and the target each see. The https
 * case runs in a child process that trusts the loopback server's self-signed certificate.
 */
import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer as createHttpServer, type IncomingMessage, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createProxy } from "proxy";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMongodbClient, TencentCloudTransportError } from "../../generated/mongodb/index.js";
import { startMongodbMock, type RunningMongodbMock } from "../../mock/services/mongodb/index.js";
import { proxyRouteFor } from "../../runtime/transport/proxy.js";
import { repoRoot } from "../support/helpers.js";

const PROXY_USER = "backup-job";
const PROXY_PASSWORD = "pr0xy-pa55word-not-for-errors";

interface CountingProxy {
  readonly url: string;
  /** Forwarded plain-HTTP requests, as the proxy received them. */
  readonly forwarded: IncomingMessage["headers"][];
  /** CONNECT requests (tunnels), as the proxy received them. */
  readonly tunnels: { target: string; headers: IncomingMessage["headers"] }[];
  readonly refused: number[];
  close(): Promise<void>;
}

/** The `proxy` package on a loopback port, counting what it is asked; Basic auth when `auth`. */
async function startProxy(auth: boolean): Promise<CountingProxy> {
  const forwarded: CountingProxy["forwarded"] = [];
  const tunnels: CountingProxy["tunnels"] = [];
  const refused: number[] = [];
  const server = createProxy(createHttpServer());
  if (auth) {
    const expected = `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString("base64")}`;
    server.authenticate = (req) => {
      const ok = req.headers["proxy-authorization"] === expected;
      if (!ok) refused.push(Date.now());
      return ok;
    };
  }
  // Counted before the proxy's own listeners act on them.
  server.prependListener("request", (req: IncomingMessage) => forwarded.push({ ...req.headers }));
  server.prependListener("connect", (req: IncomingMessage) => tunnels.push({ target: req.url ?? "", headers: { ...req.headers } }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    tunnels,
    refused,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let mock: RunningMongodbMock;
let open: CountingProxy;
let guarded: CountingProxy;
beforeAll(async () => {
  mock = await startMongodbMock({ faults: { rateLimit: false } });
  open = await startProxy(false);
  guarded = await startProxy(true);
});
afterAll(async () => {
  await Promise.all([mock.close(), open.close(), guarded.close()]);
});

const PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"];
const saved = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]));
afterEach(() => {
  for (const name of PROXY_VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});
function setEnv(values: Record<string, string>): void {
  for (const name of PROXY_VARIABLES) delete process.env[name];
  Object.assign(process.env, values);
}

const client = (options: { proxy?: string | false; endpoint?: string } = {}) =>
  createMongodbClient({ endpoint: options.endpoint ?? mock.url, credentials: mock.credentials, rateLimit: false, retry: { maxAttempts: 1 }, ...("proxy" in options ? { proxy: options.proxy } : {}) });
const instance = { InstanceId: "cmgo-p8vnipr5" };

describe("an http target through the proxy option", () => {
  it("forwards every call through the proxy; the target answers them all", async () => {
    const before = { proxy: open.forwarded.length, target: mock.requests.length };
    const mongodb = client({ proxy: open.url });
    for (let i = 0; i < 10; i++) await mongodb.describeDBBackups(instance);
    await Promise.all(Array.from({ length: 20 }, () => mongodb.describeDBBackups(instance)));
    expect(open.forwarded.length - before.proxy).toBe(30);
    expect(mock.requests.length - before.target).toBe(30);
    // Over plain HTTP a forwarding proxy sees the whole request, as any hop can: the signature (valid
    // 5 minutes, for this body only) and the token, never the secret key. Use https for real traffic.
    expect(open.forwarded.at(-1)!["authorization"]).toMatch(/^TC3-HMAC-SHA256 Credential=AKID/);
  });

  it("with authentication: Proxy-Authorization reaches the proxy only, never the target", async () => {
    const before = mock.requests.length;
    const url = new URL(guarded.url);
    url.username = PROXY_USER;
    url.password = PROXY_PASSWORD;
    await client({ proxy: url.href }).describeDBBackups(instance);
    expect(guarded.forwarded.at(-1)!["proxy-authorization"]).toBe(`Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString("base64")}`);
    const seen = mock.requests.slice(before);
    expect(seen).toHaveLength(1);
    expect(Object.keys(seen[0]!.headers)).not.toContain("proxy-authorization");
  });

  it("refused by the proxy (407): a transport error that names the proxy, not its password", async () => {
    const url = new URL(guarded.url);
    url.username = PROXY_USER;
    url.password = `${PROXY_PASSWORD}-wrong`;
    const refusedBefore = guarded.refused.length;
    const error = await client({ proxy: url.href })
      .describeDBBackups(instance)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TencentCloudTransportError);
    const transport = error as TencentCloudTransportError;
    expect(transport.status).toBe(407);
    expect(transport.message).toContain(`through the proxy ${guarded.url}`);
    const everything = JSON.stringify({ message: transport.message, body: transport.body, stack: transport.stack, cause: String(transport.cause) });
    expect(everything).not.toContain(PROXY_PASSWORD);
    expect(guarded.refused.length - refusedBefore).toBe(1);
  });

  it("proxy: false ignores the environment; an unreachable proxy fails without reaching the target", async () => {
    setEnv({ HTTP_PROXY: "http://127.0.0.1:1" });
    const before = mock.requests.length;
    await client({ proxy: false }).describeDBBackups(instance);
    expect(mock.requests.length - before).toBe(1);
    const error = await client()
      .describeDBBackups(instance)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TencentCloudTransportError);
    expect((error as Error).message).toMatch(/through the proxy http:\/\/127\.0\.0\.1:1 failed: .*ECONNREFUSED/);
    expect((error as TencentCloudTransportError).requestSent).toBe(false);
    expect(mock.requests.length - before).toBe(1);
  });
});

describe("the environment: HTTP_PROXY and NO_PROXY", () => {
  it("HTTP_PROXY is checked when the client is created; the proxy and NO_PROXY at each request", async () => {
    setEnv({});
    const unproxied = client();
    setEnv({ HTTP_PROXY: open.url });
    const mongodb = client();
    const before = open.forwarded.length;
    await unproxied.describeDBBackups(instance); // created without a proxy variable: never looks again
    expect(open.forwarded.length - before).toBe(0);
    await mongodb.describeDBBackups(instance);
    expect(open.forwarded.length - before).toBe(1);
    setEnv({ HTTP_PROXY: open.url, NO_PROXY: "example.com, 127.0.0.1" });
    await mongodb.describeDBBackups(instance);
    expect(open.forwarded.length - before).toBe(1);
    setEnv({ http_proxy: open.url, no_proxy: "*" });
    await mongodb.describeDBBackups(instance);
    expect(open.forwarded.length - before).toBe(1);
    setEnv({ http_proxy: open.url });
    await mongodb.describeDBBackups(instance);
    expect(open.forwarded.length - before).toBe(2);
  });

  // proxy-from-env's rules (as curl's, except that a bare name matches only itself): exact host,
  // `.suffix` or `*.suffix`, `host:port` only on that port, `*` for everything.
  it.each([
    ["api.internal", "http://api.internal/", true],
    ["api.internal", "http://x.api.internal/", false],
    [".internal", "http://x.api.internal/", true],
    ["*.internal", "http://api.internal/", true],
    ["api.internal:8080", "http://api.internal:8080/", true],
    ["api.internal:8080", "http://api.internal:9090/", false],
    ["*", "https://mongodb.tencentcloudapi.com/", true],
    ["other.example, tencentcloudapi.com", "https://mongodb.tencentcloudapi.com/", false],
    [".tencentcloudapi.com", "https://mongodb.tencentcloudapi.com/", true],
  ])("NO_PROXY=%s for %s: bypassed %s", async (noProxy, target, bypassed) => {
    setEnv({ HTTPS_PROXY: "http://proxy.example:3128", HTTP_PROXY: "http://proxy.example:3128", NO_PROXY: noProxy });
    const route = await proxyRouteFor(new URL(target), undefined);
    expect(route === undefined).toBe(bypassed);
    if (route) expect(route.display).toBe("http://proxy.example:3128");
  });

  it("no variable set: direct, and the proxy packages are not even loaded", async () => {
    setEnv({});
    expect(await proxyRouteFor(new URL("https://mongodb.tencentcloudapi.com/"), undefined)).toBeUndefined();
  });
});

describe("an https target: a CONNECT tunnel", () => {
  let dir: string;
  let target: Server;
  let targetUrl: string;
  const seenByTarget: IncomingMessage["headers"][] = [];
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "tcgen-proxy-tls-"));
    await promisify(execFile)("openssl", [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
      "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"),
    ]); // prettier-ignore
    target = createHttpsServer({ key: await readFile(path.join(dir, "key.pem")), cert: await readFile(path.join(dir, "cert.pem")) }, (req, res) => {
      seenByTarget.push({ ...req.headers });
      req.resume();
      req.on("end", () =>
        res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ Response: { TotalCount: 0, BackupList: [], RequestId: "tls-1" } })),
      );
    });
    await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
    targetUrl = `https://localhost:${(target.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    target.closeAllConnections();
    await new Promise((resolve) => target.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const runChild = async (env: Record<string, string>, calls: number) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "test/runtime/proxy-child.ts"), targetUrl, String(calls)], {
      cwd: repoRoot,
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !PROXY_VARIABLES.includes(name))), NODE_EXTRA_CA_CERTS: path.join(dir, "cert.pem"), ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    await new Promise((resolve) => child.on("close", resolve));
    return JSON.parse(out) as { ok: number; error?: string };
  };

  it("HTTPS_PROXY with credentials: one tunnel, every call through it; the proxy sees no request header, the target no proxy credentials", async () => {
    const proxy = new URL(guarded.url);
    proxy.username = PROXY_USER;
    proxy.password = PROXY_PASSWORD;
    const tunnelsBefore = guarded.tunnels.length;
    const seenBefore = seenByTarget.length;
    expect(await runChild({ HTTPS_PROXY: proxy.href }, 5)).toEqual({ ok: 5 });
    const tunnels = guarded.tunnels.slice(tunnelsBefore);
    expect(tunnels).toHaveLength(1); // keep-alive: the five calls share one tunnel
    expect(tunnels[0]!.target).toBe(`localhost:${new URL(targetUrl).port}`);
    expect(tunnels[0]!.headers["proxy-authorization"]).toMatch(/^Basic /);
    // What the proxy saw is the CONNECT line and its headers only: no signature, token or action.
    expect(Object.keys(tunnels[0]!.headers).filter((h) => h === "authorization" || h.startsWith("x-tc-"))).toEqual([]);
    const seen = seenByTarget.slice(seenBefore);
    expect(seen).toHaveLength(5);
    for (const headers of seen) {
      expect(headers["authorization"]).toMatch(/^TC3-HMAC-SHA256 /);
      expect(headers["x-tc-token"]).toBe("proxy-test-session-token");
      expect(headers["proxy-authorization"]).toBeUndefined();
    }
  });

  it("NO_PROXY=localhost: straight to the target, no tunnel", async () => {
    const tunnelsBefore = open.tunnels.length;
    expect(await runChild({ HTTPS_PROXY: open.url, NO_PROXY: "localhost" }, 2)).toEqual({ ok: 2 });
    expect(open.tunnels.length - tunnelsBefore).toBe(0);
    expect(await runChild({ HTTPS_PROXY: open.url }, 2)).toEqual({ ok: 2 });
    expect(open.tunnels.length - tunnelsBefore).toBe(1);
  });
});
