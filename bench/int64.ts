/**
 * `npm run bench:int64`: what carrying `x-tc-int64` members exactly costs the parse, and what each
 * representation lets a consumer do, measured side by side in one process.
 *
 * Parse speed (ops/s, median of alternating rounds; ratio to `JSON.parse` of the same text):
 *   - an answer of 100 items without any big number, parsed as the client does for an action with
 *     no marked member (the mongodb actions: `readEnvelope`, i.e. `JSON.parse`), and for an action
 *     with marked members (`parseWithInt64`: `JSON.parse`, then the plan turns each marked number
 *     into its decimal string);
 *   - the same answer with every marked member beyond 2^53 (the exact re-read);
 *   - the representation chosen (decimal strings) against the alternatives: `bigint` (the strings
 *     then converted) and "a number while safe, a string beyond" (no conversion at all when nothing
 *     is big, but two types for one member, so `id === "42"` is false for a small ID); and the same
 *     strings made another way, by quoting the marked integers in the text before `JSON.parse`.
 * What consumers can do with an answer holding each representation: `JSON.stringify` (logs,
 * caches, job queues), `structuredClone` (workers, `postMessage`), equality with the value sent.
 *
 *   node --import tsx bench/int64.ts [--rounds=15] [--round-ms=150]
 */
import { parseArgs } from "node:util";
import { readEnvelope } from "../runtime/transport/envelope.js";
import { parseWithInt64, type Int64Plan, type Int64Plans } from "../runtime/transport/int64.js";
import { median } from "./lib/stats.js";
import { renderTable } from "./lib/table.js";

const { values: args } = parseArgs({ options: { rounds: { type: "string", default: "15" }, "round-ms": { type: "string", default: "150" } } });
const ROUNDS = Number(args.rounds);
const ROUND_MS = Number(args["round-ms"]);

// The plans the generator emits for the billing fixture (test/fixtures/specs/billing): a page of deals.
const plans: Int64Plans = {
  schemas: {
    DescribeDealsResponse: { members: { Deals: { items: { ref: "Deal" } } } },
    Deal: { members: { DealId: "int64", ParentDealId: "int64", Children: { items: { ref: "Deal" } } } },
  },
  actions: { DescribeDeals: { response: "DescribeDealsResponse" } },
};
const plan: Int64Plan = { members: { Response: { ref: "DescribeDealsResponse" } } };

/**
 * A page of 100 deals as Tencent writes it. `big` puts every marked member beyond 2^53; `dense`
 * gives each deal two marked members among 9 (a page of IDs), otherwise one among 13 (typical).
 */
function answerText(big: boolean, dense: boolean): string {
  const base = big ? 9_007_199_254_740_993n : 4_100_000_000n;
  const deals = Array.from({ length: 100 }, (_, i) => {
    const id = (base + BigInt(i * 2)).toString();
    const parent = dense ? `"ParentDealId":${i % 3 === 0 ? "null" : id},` : "";
    const extra = dense ? "" : `"Region":"ap-guangzhou","Zone":"ap-guangzhou-3","Tags":["nightly","backup"],"Renew":true,`;
    return `{"DealId":${id},${parent}${extra}"PayerUin":100000000${100 + i},"Amount":${1250 + i},"Status":1,"Currency":"CNY","ProductCode":"p_cvm","CreateTime":"2024-05-01 03:0${i % 10}:00","Description":"deal number ${i} of the page"}`;
  });
  return `{"Response":{"TotalCount":100,"RequestId":"6ed8d110-67be-4650-83b0-5df5a897e9e6","Deals":[${deals.join(",")}]}}`;
}

const result = (text: string) => ({ data: text, response: { status: 200, headers: { get: () => null } } });

/** The alternative representation: the exact strings, then `bigint`. */
function parseAsBigint(text: string): unknown {
  const value = parseWithInt64(text, plan, plans) as { Response: { Deals: Record<string, unknown>[] } };
  for (const deal of value.Response.Deals) {
    deal["DealId"] = BigInt(deal["DealId"] as string);
    if (typeof deal["ParentDealId"] === "string") deal["ParentDealId"] = BigInt(deal["ParentDealId"]);
  }
  return value;
}

/**
 * The other alternative: a number while safe, a string beyond (no conversion when nothing is big),
 * measured as its best case: a walk that reads every marked member and writes none.
 */
function parseNumberWhenSafe(text: string): unknown {
  const value = JSON.parse(text) as { Response: { Deals: Record<string, unknown>[] } };
  let big = false;
  for (const deal of value.Response.Deals) {
    const id = deal["DealId"];
    const parent = deal["ParentDealId"];
    if ((typeof id === "number" && !Number.isSafeInteger(id)) || (typeof parent === "number" && !Number.isSafeInteger(parent))) big = true;
  }
  return big ? parseWithInt64(text, plan, plans) : value;
}

/**
 * The third alternative: decimal strings made by the text instead of a walk — each marked member's
 * integer wrapped in quotes before `JSON.parse` (exact beyond 2^53 without a second read). It is
 * only sound where the member names are unambiguous in the answer; measured to see whether building
 * a second text costs less than the walk.
 */
const MARKED_KEYS = ['"DealId":', '"ParentDealId":'];
function parseQuotedText(text: string): unknown {
  for (const key of MARKED_KEYS) {
    let out = "";
    let from = 0;
    for (let at = text.indexOf(key); at >= 0; at = text.indexOf(key, at + key.length)) {
      const start = at + key.length;
      let end = text.charCodeAt(start) === 45 ? start + 1 : start;
      while (text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
      if (end === start) continue;
      out += `${text.slice(from, start)}"${text.slice(start, end)}"`;
      from = end;
    }
    text = out + text.slice(from);
  }
  return JSON.parse(text);
}

/**
 * Each contender's speed relative to `baseline`, measured in the same round right after it (the
 * order of the others rotates); the median of the per-round ratios counts, and the median ops/s is
 * shown. Per-round ratios hold up on a shared machine where absolute figures drift.
 */
function measure(baseline: () => unknown, contenders: Record<string, () => unknown>): Record<string, { ops: number; ratio: number }> {
  const run = (work: () => unknown) => {
    let ops = 0;
    let sink = 0;
    const started = performance.now();
    let elapsed = 0;
    while (elapsed < ROUND_MS) {
      for (let i = 0; i < 16; i++) if (work() !== undefined) sink++;
      ops += 16;
      elapsed = performance.now() - started;
    }
    return sink >= 0 ? (ops / elapsed) * 1000 : 0;
  };
  const entries = Object.entries(contenders);
  const ops: Record<string, number[]> = Object.fromEntries(entries.map(([name]) => [name, []]));
  const ratios: Record<string, number[]> = Object.fromEntries(entries.map(([name]) => [name, []]));
  for (let round = -1; round < ROUNDS; round++) {
    const order = entries.map((_, i) => entries[(i + round + 1) % entries.length]!);
    for (const [name, work] of order) {
      const floor = run(baseline);
      const own = run(work);
      // Round -1 warms everything up (JIT) and is not counted.
      if (round < 0) continue;
      ops[name]!.push(own);
      ratios[name]!.push(own / floor);
    }
  }
  return Object.fromEntries(entries.map(([name]) => [name, { ops: median(ops[name]!), ratio: median(ratios[name]!) }]));
}

// Before timing: each contender gives what it should.
const bigDense = answerText(true, true);
const exact = parseWithInt64(bigDense, plan, plans) as { Response: { Deals: { DealId: string }[] } };
if (exact.Response.Deals[0]!.DealId !== "9007199254740993") throw new Error("parseWithInt64 lost digits");
if ((JSON.parse(bigDense) as typeof exact).Response.Deals[0]!.DealId !== (9007199254740992 as unknown as string)) throw new Error("JSON.parse unexpectedly exact");
if ((parseQuotedText(bigDense) as typeof exact).Response.Deals[0]!.DealId !== "9007199254740993") throw new Error("quoting variant wrong");
if ((parseAsBigint(bigDense) as { Response: { Deals: { DealId: bigint }[] } }).Response.Deals[0]!.DealId !== 9007199254740993n) throw new Error("bigint variant wrong");

const rows: string[][] = [];
for (const [label, text] of [
  ["typical page (1 marked of 13 members), no big number", answerText(false, false)],
  ["dense page (2 marked of 9 members), no big number", answerText(false, true)],
  ["dense page, every marked member beyond 2^53", bigDense],
] as const) {
  const figures = measure(() => JSON.parse(text), {
    "JSON.parse (the floor)": () => JSON.parse(text),
    "client, action without x-tc-int64 (readEnvelope = JSON.parse)": () => readEnvelope("DescribeDeals", result(text)),
    "client, action with x-tc-int64: decimal strings (chosen)": () => parseWithInt64(text, plan, plans),
    "alternative: bigint": () => parseAsBigint(text),
    "alternative: number while safe, string beyond": () => parseNumberWhenSafe(text),
    "alternative: decimal strings by quoting the text": () => parseQuotedText(text),
  });
  rows.push([label, "", "", ""]);
  for (const [name, { ops, ratio }] of Object.entries(figures)) rows.push([`  ${name}`, Math.round(ops).toLocaleString("en-US"), `${ratio.toFixed(2)}×`]);
}
console.log(`x-tc-int64 parse: pages of 100 deals (${answerText(false, false).length.toLocaleString("en-US")} and ${bigDense.length.toLocaleString("en-US")} characters); Node ${process.versions.node}; ${ROUNDS} rounds of ${ROUND_MS} ms\n`);
console.log(renderTable(["answer / parse", "ops/s", "vs JSON.parse, same round"], rows));

// What a consumer can do with each representation.
const asStrings = parseWithInt64(bigDense, plan, plans);
const asBigints = parseAsBigint(bigDense);
const attempt = (work: () => unknown): string => {
  try {
    work();
    return "works";
  } catch (error) {
    return `throws ${(error as Error).name}: ${(error as Error).message}`;
  }
};
const clones = measure(() => structuredClone(asStrings), { strings: () => structuredClone(asStrings), bigint: () => structuredClone(asBigints) });
const deal = (value: unknown) => (value as { Response: { Deals: { DealId: unknown }[] } }).Response.Deals[0]!.DealId;
console.log("\nwhat a consumer can do with the answer");
console.log(
  renderTable(
    ["", "decimal strings (chosen)", "bigint"],
    [
      ["JSON.stringify (logs, caches, job queues)", attempt(() => JSON.stringify(asStrings)), attempt(() => JSON.stringify(asBigints))],
      ["structuredClone, ops/s", Math.round(clones["strings"]!.ops).toLocaleString("en-US"), Math.round(clones["bigint"]!.ops).toLocaleString("en-US")],
      ["sent back in a request", "as is (the client writes it as a bare number)", "needs a custom serializer"],
      ["exact arithmetic", "BigInt(id)", "direct"],
      ["equal to the ID as text (e.g. from a log or a URL)", String(deal(asStrings) === "9007199254740993"), String(deal(asBigints) === ("9007199254740993" as unknown))],
    ],
    { left: [1, 2] },
  ),
);
