/** Part of stage 2, check: the `$ref`s. */
import { isObject, joinPointer, resolveRef, type Json } from "../lib/utils.js";
import type { Report } from "../spec/problems.js";

/** Every `$ref` must be local and resolve: the generator inlines nothing from elsewhere. */
export function checkRefs(node: unknown, pointer: string, root: Json, report: Report): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => checkRefs(item, `${pointer}/${i}`, root, report));
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    const at = `${pointer}${joinPointer(key)}`;
    if (key === "$ref" && typeof value === "string") {
      if (!value.startsWith("#/")) report(at, `only local $refs ("#/components/...") are supported, got "${value}"`);
      else if (resolveRef(root, value) === undefined) report(at, `$ref "${value}" does not resolve`);
    } else if (key !== "examples" && key !== "example") {
      checkRefs(value, at, root, report);
    }
  }
}
