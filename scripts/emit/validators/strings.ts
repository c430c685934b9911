/**
 * Validators, keyword group of strings: `minLength`, `maxLength`, `pattern`.
 */
import type { Json } from "../../lib/utils.js";
import { numberLiteral } from "../spec-text.js";
import { plural, type Place, type Stmt } from "./code.js";
import type { Context, Writer } from "./writer.js";

export function stringChecks(w: Writer, schema: Json, value: string, place: Place, context: Context): Stmt[] {
  const stmts: Stmt[] = [];
  const min = schema["minLength"];
  if (typeof min === "number" && min > 0) {
    if (min > 1) w.helpers.add("isShorterThan");
    const condition = min === 1 ? `${value}.length < 1` : `isShorterThan(${value}, ${numberLiteral(min)})`;
    stmts.push({ if: condition, then: [w.report(context, place, "minLength", `must be at least ${plural(min, "character")} long`)] });
  }
  const max = schema["maxLength"];
  if (typeof max === "number") {
    w.helpers.add("isLongerThan");
    stmts.push({ if: `isLongerThan(${value}, ${numberLiteral(max)})`, then: [w.report(context, place, "maxLength", `must be at most ${plural(max, "character")} long`)] });
  }
  if (typeof schema["pattern"] === "string") {
    const regex = w.regexConstant(schema["pattern"], context.hint);
    w.helpers.add("reportPattern");
    stmts.push({ if: `!${regex}.test(${value})`, then: [`reportPattern(report, ${w.at(place)}, ${regex});`] });
  }
  return stmts;
}
