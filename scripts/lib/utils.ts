/**
 * The generator's shared helpers, for every stage (spec, check, model, emit, import, verify, diff):
 * JSON values read by own members only, local `$ref`s, RFC 6901 pointers and a locale-free order.
 * The leaf module: it imports nothing, so that any module may import it without making a loop.
 */

/** A parsed JSON (or YAML) mapping. */
export type Json = Record<string, unknown>;

/** A mapping: not null, not a list. */
export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Member `key` of `value` when it is a mapping that has it as its own: never Object.prototype's. */
export function own(value: unknown, key: string): unknown {
  return isObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/** The node a local `$ref` ("#/…") points at, by own members and list indexes only; undefined when there is none. */
export function resolveRef(root: Json, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = root;
  for (const key of splitPointer(ref)) {
    if (Array.isArray(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(key) || Number(key) >= node.length) return undefined;
      node = node[Number(key)];
    } else if (isObject(node) && Object.hasOwn(node, key)) node = node[key];
    else return undefined;
  }
  return node;
}

/** Longest chain of plain `$ref`s followed; a longer one (a loop) stops there. */
const MAX_REF_HOPS = 32;

/** `node`, or what its chain of `$ref`s ends at (undefined where one does not resolve). */
export function deref(root: Json, node: unknown): unknown {
  let current = node;
  for (let hops = 0; isObject(current) && typeof current["$ref"] === "string" && hops < MAX_REF_HOPS; hops++) current = resolveRef(root, current["$ref"]);
  return current;
}

/** The prefix of a component schema's `$ref`. */
export const SCHEMA_REF_PREFIX = "#/components/schemas/";

/** The schema name a `#/components/schemas/<Name>` reference (a string) points at (`~0`, `~1` decoded), else undefined. */
export function schemaNameOfRef(ref: unknown): string | undefined {
  return typeof ref === "string" && ref.startsWith(SCHEMA_REF_PREFIX) ? decodePointerSegment(ref.slice(SCHEMA_REF_PREFIX.length)) : undefined;
}

/** One RFC 6901 pointer segment as written (`~` → `~0`, `/` → `~1`). */
export function encodePointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, "~0").replace(/\//g, "~1");
}

/** One RFC 6901 pointer segment as meant (`~1` → `/`, then `~0` → `~`). */
export function decodePointerSegment(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** Splits an RFC 6901 JSON pointer (or a `#…` URI fragment) into its unescaped segments. */
export function splitPointer(pointer: string): string[] {
  if (pointer === "" || pointer === "#") return [];
  return pointer.replace(/^#/, "").slice(1).split("/").map(decodePointerSegment);
}

/** Joins segments into an RFC 6901 JSON pointer. */
export function joinPointer(...segments: (string | number)[]): string {
  return segments.map((s) => "/" + encodePointerSegment(s)).join("");
}

/** `base` extended by the given segments, each escaped. */
export function pointerTo(base: string, ...segments: (string | number)[]): string {
  return base + joinPointer(...segments);
}

/** Code-point order, independent of the machine's locale, so output is stable byte for byte. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `#/components/schemas/<name>`. */
export function schemaRef(name: string): string {
  return `${SCHEMA_REF_PREFIX}${name}`;
}

/** Structural equality of JSON values (BigInts by value): mapping key order does not matter, list order does. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]));
}
