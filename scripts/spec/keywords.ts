/**
 * The keywords tcgen gives meaning to, in one place: the check stage accepts a schema keyword only
 * if it is listed here, and the validators emitter (scripts/emit/validators/) implements exactly the
 * constraining ones. Imports nothing.
 */

/** An action's Limit/Offset paging (scripts/check/paging.ts, scripts/model/paging.ts). */
export const PAGINATION = "x-tc-pagination";
/** The spec's waiters (scripts/check/paging.ts, scripts/model/paging.ts). */
export const WAITERS = "x-tc-waiters";
/** Patterns a field must match, built from other members (scripts/model/field-patterns.ts). */
export const FIELD_PATTERNS = "x-tc-field-patterns";
/** An integer beyond 2^53, carried as its decimal string (scripts/model/int64.ts). */
export const INT64 = "x-tc-int64";

/** Keywords the generated validators enforce; the check stage refuses any other constraining keyword. */
export const VALIDATED_KEYWORDS: ReadonlySet<string> = new Set([
  "type", "nullable", "enum", "const",
  "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
  "minLength", "maxLength", "pattern",
  "items", "minItems", "maxItems",
  "required", "properties", "additionalProperties",
  "$ref", "allOf", "anyOf", "oneOf",
  FIELD_PATTERNS,
]);

/**
 * What makes a schema constrain a value in the emitted validators: the validated keywords and
 * `x-tc-int64` (checked by scripts/check/int64.ts rather than with the others).
 */
export const CONSTRAINING_KEYWORDS: ReadonlySet<string> = new Set([...VALIDATED_KEYWORDS, INT64]);

/**
 * Keywords that describe without constraining, with the kind of value each takes (openapi-typescript
 * writes several into TSDoc). `format` is an annotation in JSON Schema 2020-12 unless a vocabulary
 * asserts it; `discriminator` only tells tools which `oneOf` branch to try first.
 */
export const ANNOTATION_KEYWORDS: Readonly<Record<string, "string" | "boolean" | "list" | "any" | "mapping">> = {
  title: "string",
  description: "string",
  $comment: "string",
  format: "string",
  deprecated: "boolean",
  readOnly: "boolean",
  writeOnly: "boolean",
  examples: "list",
  example: "any",
  default: "any",
  discriminator: "mapping",
  externalDocs: "mapping",
  xml: "mapping",
};
