/**
 * A spec accepted is a spec whose output compiles: seeded random valid specs (object, enum, list,
 * map and union schemas, `$ref`s, bounds, patterns, x-tc-field-patterns, paginators and waiters,
 * optional members, odd member names and texts) must all be accepted, and everything they emit must
 * type-check strictly, all specs of a run in one TypeScript program.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { generate } from "../../scripts/generate.js";
import { SpecError, formatProblem } from "../../scripts/spec/problems.js";
import { scratchDir, typeCheckStrict } from "../support/helpers.js";

const SPECS = Number(process.env["TCGEN_PROPERTY_SPECS"] ?? 30);
const SEED = Number(process.env["TCGEN_PROPERTY_SEED"] ?? 424242);
const VERSION = "2020-01-01";

type Json = Record<string, unknown>;
type Gen = fc.GeneratorValue;

/** Texts that must stay inert wherever the spec puts them. */
const TEXTS = ["Plain words.", "*/ globalThis.__tcgenInjected = 1; /*", "line\nbreak", "a\u2028b\u2029c", '"quoted" \\ `tick` ${x}', "@deprecated {@link x}", "</script>", "云服务器 🚀", "  padded  "];
/** Member names: plain, reserved-looking and odd (quoted by the generator, never refused). */
const MEMBER_NAMES = ["Id", "Name", "State", "delete", "default", "then", "toJSON", "Zone-Name", "a b", "*/x", "$ref", "9Lives", "云", "Meta/Info~", "x\ny"];
/** Patterns that are valid with the u flag, some awkward to write as literals. */
const PATTERNS = ["^[a-z]+$", "^[/*]+$", "", "a/b", "^\\d{2,4}$", "[\\n/]", "(?<=/)x", "^\\u{1F680}?$", "^[^\\]]*$"];

function pascal(g: Gen, prefix: string): string {
  const word = g(fc.constantFrom, "Alpha", "Beta", "Gamma", "Delta", "Omega", "Zone", "Task", "Disk", "Node", "Item");
  return `${prefix}${word}${g(fc.integer, { min: 1, max: 999 })}`;
}

/** A random valid spec, built imperatively so that its parts refer to each other correctly. */
function randomSpec(g: Gen, service: string): Json {
  const schemas: Json = {};
  const usedSchemas = new Set<string>();
  const schemaName = (prefix: string) => {
    let name = pascal(g, prefix);
    while (usedSchemas.has(name)) name = `${name}X`;
    usedSchemas.add(name);
    return name;
  };
  const text = () => g(fc.constantFrom, ...TEXTS);
  const names = (count: number) => [...new Set(Array.from({ length: count }, () => g(fc.constantFrom, ...MEMBER_NAMES)))];

  /** A member schema; enums get x-enum-varnames (an enum constant per member of a component schema). */
  const memberSchema = (depth: number): Json => {
    const kind = g(fc.constantFrom, "string", "integer", "number", "boolean", "enum", "intEnum", "array", "ref", "nullable", "union", "map", "const", "allOf", "anyOf");
    const schema: Json = {};
    if (g(fc.boolean)) schema["description"] = text();
    switch (kind) {
      case "string":
        schema["type"] = "string";
        if (g(fc.boolean)) schema["pattern"] = g(fc.constantFrom, ...PATTERNS);
        if (g(fc.boolean)) schema["maxLength"] = g(fc.integer, { min: 1, max: 64 });
        return schema;
      case "integer":
      case "number":
        schema["type"] = kind;
        if (g(fc.boolean)) schema["minimum"] = g(fc.integer, { min: -10, max: 0 });
        if (g(fc.boolean)) schema["exclusiveMaximum"] = g(fc.integer, { min: 1, max: 1e9 });
        return schema;
      case "boolean":
        return { ...schema, type: "boolean" };
      case "enum":
      case "intEnum": {
        const count = g(fc.integer, { min: 1, max: 4 });
        const values = kind === "enum" ? ["A-1", 'q"uote', "line\nbreak", "*/", "${x}"].slice(0, count) : [0, 1, 2, -3].slice(0, count);
        return { ...schema, type: kind === "enum" ? "string" : "integer", enum: values, "x-enum-varnames": ["First", "Second", "Third", "Fourth"].slice(0, count), "x-enum-descriptions": values.map(() => text()) };
      }
      case "array":
        return { ...schema, type: "array", items: depth > 1 ? { type: "string" } : memberSchema(depth + 1), ...(g(fc.boolean) ? { maxItems: 10 } : {}) };
      case "ref":
        return usedSchemas.size > 0 ? { $ref: `#/components/schemas/${g(fc.constantFrom, ...usedSchemas)}` } : { type: "string" };
      case "nullable":
        return { ...schema, type: ["string", "null"] };
      case "union":
        return { ...schema, oneOf: [{ type: "string" }, { type: "integer" }] };
      case "allOf":
      case "anyOf": {
        const refs = [...usedSchemas].filter((name) => name.startsWith("Shared"));
        const branches: Json[] = refs.length > 0 ? [{ $ref: `#/components/schemas/${g(fc.constantFrom, ...refs)}` }] : [];
        branches.push({ type: "object", properties: { [g(fc.constantFrom, ...MEMBER_NAMES)]: { type: "string" } } });
        return { ...schema, [kind]: branches };
      }
      case "map":
        return { ...schema, type: "object", additionalProperties: { type: "integer" } };
      default:
        return { ...schema, const: g(fc.constantFrom, "fixed", 3, true, null) };
    }
  };

  const objectSchema = (extra: Json = {}, required: string[] = []): Json => {
    const properties: Json = {};
    for (const name of names(g(fc.integer, { min: 0, max: 4 }))) {
      const schema = memberSchema(0);
      // The enum of a member is named after it, so the name needs a letter or digit (spec/README.md).
      const namesAnEnum = "x-enum-varnames" in schema || (typeof schema["items"] === "object" && "x-enum-varnames" in (schema["items"] as Json));
      properties[name] = /[A-Za-z0-9]/.test(name) || !namesAnEnum ? schema : { type: "string" };
    }
    Object.assign(properties, extra);
    const requiredMembers = [...new Set([...required, ...Object.keys(properties).filter(() => g(fc.boolean))])];
    return {
      type: "object",
      ...(g(fc.boolean) ? { description: text() } : {}),
      ...(g(fc.boolean) ? { additionalProperties: false } : {}),
      ...(requiredMembers.length > 0 ? { required: requiredMembers } : {}),
      properties,
    };
  };

  for (let i = g(fc.integer, { min: 0, max: 3 }); i > 0; i--) schemas[schemaName("Shared")] = objectSchema();

  const paths: Json = {};
  const waiters: Json[] = [];
  const actions = new Set<string>();
  for (let i = g(fc.integer, { min: 1, max: 3 }); i > 0; i--) {
    let action = pascal(g, g(fc.constantFrom, "Describe", "Create", "Delete", "Modify"));
    while (actions.has(action)) action = `${action}X`;
    actions.add(action);
    const paged = g(fc.boolean);
    const request = `${action}Request`;
    const response = `${action}Response`;
    usedSchemas.add(request).add(response);
    let itemName: string | undefined;
    if (paged) {
      itemName = schemaName("Item");
      const statusValues = ["PENDING", "READY", "FAILED"];
      schemas[itemName] = objectSchema(
        { Key: { type: "string" }, Status: { type: "string", enum: statusValues, "x-enum-varnames": ["Pending", "Ready", "Failed"] } },
        // Tencent marks most answer members optional: sometimes the key and status are too.
        g(fc.boolean) ? ["Key", "Status"] : [],
      );
    }
    const requestExtra: Json = paged ? { Limit: { type: "integer", minimum: 1, maximum: g(fc.integer, { min: 1, max: 100 }) }, Offset: { type: "integer", minimum: 0 } } : {};
    const withRule = g(fc.boolean);
    if (withRule) {
      requestExtra["Owner"] = { type: "string" };
      requestExtra["Parts"] = { type: "array", items: { type: "object", properties: { "Part Id": { type: "string" } } } };
    }
    schemas[request] = objectSchema(requestExtra);
    if (withRule) {
      (schemas[request] as Json)["x-tc-field-patterns"] = [{ field: "/Parts/*/Part Id", pattern: "^{/Owner}[/_][0-9]+$", message: text() }];
    }
    const responseExtra: Json = { RequestId: { type: "string" } };
    if (paged) {
      responseExtra["TotalCount"] = { type: "integer" };
      responseExtra["Items"] = { type: "array", items: { $ref: `#/components/schemas/${itemName}` } };
    }
    schemas[response] = objectSchema(responseExtra, g(fc.boolean) ? ["RequestId", ...(paged ? ["Items", "TotalCount"] : [])] : ["RequestId"]);

    const example = g(fc.boolean) ? { [g(fc.constantFrom, "Basic", "__proto__", "*/ x", "a b")]: { summary: text(), value: { Note: text(), __proto__x: 1 } } } : undefined;
    paths[`/${action}`] = {
      post: {
        operationId: action,
        "x-tc-action": action,
        "x-tc-rate-limit": g(fc.integer, { min: 1, max: 100 }),
        ...(g(fc.boolean) ? { "x-tc-idempotent": true } : {}),
        summary: text(),
        ...(g(fc.boolean) ? { description: text() } : {}),
        ...(paged ? { "x-tc-pagination": { limit: "Limit", offset: "Offset", items: "Items", total: "TotalCount", offsetUnit: g(fc.constantFrom, "items", "pages") } } : {}),
        requestBody: { required: true, content: { "application/json": { schema: { $ref: `#/components/schemas/${request}` }, ...(example ? { examples: example } : {}) } } },
        responses: {
          "200": {
            description: text(),
            content: {
              "application/json": {
                schema: { type: "object", required: ["Response"], properties: { Response: { anyOf: [{ $ref: `#/components/schemas/${response}` }, { $ref: "#/components/schemas/ErrorResponse" }] } } },
                ...(example ? { examples: Object.fromEntries(Object.keys(example).map((name) => [name, { value: { Response: { RequestId: "r" } } }])) } : {}),
              },
            },
          },
        },
        ...(g(fc.boolean) ? { "x-tc-errors": [{ code: `FailedOperation.${action}`, description: text() }, { code: "ResourceNotFound", description: text() }] } : {}),
      },
    };
    if (paged && g(fc.boolean)) {
      const requestSchema = schemas[request] as Json;
      const required = ((requestSchema["required"] as string[] | undefined) ?? []).filter((member) => member !== "Limit" && member !== "Offset");
      waiters.push({
        method: `waitFor${action}Items`,
        action,
        summary: text(),
        ...(required.length > 0 ? { request: required } : {}),
        keys: g(fc.constantFrom, "Keys", "Key-List"),
        items: "Items",
        key: "Key",
        status: "Status",
        success: ["READY"],
        ...(g(fc.boolean) ? { failure: ["FAILED"] } : {}),
      });
    }
  }
  schemas["ErrorResponse"] = { type: "object", required: ["Error", "RequestId"], properties: { Error: { $ref: "#/components/schemas/ErrorDetail" }, RequestId: { type: "string" } } };
  schemas["ErrorDetail"] = { type: "object", required: ["Code", "Message"], properties: { Code: { type: "string" }, Message: { type: "string" } } };

  return {
    openapi: "3.1.0",
    info: { title: text(), version: VERSION, ...(g(fc.boolean) ? { description: text() } : {}) },
    servers: [{ url: `https://${service}.tencentcloudapi.com` }, { url: `https://${service}.{region}.tencentcloudapi.com`, variables: { region: { default: "ap-guangzhou" } } }],
    "x-tc-service": service,
    "x-tc-version": VERSION,
    ...(g(fc.boolean) ? { "x-tc-common-errors": [{ code: "InternalError", description: text() }] } : {}),
    ...(waiters.length > 0 ? { "x-tc-waiters": waiters } : {}),
    paths,
    components: { schemas },
  };
}

let scratch: string;
beforeAll(async () => {
  scratch = await scratchDir("property");
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe(`${SPECS} random valid specs (seed ${SEED})`, () => {
  it("are all accepted, and everything they emit type-checks strictly", async () => {
    const specs = fc.sample(fc.gen(), { numRuns: SPECS, seed: SEED }).map((g, i) => ({ service: `svc${i}`, value: randomSpec(g, `svc${i}`) }));
    const refused: string[] = [];
    for (const { service, value } of specs) {
      const file = path.join(scratch, "spec", service, `${VERSION}.yaml`);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, stringify(value, { aliasDuplicateObjects: false, lineWidth: 0 }));
      try {
        await generate({ spec: file, out: path.join(scratch, "out"), cwd: scratch });
      } catch (error) {
        if (!(error instanceof SpecError)) throw error;
        refused.push(...error.problems.map(formatProblem));
      }
    }
    expect(refused).toEqual([]);

    const entry = path.join(scratch, "all.ts");
    await writeFile(
      entry,
      specs
        .map(({ service }) => `import { create${service[0]!.toUpperCase()}${service.slice(1)}Client as ${service} } from "./out/${service}/index.js";\nvoid ${service};`)
        .join("\n") + "\n",
    );
    const { diagnostics, files } = await typeCheckStrict(entry);
    expect(diagnostics).toEqual([]);
    expect(files.filter((f) => f.endsWith("/client.ts") && f.startsWith(scratch)).length).toBe(SPECS);
  }, 600_000);
});
