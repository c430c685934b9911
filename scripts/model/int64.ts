/**
 * `x-tc-int64: true`: an integer member whose values may exceed 2^53, where a JavaScript number
 * stops being exact (Tencent's definitions type every integer as plain `int`; the spec says which
 * members really need 64 bits: IDs, not sizes or counts). Such a member is carried as its decimal
 * string, typed `` `${bigint}` ``: delivered exactly from answers, sent as a bare JSON number in
 * requests (runtime/int64.ts does both, from the plans built here).
 *
 * One module for the whole concept, used at three points of the generator: the check (stage 2),
 * the TypeScript type (openapi-typescript's `transform`, stage 4), and the validators' checks and the
 * plans emitted into `service.ts` and `mock.ts` (stage 4).
 */
import { isObject, joinPointer, type Json } from "../lib/utils.js";
import ts from "typescript";
import type { Int64Plan, Int64Plans } from "../../runtime/int64.js";
import type { ServiceModel } from "./service-model.js";
import { jsonText, numberLiteral } from "../emit/spec-text.js";
import type { Stmt } from "../emit/validators/code.js";

export const INT64 = "x-tc-int64";

type Report = (pointer: string, message: string) => void;

/** Keywords a marked schema may hold besides annotations: what its checks implement. */
const ALLOWED = new Set(["type", "nullable", "minimum", "maximum", INT64]);

/** Stage 2: every `x-tc-int64` is `true`, on an integer schema using only the keywords its checks implement. */
export function checkInt64(root: Json, report: Report): void {
  const visit = (node: unknown, pointer: string): void => {
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${pointer}/${i}`));
    if (!isObject(node)) return;
    if (Object.hasOwn(node, INT64)) checkMarked(node, pointer, report);
    for (const [key, value] of Object.entries(node)) {
      if (key !== "examples" && key !== "example") visit(value, `${pointer}${joinPointer(key)}`);
    }
  };
  visit((root["components"] as Json | undefined)?.["schemas"], "/components/schemas");
}

function checkMarked(schema: Json, pointer: string, report: Report): void {
  if (schema[INT64] !== true) return report(`${pointer}/${INT64}`, `"${INT64}" must be true (or left out), got ${jsonText(schema[INT64])}`);
  const type = schema["type"];
  const types = Array.isArray(type) ? type : [type];
  if (!types.includes("integer") || types.some((t) => t !== "integer" && t !== "null")) {
    report(`${pointer}/${INT64}`, `"${INT64}" marks an integer member: the schema's type must be "integer" (or ["integer", "null"]), got ${jsonText(type)}`);
  }
  for (const key of Object.keys(schema)) {
    if (!ALLOWED.has(key) && !isAnnotation(key)) {
      report(`${pointer}${joinPointer(key)}`, `"${key}" is not supported beside "${INT64}" (allowed: type, nullable, minimum, maximum and annotations)`);
    }
  }
  for (const bound of ["minimum", "maximum"]) {
    const value = schema[bound];
    if (value !== undefined && !Number.isSafeInteger(value)) {
      report(`${pointer}/${bound}`, `"${bound}" of an "${INT64}" member must be an integer within ±(2^53 − 1), got ${jsonText(value)}`);
    }
  }
}

function isAnnotation(key: string): boolean {
  return key.startsWith("x-") || ["title", "description", "examples", "example", "default", "deprecated", "readOnly", "writeOnly", "format", "$comment"].includes(key);
}

// ---------------------------------------------------------------------------------------------
// Types: openapi-typescript's `transform` hook.

/** The type of a marked schema, `` `${bigint}` `` (or `| null`); undefined for any other schema. */
export function int64Type(schema: unknown): ts.TypeNode | undefined {
  if (!isObject(schema) || schema[INT64] !== true) return undefined;
  const decimal = ts.factory.createTemplateLiteralType(ts.factory.createTemplateHead(""), [
    ts.factory.createTemplateLiteralTypeSpan(ts.factory.createKeywordTypeNode(ts.SyntaxKind.BigIntKeyword), ts.factory.createTemplateTail("")),
  ]);
  const nullable = schema["nullable"] === true || (Array.isArray(schema["type"]) && schema["type"].includes("null"));
  return nullable ? ts.factory.createUnionTypeNode([decimal, ts.factory.createLiteralTypeNode(ts.factory.createNull())]) : decimal;
}

// ---------------------------------------------------------------------------------------------
// Validator checks of a marked schema.

/**
 * The checks of a marked value at `value`: a decimal integer string (or null, when allowed) within
 * the bounds. `report(keyword, message)` gives the statement recording an issue.
 */
export function int64Checks(schema: Json, value: string, helpers: Set<string>, report: (keyword: string, message: string) => string): Stmt[] {
  helpers.add("isDecimalInteger");
  const nullable = schema["nullable"] === true || (Array.isArray(schema["type"]) && schema["type"].includes("null"));
  const decimal = `isDecimalInteger(${value})`;
  const bounds: Stmt[] = [];
  if (typeof schema["minimum"] === "number") {
    bounds.push({ if: `BigInt(${value}) < ${numberLiteral(schema["minimum"])}n`, then: [report("minimum", `must be >= ${numberLiteral(schema["minimum"])}`)] });
  }
  if (typeof schema["maximum"] === "number") {
    bounds.push({ if: `BigInt(${value}) > ${numberLiteral(schema["maximum"])}n`, then: [report("maximum", `must be <= ${numberLiteral(schema["maximum"])}`)] });
  }
  const typeIssue = report("type", `must be an integer as a decimal string (${INT64})${nullable ? " or null" : ""}`);
  const valid = nullable ? `${value} === null || ${decimal}` : decimal;
  if (bounds.length === 0) return [{ if: `!(${valid})`, then: [typeIssue] }];
  return [{ if: `!(${valid})`, then: [typeIssue], else: nullable ? [{ if: `${value} !== null`, then: bounds }] : bounds }];
}

// ---------------------------------------------------------------------------------------------
// Plans: where in a request or an answer the marked members are.

/** The plans of every schema that holds a marked member (at any depth), and which actions use them. */
export function buildInt64Plans(model: ServiceModel, root: Json): Int64Plans | undefined {
  const schemas = (root["components"] as Json)["schemas"] as Json;
  const plans: Record<string, Int64Plan> = {};
  const refName = (ref: string) => ref.slice("#/components/schemas/".length);
  const names = Object.keys(schemas);

  // The schemas holding a marked member: those marking one themselves, then, until nothing changes,
  // those referring to one that holds one (recursive schemas included).
  const refs = new Map(names.map((name) => [name, new Set<string>()]));
  const holds = new Set<string>();
  const scan = (node: unknown, name: string): void => {
    if (Array.isArray(node)) return node.forEach((item) => scan(item, name));
    if (!isObject(node)) return;
    if (node[INT64] === true) holds.add(name);
    if (typeof node["$ref"] === "string") refs.get(name)!.add(refName(node["$ref"]));
    for (const [key, value] of Object.entries(node)) if (key !== "examples" && key !== "example") scan(value, name);
  };
  for (const name of names) scan(schemas[name], name);
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of names) {
      if (holds.has(name) || ![...refs.get(name)!].some((ref) => holds.has(ref))) continue;
      holds.add(name);
      changed = true;
    }
  }

  const planOf = (schema: unknown): Int64Plan | undefined => {
    if (!isObject(schema)) return undefined;
    if (schema[INT64] === true) return "int64";
    const parts: Int64Plan[] = [];
    if (typeof schema["$ref"] === "string" && holds.has(refName(schema["$ref"]))) parts.push({ ref: refName(schema["$ref"]) });
    if (isObject(schema["properties"])) {
      const members: Record<string, Int64Plan> = {};
      for (const [member, sub] of Object.entries(schema["properties"])) {
        const plan = planOf(sub);
        if (plan !== undefined) members[member] = plan;
      }
      if (Object.keys(members).length > 0) parts.push({ members });
    }
    const items = planOf(schema["items"]);
    if (items !== undefined) parts.push({ items });
    const values = planOf(schema["additionalProperties"]);
    if (values !== undefined) parts.push({ values });
    // A member marked in any branch is converted wherever it appears.
    for (const key of ["allOf", "anyOf", "oneOf"]) {
      for (const branch of Array.isArray(schema[key]) ? (schema[key] as unknown[]) : []) {
        const plan = planOf(branch);
        if (plan !== undefined) parts.push(plan);
      }
    }
    return parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { all: parts };
  };
  for (const name of names) if (holds.has(name)) plans[name] = planOf(schemas[name])!;
  if (Object.keys(plans).length === 0) return undefined;
  const actions: Record<string, { request?: string; response?: string }> = {};
  for (const action of model.actions) {
    const entry = {
      ...(plans[action.requestSchema] ? { request: action.requestSchema } : {}),
      ...(plans[action.responseSchema] ? { response: action.responseSchema } : {}),
    };
    if (Object.keys(entry).length > 0) actions[action.action] = entry;
  }
  return { schemas: plans, actions };
}
