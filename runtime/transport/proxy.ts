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
 * the proxy and `NO_PROXY` are looked up at each request (./proxy-route.ts, loaded then).
 */
import type { Agent } from "node:http";

import type { ProxySetting } from "./proxy-setting.js";

export type { ProxySetting } from "./proxy-setting.js";

const PROXY_ENV = ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"];

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
  // The proxy libraries and their agents are loaded only by processes that use a proxy.
  return import("./proxy-route.js").then((module) => module.routeThroughProxy(url, setting));
}
