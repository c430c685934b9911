/** runtime/envelope.ts: reading Tencent's answer envelope. */
import { describe, expect, it } from "vitest";
import { TencentCloudApiError, TencentCloudTransportError } from "../../runtime/errors/index.js";
import { readEnvelope } from "../../runtime/transport/envelope.js";

const answer = (data: string, headers: Record<string, string> = {}) => ({ data, response: { status: 200, headers: { get: (name: string) => headers[name] ?? null } } });

describe("readEnvelope", () => {
  it("returns Response, RequestId included", () => {
    expect(readEnvelope("A", answer('{"Response":{"X":1,"RequestId":"r"}}'))).toEqual({ X: 1, RequestId: "r" });
  });
  it("throws TencentCloudApiError for Response.Error, with RequestId and trace id", () => {
    const error = (() => {
      try {
        readEnvelope("A", answer('{"Response":{"Error":{"Code":"InvalidParameter","Message":"bad"},"RequestId":"r1"}}', { "X-TC-TraceId": "t" }));
      } catch (e) {
        return e;
      }
    })() as TencentCloudApiError;
    expect(error).toBeInstanceOf(TencentCloudApiError);
    expect([error.code, error.requestId, error.traceId, error.message]).toEqual(["InvalidParameter", "r1", "t", "A: InvalidParameter: bad (RequestId r1)"]);
  });
  it("gives an error envelope without RequestId the empty string", () => {
    expect(() => readEnvelope("A", answer('{"Response":{"Error":{"Code":"X","Message":"m"}}}'))).toThrow(expect.objectContaining({ requestId: "", message: "A: X: m" }));
  });
  it("throws TencentCloudTransportError for what is not an envelope", () => {
    for (const text of ["", "not json", "[]", '{"Response":1}', '{"Response":{"Error":{"Code":1}}}']) {
      expect(() => readEnvelope("A", answer(text))).toThrow(TencentCloudTransportError);
    }
  });
  it("redacts secrets in error messages", () => {
    expect(() => readEnvelope("A", answer('{"Response":{"Error":{"Code":"X","Message":"key SECRET"},"RequestId":"r"}}'), { redact: (t) => t.replace("SECRET", "[redacted]") })).toThrow("key [redacted]");
  });
});
