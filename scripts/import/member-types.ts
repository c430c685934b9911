/**
 * The one place where a definitions member type becomes a JSON Schema type. Everything that needs
 * to know what `int64` or `list of Foo` is in the spec (the schemas, typing examples, verify's
 * comparison through the imported spec) goes through here. Pure.
 */
import type { MemberDefinition } from "./definitions.js";
import { type Json, schemaRef } from "../lib/utils.js";

/** The type of a member without nullability or text: `{ type, format?, minimum?, items? }` or a `$ref`. */
export function memberTypeSchema(member: Pick<MemberDefinition, "type" | "member">): Json {
  switch (member.type) {
    case "list":
      return { type: "array", items: elementSchema(member.member) };
    case "object":
      return { $ref: schemaRef(member.member) };
    default:
      return elementSchema(member.member);
  }
}

/** One value of a member: a primitive by its `member` name, or a structure. */
function elementSchema(member: string): Json {
  switch (member) {
    case "string":
      return { type: "string" };
    // Tencent's member widths. JSON numbers beyond 2^53 lose precision in JavaScript; which int64
    // members can get there the definitions do not say.
    case "int64":
      return { type: "integer", format: "int64" };
    case "uint64":
      return { type: "integer", format: "int64", minimum: 0 };
    case "float":
      return { type: "number" };
    case "bool":
      return { type: "boolean" };
    // RFC 3339 (`2021-02-04T15:23:52+08:00`), a calendar date, and Tencent's `YYYY-MM-DD HH:mm:ss`.
    case "datetime_iso":
      return { type: "string", format: "date-time" };
    case "date":
      return { type: "string", format: "date" };
    case "datetime":
      return { type: "string", format: "datetime" };
    // Sent by Tencent as a multipart/form-data file part; see the review note the importer adds.
    case "binary":
      return { type: "string", format: "binary" };
    default:
      return { $ref: schemaRef(member) };
  }
}

/** Adds `null` to a schema's values: to its `type`, or beside a `$ref`. */
export function withNull(schema: Json): Json {
  if (typeof schema["type"] === "string") return { ...schema, type: [schema["type"], "null"] };
  return { anyOf: [schema, { type: "null" }] };
}

/** How a primitive member's text (an example, a GET value) becomes its typed value; `undefined` if it cannot. */
export function typedValue(text: string, member: string): unknown {
  switch (member) {
    case "int64":
    case "uint64": {
      if (!/^-?\d+$/.test(text.trim())) return undefined;
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : BigInt(text.trim());
    }
    case "float":
      return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text.trim()) ? Number(text) : undefined;
    case "bool":
      return text === "true" ? true : text === "false" ? false : undefined;
    default:
      return text;
  }
}

/** Whether a JSON value fits a primitive member (for checking examples), `null` aside. */
export function fitsPrimitive(value: unknown, member: string): boolean {
  switch (member) {
    case "int64":
    case "uint64":
      return (typeof value === "number" && Number.isInteger(value) && (member === "int64" || value >= 0)) || typeof value === "bigint";
    case "float":
      return typeof value === "number" || typeof value === "bigint";
    case "bool":
      return typeof value === "boolean";
    default:
      return typeof value === "string";
  }
}

/** How a structure is used: only in requests, only in answers, or both (which changes `required`). */
export type Role = "in" | "out" | "both";

/**
 * Whether a member must be present. Requests: `required`. Answers: `output_required`, or `required`
 * in older definitions that have no `output_required`. A structure in both keeps only what both
 * say, so that neither a request nor an answer is refused for lacking a member Tencent allows to lack.
 */
export function isRequired(member: Pick<MemberDefinition, "required" | "outputRequired">, role: Role): boolean {
  const inRequest = member.required;
  const inAnswer = member.outputRequired ?? member.required;
  return role === "in" ? inRequest : role === "out" ? inAnswer : inRequest && inAnswer;
}
