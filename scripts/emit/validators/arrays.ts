/**
 * Validators, keyword group of arrays: `minItems`, `maxItems`, `items`.
 */
import { isObject, type Json } from "../../lib/utils.js";
import { numberLiteral } from "../spec-text.js";
import { plural, type Place, type Stmt } from "./code.js";
import { hasChecks, pureRef } from "./schema-facts.js";
import type { Context, Writer } from "./writer.js";

export function arrayChecks(w: Writer, schema: Json, value: string, place: Place, context: Context): Stmt[] {
  const stmts: Stmt[] = [];
  const [min, max] = [schema["minItems"], schema["maxItems"]];
  if (typeof min === "number" && min > 0) {
    stmts.push({ if: `${value}.length < ${numberLiteral(min)}`, then: [w.report(context, place, "minItems", `must have at least ${plural(min, "item")}`)] });
  }
  if (typeof max === "number") {
    stmts.push({ if: `${value}.length > ${numberLiteral(max)}`, then: [w.report(context, place, "maxItems", `must have at most ${plural(max, "item")}`)] });
  }
  const items = schema["items"];
  if (isObject(items) && hasChecks(items)) {
    const index = context.locals.index();
    const ref = pureRef(items);
    const body: Stmt[] = ref
      ? w.call(ref, `${value}[${index}]`, place.index(index), context, "depth + 1")
      : w.localChecks(items, `${value}[${index}]`, "item", place.index(index), { ...context, hint: `${context.hint}Item` });
    stmts.push({ loop: `for (let ${index} = 0; ${index} < ${value}.length; ${index}++)`, body });
  }
  return stmts;
}
