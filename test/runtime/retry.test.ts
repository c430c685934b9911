/** runtime/policy/retry.ts: which failures are retried, for idempotent and other actions. */
import { describe, expect, it } from "vitest";
import { AnswerTooLargeError, TencentCloudApiError, TencentCloudTransportError, TimeoutError } from "../../runtime/errors/index.js";
import { isThrottling, retryReason } from "../../runtime/policy/retry.js";

const api = (code: string) => new TencentCloudApiError({ code, message: "m", requestId: "r", traceId: undefined, action: "A" });
const transport = (fields: { status?: number; requestSent?: boolean }) => new TencentCloudTransportError({ action: "A", message: "m", ...fields });

describe("retryReason", () => {
  it("retries throttling always, InternalError only when idempotent", () => {
    expect(isThrottling("RequestLimitExceeded")).toBe(true);
    expect(retryReason(api("RequestLimitExceeded"), false)).toBe("throttled");
    expect(retryReason(api("InternalError"), true)).toBe("internal-error");
    expect(retryReason(api("InternalError"), false)).toBeUndefined();
    expect(retryReason(api("InvalidParameter"), true)).toBeUndefined();
  });
  it("retries 429 and 503 always, 500/502/504 only when idempotent", () => {
    expect(retryReason(transport({ status: 429 }), false)).toBe("throttled");
    expect(retryReason(transport({ status: 503 }), false)).toBe("refused");
    expect(retryReason(transport({ status: 502 }), true)).toBe("gateway");
    expect(retryReason(transport({ status: 502 }), false)).toBeUndefined();
    expect(retryReason(transport({ status: 400 }), true)).toBeUndefined();
  });
  it("retries an unsent request always, a dropped connection only when idempotent", () => {
    expect(retryReason(transport({ requestSent: false }), false)).toBe("not-sent");
    expect(retryReason(transport({}), true)).toBe("connection");
    expect(retryReason(transport({}), false)).toBeUndefined();
  });
  it("never retries an answer too large or the call's own deadline", () => {
    expect(retryReason(new AnswerTooLargeError({ action: "A", status: 200, maxAnswerBytes: 1, host: "h" }), true)).toBeUndefined();
    expect(retryReason(new TimeoutError({ action: "A", timeoutMs: 1, attempts: 1 }), true)).toBeUndefined();
    expect(retryReason(new TimeoutError({ action: "A", timeoutMs: 1, attempts: 1, scope: "attempt" }), true)).toBe("connection");
  });
});
