/**
 * The transports off Node (package.json `#transport`, condition `default`: browsers, Cloudflare
 * Workers without `nodejs_compat`, edge runtimes): `fetch`, the custom one or the global one. No
 * proxy setting applies here (a custom `fetch` brings its own), and no connect timeout: the
 * request's own deadline bounds it.
 */
import { fetchTransport } from "./fetch.js";
import { globalFetch, type Transport, type TransportOptions } from "./platform.js";

export { sendProviderWithFetch as sendProviderRequest } from "./fetch.js";

export function clientTransport(options: TransportOptions): Transport {
  return fetchTransport(options.fetch ?? globalFetch, options);
}
