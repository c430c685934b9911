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
 * Here: the type of a marked member, through openapi-typescript's `transform` hook.
 */
import ts from "typescript";
import { isObject } from "../lib/utils.js";
import { INT64 } from "../spec/keywords.js";


/** The type of a marked schema, `` `${bigint}` `` (or `| null`); undefined for any other schema. */
export function int64Type(schema: unknown): ts.TypeNode | undefined {
  if (!isObject(schema) || schema[INT64] !== true) return undefined;
  const decimal = ts.factory.createTemplateLiteralType(ts.factory.createTemplateHead(""), [
    ts.factory.createTemplateLiteralTypeSpan(ts.factory.createKeywordTypeNode(ts.SyntaxKind.BigIntKeyword), ts.factory.createTemplateTail("")),
  ]);
  const nullable = schema["nullable"] === true || (Array.isArray(schema["type"]) && schema["type"].includes("null"));
  return nullable ? ts.factory.createUnionTypeNode([decimal, ts.factory.createLiteralTypeNode(ts.factory.createNull())]) : decimal;
}
