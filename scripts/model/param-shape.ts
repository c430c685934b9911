/**
 * The types a request schema gives its parameters, reduced to what rebuilding GET parameters needs
 * (on the wire every value is a string): see `ParamShape` in runtime/wire.ts. Pure.
 */
import type { ParamShape } from "../lib/runtime.js";
import { deref, isObject } from "../lib/utils.js";


/** Recursive schemas are cut off here; deeper GET parameters stay strings. */
const MAX_SHAPE_DEPTH = 8;

export function paramShape(root: Record<string, unknown>, schema: unknown, depth = 0): ParamShape {
  const node = deref(root, schema);
  if (!isObject(node) || depth > MAX_SHAPE_DEPTH) return "any";
  // An x-tc-int64 member stays the decimal string it is on the wire (scripts/model/int64.ts).
  if (node["x-tc-int64"] === true) return "string";
  const type = node["type"];
  if (type === "string" || type === "integer" || type === "number" || type === "boolean") return type;
  if (type === "array") return { array: paramShape(root, node["items"], depth + 1) };
  if (type === "object" && isObject(node["properties"])) {
    const object: Record<string, ParamShape> = {};
    for (const [name, property] of Object.entries(node["properties"])) object[name] = paramShape(root, property, depth + 1);
    return { object };
  }
  return "any";
}
