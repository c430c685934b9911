/**
 * Hostile input for the generated validators: `__proto__` and `constructor` members, a 100,000-item
 * array, nesting 1,000 and 100,000 deep on recursive schemas. Nothing is polluted or changed, nothing
 * overflows the stack, the report stays capped, and the work is linear in the size of the input.
 *
 * Work is counted, not timed: every input is wrapped in Proxies that count each read the validator
 * makes (member reads, key listings). Linear means exactly a fixed number of reads per item or level.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mongodbResponseValidators, validateCreateBackupDownloadTaskRequest } from "../generated/mongodb/index.js";
import { generate } from "../scripts/generate.js";
import { MAX_DEPTH, MAX_ISSUES, type ValidationResult } from "../runtime/validation/validation.js";
import { repoRoot, scratchDir } from "./support/helpers.js";

type Validate = (value: unknown) => ValidationResult<unknown>;
let catalog: Record<string, Validate> & { catalogResponseValidators: Record<string, Validate> };
let scratch: string;

beforeAll(async () => {
  scratch = await scratchDir("hostile");
  await generate({ spec: "test/fixtures/specs/catalog/2024-06-01.yaml", out: scratch, cwd: repoRoot });
  catalog = await import(pathToFileURL(path.join(scratch, "catalog", "validators.ts")).href);
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

const valid = { InstanceId: "cmgo-dygv1rnp", BackupName: "b", BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }] };

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

describe("__proto__ and constructor members", () => {
  it("are reported as unknown members of a request, without polluting any prototype", () => {
    const input = JSON.parse(
      `{"__proto__": {"polluted": "yes", "InstanceId": "x"}, "constructor": {"prototype": {"polluted": "yes"}}, ` +
        `"InstanceId": "cmgo-dygv1rnp", "BackupName": "b", "BackupSets": [{"ReplicaSetId": "cmgo-dygv1rnp_0", "__proto__": {"polluted": "yes"}}]}`,
    );
    const result = validateCreateBackupDownloadTaskRequest(input);
    expect(result.ok ? [] : result.issues.map((i) => `${i.path} ${i.keyword}`)).toEqual([
      "/BackupSets/0/__proto__ additionalProperties",
      "/__proto__ additionalProperties",
      "/constructor additionalProperties",
    ]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
    expect(Object.getPrototypeOf(input)).toBe(Object.prototype);
  });

  it("are ordinary keys of a map and ordinary unknown members of an answer", () => {
    const tags = JSON.parse(`{"__proto__": "a", "constructor": "b", "toString": "c"}`);
    expect(catalog["validatePutCategoryRequest"]!({ Category: { Name: "x" }, Prefix: "ab", Tags: tags }).ok).toBe(true);
    const tooLong = JSON.parse(`{"__proto__": "${"x".repeat(17)}"}`);
    const result = catalog["validatePutCategoryRequest"]!({ Category: { Name: "x" }, Prefix: "ab", Tags: tooLong });
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual(["/Tags/__proto__"]);
    const answer = JSON.parse(`{"Tasks": [{"ReplicaSetId": "r", "Status": 0, "__proto__": {"Status": 9}}], "RequestId": "id", "constructor": 1}`);
    expect(mongodbResponseValidators.CreateBackupDownloadTask(answer).ok).toBe(true);
    expect(Object.prototype).not.toHaveProperty("Status");
  });

  it("never write to the value: a deeply frozen input validates the same, and is returned as is", () => {
    const frozen = deepFreeze(structuredClone(valid));
    const result = validateCreateBackupDownloadTaskRequest(frozen);
    expect(result).toEqual({ ok: true, value: valid });
    expect(result.ok && result.value).toBe(frozen);
    const invalid = deepFreeze({ BackupSets: [{ Nope: 1 }], x: 1 });
    expect(validateCreateBackupDownloadTaskRequest(invalid).ok).toBe(false);
  });

  it("accept objects without a prototype", () => {
    const bare = Object.assign(Object.create(null) as object, valid);
    expect(validateCreateBackupDownloadTaskRequest(bare).ok).toBe(true);
  });
});

describe("a 100,000-item array", () => {
  const items = (n: number, item: (i: number) => unknown) => Array.from({ length: n }, (_, i) => item(i));

  it("validates when every item is valid", () => {
    const input = { ...valid, BackupSets: items(100_000, (i) => ({ ReplicaSetId: `cmgo-dygv1rnp_${i}` })) };
    expect(validateCreateBackupDownloadTaskRequest(input).ok).toBe(true);
  });

  it("reports the first MAX_ISSUES issues when every item is wrong", () => {
    const input = { ...valid, BackupSets: items(100_000, () => ({ ReplicaSetId: 5, Extra: true })) };
    const result = validateCreateBackupDownloadTaskRequest(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(MAX_ISSUES);
    expect(result.issues[0]).toMatchObject({ path: "/BackupSets/0/ReplicaSetId", keyword: "type" });
    expect(result.issues[1]).toMatchObject({ path: "/BackupSets/0/Extra", keyword: "additionalProperties" });
    expect(result.issues.at(-1)!.path).toBe(`/BackupSets/${MAX_ISSUES / 2 - 1}/Extra`);
  });
});

/** Wraps a JSON value in Proxies that count every read a validator makes. */
function counted(value: unknown, counter: { reads: number }): unknown {
  if (typeof value !== "object" || value === null) return value;
  const copy: object = Array.isArray(value)
    ? value.map((item) => counted(item, counter))
    : Object.fromEntries(Object.entries(value).map(([key, item]) => [key, counted(item, counter)]));
  const count = () => counter.reads++;
  return new Proxy(copy, {
    get: (target, key, receiver) => (count(), Reflect.get(target, key, receiver)),
    has: (target, key) => (count(), Reflect.has(target, key)),
    ownKeys: (target) => (count(), Reflect.ownKeys(target)),
    getOwnPropertyDescriptor: (target, key) => (count(), Reflect.getOwnPropertyDescriptor(target, key)),
  });
}

/** Reads made validating `make(n)` for each n. */
function readsFor(validate: Validate, make: (n: number) => unknown, sizes: number[]): { reads: number[]; results: ValidationResult<unknown>[] } {
  const reads: number[] = [];
  const results: ValidationResult<unknown>[] = [];
  for (const n of sizes) {
    const counter = { reads: 0 };
    const input = counted(make(n), counter);
    counter.reads = 0;
    results.push(validate(input));
    reads.push(counter.reads);
  }
  return { reads, results };
}

/** Exactly linear: the same number of reads for each further item or level. */
function expectLinear(sizes: number[], reads: number[]): void {
  const perUnit = (reads[1]! - reads[0]!) / (sizes[1]! - sizes[0]!);
  for (let i = 2; i < sizes.length; i++) expect((reads[i]! - reads[i - 1]!) / (sizes[i]! - sizes[i - 1]!)).toBe(perUnit);
  expect(perUnit).toBeGreaterThan(0);
  expect(perUnit).toBeLessThan(100);
}

describe("work is linear in the size of the input (reads counted, not time)", () => {
  const sizes = [1_000, 10_000, 100_000];

  it("valid and invalid arrays, cap or no cap", () => {
    const good = readsFor(validateCreateBackupDownloadTaskRequest, (n) => ({ ...valid, BackupSets: Array.from({ length: n }, (_, i) => ({ ReplicaSetId: `cmgo-dygv1rnp_${i}` })) }), sizes);
    expect(good.results.every((r) => r.ok)).toBe(true);
    expectLinear(sizes, good.reads);
    const bad = readsFor(validateCreateBackupDownloadTaskRequest, (n) => ({ ...valid, BackupSets: Array.from({ length: n }, () => ({ ReplicaSetId: "cmgo-p8vnipr5_0", X: 1 })) }), sizes);
    expect(bad.results.every((r) => !r.ok && r.issues.length === MAX_ISSUES)).toBe(true);
    expectLinear(sizes, bad.reads);
  });

  it("nesting depth on recursive and mutually recursive schemas", () => {
    const depths = [10, 100, 1_000];
    const tree = readsFor(catalog["validateCategory"]!, nestedCategory, depths);
    expect(tree.results.every((r) => r.ok)).toBe(true);
    expectLinear(depths, tree.reads);
    const formula = readsFor(catalog["validateExpr"]!, nestedExpr, depths);
    expect(formula.results.every((r) => r.ok)).toBe(true);
    expectLinear(depths, formula.reads);
  });
});

/** `{ Name, Children: [ ...depth levels ] }`, built without recursion. */
function nestedCategory(depth: number): unknown {
  let node: Record<string, unknown> = { Name: "leaf" };
  for (let i = 0; i < depth; i++) node = { Name: `n${i}`, Children: [node] };
  return node;
}

/** `1 + (1 + (1 + ...))`, `depth` Binary nodes deep. */
function nestedExpr(depth: number): unknown {
  let node: Record<string, unknown> = { Value: 1 };
  for (let i = 0; i < depth; i++) node = { Op: "+", Left: { Value: 1 }, Right: node };
  return node;
}

describe("deep nesting never overflows the stack", () => {
  it("1,000 levels validate fully, through a recursive and a mutually recursive schema", () => {
    expect(catalog["validateCategory"]!(nestedCategory(1_000))).toEqual({ ok: true, value: expect.anything() });
    expect(catalog["validateExpr"]!(nestedExpr(1_000)).ok).toBe(true);
    expect(catalog["validatePutCategoryRequest"]!({ Category: nestedCategory(1_000), Prefix: "ab", Formula: nestedExpr(1_000) }).ok).toBe(true);
    // The answer variant (additionalProperties: false ignored) too.
    const answer = { Category: nestedCategory(1_000), State: "ACTIVE", RequestId: "r" };
    expect(catalog.catalogResponseValidators["PutCategory"]!(answer).ok).toBe(true);
  });

  it("100,000 levels: one maxDepth issue where MAX_DEPTH is passed, no exception", () => {
    const result = catalog["validateCategory"]!(nestedCategory(100_000));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]!.keyword).toBe("maxDepth");
    expect(result.issues[0]!.path).toBe("/Children/0".repeat(MAX_DEPTH + 1));
    // Through oneOf, every level adds the issues of its failed Literal branch too, so the report is
    // full (MAX_ISSUES) long before the maxDepth issue; what matters is the verdict, without an exception.
    expect(catalog["validateExpr"]!(nestedExpr(MAX_DEPTH)).ok).toBe(true);
    const formula = catalog["validateExpr"]!(nestedExpr(100_000));
    expect(formula.ok).toBe(false);
    if (!formula.ok) expect(formula.issues).toHaveLength(MAX_ISSUES);
  });

  it("a wrong leaf below the limit is still found", () => {
    let node: Record<string, unknown> = { Name: 42 };
    for (let i = 0; i < 1_500; i++) node = { Name: "n", Children: [node] };
    const result = catalog["validateCategory"]!(node);
    expect(result.ok ? [] : result.issues.map((i) => `${i.path.length} ${i.keyword}`)).toEqual([`${"/Children/0".length * 1_500 + "/Name".length} type`]);
  });
});
