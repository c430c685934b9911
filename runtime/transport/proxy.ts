/**
 * Which proxy a request on the node:http transport goes through, and the agent that takes it there.
 *
 * The proxy itself is spoken by well-kept libraries, not by us: `https-proxy-agent` tunnels with
 * `CONNECT` (an `https:` target: the proxy sees only the host and port, never the signed request);
 * `http-proxy-agent` forwards a plain `http:` request in absolute form (the proxy sees the whole
 * request, as it always can over plain HTTP); `proxy-from-env` reads `HTTPS_PROXY` / `HTTP_PROXY` /
 * `ALL_PROXY` and `NO_PROXY` (either case) the way curl-like tools do. The three are optional peer
 * dependencies, loaded only when a proxy applies, so a program that uses none installs and loads none.
 *
 * `proxy` option: a URL sends every request through that proxy (`NO_PROXY` is not consulted: an
 * explicit setting is explicit); `false` never uses a proxy, whatever the environment says;
 * undefined (the default) follows the environment. Whether any proxy variable is set is checked once
 * per client ({@link proxyFromEnvironment}): a `process.env` read costs microseconds, more than the
 * rest of a call's own work, so a client without a proxy pays nothing per request. With one set,
 * the proxy and `NO_PROXY` are looked up at each request.
 */
import type { Agent } from "node:http";

import type { ProxySetting } from "./proxy-setting.js";

export type { ProxySetting } from "./proxy-setting.js";

/** The proxy packages, as `npm install` should name them (pinned, as tested). */
export const PROXY_PACKAGES = "https-proxy-agent@9.1.0 http-proxy-agent@9.1.0 proxy-from-env@2.1.0";

const PROXY_ENV = ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"];

interface ProxyLibraries {
  readonly HttpsProxyAgent: new (proxy: string, options: { keepAlive: boolean; scheduling: "lifo" }) => Agent;
  readonly HttpProxyAgent: new (proxy: string, options: { keepAlive: boolean; scheduling: "lifo" }) => Agent;
  readonly getProxyForUrl: (url: string) => string;
}

let libraries: Promise<ProxyLibraries> | undefined;
function loadLibraries(): Promise<ProxyLibraries> {
  // Specifiers in variables: bundlers and the type-checker leave optional peers alone.
  const names = ["https-proxy-agent", "http-proxy-agent", "proxy-from-env"];
  return (libraries ??= Promise.all(names.map((name) => import(name) as Promise<Record<string, unknown>>)).then(
    ([https, http, env]) => ({
      HttpsProxyAgent: https!["HttpsProxyAgent"] as ProxyLibraries["HttpsProxyAgent"],
      HttpProxyAgent: http!["HttpProxyAgent"] as ProxyLibraries["HttpProxyAgent"],
      getProxyForUrl: env!["getProxyForUrl"] as ProxyLibraries["getProxyForUrl"],
    }),
    (error: unknown) => {
      libraries = undefined;
      throw error;
    },
  ));
}

/** One keep-alive agent per proxy URL and target protocol, shared by every client of the process. */
const agents = new Map<string, Agent>();

/** What a request to `url` goes through: undefined for a direct connection. */
export interface ProxyRoute {
  readonly agent: Agent;
  /** The proxy's password (and user), for the client's redactor: never in an error. */
  readonly secrets: readonly string[];
  /** The proxy as errors may name it: scheme, host and port, never its credentials. */
  readonly display: string;
}

/** The default `proxy` setting of a new client: the environment's when it names a proxy, else none. */
export function proxyFromEnvironment(): ProxySetting {
  return PROXY_ENV.some((name) => process.env[name]) ? undefined : false;
}

/**
 * The route of a request: undefined at once (no promise, no tick) when no proxy applies. Rejects
 * with a plain Error (the transport wraps it) when the proxy cannot be used.
 */
export function proxyRouteFor(url: URL, setting: ProxySetting): Promise<ProxyRoute | undefined> | undefined {
  if (setting === false) return undefined;
  if (setting === undefined && proxyFromEnvironment() === false) return undefined;
  return routeThroughProxy(url, setting);
}

async function routeThroughProxy(url: URL, setting: string | undefined): Promise<ProxyRoute | undefined> {
  let libs: ProxyLibraries;
  try {
    libs = await loadLibraries();
  } catch (error) {
    const why = setting === undefined ? "a proxy is set in the environment (HTTPS_PROXY, HTTP_PROXY or ALL_PROXY)" : "the proxy option is set";
    throw new Error(`${why}, but the proxy packages are not installed: npm install ${PROXY_PACKAGES} (or pass proxy: false)`, { cause: error });
  }
  const proxy = setting ?? libs.getProxyForUrl(url.href);
  if (!proxy) return undefined; // NO_PROXY matched, or no variable for this scheme
  let parsed: URL;
  try {
    parsed = new URL(proxy.includes("://") ? proxy : `http://${proxy}`);
  } catch {
    throw new Error("the proxy URL cannot be parsed (its text is not shown: it may hold a password)");
  }
  const secure = url.protocol === "https:";
  const key = `${secure ? "https" : "http"} ${parsed.href}`;
  let agent = agents.get(key);
  if (agent === undefined) {
    const options = { keepAlive: true, scheduling: "lifo" } as const;
    agent = secure ? new libs.HttpsProxyAgent(parsed.href, options) : new libs.HttpProxyAgent(parsed.href, options);
    agents.set(key, agent);
  }
  const secrets = [parsed.password, decodeURIComponent(parsed.password)].filter((s) => s !== "");
  return { agent, secrets, display: `${parsed.protocol}//${parsed.host}` };
}
