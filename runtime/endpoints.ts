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
