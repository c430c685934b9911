/**
 * The generated validators keyword by keyword: the result shape, RFC 6901 paths, every issue up to
 * the cap, request (strict) against answer (forward compatible) checking, x-tc-field-patterns, the
 * Standard Schema objects, and the exports of `tcgen/mongodb`. The catalog fixture (every keyword) is
 * generated into a scratch directory and type-checked; mongodb is the committed output.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import * as mongodb from "../generated/mongodb/index.js";
import { generate } from "../scripts/generate.js";
import { runCheck } from "../runtime/validation/checks.js";
import { MAX_ISSUES, type StandardSchemaV1, type ValidationIssue, type ValidationResult } from "../runtime/validation/validation.js";
import { repoRoot, scratchDir, typeCheckStrict } from "./support/helpers.js";

type Validate = (value: unknown) => ValidationResult<unknown>;
let catalog: Record<string, Validate> & { catalogResponseValidators: Record<string, Validate> };
let scratch: string;

beforeAll(async () => {
  scratch = await scratchDir("validators");
  await generate({ spec: "test/fixtures/specs/catalog/2024-06-01.yaml", out: scratch, cwd: repoRoot });
  catalog = await import(pathToFileURL(path.join(scratch, "catalog", "validators.ts")).href);
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** `path keyword` of each issue, or "ok". */
function issuesOf(result: ValidationResult<unknown>): string[] | "ok" {
  return result.ok ? "ok" : result.issues.map((i) => `${i.path} ${i.keyword}`);
}

const request = {
  InstanceId: "cmgo-dygv1rnp",
  BackupName: "cmgo-dygv1rnp_2021-03-26 10:44",
  BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }],
};
const minimalCategory = { Category: { Name: "books" }, Prefix: "bk" };

describe("mongodb: the request", () => {
  it("returns the value itself, typed, when it matches", () => {
    const result = mongodb.validateCreateBackupDownloadTaskRequest(request);
    expect(result).toEqual({ ok: true, value: request });
    if (result.ok) {
      expect(result.value).toBe(request);
      expectTypeOf(result.value).toEqualTypeOf<mongodb.CreateBackupDownloadTaskRequest>();
    }
  });

  it("reports every issue, each at its member's JSON pointer, with the keyword and a message naming no value", () => {
    const result = mongodb.validateCreateBackupDownloadTaskRequest({
      InstanceId: "cmgo-dygv1rnp",
      BackupName: "",
      BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0", Extra: 1 }, { ReplicaSetId: 42 }, { ReplicaSetId: "cmgo-aaaaaaaa_1" }],
      "Odd/Name~": true,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      { path: "/BackupName", keyword: "minLength", message: "must be at least 1 character long" },
      { path: "/BackupSets/0/Extra", keyword: "additionalProperties", message: "is not a member the spec declares" },
      { path: "/BackupSets/1/ReplicaSetId", keyword: "type", message: "must be a string, got number" },
      { path: "/Odd~1Name~0", keyword: "additionalProperties", message: "is not a member the spec declares" },
      {
        path: "/BackupSets/2/ReplicaSetId",
        keyword: "x-tc-field-patterns",
        message: 'must be "<InstanceId>_<n>", a replica set or shard of the instance named by InstanceId',
      },
    ]);
  });

  it("names missing members at their own pointer", () => {
    expect(issuesOf(mongodb.validateCreateBackupDownloadTaskRequest({ BackupSets: [{}] }))).toEqual([
      "/InstanceId required",
      "/BackupName required",
      "/BackupSets/0/ReplicaSetId required",
    ]);
    expect(issuesOf(mongodb.validateCreateBackupDownloadTaskRequest([]))).toEqual([" type"]);
  });

  it("x-tc-field-patterns: each BackupSets[i].ReplicaSetId is <InstanceId>_<n>; regex characters in InstanceId are literal", () => {
    const sets = (...ids: string[]) => ({ ...request, BackupSets: ids.map((ReplicaSetId) => ({ ReplicaSetId })) });
    expect(issuesOf(mongodb.validateCreateBackupDownloadTaskRequest(sets("cmgo-dygv1rnp_0", "cmgo-dygv1rnp_12")))).toBe("ok");
    expect(issuesOf(mongodb.validateCreateBackupDownloadTaskRequest(sets("cmgo-dygv1rnp_0", "cmgo-p8vnipr5_1")))).toEqual([
      "/BackupSets/1/ReplicaSetId x-tc-field-patterns",
    ]);
    // A wrong InstanceId is its own issue; the rule still compares against it as written.
    expect(issuesOf(mongodb.validateCreateBackupDownloadTaskRequest({ ...sets("cmgo-dygv1rnp_0"), InstanceId: "cmgo-dygv1rn." }))).toEqual([
      "/InstanceId pattern",
      "/BackupSets/0/ReplicaSetId x-tc-field-patterns",
    ]);
    // Without a usable InstanceId (a string or a number) the rule cannot apply: only the type issue.
    expect(issuesOf(mongodb.validateCreateBackupDownloadTaskRequest({ ...sets("cmgo-dygv1rnp_0"), InstanceId: true }))).toEqual(["/InstanceId type"]);
  });

  it("is in the request map keyed by action, and the exports carry the types", () => {
    expect(mongodb.mongodbRequestValidators.CreateBackupDownloadTask).toBe(mongodb.validateCreateBackupDownloadTaskRequest);
    expectTypeOf(mongodb.mongodbRequestValidators.CreateBackupDownloadTask).returns.toEqualTypeOf<
      ValidationResult<mongodb.CreateBackupDownloadTaskRequest>
    >();
    expect(mongodb.MAX_ISSUES).toBe(MAX_ISSUES);
  });
});

describe("mongodb: the answer, forward compatible", () => {
  const answer = { Tasks: [{ ReplicaSetId: "cmgo-dygv1rnp_0", Status: 2 }], RequestId: "r-1" };
  const validate = mongodb.mongodbResponseValidators.CreateBackupDownloadTask;

  it("accepts members Tencent added later (Region and Bucket arrived in BackupDownloadTask in 2025)", () => {
    const later = { ...answer, Tasks: [{ ...answer.Tasks[0], Region: "ap-guangzhou", Bucket: "b-1" }], NewTopLevel: {} };
    expect(issuesOf(validate(later))).toBe("ok");
  });

  it("reports drift: a wrong type, a missing member, an unknown enum value", () => {
    const drifted = { Tasks: [{ ReplicaSetId: 0, Status: 7 }, { Status: 2.5 }] };
    expect(issuesOf(validate(drifted))).toEqual([
      "/Tasks/0/ReplicaSetId type",
      "/Tasks/0/Status enum",
      "/Tasks/1/ReplicaSetId required",
      "/Tasks/1/Status type",
      "/Tasks/1/Status enum",
      "/RequestId required",
    ]);
  });
});

describe("catalog fixture: keyword by keyword", () => {
  const put = (extra: Record<string, unknown>) => catalog["validatePutCategoryRequest"]!({ ...minimalCategory, ...extra });

  it("type: integer is a number without a fraction; number excludes NaN and Infinity", () => {
    expect(issuesOf(put({ Limit: 5 }))).toBe("ok");
    expect(issuesOf(put({ Limit: 1.5 }))).toEqual(["/Limit type"]);
    expect(issuesOf(put({ Limit: 0.5 }))).toEqual(["/Limit type", "/Limit minimum"]);
    expect(issuesOf(put({ Limit: "5" }))).toEqual(["/Limit type"]);
    expect(issuesOf(put({ Ratio: Number.NaN }))).toEqual(["/Ratio type"]);
    expect(issuesOf(put({ Ratio: Infinity }))).toEqual(["/Ratio type"]);
  });

  it("minimum, maximum, exclusiveMinimum, exclusiveMaximum", () => {
    expect(issuesOf(put({ Limit: 100, Ratio: 0.5 }))).toBe("ok");
    expect(issuesOf(put({ Limit: 101, Ratio: 0 }))).toEqual(["/Limit maximum", "/Ratio exclusiveMinimum"]);
    expect(issuesOf(put({ Limit: 0, Ratio: 1 }))).toEqual(["/Limit minimum", "/Ratio exclusiveMaximum"]);
  });

  it("minLength and maxLength count code points, not UTF-16 units", () => {
    const emoji = "\u{1F600}";
    expect(issuesOf(put({ Note: emoji.repeat(20) }))).toBe("ok");
    expect(issuesOf(put({ Note: emoji.repeat(21) }))).toEqual(["/Note maxLength"]);
    expect(issuesOf(put({ Labels: ["ab", "a"] }))).toEqual(["/Labels/1 minLength"]);
    expect(issuesOf(put({ Legacy: `${emoji}${emoji}` }))).toEqual(["/Legacy minLength"]);
  });

  it("pattern, enum, const, minItems, maxItems", () => {
    expect(issuesOf(put({ Labels: ["Ab"], Mode: "slow", Kind: "shelf" }))).toEqual(["/Labels/0 pattern", "/Mode enum", "/Kind const"]);
    expect(issuesOf(put({ Labels: ["aa", "bb", "cc", "dd", "ee", "ff"], Items: [] }))).toEqual(["/Labels maxItems", "/Items minItems"]);
  });

  it("type lists with null, and OpenAPI 3.0's nullable", () => {
    expect(issuesOf(put({ Note: null, Legacy: null }))).toBe("ok");
    expect(issuesOf(put({ Note: 1, Legacy: 1 }))).toEqual(["/Note type", "/Legacy type"]);
    const result = put({ Legacy: false });
    expect(result.ok ? "" : result.issues[0]!.message).toBe("must be a string or null, got boolean");
  });

  it("oneOf: exactly one branch; the branches' issues come before the oneOf issue", () => {
    expect(issuesOf(put({ Amount: 5 }))).toBe("ok");
    expect(issuesOf(put({ Amount: 10.5 }))).toBe("ok");
    const both = put({ Amount: 12 });
    expect(issuesOf(both)).toEqual(["/Amount oneOf"]);
    expect(both.ok ? "" : both.issues[0]!.message).toBe("must match only one of: integer, number; matches 2");
    expect(issuesOf(put({ Amount: "x" }))).toEqual(["/Amount type", "/Amount type", "/Amount oneOf"]);
  });

  it("anyOf: the first matching branch wins; when none matches, every branch's issues", () => {
    expect(issuesOf(put({ Target: { Shelf: 1 } }))).toBe("ok");
    expect(issuesOf(put({ Target: { Bin: "b" } }))).toBe("ok");
    expect(issuesOf(put({ Target: {} }))).toEqual(["/Target/Shelf required", "/Target/Bin required", "/Target anyOf"]);
  });

  it("allOf, maps (additionalProperties with a schema), and pointer escaping of map keys", () => {
    expect(issuesOf(put({ Owner: { Name: "n", Uin: 1 }, Tags: { "a/b": "x", "t~": "y" } }))).toBe("ok");
    expect(issuesOf(put({ Owner: { Uin: -1 }, Tags: { "a/b": 1, "t~": "y".repeat(17) } }))).toEqual([
      "/Tags/a~1b type",
      "/Tags/t~0 maxLength",
      "/Owner/Name required",
      "/Owner/Uin minimum",
    ]);
    expect(issuesOf(put({ "Meta/Info~": "x" }))).toEqual(["/Meta~1Info~0 type"]);
  });

  it("$ref recursion and mutual recursion", () => {
    const tree = { Name: "a", Children: [{ Name: "b", Children: [{ Name: "" }, { Name: "d", Children: [{}] }] }] };
    expect(issuesOf(catalog["validateCategory"]!(tree))).toEqual(["/Children/0/Children/0/Name minLength", "/Children/0/Children/1/Children/0/Name required"]);
    const formula = { Op: "+", Left: { Value: 1 }, Right: { Op: "*", Left: { Value: 2 }, Right: { Value: "3" } } };
    // Neither branch matches at the root: Literal's issues, then Binary's (which hold the same for /Right), then oneOf.
    expect(issuesOf(catalog["validateExpr"]!(formula))).toEqual([
      "/Value required",
      "/Op additionalProperties",
      "/Left additionalProperties",
      "/Right additionalProperties",
      "/Right/Value required",
      "/Right/Op additionalProperties",
      "/Right/Left additionalProperties",
      "/Right/Right additionalProperties",
      "/Right/Right/Value type",
      "/Right/Right/Op required",
      "/Right/Right/Left required",
      "/Right/Right/Right required",
      "/Right/Right/Value additionalProperties",
      "/Right/Right oneOf",
      "/Right oneOf",
      " oneOf",
    ]);
  });

  it("x-tc-field-patterns on the fixture: Items[i].Id is <Prefix>-<n>", () => {
    expect(issuesOf(put({ Items: [{ Id: "bk-1", Count: 0 }, { Id: "xx-2", Count: 1 }] }))).toEqual(["/Items/1/Id x-tc-field-patterns"]);
  });

  it("caps the issues at MAX_ISSUES, the first ones found", () => {
    const many = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`Unknown${i}`, i]));
    const result = put(many);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(MAX_ISSUES);
    expect(result.issues[0]!.path).toBe("/Unknown0");
    expect(result.issues.at(-1)!.path).toBe(`/Unknown${MAX_ISSUES - 1}`);
  });
});

describe("requests are strict, answers forward compatible", () => {
  it("a closed schema shared by a request and an answer refuses unknown members only in the request", () => {
    const settings = { Public: true, Retention: null, AddedLater: 1 };
    expect(issuesOf(catalog["validateSettings"]!(settings))).toEqual(["/AddedLater additionalProperties"]);
    expect(issuesOf(catalog["validatePutCategoryRequest"]!({ ...minimalCategory, Settings: settings }))).toEqual(["/Settings/AddedLater additionalProperties"]);
    const answer = { Category: { Name: "books", Children: [{ Name: "x", Extra: true }] }, Settings: settings, State: "ACTIVE", RequestId: "r" };
    expect(issuesOf(catalog.catalogResponseValidators["PutCategory"]!(answer))).toBe("ok");
    // As written, the same answer is refused: the map uses the forward-compatible variant.
    expect(issuesOf(catalog["validatePutCategoryResponse"]!(answer))).toEqual(["/Category/Children/0/Extra additionalProperties", "/Settings/AddedLater additionalProperties"]);
  });

  it("answers still fail on wrong types, missing members and unknown enum values", () => {
    const answer = { Category: { Children: [{ Name: 1 }] }, Settings: { Retention: 0 }, State: "DELETED" };
    expect(issuesOf(catalog.catalogResponseValidators["PutCategory"]!(answer))).toEqual([
      "/Category/Name required",
      "/Category/Children/0/Name type",
      "/Settings/Retention minimum",
      "/State enum",
      "/RequestId required",
    ]);
  });
});

describe("Standard Schema v1", () => {
  it("every schema has one, with the issue paths as arrays of keys", async () => {
    const schema: StandardSchemaV1<mongodb.CreateBackupDownloadTaskRequest> = mongodb.CreateBackupDownloadTaskRequestSchema;
    expect(schema["~standard"]).toMatchObject({ version: 1, vendor: "tcgen" });
    expect(await schema["~standard"].validate(request)).toEqual({ value: request });
    const failure = await schema["~standard"].validate({ ...request, BackupSets: [{ ReplicaSetId: 1 }], "a/b": 1 });
    expect(failure.issues).toEqual([
      { message: "must be a string, got number", path: ["BackupSets", 0, "ReplicaSetId"] },
      { message: "is not a member the spec declares", path: ["a/b"] },
    ]);
    expectTypeOf<StandardSchemaV1.InferOutput<typeof schema>>().toEqualTypeOf<mongodb.CreateBackupDownloadTaskRequest>();
  });
});

describe("robustness of the runtime helpers", () => {
  it("a stack overflow inside a check becomes a maxDepth issue instead of an exception", () => {
    const overflowing = () => {
      throw new RangeError("Maximum call stack size exceeded");
    };
    expect(runCheck(overflowing, {})).toEqual({ ok: false, issues: [{ path: "", keyword: "maxDepth", message: "is nested too deeply to validate" }] });
    const broken = () => {
      throw new TypeError("a bug");
    };
    expect(() => runCheck(broken, {})).toThrow("a bug");
  });

  it("issues are plain data", () => {
    const result = mongodb.validateReplicaSetInfo({});
    expect(result.ok ? [] : result.issues.map((i: ValidationIssue) => Object.keys(i))).toEqual([["path", "keyword", "message"]]);
  });
});

describe("the generated fixture type-checks strictly", () => {
  it("validators.ts, client.ts and index.ts of the catalog fixture", async () => {
    const { diagnostics } = await typeCheckStrict(path.join(scratch, "catalog", "index.ts"));
    expect(diagnostics).toEqual([]);
  });
});
