/**
 * Helpers of the diff stage besides the generator's shared ones (scripts/lib/utils.ts): the leaf
 * module of the stage, importing nothing else of it.
 */
import { byCodePoint, isObject, jsonEqual, schemaNameOfRef, type Json } from "../lib/utils.js";

/** A value as it reads in a message: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
  return JSON.stringify(value) ?? "undefined";
}

/** The keys of both objects, each once, in code-point order. */
export function unionKeys(a: Json, b: Json): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(byCodePoint);
}

/** The target name of a schema that is a `#/components/schemas/<Name>` reference, else undefined. */
export function schemaRefName(node: unknown): string | undefined {
  return schemaNameOfRef(isObject(node) ? node["$ref"] : undefined);
}

/** Keys that only document a schema: two schemas differing only in them have the same structure. */
const DOCUMENTATION = new Set(["description", "title", "examples", "example", "$comment", "format", "x-enum-descriptions", "externalDocs"]);

/** Whether two schemas are alike once their documentation is set aside (renames are recognised by it). */
export function sameStructure(a: unknown, b: unknown): boolean {
  return jsonEqual(withoutDocumentation(a), withoutDocumentation(b));
}

function withoutDocumentation(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDocumentation);
  if (!isObject(node)) return node;
  return Object.fromEntries(Object.entries(node).filter(([key]) => !DOCUMENTATION.has(key)).map(([key, value]) => [key, withoutDocumentation(value)]));
}
