/**
 * `x-tc-int64: true`: an integer member whose values may exceed 2^53, where a JavaScript number
 * stops being exact (Tencent's definitions type every integer as plain `int`; the spec says which
 * members really need 64 bits: IDs, not sizes or counts). Such a member is carried as its decimal
 * string, typed `` `${bigint}` ``: delivered exactly from answers, sent as a bare JSON number in
 * requests (runtime/int64.ts does both, from the plans built by scripts/model/int64.ts).
 *
 * The concept is met at four points of the generator: the check (scripts/check/int64.ts), the
 * plans (scripts/model/int64.ts), the TypeScript type (scripts/emit/int64-type.ts) and the
 * validators' checks (scripts/emit/validators/int64.ts).
 *
 * Here: every `x-tc-int64` is `true`, on an integer schema using only the keywords its checks implement.
 */
import { isObject, joinPointer, type Json } from "../lib/utils.js";
import type { Report } from "../spec/problems.js";
import { INT64 } from "../spec/keywords.js";
import { jsonText } from "../emit/spec-text.js";

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
