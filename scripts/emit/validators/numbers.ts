/**
 * Validators, keyword group of numbers: `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`.
 */
import type { Json } from "../../lib/utils.js";
import { numberLiteral } from "../spec-text.js";
import type { Place, Stmt } from "./code.js";
import type { Context, Writer } from "./writer.js";

export function numberChecks(w: Writer, schema: Json, value: string, place: Place, context: Context): Stmt[] {
  const bounds: [string, string, string][] = [
    ["minimum", "<", ">="],
    ["exclusiveMinimum", "<=", ">"],
    ["maximum", ">", "<="],
    ["exclusiveMaximum", ">=", "<"],
  ];
  return bounds
    .filter(([keyword]) => typeof schema[keyword] === "number")
    .map(([keyword, failing, wanted]) => ({
      if: `${value} ${failing} ${numberLiteral(schema[keyword] as number)}`,
      then: [w.report(context, place, keyword, `must be ${wanted} ${numberLiteral(schema[keyword] as number)}`)],
    }));
}
