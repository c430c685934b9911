/**
 * Integers beyond 2^53: exact where the spec marks a member `x-tc-int64` (the billing fixture),
 * reported as drift where it does not (mongodb), on both transports, against a real server sending
 * raw JSON text, and through the emulator. Also the exact reader against `JSON.parse`, and the
 * generated types.
 */
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMongodbClient, ResponseValidationError } from "../../generated/mongodb/index.js";
import { parseJsonExact, parseWithInt64, stringifyWithInt64, type Int64Plans } from "../../runtime/transport/int64.js";
import { startMock } from "../../mock/server.js";
import type { MockServiceDefinition } from "../../mock/definition.js";
import { generate } from "../../scripts/generate.js";
import { repoRoot, scratchDir, specProblems, typeCheckStrict } from "../support/helpers.js";
import { closeHostileServers, hostileHttp, TRANSPORTS } from "../support/hostile.js";

afterEach(closeHostileServers);

type Client = Record<string, (input: unknown, options?: unknown) => Promise<Record<string, unknown>>>;
let scratch: string;
let createBillingClient: (options: Record<string, unknown>) => Client;
let billingMock: MockServiceDefinition;
let billingServiceInt64: Int64Plans;
beforeAll(async () => {
  scratch = await scratchDir("int64");
  await generate({ spec: "test/fixtures/specs/billing/2018-07-09.yaml", out: scratch, cwd: repoRoot });
  ({ createBillingClient, billingMock, billingServiceInt64 } = await import(pathToFileURL(path.join(scratch, "billing", "index.ts")).href));
  ({ billingMock } = await import(pathToFileURL(path.join(scratch, "billing", "mock.ts")).href));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

const credentials = { secretId: "AKIDbilling", secretKey: "billing-secret" };

/** An answer as raw JSON text, as Tencent's Go servers write 64-bit integers: bare digits. */
const DEALS_TEXT = `{"Response": {"TotalCount": 2, "RequestId": "r-1", "Deals": [
  {"DealId": 9007199254740993, "PayerUin": 100000000001, "Amount": 1250, "ParentDealId": 18446744073709551615,
   "Prices": {"item-1": 9223372036854775807, "item-2": 7},
   "Children": [{"DealId": 12345678901234567890123, "PayerUin": 1, "Amount": 2, "ParentDealId": null, "Children": [{"DealId": 9223372036854775807, "ParentDealId": -9223372036854775808, "PayerUin": 1, "Amount": 3}]}]},
  {"DealId": 42, "PayerUin": 7, "Amount": 0}
]}}`;

for (const [transport, transportOptions] of Object.entries(TRANSPORTS)) {
  describe(`${transport}: x-tc-int64 members`, () => {
    it("arrive exact, as decimal strings, at every depth (arrays, maps, recursion, null)", async () => {
      const server = await hostileHttp((_req, res) => void res.writeHead(200, { "Content-Type": "application/json" }).end(DEALS_TEXT));
      const billing = createBillingClient({ endpoint: server.url, credentials, ...transportOptions, validate: { response: "strict" } });
      const answer = (await billing["describeDeals"]!({ DealIds: ["9007199254740993"] })) as { Deals: Record<string, unknown>[] };
      const [big, small] = answer.Deals;
      expect(big).toMatchObject({ DealId: "9007199254740993", PayerUin: 100000000001, Amount: 1250, ParentDealId: "18446744073709551615" });
      expect(big!["Prices"]).toEqual({ "item-1": "9223372036854775807", "item-2": "7" });
      const child = (big!["Children"] as Record<string, unknown>[])[0]!;
      expect(child).toMatchObject({ DealId: "12345678901234567890123", ParentDealId: null });
      expect((child["Children"] as Record<string, unknown>[])[0]).toMatchObject({ DealId: "9223372036854775807", ParentDealId: "-9223372036854775808" });
      expect(small).toEqual({ DealId: "42", PayerUin: 7, Amount: 0 });
      // A number would have said 9007199254740992.
      expect(Number(big!["DealId"])).toBe(9007199254740992);
      expect(BigInt(big!["DealId"] as string)).toBe(9007199254740993n);
    });

    it("go out as bare JSON numbers, digit for digit", async () => {
      const server = await hostileHttp((_req, res) => void res.writeHead(200, { "Content-Type": "application/json" }).end('{"Response": {"DealId": 18446744073709551615, "RequestId": "r"}}'));
      const billing = createBillingClient({ endpoint: server.url, credentials, ...transportOptions });
      const answer = await billing["cancelDeal"]!({ DealId: "18446744073709551615" });
      expect(answer).toEqual({ DealId: "18446744073709551615", RequestId: "r" });
      expect(server.requests[0]!.body).toBe('{"DealId":18446744073709551615}');
      await billing["describeDeals"]!({ DealIds: ["9007199254740993", "1"], Limit: 10 }).catch(() => undefined);
      expect(server.requests[1]!.body).toBe('{"DealIds":[9007199254740993,1],"Limit":10}');
    });
  });
}

describe("x-tc-int64 checks and drift", () => {
  it("requests: a marked member must be a decimal string within its bounds", async () => {
    const billing = createBillingClient({ endpoint: "http://127.0.0.1:9", credentials });
    await expect(billing["cancelDeal"]!({ DealId: 5 })).rejects.toMatchObject({
      name: "RequestValidationError",
      issues: [{ path: "/DealId", keyword: "type", message: "must be an integer as a decimal string (x-tc-int64)" }],
    });
    await expect(billing["describeDeals"]!({ DealIds: ["-1", "1.5", "007"] })).rejects.toMatchObject({
      issues: [
        { path: "/DealIds/0", keyword: "minimum" },
        { path: "/DealIds/1", keyword: "type" },
        { path: "/DealIds/2", keyword: "type" },
      ],
    });
  });

  it("an unmarked integer beyond 2^53 is drift (keyword x-tc-int64): thrown in strict mode, warned by default", async () => {
    const text = '{"Response": {"TotalCount": 1, "RequestId": "r", "Deals": [{"DealId": 1, "PayerUin": 9007199254740993, "Amount": 1}]}}';
    const server = await hostileHttp((_req, res) => void res.writeHead(200, { "Content-Type": "application/json" }).end(text));
    const strict = createBillingClient({ endpoint: server.url, credentials, validate: { response: "strict" } });
    const error = (await strict["describeDeals"]!({}).catch((e: unknown) => e)) as ResponseValidationError;
    expect(error.issues).toEqual([{ path: "/Deals/0/PayerUin", keyword: "x-tc-int64", message: expect.stringContaining("beyond ±(2^53 − 1)") }]);
    const warnings: ResponseValidationError[] = [];
    const warned = createBillingClient({ endpoint: server.url, credentials, validate: { onWarning: (w: ResponseValidationError) => warnings.push(w) } });
    await expect(warned["describeDeals"]!({})).resolves.toMatchObject({ TotalCount: 1 });
    expect(warnings[0]!.issues[0]!.keyword).toBe("x-tc-int64");
  });

  it("mongodb marks nothing: a BackupSize beyond 2^53 is reported, never passed off as exact", async () => {
    const text = `{"Response": {"RequestId": "r", "TotalCount": 1, "Tasks": [{"CreateTime": "2021-01-02 15:04:05", "BackupName": "b", "ReplicaSetId": "cmgo-dygv1rnp_0",
      "BackupSize": 9007199254740993, "Status": 2, "Percent": 100, "TimeSpend": 1, "Url": "u", "BackupMethod": 1, "Region": "r", "Bucket": "b"}]}}`;
    const server = await hostileHttp((_req, res) => void res.writeHead(200, { "Content-Type": "application/json" }).end(text));
    const mongodb = createMongodbClient({ endpoint: server.url, credentials, validate: { response: "strict" } });
    await expect(mongodb.describeBackupDownloadTask({ InstanceId: "cmgo-dygv1rnp" })).rejects.toMatchObject({
      name: "ResponseValidationError",
      issues: [{ path: "/Tasks/0/BackupSize", keyword: "x-tc-int64" }],
    });
  });

  it("the emulator reads and writes marked members as numbers on the wire, exact decimal strings for its handlers", async () => {
    const seen: unknown[] = [];
    const mock = await startMock(billingMock, {
      handlers: {
        CancelDeal: (call) => {
          seen.push(call.params["DealId"]);
          return { response: { DealId: call.params["DealId"] } };
        },
      },
    });
    try {
      const billing = createBillingClient({ endpoint: mock.url, credentials: mock.credentials, validate: { response: "strict" } });
      await expect(billing["cancelDeal"]!({ DealId: "18446744073709551615" })).resolves.toMatchObject({ DealId: "18446744073709551615" });
      expect(seen).toEqual(["18446744073709551615"]);
      expect(mock.requests[0]!.body).toBe('{"DealId":18446744073709551615}');
      // The spec's example answer (written with a string in the YAML) goes out as a number and comes back exact.
      const example = (await billing["describeDeals"]!({ DealIds: ["9007199254740993"] })) as { Deals: { DealId: string }[] };
      expect(example.Deals[0]!.DealId).toBe("9007199254740993");
      // GET, on both transports: the query carries the digits; the emulator keeps them as the decimal string.
      for (const transportOptions of Object.values(TRANSPORTS)) {
        const viaGet = createBillingClient({ endpoint: mock.url, credentials: mock.credentials, method: "GET", ...transportOptions });
        await expect(viaGet["cancelDeal"]!({ DealId: "9007199254740993" })).resolves.toMatchObject({ DealId: "9007199254740993" });
        expect(seen.at(-1)).toBe("9007199254740993");
        expect(mock.requests.at(-1)!.query).toBe("DealId=9007199254740993");
      }
    } finally {
      await mock.close();
    }
  });

  it("types: a marked member is `${bigint}`, not number", async () => {
    const file = path.join(scratch, "uses-int64.ts");
    await writeFile(
      file,
      [
        'import { createBillingClient, type Deal } from "./billing/index.js";',
        "const billing = createBillingClient({});",
        'export async function ids(): Promise<`${bigint}`[]> {',
        '  const { Deals } = await billing.describeDeals({ DealIds: ["9007199254740993"] });',
        "  const exact: bigint = BigInt(Deals[0]!.DealId);",
        "  void exact;",
        "  // @ts-expect-error a marked member is not a number",
        "  const rounded: number = Deals[0]!.DealId;",
        "  void rounded;",
        "  // @ts-expect-error nor is any string a decimal integer",
        '  await billing.cancelDeal({ DealId: "12abc" });',
        '  const parent: Deal["ParentDealId"] = null;',
        "  void parent;",
        "  return Deals.map((deal) => deal.DealId);",
        "}",
        "",
      ].join("\n"),
    );
    const { diagnostics } = await typeCheckStrict(file);
    expect(diagnostics).toEqual([]);
  });

  it("the generator refuses x-tc-int64 where it cannot apply, at its position", async () => {
    const spec = (await import("node:fs/promises")).readFile(path.join(repoRoot, "test/fixtures/specs/billing/2018-07-09.yaml"), "utf8");
    const broken = (await spec)
      .replace("          minimum: 0\n          description: The deal's ID, a 64-bit integer.", "          enum: [1, 2]\n          description: The deal's ID, a 64-bit integer.")
      .replace("        RequestId:\n          type: string\n    ErrorResponse:", "        RequestId:\n          type: string\n          x-tc-int64: true\n    ErrorResponse:")
      .replace("          items:\n            type: integer\n            x-tc-int64: true\n            minimum: 0", "          items:\n            type: integer\n            x-tc-int64: yes\n            minimum: 0");
    const problems = await specProblems("billing/2018-07-09.yaml", broken, await scratchDir("int64-problems"));
    expect(problems).toEqual([
      expect.stringMatching(/^billing\/2018-07-09\.yaml:\d+:\d+: "x-tc-int64" must be true \(or left out\), got "yes"$/),
      expect.stringMatching(/^billing\/2018-07-09\.yaml:\d+:\d+: "enum" is not supported beside "x-tc-int64"/),
      expect.stringMatching(/^billing\/2018-07-09\.yaml:\d+:\d+: "x-tc-int64" marks an integer member: the schema's type must be "integer" \(or \["integer", "null"\]\), got "string"$/),
    ]);
  });
});

describe("the exact reader", () => {
  it("returns what JSON.parse returns, for any JSON text", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        expect(parseJsonExact(text).value).toStrictEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it("rejects what JSON.parse rejects, with JSON.parse's SyntaxError", () => {
    const bad = ["", "{", "[1,]", '{"a":1,}', "01", "1.", ".5", "-", "+1", "tru", "nul", '"\\x"', '"\u0001"', "[1 2]", '{"a" 1}', "1 2", "{'a':1}", "NaN", "[", '{"a":'];
    for (const text of bad) {
      let expected: unknown;
      try {
        JSON.parse(text);
      } catch (error) {
        expected = error;
      }
      expect(expected, text).toBeInstanceOf(SyntaxError);
      expect(() => parseJsonExact(text), text).toThrow((expected as Error).message);
    }
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."{}[]\":,0123456789-.eE truefalsn\\") }), (text) => {
        let parsed: { ok: true; value: unknown } | { ok: false };
        try {
          parsed = { ok: true, value: JSON.parse(text) };
        } catch {
          parsed = { ok: false };
        }
        if (parsed.ok) expect(parseJsonExact(text).value).toStrictEqual(parsed.value);
        else expect(() => parseJsonExact(text)).toThrow(SyntaxError);
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps the digits of integers beyond 2^53, and makes __proto__ an own member as JSON.parse does", () => {
    const { value, digits } = parseJsonExact('{"__proto__": {"x": 1}, "a": [9007199254740993, 1.5e300, -18446744073709551615]}');
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value as object, "__proto__")).toBe(true);
    const list = (value as { a: unknown[] }).a;
    expect(list).toEqual([9007199254740992, 1.5e300, -18446744073709552000]);
    expect([...digits.get(list)!]).toEqual([
      [0, "9007199254740993"],
      [2, "-18446744073709551615"],
    ]);
    // 200,000 levels deep costs no stack.
    const deep = "[".repeat(200_000) + "]".repeat(200_000);
    expect(() => parseJsonExact(deep)).not.toThrow();
  });

  it("stringify and parse round-trip marked members exactly, and change nothing else", () => {
    const plans = billingServiceInt64;
    const plan = { members: { Response: { ref: "DescribeDealsResponse" } } } as const;
    const parsed = parseWithInt64(DEALS_TEXT, plan, plans);
    const written = stringifyWithInt64(parsed, plan, plans);
    expect(written).toContain('"DealId":9007199254740993');
    expect(written).toContain('"ParentDealId":null');
    expect(parseWithInt64(written, plan, plans)).toStrictEqual(parsed);
    // Without a big number the result is JSON.parse's, converted in place.
    const plain = '{"Response": {"TotalCount": 1, "RequestId": "r", "Deals": [{"DealId": 5, "PayerUin": 6, "Amount": 7}]}}';
    expect(parseWithInt64(plain, plan, plans)).toEqual({ Response: { TotalCount: 1, RequestId: "r", Deals: [{ DealId: "5", PayerUin: 6, Amount: 7 }] } });
  });
});
