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
 * Here: the validator checks of a marked schema.
 */
import { type Json } from "../../lib/utils.js";
import { INT64 } from "../../spec/keywords.js";
import { numberLiteral } from "../spec-text.js";
import { negate, type Stmt } from "./code.js";


/**
 * The checks of a marked value at `value`: a decimal integer string (or null, when allowed) within
 * the bounds. `report(keyword, message)` gives the statement recording an issue.
 */
export function int64Checks(schema: Json, value: string, helpers: Set<string>, report: (keyword: string, message: string) => string): Stmt[] {
  helpers.add("isDecimalInteger");
  const nullable = schema["nullable"] === true || (Array.isArray(schema["type"]) && schema["type"].includes("null"));
  const decimal = `isDecimalInteger(${value})`;
  const bounds: Stmt[] = [];
  if (typeof schema["minimum"] === "number") {
    bounds.push({ if: `BigInt(${value}) < ${numberLiteral(schema["minimum"])}n`, then: [report("minimum", `must be >= ${numberLiteral(schema["minimum"])}`)] });
  }
  if (typeof schema["maximum"] === "number") {
    bounds.push({ if: `BigInt(${value}) > ${numberLiteral(schema["maximum"])}n`, then: [report("maximum", `must be <= ${numberLiteral(schema["maximum"])}`)] });
  }
  const typeIssue = report("type", `must be an integer as a decimal string (${INT64})${nullable ? " or null" : ""}`);
  const valid = nullable ? `${value} === null || ${decimal}` : decimal;
  if (bounds.length === 0) return [{ if: negate(valid), then: [typeIssue] }];
  return [{ if: negate(valid), then: [typeIssue], else: nullable ? [{ if: `${value} !== null`, then: bounds }] : bounds }];
}
