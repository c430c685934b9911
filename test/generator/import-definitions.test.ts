/**
 * The importer's reading of Tencent's definitions, on a small hand-made service: every member type,
 * nullability, disabled members, HTML texts, both example forms, integers beyond 2^53, examples it
 * cannot read; and bad input (missing files, malformed JSON, wrong shapes, unknown actions), each
 * a clear error naming the file and the JSON pointer or position, with nothing written.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generate } from "../../scripts/generate.js";
import { runImport } from "../../scripts/import/run-import.js";
import { DefinitionsError } from "../../scripts/import/shared.js";
import { repoRoot, runCli, typeCheckStrict } from "../support/helpers.js";
import { definitionsDir, scratchDirs } from "../support/import-support.js";

const scratch = scratchDirs();

type Json = Record<string, any>;

const member = (name: string, type: string, memberType: string, extra: Json = {}) => ({ name, type, member: memberType, document: `${name} 的说明`, disabled: false, ...extra });

/** A small service: one query, one action with a file, structures nested and recursive. */
function api(): Json {
  return {
    version: "1.0",
    metadata: { apiVersion: "2024-01-01", serviceShortName: "demo", serviceNameCN: "演示服务", api_brief: "<p>一个<b>演示</b>服务。</p>" },
    actions: {
      DescribeThings: { name: "查询物品", document: "<p>查询物品列表。</p><ul><li>第一条</li><li>第二条</li></ul>", input: "DescribeThingsRequest", output: "DescribeThingsResponse", status: "online" },
      UploadThing: { name: "上传物品", document: "上传一个文件。", input: "UploadThingRequest", output: "UploadThingResponse", status: "deprecated" },
    },
    objects: {
      DescribeThingsRequest: {
        document: "DescribeThings请求参数结构体",
        type: "object",
        members: [
          member("ThingIds", "list", "string", { required: false, example: '["t-1"]' }),
          member("Limit", "int", "uint64", { required: false, example: "10" }),
          member("Offset", "int", "int64", { required: false, example: "0" }),
          member("Filter", "object", "Filter", { required: false }),
          member("Legacy", "string", "string", { required: false, disabled: true }),
        ],
      },
      Filter: { document: "过滤条件。", usage: "in", members: [member("Name", "string", "string", { required: true, example: "zone" }), member("Values", "list", "string", { required: true })] },
      DescribeThingsResponse: {
        document: "DescribeThings返回参数结构体",
        type: "object",
        members: [
          member("TotalCount", "int", "uint64", { output_required: true, value_allowed_null: false }),
          member("Things", "list", "Thing", { output_required: true, value_allowed_null: false }),
          member("Owner", "object", "Owner", { output_required: false, value_allowed_null: true }),
          { name: "RequestId", type: "string", member: "string", document: "唯一请求 ID。" },
        ],
      },
      Thing: {
        document: "一个物品。",
        usage: "out",
        members: [
          member("ThingId", "string", "string", { output_required: true, value_allowed_null: false, example: "t-1" }),
          member("Serial", "int", "int64", { output_required: true, value_allowed_null: false, example: "12345678901234567890" }),
          member("Weight", "float", "float", { output_required: false, value_allowed_null: true, example: "1.5" }),
          member("Fragile", "bool", "bool", { output_required: false, value_allowed_null: false, example: "true" }),
          member("CreatedAt", "string", "datetime_iso", { output_required: true, value_allowed_null: false }),
          member("Children", "list", "Thing", { output_required: false, value_allowed_null: false }),
        ],
      },
      Owner: { document: "物主。", usage: "out", members: [member("Name", "string", "string", { output_required: true, value_allowed_null: false })] },
      UploadThingRequest: { document: "UploadThing请求参数结构体", type: "object", members: [member("File", "binary", "binary", { required: true })] },
      UploadThingResponse: { document: "UploadThing返回参数结构体", type: "object", members: [{ name: "RequestId", type: "string", member: "string", document: "唯一请求 ID。" }] },
    },
  };
}

function examples(): Json {
  return {
    version: "1.0",
    actions: {
      DescribeThings: [
        {
          title: "按编号查询",
          document: "",
          input: "https://demo.tencentcloudapi.com/?Action=DescribeThings\n&ThingIds.0=t-1\n&Limit=10\n&Filter.Name=zone\n&Filter.Values.0=ap guangzhou 1\n&<公共请求参数>",
          output: '{"Response": {"TotalCount": 1, "Things": [{"ThingId": "t-1", "Serial": 12345678901234567890, "CreatedAt": "2024-01-01T00:00:00+08:00", "Weight": null}], "Owner": null, "RequestId": "r-1"}}',
        },
        {
          title: "Querying by page",
          document: "",
          input: 'POST / HTTP/1.1\nHost: demo.tencentcloudapi.com\nContent-Type: application/json\nX-TC-Action: DescribeThings\n<公共请求参数>\n\n{"Limit": "5", "Offset": 0}',
          output: '{"Response": {"TotalCount": 0, "Things": [], "RequestId": "r-2"}}',
        },
        { title: "坏的例子", document: "", input: "Path : /somewhere\n\nnot json", output: "{}" },
      ],
    },
  };
}

function errors(): Json {
  return { source: "test", codes: { "ResourceNotFound.Thing": "物品不存在。", InternalError: "内部错误。" }, actions: { DescribeThings: ["ResourceNotFound.Thing", "InternalError"], UploadThing: [] } };
}

/** Writes the definitions of `demo` 2024-01-01 (with `change` applied to the file texts) under a scratch root. */
async function definitions(change: (files: Record<string, string>) => void = () => {}): Promise<{ root: string; dir: string; cwd: string }> {
  const root = await scratch("defs");
  const dir = path.join(root, "defs", "demo", "v20240101");
  await mkdir(dir, { recursive: true });
  const files: Record<string, string> = {
    "api.json": JSON.stringify(api(), null, 2),
    "examples.json": JSON.stringify(examples(), null, 2),
    "errors.json": JSON.stringify(errors(), null, 2),
  };
  change(files);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  const cwd = path.join(root, "project");
  await mkdir(cwd, { recursive: true });
  return { root, dir, cwd };
}

describe("a hand-made service", () => {
  it("maps every member type, nullability, disabled members, texts and both example forms", async () => {
    const { dir, cwd } = await definitions();
    const outcome = await runImport({ location: { defs: dir }, actions: [], merge: false, dryRun: false, cwd });
    expect(outcome.refused).toEqual([]);
    const text = await readFile(outcome.file, "utf8");
    const spec = parse(text, { intAsBigInt: true }) as Json;
    const schemas = spec["components"]["schemas"];

    expect(spec["info"]["description"]).toContain("一个**演示**服务。");
    const describe = spec["paths"]["/DescribeThings"]["post"];
    expect(describe["description"]).toBe("查询物品列表。\n\n- 第一条\n- 第二条");
    expect(schemas["DescribeThingsRequest"]["properties"]).toMatchObject({
      ThingIds: { type: "array", items: { type: "string" }, examples: [["t-1"]] },
      Limit: { type: "integer", format: "int64", minimum: 0n, examples: [10n] },
      Offset: { type: "integer", format: "int64" },
      Filter: { $ref: "#/components/schemas/Filter" },
      Legacy: { type: "string", "x-tc-disabled": true },
    });
    expect(schemas["Filter"]["additionalProperties"]).toBe(false);
    expect(schemas["Thing"]["properties"]).toMatchObject({
      Serial: { type: "integer", format: "int64", examples: [12345678901234567890n] },
      Weight: { type: ["number", "null"], examples: [1.5] },
      Fragile: { type: "boolean", examples: [true] },
      CreatedAt: { type: "string", format: "date-time" },
      Children: { type: "array", items: { $ref: "#/components/schemas/Thing" } },
    });
    expect(schemas["Thing"]["required"]).toEqual(["ThingId", "Serial", "CreatedAt"]);
    expect(schemas["DescribeThingsResponse"]["properties"]["Owner"]).toMatchObject({ anyOf: [{ $ref: "#/components/schemas/Owner" }, { type: "null" }] });
    expect(schemas["UploadThingRequest"]["properties"]["File"]).toMatchObject({ type: "string", format: "binary" });

    // The GET example, unflattened and typed; the POST one as written (with the string it sends), said so.
    const requests = describe["requestBody"]["content"]["application/json"]["examples"];
    expect(Object.keys(requests)).toEqual(["Example1", "QueryingByPage"]);
    expect(requests["Example1"]).toEqual({ summary: "按编号查询", value: { ThingIds: ["t-1"], Limit: 10n, Filter: { Name: "zone", Values: ["ap guangzhou 1"] } } });
    expect(requests["QueryingByPage"]["value"]).toEqual({ Limit: "5", Offset: 0n });
    // An integer beyond 2^53 keeps every digit.
    expect(text).toContain("Serial: 12345678901234567890");
    const reviews = describe["x-tc-review"].map((e: Json) => `${e.fact}: ${e.reason}`);
    expect(reviews).toContain("examples/QueryingByPage: Tencent's example does not fit the definitions: /Limit: a string, the definitions say uint64.");
    expect(reviews).toContain('examples: Tencent\'s example "坏的例子" could not be read (request: neither a GET query nor a POST with a JSON body); it is left out.');
    expect(reviews.some((r: string) => r.startsWith("x-tc-pagination: looks paged (Limit, Offset, TotalCount, Things)"))).toBe(true);

    const upload = spec["paths"]["/UploadThing"]["post"];
    expect(upload["deprecated"]).toBe(true);
    expect(upload["x-tc-errors"]).toBeUndefined();
    expect(upload["x-tc-review"].map((e: Json) => e.fact)).toEqual(["x-tc-rate-limit", "x-tc-idempotent", "format: binary"]);
    expect(describe["x-tc-errors"]).toEqual([
      { code: "ResourceNotFound.Thing", description: "物品不存在。" },
      { code: "InternalError", description: "内部错误。" },
    ]);

    // And the generator takes it.
    await generate({ spec: outcome.file, out: path.join(cwd, "generated"), cwd: repoRoot });
  });

  it("generated code type-checks", async () => {
    const { dir } = await definitions();
    const cwd = await scratch("defs-inside");
    const outcome = await runImport({ location: { defs: dir }, actions: [], merge: false, dryRun: false, cwd });
    await generate({ spec: outcome.file, out: path.join(cwd, "generated"), cwd });
    const { diagnostics } = await typeCheckStrict(path.join(cwd, "generated", "demo", "index.ts"));
    expect(diagnostics).toEqual([]);
  }, 60_000);
});

describe("finding and refusing", () => {
  it("--service finds a service whose directory has another name (autoscaling/ holds service as)", async () => {
    const { root } = await definitions();
    await rename(path.join(root, "defs", "demo"), path.join(root, "defs", "demo-service"));
    const result = await runCli(["import", "--defs", "defs", "--service", "demo", "--version", "2024-01-01", "--out", "-"], root);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("x-tc-service: demo\n");
    expect(result.stderr).toContain("tcgen import: printed the spec: 2 action(s)");
  });

  /** `tcgen import` of the service with its structure Owner named `name`: the command's result, the spec and the line of the schema. */
  async function importNamingOwner(name: string) {
    const { root } = await definitions((files) => {
      files["api.json"] = files["api.json"]!.replaceAll('"Owner"', JSON.stringify(name));
    });
    const result = await runCli(["import", "--defs", "defs/demo/v20240101"], root);
    const text = await readFile(path.join(root, "spec/demo/2024-01-01.yaml"), "utf8");
    return { root, result, text, line: text.split("\n").indexOf(`    ${name}:`) + 1 };
  }

  it("a spec the generator's checker refuses is still written, with each problem and exit 1", async () => {
    const { result, line } = await importNamingOwner("class");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`spec/demo/2024-01-01.yaml:${line}:5: `);
    expect(result.stderr).toContain("is a reserved word of JavaScript");
    expect(result.stderr).toContain("tcgen import: tcgen generate refuses the imported spec (1 problem(s) above); fix them in the spec");
  });

  it("a structure named like a JavaScript global is imported as it is, and generates renamed (scripts/model/names.ts)", async () => {
    const { root, result, text, line } = await importNamingOwner("Error");
    expect(result.code).toBe(0);
    expect(text).toContain("$ref: '#/components/schemas/Error'");
    const generatedRun = await runCli(["generate", "--spec", "spec", "--out", "generated"], root);
    expect(generatedRun.code).toBe(0);
    expect(generatedRun.stderr).toContain(`spec/demo/2024-01-01.yaml:${line}:5: note: schema "Error" is named ErrorStructure in the generated code`);
    const { diagnostics } = await typeCheckStrict(path.join(root, "generated/demo/index.ts"));
    expect(diagnostics).toEqual([]);
  }, 120_000);
});

describe("bad definitions: a clear error naming the file and where, nothing written", () => {
  async function failing(change: (files: Record<string, string>) => void, actions: string[] = []): Promise<{ problems: string[]; cwd: string; dir: string }> {
    const { dir, cwd } = await definitions(change);
    try {
      await runImport({ location: { defs: dir }, actions, merge: false, dryRun: false, cwd });
    } catch (error) {
      if (!(error instanceof DefinitionsError)) throw error;
      expect(existsSync(path.join(cwd, "spec"))).toBe(false);
      return { problems: error.message.split("\n"), cwd, dir };
    }
    throw new Error("the import did not fail");
  }

  it("no api.json", async () => {
    const { problems, dir } = await failing((files) => void delete files["api.json"]);
    expect(problems).toEqual([`${path.join(dir, "api.json")}: (document): not found; name a version directory, or the definitions' root with --service and --version`]);
  });

  it("malformed JSON: the file, line and column", async () => {
    const { problems, dir } = await failing((files) => {
      files["api.json"] = files["api.json"]!.replace('"version": "1.0",', '"version": "1.0",,');
    });
    expect(problems).toEqual([`${path.join(dir, "api.json")}:2:20: not valid JSON: Expected double-quoted property name`]);
  });

  it("malformed examples.json and errors.json are reported together", async () => {
    const { problems, dir } = await failing((files) => {
      files["examples.json"] = files["examples.json"]!.slice(0, 50);
      files["errors.json"] = JSON.stringify({ codes: { A: 1 }, actions: { DescribeThings: "A" } });
    });
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`^${escape(path.join(dir, "examples.json"))}:\\d+:\\d+: not valid JSON: `)),
      `${path.join(dir, "errors.json")}: /codes/A: must be the code's description (a string)`,
      `${path.join(dir, "errors.json")}: /actions/DescribeThings: must be a list of error codes`,
    ]);
  });

  it("a member of an unknown type, a structure that does not exist, an action's missing input", async () => {
    const { problems, dir } = await failing((files) => {
      const value = JSON.parse(files["api.json"]!) as Json;
      value["objects"]["Thing"]["members"][2]["type"] = "decimal";
      value["objects"]["Filter"]["members"][1]["member"] = "Nothing";
      value["actions"]["UploadThing"]["input"] = "UploadRequest";
      files["api.json"] = JSON.stringify(value);
    });
    const file = path.join(dir, "api.json");
    expect(problems).toEqual([
      `${file}: /objects/Thing/members/2/type: must be one of string, int, float, bool, list, object, binary, got "decimal"`,
      `${file}: /objects/Filter/members/1/member: "Nothing" is not one of string, int64, uint64, float, bool, nor a structure of "objects"`,
      `${file}: /actions/UploadThing/input: names "UploadRequest", which is not in "objects"`,
    ]);
  });

  it("an action that is not in the definitions, with a suggestion", async () => {
    const { problems, dir } = await failing(() => {}, ["DescribeThing"]);
    expect(problems).toEqual([`${path.join(dir, "api.json")}: /actions/DescribeThing: no action DescribeThing in the definitions (did you mean DescribeThings?)`]);
  });

  it("the command: exit 1, the problems, and that nothing was written", async () => {
    const { root } = await definitions((files) => {
      files["api.json"] = "{";
    });
    const result = await runCli(["import", "--defs", "defs", "--service", "demo", "--version", "2024-01-01"], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`${path.join("defs", "demo", "v20240101", "api.json")}:1:2: not valid JSON: Expected property name or '}'\ntcgen import: 1 problem(s); nothing was written\n`);
    expect(existsSync(path.join(root, "spec"))).toBe(false);
    const english = await runCli(["import", "--defs", path.join(definitionsDir, "ecdn/v20191012"), "--english-api", "missing.json"], root);
    expect(english.code).toBe(1);
    expect(english.stderr).toContain("missing.json: (document): file not found");
    expect((await runCli(["import"], root)).code).toBe(2);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
