/**
 * The `x-tc-field-patterns` extension: rules an API page states that JSON Schema cannot, because they
 * relate one member to another (spec/README.md shows one). On an object schema, a list of
 * `{ field, pattern, message }`: `field` is a pointer into the object where `*` stands for every item
 * of an array, `pattern` a regular expression in which `{/Member}` stands for the value of that
 * member of the same object (escaped), `message` what the rule requires.
 *
 * Parsed and checked here against the schema: the check stage reports problems, the emit stage
 * writes each rule out as code (scripts/emit/validators/).
 */
import { deref, isObject, joinPointer, splitPointer, type Json } from "../lib/utils.js";
import { FIELD_PATTERNS } from "../spec/keywords.js";


export interface FieldPatternRule {
  /** Member names from the object to the checked strings; `"*"` is every item of an array. */
  readonly field: readonly string[];
  /** Regular expression source, with references to members (declared string or integer) in between. */
  readonly pattern: readonly (string | { readonly member: string })[];
  readonly message: string;
}

export interface FieldPatternProblem {
  /** JSON pointer of the offending node, relative to the schema holding the extension. */
  readonly pointer: string;
  readonly message: string;
}

/** `{/Member}` inside a pattern. */
const REFERENCE = /\{(\/[^{}]*)\}/g;

/** The rules of one schema, or the problems that keep them from being used. */
export function parseFieldPatterns(
  root: Json,
  schema: Json,
): { rules: FieldPatternRule[]; problems: FieldPatternProblem[] } {
  const rules: FieldPatternRule[] = [];
  const problems: FieldPatternProblem[] = [];
  const list = schema[FIELD_PATTERNS];
  const at = (...segments: (string | number)[]) => joinPointer(FIELD_PATTERNS, ...segments);
  if (!Array.isArray(list) || list.length === 0) {
    problems.push({ pointer: at(), message: `"${FIELD_PATTERNS}" must be a list of { field, pattern, message }` });
    return { rules, problems };
  }
  if (!typeIncludes(schema, "object")) {
    problems.push({ pointer: at(), message: `"${FIELD_PATTERNS}" belongs on a schema of type object` });
  }
  list.forEach((entry, i) => {
    if (!isObject(entry) || typeof entry["field"] !== "string" || typeof entry["pattern"] !== "string" || typeof entry["message"] !== "string") {
      // At the member that is not a string, when there is one; at the entry when one is missing.
      const wrong = isObject(entry) ? ["field", "pattern", "message"].find((m) => entry[m] !== undefined && typeof entry[m] !== "string") : undefined;
      problems.push({ pointer: wrong === undefined ? at(i) : at(i, wrong), message: `each "${FIELD_PATTERNS}" entry needs a string "field", "pattern" and "message"` });
      return;
    }
    const before = problems.length;
    const unknown = Object.keys(entry).filter((key) => !["field", "pattern", "message"].includes(key));
    if (unknown.length > 0) problems.push({ pointer: at(i, unknown[0]!), message: `unknown "${FIELD_PATTERNS}" member "${unknown[0]}"` });
    if (entry["message"].trim() === "") problems.push({ pointer: at(i, "message"), message: "the message must say what the rule requires" });

    const field = entry["field"].startsWith("/") ? splitPointer(entry["field"]) : [];
    const target = field.length > 0 ? schemaAt(root, schema, field) : undefined;
    if (target === undefined) {
      problems.push({ pointer: at(i, "field"), message: `field "${entry["field"]}" must be a pointer ("/Member/*/Child") to a member declared by the schema` });
    } else if (!typeIncludes(target, "string")) {
      problems.push({ pointer: at(i, "field"), message: `field "${entry["field"]}" must be a string member: patterns apply to strings` });
    }

    const pattern: (string | { member: string })[] = [];
    let last = 0;
    for (const match of entry["pattern"].matchAll(REFERENCE)) {
      const member = splitPointer(match[1]!);
      const referenced = member.length === 1 ? schemaAt(root, schema, member) : undefined;
      const types = ["string", "integer"].filter((type) => referenced !== undefined && typeIncludes(referenced, type));
      if (types.length === 0) {
        problems.push({ pointer: at(i, "pattern"), message: `{${match[1]}} must name a string or integer member of the same object` });
      }
      pattern.push(entry["pattern"].slice(last, match.index), { member: member[0] ?? "" });
      last = match.index! + match[0].length;
    }
    pattern.push(entry["pattern"].slice(last));
    try {
      new RegExp(pattern.map((part) => (typeof part === "string" ? part : "x")).join(""), "u");
    } catch (error) {
      problems.push({ pointer: at(i, "pattern"), message: `pattern is not a valid regular expression: ${(error as Error).message}` });
    }
    if (problems.length === before) {
      rules.push({ field, pattern: pattern.filter((part) => part !== ""), message: entry["message"].trim() });
    }
  });
  return { rules, problems };
}

/** The schema a path of member names (and `*` for items) leads to, following `$ref`s; undefined when undeclared. */
function schemaAt(root: Json, schema: Json, path: readonly string[]): Json | undefined {
  let current: Json | undefined = derefSchema(root, schema);
  for (const segment of path) {
    if (current === undefined) return undefined;
    if (segment === "*") {
      current = typeIncludes(current, "array") && isObject(current["items"]) ? derefSchema(root, current["items"]) : undefined;
    } else {
      const properties = current["properties"];
      current = isObject(properties) && Object.hasOwn(properties, segment) && isObject(properties[segment]) ? derefSchema(root, properties[segment] as Json) : undefined;
    }
  }
  return current;
}

/** The schema a chain of plain `$ref`s ends at; the check stage has verified each resolves. */
function derefSchema(root: Json, schema: Json): Json | undefined {
  const target = deref(root, schema);
  return isObject(target) ? target : undefined;
}

function typeIncludes(schema: Json, type: string): boolean {
  const declared = schema["type"];
  return declared === type || (Array.isArray(declared) && declared.includes(type));
}
