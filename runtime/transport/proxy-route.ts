/**
 * The route of a request through a proxy (./proxy.ts decides whether one applies): the proxy
 * libraries, loaded on first use, and one keep-alive agent per proxy URL and target protocol.
 */
import type { Agent } from "node:http";
import type { ProxyRoute } from "./proxy.js";

/** The proxy packages, as `npm install` should name them (pinned, as tested). */
export const PROXY_PACKAGES = "https-proxy-agent@9.1.0 http-proxy-agent@9.1.0 proxy-from-env@2.1.0";

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

export async function routeThroughProxy(url: URL, setting: string | undefined): Promise<ProxyRoute | undefined> {
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
