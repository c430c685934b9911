/**
 * Validators, `x-tc-field-patterns`: each object schema's rules as a function of their own.
 */
import type { Json } from "../../lib/utils.js";
import { parseFieldPatterns } from "../../model/field-patterns.js";
import { FIELD_PATTERNS } from "../../spec/keywords.js";
import { parameterList } from "../layout.js";
import { commentText, memberAccess, stringLiteral } from "../spec-text.js";
import { identifierPart, Locals, Place, render, type Stmt } from "./code.js";
import { PARAMETERS, type Context, type Writer } from "./writer.js";

/**
 * The `x-tc-field-patterns` rules of an object schema, as a function of their own: each rule's
 * pattern is built from the members it names, then tested on every string its field reaches. Values
 * of the wrong type are left to the type checks: a rule applies only where its members are usable.
 */
export function fieldPatternsCheck(w: Writer, schema: Json, hint: string): string {
  const existing = w.ruleChecks.get(schema);
  if (existing) return existing;
  const name = w.claim(`check${identifierPart(hint)}FieldPatterns`);
  const locals = new Locals(w.names, PARAMETERS);
  const context: Context = { mode: "as written", locals, hint };
  const stmts: Stmt[] = [];
  for (const rule of parseFieldPatterns(w.root, schema).rules) {
    const members = new Map<string, string>();
    for (const part of rule.pattern) {
      if (typeof part !== "string" && !members.has(part.member)) members.set(part.member, locals.name(part.member));
    }
    const pattern = locals.name("pattern");
    const source = rule.pattern.map((part) => (typeof part === "string" ? stringLiteral(part) : `escapeRegExp(String(${members.get(part.member)}))`));
    // A member that is missing or neither a string nor a number: its own checks say so; the rule cannot apply.
    const usable = [...members.values()].map((local) => `typeof ${local} === "string" || typeof ${local} === "number"`);
    const reach = fieldReach(w, rule.field, "value", Place.here, locals, (text, place) => [
      { if: `typeof ${text} === "string" && !${pattern}.test(${text})`, then: [w.report(context, place, FIELD_PATTERNS, rule.message)] },
    ]);
    stmts.push(`// ${commentText(`${rule.field.join("/")}: ${rule.message}`, "line")}`);
    for (const [member, local] of members) stmts.push(`const ${local} = ${memberAccess("value", member)};`);
    stmts.push({ if: (usable.length === 1 ? usable[0]! : usable.map((condition) => `(${condition})`).join(" && ")) || "true", then: [`const ${pattern} = new RegExp(${source.join(" + ")}, "u");`, ...reach] });
  }
  w.helpers.add("escapeRegExp");
  w.pendingRuleChecks.push({
    functionName: name,
    comment: commentText(`The \`${FIELD_PATTERNS}\` rules of \`${hint}\`, for a value already known to be an object.`, "doc"),
    signature: parameterList(`function ${name}`, ["value: Record<string, unknown>", "report: ValidationReport"], ": void {"),
    body: render(stmts),
  });
  w.ruleChecks.set(schema, name);
  return name;
}

/** Statements reaching every value a field (member names, `*` for items) leads to from `value`. */
export function fieldReach(w: Writer, field: readonly string[], value: string, place: Place, locals: Locals, visit: (value: string, place: Place) => Stmt[]): Stmt[] {
  const [segment, ...rest] = field;
  if (segment === undefined) return visit(value, place);
  if (segment === "*") {
    const i = locals.index();
    const item = locals.name("item");
    const body = [`const ${item}: unknown = ${value}[${i}];`, ...fieldReach(w, rest, item, place.index(i), locals, visit)];
    return [{ if: `Array.isArray(${value})`, then: [{ loop: `for (let ${i} = 0; ${i} < ${value}.length; ${i}++)`, body }] }];
  }
  const member = locals.name(segment);
  const inner: Stmt[] = [`const ${member} = ${memberAccess(value, segment)};`, ...fieldReach(w, rest, member, place.member(segment), locals, visit)];
  // The object the rule belongs to is known to be one; anything reached inside it is not.
  if (value === "value") return inner;
  w.helpers.add("isJsonObject");
  return [{ if: `isJsonObject(${value})`, then: inner }];
}
