/**
 * The Web Crypto signer (runtime/request/sign-tc3-web.ts, what browsers and edge runtimes get through
 * package.json's `#crypto`) against the published vectors and against the node:crypto signer on
 * random requests: the same signature and every intermediate value, byte for byte; the same refusals.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as node from "../../runtime/request/sign-tc3.js";
import * as web from "../../runtime/request/sign-tc3-web.js";
import type { Tc3Request } from "../../runtime/request/tc3.js";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
interface Vector {
  name: string;
  inputs: { secretId: string; secretKey: string; service: string; host: string; action: string; timestamp: number; httpMethod: string; contentType: string; canonicalQueryString: string; payload: string; signedHeaders: string };
  outputs: Record<string, string>;
}
const vectors = (JSON.parse(readFileSync(resolve(repoRoot, "test/fixtures/tc3-test-vectors.json"), "utf8")) as { vectors: Vector[] }).vectors;

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("Web Crypto TC3 signer", () => {
  for (const vector of vectors) {
    it(`${vector.name}: the published signature, authorization and signing key`, async () => {
      const { inputs, outputs } = vector;
      const request: Tc3Request = {
        method: inputs.httpMethod,
        host: inputs.host,
        contentType: inputs.contentType,
        ...(inputs.signedHeaders.includes("x-tc-action") ? { signedHeaders: { "X-TC-Action": inputs.action } } : {}),
        query: inputs.canonicalQueryString,
        payload: inputs.payload,
        timestamp: inputs.timestamp,
        service: inputs.service,
        credentials: { secretId: inputs.secretId, secretKey: inputs.secretKey },
      };
      const result = await web.signTc3(request);
      expect(result).toEqual(node.signTc3(request));
      expect(result.signedHeaders).toBe(inputs.signedHeaders);
      if (outputs["signature"]) expect(result.signature).toBe(outputs["signature"]);
      if (outputs["authorization"]) expect(result.authorization).toBe(outputs["authorization"]);
      if (outputs["secretSigningHex"]) expect(hex(await web.deriveTc3SigningKey(inputs.secretKey, result.date, inputs.service))).toBe(outputs["secretSigningHex"]);
    });
  }

  it("signs 300 random requests exactly as node:crypto does (UTF-8 payloads and keys, byte payloads, GET queries)", async () => {
    const text = fc.string({ unit: "grapheme", maxLength: 40 });
    const request = fc.record({
      method: fc.constantFrom("POST", "GET", "post"),
      host: fc.constantFrom("cvm.tencentcloudapi.com", "127.0.0.1:9000", "[::1]:8080"),
      contentType: fc.constantFrom("application/json", "application/json; charset=utf-8", "application/x-www-form-urlencoded"),
      signedHeaders: fc.option(fc.record({ "X-TC-Action": fc.stringMatching(/^[A-Za-z]{1,20}$/) }), { nil: undefined }),
      query: fc.option(fc.stringMatching(/^[A-Za-z0-9=&.%-]{0,30}$/), { nil: undefined }),
      payload: fc.oneof(text, fc.uint8Array({ maxLength: 64 })),
      timestamp: fc.integer({ min: 0, max: 253_402_300_799 }),
      service: fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,10}$/),
      credentials: fc.record({ secretId: text.filter((s) => s !== ""), secretKey: text.filter((s) => s !== "") }),
    });
    await fc.assert(
      fc.asyncProperty(request, async (input) => {
        const clean = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as unknown as Tc3Request;
        expect(await web.signTc3(clean)).toEqual(node.signTc3(clean));
      }),
      { numRuns: 300, seed: 20261202 },
    );
  });

  it("gives a copy of the cached signing key: scribbling on it changes no later signature", async () => {
    const key = await web.deriveTc3SigningKey("secret", "2024-01-01", "cvm");
    const before = hex(key);
    key.fill(0);
    expect(hex(await web.deriveTc3SigningKey("secret", "2024-01-01", "cvm"))).toBe(before);
    expect(before).toBe(hex(node.deriveTc3SigningKey("secret", "2024-01-01", "cvm")));
  });

  it("refuses what the node:crypto signer refuses, with the same TypeError", async () => {
    const base: Tc3Request = { method: "POST", host: "h", contentType: "application/json", payload: "{}", timestamp: 1, service: "cvm", credentials: { secretId: "id", secretKey: "k" } };
    const bad: Tc3Request[] = [
      { ...base, service: "C V M" },
      { ...base, timestamp: Date.now() },
      { ...base, credentials: { secretId: "", secretKey: "k" } },
      { ...base, contentType: "a\nb" },
    ];
    for (const request of bad) {
      const expected = (() => {
        try {
          node.signTc3(request);
        } catch (error) {
          return error as TypeError;
        }
        throw new Error("the node signer accepted it");
      })();
      await expect(web.signTc3(request)).rejects.toThrow(new TypeError(expected.message));
    }
    await expect(web.deriveTc3SigningKey("", "2024-01-01", "cvm")).rejects.toBeInstanceOf(TypeError);
  });
});
