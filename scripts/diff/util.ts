/**
 * Shared helpers of the diff stage: the leaf module, importing nothing else of the stage. JSON
 * values, RFC 6901 pointers, deep equality and a locale-free order.
 */

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `base` extended by the given segments, each escaped as RFC 6901 says (`~` → `~0`, `/` → `~1`). */
export function pointerTo(base: string, ...segments: (string | number)[]): string {
  return base + segments.map((s) => "/" + String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

/** Structural equality of JSON values; object key order does not matter, array order does. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
}

/** Code-point order, independent of the machine's locale, so output is stable byte for byte. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A value as it reads in a message: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
  return JSON.stringify(value) ?? "undefined";
}

/** The keys of both objects, each once, in code-point order. */
export function unionKeys(a: Json, b: Json): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(byCodePoint);
}

/** The target name of a `#/components/schemas/<Name>` reference, else undefined. */
export function schemaRefName(node: unknown): string | undefined {
  const ref = isObject(node) ? node["$ref"] : undefined;
  const prefix = "#/components/schemas/";
  return typeof ref === "string" && ref.startsWith(prefix) ? ref.slice(prefix.length).replace(/~1/g, "/").replace(/~0/g, "~") : undefined;
}

/** Keys that only document a schema: two schemas differing only in them have the same structure. */
const DOCUMENTATION = new Set(["description", "title", "examples", "example", "$comment", "format", "x-enum-descriptions", "externalDocs"]);

/** Whether two schemas are alike once their documentation is set aside (renames are recognised by it). */
export function sameStructure(a: unknown, b: unknown): boolean {
  return deepEqual(withoutDocumentation(a), withoutDocumentation(b));
}

function withoutDocumentation(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDocumentation);
  if (!isObject(node)) return node;
  return Object.fromEntries(Object.entries(node).filter(([key]) => !DOCUMENTATION.has(key)).map(([key, value]) => [key, withoutDocumentation(value)]));
}
