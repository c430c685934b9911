/** runtime/endpoints.ts: where a call goes. */
import { describe, expect, it } from "vitest";
import { parseEndpoint, resolveEndpoint } from "../../runtime/request/endpoints.js";

const base = { service: "mongodb", defaultEndpoint: "https://mongodb.tencentcloudapi.com" };

describe("resolveEndpoint", () => {
  it("picks the explicit endpoint, then regional, finance, international, default", () => {
    expect(resolveEndpoint({ ...base, endpoint: "http://127.0.0.1:9000", region: "ap-guangzhou" })).toBe("http://127.0.0.1:9000");
    expect(resolveEndpoint({ ...base, region: "ap-guangzhou", useRegionalEndpoint: true })).toBe("https://mongodb.ap-guangzhou.tencentcloudapi.com");
    expect(resolveEndpoint({ ...base, region: "ap-shanghai-fsi" })).toBe("https://mongodb.ap-shanghai-fsi.tencentcloudapi.com");
    expect(resolveEndpoint({ ...base, international: true })).toBe("https://mongodb.intl.tencentcloudapi.com");
    expect(resolveEndpoint({ ...base, region: "ap-guangzhou" })).toBe(base.defaultEndpoint);
  });
  it("refuses a malformed region and a regional endpoint without region", () => {
    expect(() => resolveEndpoint({ ...base, region: "Guangzhou" })).toThrow(/region must look like/);
    expect(() => resolveEndpoint({ ...base, useRegionalEndpoint: true })).toThrow(/needs a region/);
  });
});

describe("parseEndpoint", () => {
  it("accepts http(s) URLs without query, fragment or user info", () => {
    expect(parseEndpoint("https://mongodb.tencentcloudapi.com").host).toBe("mongodb.tencentcloudapi.com");
    for (const bad of ["mongodb.tencentcloudapi.com", "ftp://h", "https://h/?a=1", "https://h/#x", "https://u:p@h"]) expect(() => parseEndpoint(bad)).toThrow(TypeError);
  });
});
