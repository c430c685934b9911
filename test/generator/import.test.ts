/**
 * `tcgen import` on Tencent's own definitions (vendored in test/fixtures/definitions): the whole
 * mongodb service and two other services come out in the spec's conventions, pass the generator,
 * and their generated code type-checks; the output is deterministic; what the definitions cannot
 * say is marked for review and reported by `tcgen generate` as warnings.
 */
import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generate } from "../../scripts/generate.js";
import { buildSpec } from "../../scripts/import/build-spec.js";
import { readDefinitions } from "../../scripts/import/read-definitions.js";
import { runImport } from "../../scripts/import/run-import.js";
import { emitSpec } from "../../scripts/import/yaml-emit.js";
import { positionIn, runCli, typeCheckStrict } from "../support/helpers.js";
import { definitionsDir as definitions, scratchDirs } from "../support/import-support.js";

const scratch = scratchDirs();

type Json = Record<string, any>;

/** Imports a fixture service into `<dir>/spec/<service>/<version>.yaml`; returns the file's text and value. */
async function importInto(dir: string, versionDir: string, actions: string[] = []) {
  const outcome = await runImport({ location: { defs: path.join(definitions, versionDir) }, actions, merge: false, dryRun: false, cwd: dir });
  const text = await readFile(outcome.file, "utf8");
  return { outcome, text, spec: parse(text) as Json };
}

describe("mongodb 2019-07-25, every action", () => {
  let dir: string;
  let text: string;
  let spec: Json;
  let warnings: string[];
  beforeAll(async () => {
    dir = await scratch("import-mongodb");
    ({ text, spec } = await importInto(dir, "mongodb/v20190725"));
    const result = await generate({ spec: "spec", out: "generated", cwd: dir });
    warnings = result.warnings.map((w) => `${w.file}:${w.line}:${w.col}: ${w.message}`);
  });

  it("has all 86 actions as pseudo-paths with one post operation each, in the envelope convention", () => {
    const paths = Object.keys(spec["paths"]);
    expect(paths).toHaveLength(86);
    for (const route of paths) {
      const item = spec["paths"][route];
      const action = route.slice(1);
      expect(Object.keys(item)).toEqual(["post"]);
      const op = item.post;
      expect(op.operationId).toBe(action);
      expect(op["x-tc-action"]).toBe(action);
      expect(op.requestBody).toMatchObject({ required: true, content: { "application/json": { schema: { $ref: `#/components/schemas/${action}Request` } } } });
      expect(Object.keys(op.responses)).toEqual(["200"]);
      expect(op.responses["200"].content["application/json"].schema.properties.Response.anyOf).toEqual([
        { $ref: `#/components/schemas/${action}Response` },
        { $ref: "#/components/schemas/ErrorResponse" },
      ]);
      expect(spec.components.schemas[`${action}Response`].required).toContain("RequestId");
    }
    expect(spec["x-tc-service"]).toBe("mongodb");
    expect(spec["x-tc-version"]).toBe("2019-07-25");
    expect(spec["x-tc-common-errors"]).toHaveLength(38);
  });

  it("closes requests (and the structures only requests use) with additionalProperties: false, never answers", () => {
    const schemas = spec.components.schemas;
    expect(schemas.CreateBackupDownloadTaskRequest.additionalProperties).toBe(false);
    expect(schemas.ReplicaSetInfo.additionalProperties).toBe(false);
    expect(schemas.CreateBackupDownloadTaskResponse.additionalProperties).toBeUndefined();
    expect(schemas.BackupDownloadTask.additionalProperties).toBeUndefined();
    for (const [name, schema] of Object.entries<Json>(schemas)) {
      if (name.endsWith("Response")) expect(schema.additionalProperties, name).toBeUndefined();
      if (name.endsWith("Request")) expect(schema.additionalProperties, name).toBe(false);
    }
  });

  it("maps types, widths, required members, lists of structures and $refs", () => {
    const schemas = spec.components.schemas;
    expect(schemas.CreateBackupDownloadTaskRequest.required).toEqual(["InstanceId", "BackupName", "BackupSets"]);
    expect(schemas.CreateBackupDownloadTaskRequest.properties.BackupSets).toMatchObject({ type: "array", items: { $ref: "#/components/schemas/ReplicaSetInfo" } });
    // int64 and uint64 (which also cannot be negative); output_required decides what answers must carry.
    expect(schemas.BackupDownloadTask.properties.BackupSize).toMatchObject({ type: "integer", format: "int64" });
    expect(schemas.BackupDownloadTask.properties.BackupSize.minimum).toBeUndefined();
    expect(schemas.DescribeDBBackupsRequest.properties.Limit).toMatchObject({ type: "integer", format: "int64", minimum: 0 });
    expect(schemas.BackupInfo.required).toEqual(["InstanceId", "BackupType", "BackupName", "Status", "BackupMethod"]);
    expect(schemas.DescribeBackupDownloadTaskRequest.properties.Status).toMatchObject({ type: "array", items: { type: "integer", format: "int64" } });
  });

  it("writes English texts where the English edition has them, Tencent's Chinese elsewhere, and HTML as Markdown", () => {
    const op = spec.paths["/CreateBackupDownloadTask"].post;
    expect(op.summary).toBe("Creates a backup download task");
    expect(op.description).toBe("This API is used to create a backup download task.");
    // The English edition has 69 of the 86 actions; the others keep Tencent's Chinese.
    const chineseOnly = Object.keys(spec.paths).filter((route) => /[\u4e00-\u9fff]/.test(spec.paths[route].post.summary));
    expect(chineseOnly.length).toBe(86 - 69);
    expect(spec.components.schemas.ModifyDBInstanceSpecRequest.properties.InstanceId.description).not.toMatch(/<\/?(p|a)\b/);
  });

  it("unflattens the GET example requests into typed JSON bodies and parses the answers", () => {
    const op = spec.paths["/CreateBackupDownloadTask"].post;
    const request = op.requestBody.content["application/json"].examples;
    expect(Object.keys(request)).toEqual(["CreatingABackupDownloadTask"]);
    expect(request.CreatingABackupDownloadTask).toEqual({
      summary: "Creating a backup download task",
      value: { InstanceId: "cmgo-dygv1rnp", BackupName: "cmgo-dygv1rnp_2021-03-26 10:44", BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }] },
    });
    const answer = op.responses["200"].content["application/json"].examples.CreatingABackupDownloadTask.value;
    expect(answer).toEqual({ Response: { RequestId: "6ed8d110-67be-4650-83b0-5df5a897e9e6", Tasks: [{ ReplicaSetId: "cmgo-dygv1rnp_0", Status: 2 }] } });
  });

  it("lists each action's error codes with English descriptions where there are some", () => {
    expect(spec.paths["/CreateBackupDownloadTask"].post["x-tc-errors"]).toEqual([
      { code: "InternalError", description: "Internal error" },
      { code: "InternalError.CheckAppIdFailed", description: "`appId` verification failed." },
      { code: "InvalidParameter.PermissionDenied", description: "The current subaccount has no permission to perform this operation." },
      { code: "InvalidParameterValue.BackupFileNotFound", description: "The backup file was not found." },
      { code: "InvalidParameterValue.NotFoundInstance", description: "The instance was not found." },
    ]);
  });

  it("marks every defaulted fact for review, and never guesses silently", () => {
    const describe = spec.paths["/DescribeDBBackups"].post;
    expect(describe["x-tc-rate-limit"]).toBe(20);
    expect(describe["x-tc-idempotent"]).toBe(true);
    const facts = describe["x-tc-review"].map((e: Json) => e.fact);
    expect(facts).toEqual(["x-tc-rate-limit", "x-tc-idempotent", "x-tc-pagination"]);
    expect(describe["x-tc-pagination"]).toBeUndefined();
    const create = spec.paths["/CreateBackupDownloadTask"].post;
    expect(create["x-tc-idempotent"]).toBe(false);
    expect(create["x-tc-review"].map((e: Json) => e.fact)).toEqual(["x-tc-rate-limit", "x-tc-idempotent"]);
    // Tencent's own example sends Status as strings where the definitions say int64: kept, and said.
    const tasks = spec.paths["/DescribeBackupDownloadTask"].post["x-tc-review"].find((e: Json) => e.fact.startsWith("examples/"));
    expect(tasks.reason).toContain("/Status/0: a string, the definitions say int64");
  });

  it("passes the generator, which lists the review markers as warnings with their positions", () => {
    const entries = (text.match(/^ *- fact: /gm) ?? []).length;
    expect(warnings).toHaveLength(entries);
    const { line, col } = positionIn(text, "- fact: x-tc-rate-limit");
    expect(warnings[0]).toBe(
      `spec/mongodb/2019-07-25.yaml:${line}:${col + 2}: warning: to review: x-tc-rate-limit: Tencent's general default of 20 requests per second; the definitions carry no limits. Take the action's limit from its API page.`,
    );
  });

  it("generates code that type-checks strictly, used as a consumer would", async () => {
    const usage = path.join(dir, "generated", "usage.ts");
    await writeFile(
      usage,
      [
        'import { createMongodbClient, type DescribeDBInstancesErrorCode } from "./mongodb/index.js";',
        "const mongodb = createMongodbClient({ credentials: { secretId: 'id', secretKey: 'key' } });",
        "export async function run(): Promise<number> {",
        "  const { TotalCount, InstanceDetails } = await mongodb.describeDBInstances({ InstanceIds: ['cmgo-1'], Limit: 10 });",
        "  const tasks = await mongodb.createBackupDownloadTask({ InstanceId: 'cmgo-1', BackupName: 'b', BackupSets: [{ ReplicaSetId: 'cmgo-1_0' }] });",
        "  // @ts-expect-error unknown member of a closed request",
        "  await mongodb.describeDBBackups({ InstanceId: 'cmgo-1', Nope: 1 });",
        "  const code: DescribeDBInstancesErrorCode = 'InvalidParameterValue.ZoneError';",
        "  return TotalCount + InstanceDetails.length + tasks.Tasks.length + code.length;",
        "}",
      ].join("\n"),
    );
    const { diagnostics } = await typeCheckStrict(usage);
    expect(diagnostics).toEqual([]);
  }, 180_000);
});

describe("two more services", () => {
  it("ecdn 2019-10-12: deprecated actions, nullable members, nested objects and lists of objects; generates and type-checks", async () => {
    const dir = await scratch("import-ecdn");
    const { spec } = await importInto(dir, "ecdn/v20191012");
    const ops = Object.values<Json>(spec["paths"]).map((item) => item.post);
    expect(ops.length).toBe(6);
    for (const op of ops) expect(op.deprecated, op.operationId).toBe(true);
    const schemas = spec.components.schemas;
    // value_allowed_null: null joins the type, or sits beside a $ref.
    const nullable = Object.values<Json>(schemas).flatMap((s) => Object.values<Json>(s.properties ?? {}));
    expect(nullable.some((p) => Array.isArray(p.type) && p.type.includes("null"))).toBe(true);
    expect(nullable.some((p) => Array.isArray(p.anyOf) && p.anyOf.some((b: Json) => b.type === "null") && p.anyOf.some((b: Json) => typeof b.$ref === "string"))).toBe(true);
    await generate({ spec: "spec", out: "generated", cwd: dir });
    const { diagnostics } = await typeCheckStrict(path.join(dir, "generated", "ecdn", "index.ts"));
    expect(diagnostics).toEqual([]);
  }, 120_000);

  it("chdfs 2019-07-18: offline actions are deprecated and marked offline, for review", async () => {
    const dir = await scratch("import-chdfs");
    const { spec } = await importInto(dir, "chdfs/v20190718");
    const ops = Object.values<Json>(spec["paths"]).map((item) => item.post);
    expect(ops.length).toBe(26);
    for (const op of ops) {
      expect(op.deprecated).toBe(true);
      expect(op["x-tc-status"]).toBe("offline");
      expect(op["x-tc-review"].some((e: Json) => e.fact === "x-tc-status")).toBe(true);
    }
    await generate({ spec: "spec", out: "generated", cwd: dir });
    const { diagnostics } = await typeCheckStrict(path.join(dir, "generated", "chdfs", "index.ts"));
    expect(diagnostics).toEqual([]);
  }, 120_000);
});

describe("determinism", () => {
  it("gives byte-identical YAML on every run, whatever the order of the definitions' files", async () => {
    const defs = await readDefinitions({ defs: path.join(definitions, "ecdn/v20191012") });
    const first = emitSpec(buildSpec(defs), ["header"]);
    expect(emitSpec(buildSpec(defs), ["header"])).toBe(first);
    // The same definitions with actions and structures listed in reverse.
    const dir = await scratch("import-reversed");
    await cp(path.join(definitions, "ecdn"), path.join(dir, "ecdn"), { recursive: true });
    const file = path.join(dir, "ecdn/v20191012/api.json");
    const api = JSON.parse(await readFile(file, "utf8")) as Json;
    const reverse = (o: Json) => Object.fromEntries(Object.entries(o).reverse());
    await writeFile(file, JSON.stringify({ ...api, actions: reverse(api["actions"]), objects: reverse(api["objects"]) }));
    const reversed = await readDefinitions({ defs: path.join(dir, "ecdn/v20191012") });
    expect(emitSpec(buildSpec(reversed), ["header"])).toBe(first);
  });

  it("the CLI writes the same file twice, and --action picks actions with what they use", async () => {
    const [a, b] = [await scratch("import-det-a"), await scratch("import-det-b")];
    const args = ["import", "--defs", path.join(definitions, "mongodb/v20190725"), "--action", "DescribeDBBackups", "--action", "CreateBackupDownloadTask"];
    const [ra, rb] = [await runCli(args, a), await runCli(args, b)];
    expect(ra.stderr).toBe("");
    expect(ra.code).toBe(0);
    expect(ra.stdout).toMatch(/tcgen import: wrote spec\/mongodb\/2019-07-25\.yaml: 2 action\(s\), 5 fact\(s\) to review/);
    const [ta, tb] = [await readFile(path.join(a, "spec/mongodb/2019-07-25.yaml"), "utf8"), await readFile(path.join(b, "spec/mongodb/2019-07-25.yaml"), "utf8")];
    expect(ta).toBe(tb);
    const spec = parse(ta) as Json;
    expect(Object.keys(spec["paths"])).toEqual(["/CreateBackupDownloadTask", "/DescribeDBBackups"]);
    expect(Object.keys(spec["components"]["schemas"])).toEqual([
      "CreateBackupDownloadTaskRequest", "ReplicaSetInfo", "CreateBackupDownloadTaskResponse", "BackupDownloadTaskStatus",
      "DescribeDBBackupsRequest", "DescribeDBBackupsResponse", "BackupInfo", "ErrorResponse", "ErrorDetail",
    ]);
  });
});

describe("tcgen generate and review markers", () => {
  it("prints warnings with file:line:col and still writes; --strict fails on them and writes nothing", async () => {
    const dir = await scratch("import-strict");
    const { text } = await importInto(dir, "mongodb/v20190725", ["DescribeDBBackups"]);
    const normal = await runCli(["generate", "--spec", "spec", "--out", "out"], dir);
    expect(normal.code).toBe(0);
    const { line, col } = positionIn(text, "- fact: x-tc-idempotent");
    expect(normal.stderr).toContain(`spec/mongodb/2019-07-25.yaml:${line}:${col + 2}: warning: to review: x-tc-idempotent: guessed from the name`);
    await rm(path.join(dir, "out"), { recursive: true });
    const strict = await runCli(["generate", "--spec", "spec", "--out", "out", "--strict"], dir);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/3 problem\(s\); nothing was written/);
    await expect(readFile(path.join(dir, "out", "mongodb", "client.ts"))).rejects.toThrow(/ENOENT/);
  });

  it("a malformed marker is an error at its position", async () => {
    const dir = await scratch("import-bad-marker");
    const { text } = await importInto(dir, "mongodb/v20190725", ["DescribeDBBackups"]);
    const broken = text.replace("- fact: x-tc-pagination", "- fact: ''");
    await writeFile(path.join(dir, "spec/mongodb/2019-07-25.yaml"), broken);
    const result = await runCli(["generate", "--spec", "spec", "--out", "out"], dir);
    expect(result.code).toBe(1);
    const { line, col } = positionIn(broken, "- fact: ''");
    expect(result.stderr).toContain(`spec/mongodb/2019-07-25.yaml:${line}:${col + 2}: each x-tc-review entry needs a "fact"`);
  });
});

describe("an existing spec is never overwritten", () => {
  it("without --merge the import refuses and leaves the file as it was", async () => {
    const dir = await scratch("import-exists");
    await mkdir(path.join(dir, "spec/mongodb"), { recursive: true });
    await writeFile(path.join(dir, "spec/mongodb/2019-07-25.yaml"), "# mine\n");
    const result = await runCli(["import", "--defs", path.join(definitions, "mongodb/v20190725")], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("spec/mongodb/2019-07-25.yaml:1:1: the spec exists; pass --merge");
    expect(await readFile(path.join(dir, "spec/mongodb/2019-07-25.yaml"), "utf8")).toBe("# mine\n");
  });
});
