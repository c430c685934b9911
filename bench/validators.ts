/**
 * `npm run bench:validators`: the generated validators against Ajv's standalone code for the same
 * schemas, side by side in one process, on valid and on invalid inputs. Prints ops/s (the median of
 * alternating rounds) and the ratio tcgen / Ajv. Ajv is compiled for the same dialect (JSON Schema
 * 2020-12) with `allErrors: true`, since tcgen reports every issue too; a first-error-only Ajv is
 * shown for reference. Ajv's standalone code cannot hold a function keyword, so the spec's
 * `x-tc-field-patterns` rules run after it as hand-written functions, the way an Ajv user would
 * write them (one per schema that has rules; they record an error object per mismatch, as Ajv does).
 *
 *   node --import tsx bench/validators.ts [--rounds=15] [--round-ms=200]
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import standalone from "ajv/dist/standalone/index.js";
import { generate } from "../scripts/generate.js";
import { compileSchema, createAjv, loadSpec, openSpec, referenceIssues } from "../test/support/ajv-reference.js";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const { values: args } = parseArgs({ options: { rounds: { type: "string", default: "15" }, "round-ms": { type: "string", default: "200" } } });
const ROUNDS = Number(args.rounds);
const ROUND_MS = Number(args["round-ms"]);

type Json = Record<string, unknown>;
type Check = (value: unknown) => boolean;
type Validate = (value: unknown) => { ok: true } | { ok: false; issues: { path: string; keyword: string }[] };

// ---------------------------------------------------------------------------------------------
// The contenders, per schema.

const scratch = path.join(repoRoot, "test", ".tmp", `bench-validators-${process.pid}`);

// ---------------------------------------------------------------------------------------------

/** Ajv's standalone code, written as CommonJS next to node_modules and loaded, per spec, variant and error mode. */
async function standaloneModules(specs: Record<string, Json>): Promise<Map<string, Check>> {
  const found = new Map<string, Check>();
  const require = createRequire(path.join(scratch, "ajv.cjs"));
  for (const [service, spec] of Object.entries(specs)) {
    for (const [variant, source] of [["written", spec], ["open", openSpec(spec)]] as const) {
      for (const allErrors of [true, false]) {
        const ajv = createAjv(source, { fieldPatterns: false, code: { source: true }, allErrors });
        const names = Object.keys((source["components"] as Json)["schemas"] as Json);
        const refs = Object.fromEntries(names.map((name) => [name, `tcgen:spec#/components/schemas/${name}`]));
        for (const name of names) compileSchema(ajv, name);
        const file = path.join(scratch, `ajv-${service}-${variant}-${allErrors ? "all" : "first"}.cjs`);
        await writeFile(file, standalone.default(ajv, refs));
        const module = require(file) as Record<string, Check>;
        for (const name of names) found.set(`${service}/${variant}/${allErrors ? "all" : "first"}/${name}`, module[name]!);
      }
    }
  }
  return found;
}

/** Ops per second of each contender on `input`: rounds alternate the contenders; each one's median round counts. */
function measure(contenders: Record<string, Check>, input: unknown): Record<string, number> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  let sink = 0;
  const entries = Object.entries(contenders);
  for (let round = -1; round < ROUNDS; round++) {
    // The order rotates, so that no contender always runs right after the same other one.
    const order = entries.map((_, i) => entries[(i + round + 1) % entries.length]!);
    for (const [name, check] of order) {
      let ops = 0;
      const started = performance.now();
      let elapsed = 0;
      while (elapsed < ROUND_MS) {
        for (let i = 0; i < 256; i++) if (check(input)) sink++;
        ops += 256;
        elapsed = performance.now() - started;
      }
      // Round -1 warms every contender up (JIT) and is not counted.
      if (round >= 0) samples[name]!.push((ops / elapsed) * 1000);
    }
  }
  if (sink === -1) console.log("unreachable");
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function format(opsPerSecond: number): string {
  return Math.round(opsPerSecond).toLocaleString("en-US");
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(" | ")} |`;
  return [line(header), `|${widths.map((w, i) => (i < 2 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`, ...rows.map(line)].join("\n");
}

// ---------------------------------------------------------------------------------------------
// x-tc-field-patterns for Ajv: what a user of Ajv writes by hand for the two schemas with such rules.

interface RuleError {
  instancePath: string;
  message: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

/** Each `Items[i].<field>` (a string) must match `^<prefix><rest>`, the prefix being another member's value. */
function prefixRule(prefixMember: string, listMember: string, field: string, rest: string, message: string) {
  return (data: unknown): RuleError[] => {
    const errors: RuleError[] = [];
    if (typeof data !== "object" || data === null) return errors;
    const prefix = (data as Json)[prefixMember];
    const list = (data as Json)[listMember];
    if (typeof prefix !== "string" || !Array.isArray(list)) return errors;
    const pattern = new RegExp(`^${escapeRegExp(prefix)}${rest}`, "u");
    for (let i = 0; i < list.length; i++) {
      const item = list[i] as Json | null;
      const value = typeof item === "object" && item !== null ? item[field] : undefined;
      if (typeof value === "string" && !pattern.test(value)) errors.push({ instancePath: `/${listMember}/${i}/${field}`, message });
    }
    return errors;
  };
}

const HAND_WRITTEN_RULES: Record<string, (data: unknown) => RuleError[]> = {
  CreateBackupDownloadTaskRequest: prefixRule("InstanceId", "BackupSets", "ReplicaSetId", "_[0-9]+$", "must be <InstanceId>_<n>"),
  PutCategoryRequest: prefixRule("Prefix", "Items", "Id", "-[0-9]+$", "must be <Prefix>-<n>"),
};

// ---------------------------------------------------------------------------------------------
// The inputs: realistic values, and the same with a few mistakes.

interface BenchCase {
  name: string;
  service: "mongodb" | "catalog";
  schema: string;
  /** Set for answers: the action whose (forward-compatible) answer validator is measured. */
  answer?: string;
  valid: unknown;
  invalid: unknown;
}

function benchCases(): BenchCase[] {
  const request = {
    InstanceId: "cmgo-dygv1rnp",
    BackupName: "cmgo-dygv1rnp_2021-03-26 10:44",
    BackupSets: [0, 1, 2].map((n) => ({ ReplicaSetId: `cmgo-dygv1rnp_${n}` })),
  };
  const answer = {
    Tasks: Array.from({ length: 10 }, (_, n) => ({ ReplicaSetId: `cmgo-dygv1rnp_${n}`, Status: n % 5, Region: "ap-guangzhou", Bucket: "b" })),
    RequestId: "6ed8d110-67be-4650-83b0-5df5a897e9e6",
  };
  const tree = (depth: number, fanout: number): Json =>
    depth === 0 ? { Name: "leaf" } : { Name: `level-${depth}`, Children: Array.from({ length: fanout }, () => tree(depth - 1, fanout)) };
  const expr = (depth: number): Json => (depth === 0 ? { Value: 1.5 } : { Op: "+", Left: { Value: depth }, Right: expr(depth - 1) });
  const put = {
    Category: tree(2, 3),
    Labels: ["books", "fiction"],
    Limit: 50,
    Ratio: 0.25,
    Mode: "fast",
    Note: null,
    Amount: 5,
    Target: { Bin: "b-1" },
    Tags: { owner: "ops", tier: "gold" },
    Settings: { Public: true, Retention: 7 },
    Formula: expr(3),
    Prefix: "bk",
    Items: [1, 2, 3].map((n) => ({ Id: `bk-${n}`, Count: n })),
    Owner: { Name: "alice", Uin: 100 },
  };
  const badTree = tree(3, 4);
  ((badTree["Children"] as Json[])[3]!["Children"] as Json[])[2]!["Name"] = "";
  return [
    {
      name: "mongodb CreateBackupDownloadTaskRequest",
      service: "mongodb",
      schema: "CreateBackupDownloadTaskRequest",
      valid: request,
      invalid: { ...request, BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }, { ReplicaSetId: 7 }, { ReplicaSetId: "cmgo-p8vnipr5_1" }], Unknown: 1 },
    },
    {
      name: "mongodb CreateBackupDownloadTask answer (10 tasks)",
      service: "mongodb",
      schema: "CreateBackupDownloadTaskResponse",
      answer: "CreateBackupDownloadTask",
      valid: answer,
      invalid: { ...answer, Tasks: [...answer.Tasks.slice(0, 9), { ReplicaSetId: "cmgo-dygv1rnp_9", Status: 9 }] },
    },
    {
      name: "catalog PutCategoryRequest (every keyword)",
      service: "catalog",
      schema: "PutCategoryRequest",
      valid: put,
      invalid: { ...put, Limit: 0, Labels: ["Books"], Items: [{ Id: "xx-1", Count: 1 }], Extra: true },
    },
    { name: "catalog Category (recursive, 341 nodes)", service: "catalog", schema: "Category", valid: tree(4, 4), invalid: badTree },
    { name: "catalog Expr (oneOf recursion, 20 deep)", service: "catalog", schema: "Expr", valid: expr(20), invalid: { ...expr(20), Op: "%" } },
  ];
}

async function main(): Promise<void> {
  await mkdir(scratch, { recursive: true });
  try {
    await generate({ spec: "test/fixtures/specs/catalog/2024-06-01.yaml", out: scratch, cwd: repoRoot });
    const mongodbValidators = (await import("../generated/mongodb/validators.js")) as unknown as Record<string, unknown>;
    const catalogValidators = (await import(pathToFileURL(path.join(scratch, "catalog", "validators.ts")).href)) as Record<string, unknown>;

    const specs = {
      mongodb: loadSpec(path.join(repoRoot, "spec/mongodb/2019-07-25")),
      catalog: loadSpec(path.join(repoRoot, "test/fixtures/specs/catalog/2024-06-01.yaml")),
    };
    const ajvStandalone = await standaloneModules(specs);

    const cases = benchCases();
    const rows: string[][] = [];
    for (const c of cases) {
      const spec = specs[c.service];
      const module = c.service === "mongodb" ? mongodbValidators : catalogValidators;
      const tcgen = c.answer ? (module[`${c.service}ResponseValidators`] as Record<string, Validate>)[c.answer]! : (module[`validate${c.schema}`] as Validate);
      const rule = HAND_WRITTEN_RULES[c.schema] ?? (() => []);
      const ajvAll = ajvStandalone.get(`${c.service}/${c.answer ? "open" : "written"}/all/${c.schema}`)!;
      const ajvFirst = ajvStandalone.get(`${c.service}/${c.answer ? "open" : "written"}/first/${c.schema}`)!;
      const contenders: Record<string, Check> = {
        tcgen: (v) => tcgen(v).ok,
        // All errors: the rule runs whatever Ajv found, as tcgen's does.
        "Ajv (all errors)": (v) => {
          const valid = ajvAll(v);
          return rule(v).length === 0 && valid;
        },
        "Ajv (first error)": (v) => ajvFirst(v) && rule(v).length === 0,
      };
      // The same verdicts, and the same issues as the reference (Ajv with the keyword) before timing anything.
      const reference = compileSchema(createAjv(c.answer ? openSpec(spec) : spec, { fieldPatterns: true }), c.schema);
      for (const [label, input, expected] of [["valid", c.valid, true], ["invalid", c.invalid, false]] as const) {
        for (const [name, check] of Object.entries(contenders)) {
          if (check(input) !== expected) throw new Error(`${c.name} ${label}: ${name} says ${!expected}`);
        }
        if (reference(input) !== expected) throw new Error(`${c.name} ${label}: the reference disagrees`);
        if (!expected) {
          const result = tcgen(input);
          const ours = (result.ok ? [] : result.issues).map((i) => `${i.path} ${i.keyword}`).sort();
          const theirs = referenceIssues(reference.errors).map((i) => `${i.path} ${i.keyword}`).sort();
          if (ours.join() !== theirs.join()) throw new Error(`${c.name}: issues differ: ${ours} / ${theirs}`);
        }
        const opsPerSecond = measure(contenders, input);
        const tcgenOps = opsPerSecond["tcgen"]!;
        rows.push([
          c.name,
          label,
          format(tcgenOps),
          format(opsPerSecond["Ajv (all errors)"]!),
          `${(tcgenOps / opsPerSecond["Ajv (all errors)"]!).toFixed(2)}×`,
          format(opsPerSecond["Ajv (first error)"]!),
          `${(tcgenOps / opsPerSecond["Ajv (first error)"]!).toFixed(2)}×`,
        ]);
        console.error(`  ${c.name} ${label} done`);
      }
    }
    console.log(`\nvalidators: ops/s, median of ${ROUNDS} alternating rounds of ${ROUND_MS} ms (node ${process.version})\n`);
    console.log(table(["schema", "input", "tcgen", "Ajv all errors", "ratio", "Ajv first error", "ratio"], rows));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

await main();
