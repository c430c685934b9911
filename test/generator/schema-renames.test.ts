/**
 * Schemas named like what the generated code already names are renamed, not refused
 * (scripts/model/names.ts): a JavaScript global (`Error`, `Record`, `Object`, `Function`), a name
 * of tcgen's own (`Credentials`, `CallOptions`), a name derived from another schema
 * (`BusinessLogConfigSchema`), an action's or a paginator's descriptor (`SyncImage`,
 * `DescribeImagesPages`). Each fixture of test/fixtures/name-clashes is generated; the tests check
 * the note at each renamed schema, the declarations under the new names with the spec's names kept
 * on the wire, the validators and a client call at run time, and type-check a consumer using the
 * new names beside the globals they would have hidden.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { generate, type GenerateResult } from "../../scripts/generate.js";
import { formatProblem } from "../../scripts/spec/problems.js";
import { renamedSchemaType, schemaRenames } from "../../scripts/model/names.js";
import { positionIn, repoRoot, runCli, typeCheckStrict } from "../support/helpers.js";
import { scratchDirs } from "../support/import-support.js";

const scratch = scratchDirs();
const fixtures = path.join(repoRoot, "test/fixtures/name-clashes");
const KINDS = ["globals", "emitted", "actions"] as const;
type Kind = (typeof KINDS)[number];

let out: string;
const results = new Map<Kind, GenerateResult>();
const specTexts = new Map<Kind, string>();

beforeAll(async () => {
  out = await scratch("renames");
  for (const kind of KINDS) {
    specTexts.set(kind, await readFile(path.join(fixtures, kind, "demo/2024-01-01.yaml"), "utf8"));
    results.set(kind, await generate({ spec: path.join(fixtures, kind), out: path.join(out, kind), cwd: path.join(fixtures, kind) }));
  }
}, 120_000);

/** The generated file `file` of fixture `kind`. */
const generated = (kind: Kind, file: string) => readFile(path.join(out, kind, "demo", file), "utf8");

/** `demo/2024-01-01.yaml:<line>:5: note: …` of schema `schema`: at its key under components.schemas. */
function noteAt(kind: Kind, schema: string, type: string, derived: string, why: string): string {
  const { line } = positionIn(specTexts.get(kind)!, `\n    ${schema}:\n`);
  return `demo/2024-01-01.yaml:${line + 1}:5: note: schema "${schema}" is named ${type} in the generated code (${derived}), since "${schema}" ${why}; its name in the spec and on the wire stays "${schema}"`;
}

const notes = (kind: Kind) => results.get(kind)!.warnings.map(formatProblem).filter((line) => line.includes(": note: "));

describe("a note at each renamed schema, none for the others", () => {
  it("globals: Error, Record, Object, Function; Error takes ErrorStructure2, since a schema is named ErrorStructure", () => {
    const global = (name: string) => `would hide the JavaScript global ${name} in the generated types.ts (a type alias)`;
    expect(notes("globals")).toEqual([
      noteAt("globals", "Object", "ObjectStructure", "validateObjectStructure, ObjectStructureSchema", global("Object")),
      noteAt("globals", "Error", "ErrorStructure2", "validateErrorStructure2, ErrorStructure2Schema, ErrorStructure2Code", global("Error")),
      noteAt("globals", "Record", "RecordStructure", "validateRecordStructure, RecordStructureSchema", global("Record")),
      noteAt("globals", "Function", "FunctionStructure", "validateFunctionStructure, FunctionStructureSchema", global("Function")),
    ]);
  });

  it("names of tcgen's own and a name derived from another schema: Credentials, CallOptions, BusinessLogConfigSchema", () => {
    expect(notes("emitted")).toEqual([
      noteAt("emitted", "Credentials", "CredentialsStructure", "validateCredentialsStructure, CredentialsStructureSchema", `is exported twice by the generated index.ts: by export type { … } from "./types.js" and by export type { … } from tcgen's runtime`),
      noteAt("emitted", "CallOptions", "CallOptionsStructure", "validateCallOptionsStructure, CallOptionsStructureSchema", `is declared twice in the generated client.ts: an import from tcgen's runtime and an import from "./types.js"`),
      // The schema whose own name it is is renamed; BusinessLogConfig keeps its name and its Standard Schema object.
      noteAt("emitted", "BusinessLogConfigSchema", "BusinessLogConfigSchemaStructure", "validateBusinessLogConfigSchemaStructure, BusinessLogConfigSchemaStructureSchema", `is declared twice in the generated validators.ts: an import from "./types.js" and a constant`),
    ]);
  });

  it("an action's and a paginator's descriptor: SyncImage, DescribeImagesPages", () => {
    expect(notes("actions")).toEqual([
      noteAt("actions", "SyncImage", "SyncImageStructure", "validateSyncImageStructure, SyncImageStructureSchema", `is declared twice in the generated actions.ts: an import from "./types.js" and a constant`),
      noteAt("actions", "DescribeImagesPages", "DescribeImagesPagesStructure", "validateDescribeImagesPagesStructure, DescribeImagesPagesStructureSchema", `is declared twice in the generated actions.ts: an import from "./types.js" and a constant`),
    ]);
  });

  it("notes are not review markers: --strict generates", async () => {
    await expect(generate({ spec: path.join(fixtures, "globals"), out: path.join(out, "strict"), cwd: path.join(fixtures, "globals"), strict: true })).resolves.toBeDefined();
  }, 60_000);

  it("the command line prints them on stderr and exits 0", async () => {
    const result = await runCli(["generate", "--spec", "demo", "--out", path.relative(path.join(fixtures, "actions"), path.join(out, "cli"))], path.join(fixtures, "actions"));
    expect(result.code).toBe(0);
    expect(result.stderr.trim().split("\n")).toEqual(notes("actions"));
  }, 60_000);
});

describe("the generated code: new TypeScript names, the spec's names on the wire", () => {
  it("types.ts declares each renamed type over the schema's own name in schema.ts", async () => {
    const types = await generated("globals", "types.ts");
    expect(types).toContain(`export type ErrorStructure2 = components["schemas"]["Error"];`);
    expect(types).toContain(`export type ErrorStructure = components["schemas"]["ErrorStructure"];`);
    expect(types).toContain(`export type ObjectStructure = components["schemas"]["Object"];`);
    expect(types).not.toMatch(/export type (Error|Record|Object|Function) =/);
    expect(await generated("globals", "schema.ts")).toContain(`LastError?: components["schemas"]["Error"];`);
  });

  it("the paginator and the waiter are typed with the renamed item type", async () => {
    const actions = await generated("globals", "actions.ts");
    expect(actions).toMatch(/PaginatorDescriptor<\s*DescribeObjectsRequest,\s*DescribeObjectsResponse,\s*ObjectStructure\s*>/);
    expect(actions).toContain("WaiterDescriptor<ObjectStructure>");
  });

  it("the validators follow the new names and check the spec's members", async () => {
    const validators = await import(pathToFileURL(path.join(out, "globals/demo/validators.ts")).href);
    expect(validators.validateErrorStructure2({ Code: "Timeout", Detail: { Text: "late" } })).toEqual({ ok: true, value: { Code: "Timeout", Detail: { Text: "late" } } });
    expect(validators.validateErrorStructure2({ Code: "Late" }).ok).toBe(false);
    expect(validators.validateRecordStructure({ a: "b" }).ok).toBe(true);
    expect(validators.validateRecordStructure({ a: 1 }).ok).toBe(false);
    expect(validators.ErrorStructure2Schema["~standard"].validate({ Code: "Refused" })).toEqual({ value: { Code: "Refused" } });
    expect(validators.validateError).toBeUndefined();
    const enums = await import(pathToFileURL(path.join(out, "globals/demo/enums.ts")).href);
    expect(enums.ErrorStructure2Code).toEqual({ Timeout: "Timeout", Refused: "Refused" });
  });

  it("a client pages through items of the renamed schema, the answer checked strictly", async () => {
    const { createDemoClient } = await import(pathToFileURL(path.join(out, "globals/demo/index.ts")).href);
    const item = { ObjectId: "o-1", State: "READY", LastError: { Code: "Timeout" }, Labels: { team: "a" }, Handler: { Runtime: "node" } };
    const fetch = async () => new Response(JSON.stringify({ Response: { TotalCount: 1, ObjectSet: [item], RequestId: "r-1" } }), { status: 200, headers: { "Content-Type": "application/json" } });
    const client = createDemoClient({ credentials: { secretId: "id", secretKey: "key" }, fetch, validate: { response: "strict" } });
    const items: unknown[] = [];
    for await (const got of client.paginateDescribeObjects({})) items.push(got);
    expect(items).toEqual([item]);
  });

  it("a consumer type-checks with the new names and the globals they would have hidden", async () => {
    const consumer = path.join(out, "consumer.ts");
    await writeFile(
      consumer,
      [
        `import { ErrorStructure2Code, ErrorStructure2Schema, validateErrorStructure2, type DescribeObjectsResponse, type ErrorStructure2, type ObjectStructure, type RecordStructure } from "./globals/demo/index.js";`,
        `import { createDemoClient, type CallOptions, type Credentials, type CredentialsStructure, BusinessLogConfigSchema, type BusinessLogConfig, type BusinessLogConfigSchemaStructure, type CallOptionsStructure, type StandardSchemaV1 } from "./emitted/demo/index.js";`,
        `import { SyncImage, DescribeImagesPages, type SyncImageStructure, type DescribeImagesPagesStructure } from "./actions/demo/index.js";`,
        `const failure: ErrorStructure2 = { Code: ErrorStructure2Code.Timeout };`,
        `const labels: RecordStructure = { team: "a" };`,
        `const item: ObjectStructure = { ObjectId: "o-1", State: "READY", LastError: failure, Labels: labels };`,
        `const answer: DescribeObjectsResponse = { TotalCount: 1, ObjectSet: [item], RequestId: "r-1" };`,
        `const checked: boolean = validateErrorStructure2(failure).ok && ErrorStructure2Schema["~standard"].version === 1;`,
        // The globals are still the globals.
        `const error: Error = new Error("x");`,
        `const record: Record<string, number> = Object.fromEntries([["a", 1]]);`,
        `const fn: Function = () => 1;`,
        // The runtime's Credentials (the client's option) beside the service's.
        `const credentials: Credentials = { secretId: "id", secretKey: "key" };`,
        `const issued: CredentialsStructure = { Token: "t", TmpSecretId: "i", TmpSecretKey: "k" };`,
        `const options: CallOptions = { timeoutMs: 1000 };`,
        `const duration: CallOptionsStructure = { DurationSeconds: 60 };`,
        `const schema: BusinessLogConfigSchemaStructure = { SchemaType: "json" };`,
                // BusinessLogConfig keeps its Standard Schema object.
        `const standard: StandardSchemaV1<BusinessLogConfig> = BusinessLogConfigSchema;`,
        `const client = createDemoClient({ credentials });`,
        `const copy: SyncImageStructure = { Region: "ap-guangzhou", ImageId: "img-1" };`,
        `const pages: DescribeImagesPagesStructure = { Count: 1 };`,
        `export const used = [answer, checked, error, record, fn, issued, options, duration, schema, standard, client, copy, pages, SyncImage.action, DescribeImagesPages.limit];`,
      ].join("\n"),
    );
    const { diagnostics } = await typeCheckStrict(consumer);
    expect(diagnostics).toEqual([]);
  }, 120_000);
});

describe("the rule (scripts/model/names.ts)", () => {
  const schemas = { Error: { type: "object" }, ErrorStructure: { type: "object" }, Thing: { type: "object", properties: { State: { type: "string", enum: ["A"], "x-enum-varnames": ["A"] } } } };
  const types = new Map(Object.keys(schemas).map((name) => [name, name]));

  it("<Name>Structure, then <Name>Structure2, …", () => {
    expect([1, 2, 3].map((attempt) => renamedSchemaType("Error", attempt))).toEqual(["ErrorStructure", "ErrorStructure2", "ErrorStructure3"]);
  });

  it("skips a candidate whose derived names are taken, and candidates another rename took", () => {
    const clash = (name: string, pointer: string) => ({ name, pointers: [pointer], renamable: true });
    const taken = new Set(["Error", "ErrorStructure", "validateErrorStructure", "ErrorStructureSchema", "ThingStructureStateX", "ErrorStructure2Schema"]);
    expect(schemaRenames([clash("Error", "/components/schemas/Error")], schemas, types, taken)).toEqual(new Map([["Error", "ErrorStructure3"]]));
  });

  it("an enum's clash renames the schema it is named after; two members of one interface rename nothing", () => {
    const taken = new Set<string>();
    expect(schemaRenames([{ name: "ThingState", pointers: ["/components/schemas/Thing/properties/State"], renamable: true }], schemas, types, taken)).toEqual(new Map([["Thing", "ThingStructure"]]));
    expect(schemaRenames([{ name: "A", pointers: ["/components/schemas/Thing/properties/State/x-enum-varnames/0"], renamable: true }], schemas, types, taken)).toEqual(new Map());
    expect(schemaRenames([{ name: "Error", pointers: ["/components/schemas/Error"], renamable: false }], schemas, types, taken)).toEqual(new Map());
  });
});
