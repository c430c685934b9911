/**
 * Where a call goes. Tencent's host conventions are the same for every product: the default host
 * routes to the nearest region, `<service>.<region>.tencentcloudapi.com` pins a region, finance
 * regions (`*-fsi`) have only their own host, and `<service>.intl.tencentcloudapi.com` is the
 * international site. An explicit endpoint wins over all of them.
 */
export interface EndpointOptions {
  readonly service: string;
  /** The spec's default endpoint. */
  readonly defaultEndpoint: string;
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
  readonly useRegionalEndpoint?: boolean | undefined;
  readonly international?: boolean | undefined;
}

export function resolveEndpoint(options: EndpointOptions): string {
  if (options.endpoint) return options.endpoint;
  const { service, region } = options;
  if (region && !/^[a-z]{2,}(-[a-z0-9]+)+$/.test(region)) throw new TypeError(`region must look like "ap-guangzhou", got ${JSON.stringify(region)}`);
  if (region && (region.endsWith("-fsi") || options.useRegionalEndpoint)) return `https://${service}.${region}.tencentcloudapi.com`;
  if (options.useRegionalEndpoint) throw new TypeError("useRegionalEndpoint needs a region");
  if (options.international) return `https://${service}.intl.tencentcloudapi.com`;
  return options.defaultEndpoint;
}

/**
 * An endpoint as the client uses it: an absolute http(s) URL without query, fragment or user info.
 * The generator's check stage refuses a spec server that this refuses (scripts/check.ts).
 */
export function parseEndpoint(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new TypeError(`endpoint must be an absolute http(s) URL, got ${JSON.stringify(endpoint)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`endpoint must be an http(s) URL, got ${JSON.stringify(endpoint)}`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new TypeError(`endpoint must not carry a query, fragment or user info, got ${JSON.stringify(endpoint)}`);
  }
  return url;
}
