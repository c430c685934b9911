/**
 * Part of stage 2, check: every keyword of every component schema is either one the validator
 * generator implements (scripts/emit/validators/) or a pure annotation. Anything else is reported with
 * its position, so that no rule of the spec is silently left unenforced.
 */
import { parseFieldPatterns } from "../model/field-patterns.js";
import { ANNOTATION_KEYWORDS, FIELD_PATTERNS, VALIDATED_KEYWORDS } from "../spec/keywords.js";
import { isObject, joinPointer, resolveRef, type Json } from "../lib/utils.js";
import type { Report } from "../spec/problems.js";

const TYPES = new Set(["string", "number", "integer", "boolean", "array", "object", "null"]);

/** Walks `components.schemas`; reports through `report(pointer, message)`. */
export function checkValidatedSchemas(root: Json, report: Report): void {
  const schemas = isObject(root["components"]) ? (root["components"] as Json)["schemas"] : undefined;
  if (!isObject(schemas)) return;
  for (const [name, schema] of Object.entries(schemas)) checkSchema(root, schema, joinPointer("components", "schemas", name), report);
  checkSameValueCycles(schemas, report);
}

/**
 * A schema that reaches itself through `$ref`s and `allOf`/`anyOf`/`oneOf` alone, without entering a
 * member or an item, applies to the same value forever: no validator can finish it.
 */
function checkSameValueCycles(schemas: Json, report: Report): void {
  const edges = new Map(Object.entries(schemas).map(([name, schema]) => [name, sameValueRefs(schema)]));
  for (const name of Object.keys(schemas)) {
    const trail = cycleFrom(name, edges);
    if (trail) {
      report(joinPointer("components", "schemas", name), `schema ${name} applies to itself without entering a member or item (${trail.join(" → ")}); it can never be checked`);
    }
  }
}

function sameValueRefs(schema: unknown, found: string[] = []): string[] {
  if (!isObject(schema)) return found;
  if (typeof schema["$ref"] === "string") found.push(schema["$ref"].slice("#/components/schemas/".length));
  for (const key of ["allOf", "anyOf", "oneOf"]) {
    if (Array.isArray(schema[key])) for (const branch of schema[key]) sameValueRefs(branch, found);
  }
  return found;
}

function cycleFrom(start: string, edges: ReadonlyMap<string, string[]>): string[] | undefined {
  const visit = (name: string, trail: string[]): string[] | undefined => {
    for (const next of edges.get(name) ?? []) {
      if (next === start) return [...trail, next];
      if (!trail.includes(next)) {
        const found = visit(next, [...trail, next]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return visit(start, [start]);
}

/** Checks one schema (and the schemas inside it) found at `at`, anywhere in the document. */
export function checkSchemaAt(root: Json, schema: unknown, at: string, report: Report): void {
  checkSchema(root, schema, at, report);
}

function checkSchema(root: Json, schema: unknown, at: string, report: Report): void {
  if (!isObject(schema)) {
    // `true`/`false` schemas are valid JSON Schema but say nothing useful in an API spec.
    report(at, "a schema must be a mapping");
    return;
  }
  for (const [keyword, value] of Object.entries(schema)) {
    const here = `${at}${joinPointer(keyword)}`;
    if (keyword.startsWith("x-") && keyword !== FIELD_PATTERNS) continue;
    if (Object.hasOwn(ANNOTATION_KEYWORDS, keyword)) {
      checkAnnotation(root, keyword, value, here, report);
      continue;
    }
    if (!VALIDATED_KEYWORDS.has(keyword)) {
      report(here, `keyword "${keyword}" is not implemented by tcgen's validators; express the rule with the supported keywords (${[...VALIDATED_KEYWORDS].join(", ")})`);
      continue;
    }
    checkKeyword(root, schema, keyword, value, here, report);
  }
  if (schema["nullable"] !== undefined && schema["type"] === undefined) report(`${at}/nullable`, `"nullable" needs a "type" next to it`);
  if (schema[FIELD_PATTERNS] !== undefined) {
    for (const problem of parseFieldPatterns(root, schema).problems) report(`${at}${problem.pointer}`, problem.message);
  }
}

function checkKeyword(root: Json, schema: Json, keyword: string, value: unknown, at: string, report: Report): void {
  switch (keyword) {
    case "type": {
      const message = `"type" must be one of ${[...TYPES].join(", ")}, or a list of distinct ones`;
      if (!Array.isArray(value)) {
        if (typeof value !== "string" || !TYPES.has(value)) report(at, message);
        return;
      }
      if (value.length === 0) report(at, message);
      value.forEach((type: unknown, i) => {
        if (typeof type !== "string" || !TYPES.has(type) || value.indexOf(type) !== i) report(`${at}/${i}`, message);
      });
      return;
    }
    case "nullable":
      if (typeof value !== "boolean") report(at, `"nullable" must be true or false`);
      return;
    case "enum": {
      const message = `"enum" must be a non-empty list of strings, numbers, booleans or null`;
      if (!Array.isArray(value) || value.length === 0) report(at, message);
      else value.forEach((item: unknown, i) => isPrimitive(item) || report(`${at}/${i}`, message));
      return;
    }
    case "const":
      if (!isPrimitive(value)) report(at, `"const" must be a string, number, boolean or null`);
      return;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      if (typeof value !== "number" || !Number.isFinite(value)) {
        report(at, `"${keyword}" must be a number${typeof value === "boolean" ? " (the boolean form is OpenAPI 3.0; 3.1 writes the bound itself)" : ""}`);
      }
      return;
    case "minLength":
    case "maxLength":
    case "minItems":
    case "maxItems":
      if (!Number.isInteger(value) || (value as number) < 0) report(at, `"${keyword}" must be a non-negative integer`);
      return;
    case "pattern":
      if (typeof value !== "string") report(at, `"pattern" must be a string`);
      else {
        try {
          new RegExp(value, "u");
        } catch (error) {
          report(at, `"pattern" is not a valid regular expression (JSON Schema patterns use the "u" flag): ${(error as Error).message}`);
        }
      }
      return;
    case "items":
      if (Array.isArray(value)) report(at, `"items" must be one schema (tuples are "prefixItems", which tcgen does not implement)`);
      else checkSchema(root, value, at, report);
      return;
    case "required":
      if (!Array.isArray(value)) {
        report(at, `"required" must be a list of distinct member names`);
        return;
      }
      value.forEach((name: unknown, i) => {
        if (typeof name !== "string" || value.indexOf(name) !== i) report(`${at}/${i}`, `"required" must be a list of distinct member names`);
        else if (inheritedName(name)) report(`${at}/${i}`, inheritedMessage(name));
      });
      return;
    case "properties":
      if (!isObject(value)) {
        report(at, `"properties" must map member names to schemas`);
        return;
      }
      for (const [name, property] of Object.entries(value)) {
        if (inheritedName(name)) report(`${at}${joinPointer(name)}`, inheritedMessage(name));
        checkSchema(root, property, `${at}${joinPointer(name)}`, report);
      }
      return;
    case "additionalProperties":
      if (typeof value !== "boolean") checkSchema(root, value, at, report);
      return;
    case "$ref":
      if (typeof value !== "string" || !/^#\/components\/schemas\/[^/]+$/.test(value)) {
        report(at, `validators follow "$ref"s to "#/components/schemas/<Name>" only, got ${JSON.stringify(value)}`);
      }
      return;
    case "allOf":
    case "anyOf":
    case "oneOf":
      if (!Array.isArray(value) || value.length === 0) report(at, `"${keyword}" must be a non-empty list of schemas`);
      else value.forEach((branch, i) => checkSchema(root, branch, `${at}/${i}`, report));
      return;
    case FIELD_PATTERNS:
      // Checked against the whole schema by checkSchema.
      return;
    default:
      // Every keyword of VALIDATED_KEYWORDS has a case above.
      throw new Error(`no check for keyword ${keyword} (${JSON.stringify(schema).slice(0, 40)})`);
  }
}

/** An annotation must hold the kind of value it is defined with (openapi-typescript writes several into TSDoc). */
function checkAnnotation(root: Json, keyword: string, value: unknown, at: string, report: Report): void {
  const kind = ANNOTATION_KEYWORDS[keyword]!;
  if (kind === "any") return;
  if (kind === "string" || kind === "boolean") {
    if (typeof value !== kind) report(at, `"${keyword}" must be a ${kind === "string" ? "string" : "boolean (true or false)"}`);
    return;
  }
  if (kind === "list") {
    if (!Array.isArray(value)) report(at, `"${keyword}" must be a list of example values`);
    return;
  }
  if (!isObject(value)) {
    report(at, `"${keyword}" must be a mapping`);
    return;
  }
  const members: Record<string, "string" | "boolean"> =
    keyword === "discriminator"
      ? { propertyName: "string" }
      : keyword === "externalDocs"
        ? { url: "string", description: "string" }
        : { name: "string", namespace: "string", prefix: "string", attribute: "boolean", wrapped: "boolean" };
  for (const [member, memberValue] of Object.entries(value)) {
    const here = `${at}${joinPointer(member)}`;
    if (keyword === "discriminator" && member === "mapping") {
      if (!isObject(memberValue)) report(here, `"mapping" must map values of the discriminator to "#/components/schemas/<Name>"`);
      else {
        for (const [name, ref] of Object.entries(memberValue)) {
          if (typeof ref !== "string" || !/^#\/components\/schemas\/[^/]+$/.test(ref) || resolveRef(root, ref) === undefined) {
            report(`${here}${joinPointer(name)}`, `a discriminator mapping must name a schema "#/components/schemas/<Name>" that exists, got ${JSON.stringify(ref)}`);
          }
        }
      }
    } else if (Object.hasOwn(members, member)) {
      if (typeof memberValue !== members[member]) report(here, `"${member}" must be a ${members[member]}`);
    } else if (!member.startsWith("x-")) {
      report(here, `"${member}" is not a member of "${keyword}"; expected ${[...Object.keys(members), ...(keyword === "discriminator" ? ["mapping"] : [])].join(", ")}`);
    }
  }
  if (keyword === "discriminator" && typeof value["propertyName"] !== "string") report(at, `"discriminator" needs a string "propertyName"`);
  if (keyword === "externalDocs" && typeof value["url"] !== "string") report(at, `"externalDocs" needs a string "url"`);
}

function isPrimitive(value: unknown): boolean {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

/** `constructor`, `toString`, `__proto__`...: reading them from a plain object finds Object.prototype's. */
function inheritedName(name: string): boolean {
  return name in Object.prototype;
}

function inheritedMessage(name: string): string {
  return `member name "${name}" is also a member of every JavaScript object (Object.prototype); validators cannot tell it apart`;
}
