/**
 * Facts about one schema the validators emitter decides by: which keywords constrain, which kind of
 * value each keyword group is about, the `$ref`s inside. Pure functions of the spec's schemas.
 */
import { isObject, schemaNameOfRef, type Json } from "../../lib/utils.js";
import { CONSTRAINING_KEYWORDS } from "../../spec/keywords.js";


export type Group = "string" | "number" | "array" | "object";
export const GROUPS: readonly Group[] = ["string", "number", "array", "object"];

export const GROUP_GUARD: Record<Group, (value: string) => string> = {
  string: (v) => `typeof ${v} === "string"`,
  number: (v) => `typeof ${v} === "number"`,
  array: (v) => `Array.isArray(${v})`,
  object: (v) => `isJsonObject(${v})`,
};

export function groupOf(type: string): Group | undefined {
  if (type === "integer" || type === "number") return "number";
  return GROUPS.includes(type as Group) ? (type as Group) : undefined;
}

export function typeCondition(type: string, v: string): string {
  switch (type) {
    case "string":
    case "boolean":
      return `typeof ${v} === "${type}"`;
    case "number":
      return `(typeof ${v} === "number" && Number.isFinite(${v}))`;
    case "integer":
      // Safe integers only: beyond ±(2^53 − 1) a number is not exact (reportType says so, keyword x-tc-int64).
      return `Number.isSafeInteger(${v})`;
    case "null":
      return `${v} === null`;
    case "array":
      return `Array.isArray(${v})`;
    default:
      return `isJsonObject(${v})`;
  }
}

export const TYPE_NOUNS: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "a boolean",
  null: "null",
  array: "an array",
  object: "an object",
};

/** `type` as a list, with `nullable: true` adding null. */
export function declaredTypes(schema: Json): string[] {
  const type = schema["type"];
  const types = type === undefined ? [] : Array.isArray(type) ? [...(type as string[])] : [type as string];
  if (schema["nullable"] === true && !types.includes("null")) types.push("null");
  return types;
}

/** Whether a schema constrains anything: annotations alone, or `additionalProperties: true`, do not. */
export function hasChecks(schema: Json): boolean {
  return Object.keys(schema).some((key) => CONSTRAINING_KEYWORDS.has(key) && !(key === "additionalProperties" && schema[key] === true));
}

/** The schema name of a schema that is only a `$ref` (annotations aside). */
export function pureRef(schema: Json): string | undefined {
  if (typeof schema["$ref"] !== "string") return undefined;
  const { $ref: _ref, ...others } = schema;
  return hasChecks(others) ? undefined : refName(schema["$ref"]);
}

export function refName(ref: string): string {
  return schemaNameOfRef(ref)!;
}

/** The schemas directly inside a schema: members, items, branches. */
export function subschemas(schema: Json): Json[] {
  const found: unknown[] = [];
  if (isObject(schema["properties"])) found.push(...Object.values(schema["properties"]));
  for (const key of ["items", "additionalProperties"]) found.push(schema[key]);
  for (const key of ["allOf", "anyOf", "oneOf"]) if (Array.isArray(schema[key])) found.push(...schema[key]);
  return found.filter(isObject);
}

/** The names of the schemas a schema refers to, at any depth inside it. */
export function refsIn(schema: unknown, found = new Set<string>()): Set<string> {
  if (!isObject(schema)) return found;
  if (typeof schema["$ref"] === "string") found.add(refName(schema["$ref"]));
  for (const inner of subschemas(schema)) refsIn(inner, found);
  return found;
}

/** Whether a schema, not counting what it refers to, has an object closed by `additionalProperties: false`. */
export function hasClosedObject(schema: unknown): boolean {
  return isObject(schema) && (schema["additionalProperties"] === false || subschemas(schema).some(hasClosedObject));
}

export function describeBranch(branch: Json, index: number): string {
  if (typeof branch["$ref"] === "string") return refName(branch["$ref"]);
  const types = declaredTypes(branch);
  return types.length > 0 ? types.join(" or ") : `schema #${index + 1}`;
}
