/**
 * Validators, keyword group of objects: `properties`, `required`, `additionalProperties`, `x-tc-field-patterns`.
 */
import { isObject, type Json } from "../../lib/utils.js";
import { FIELD_PATTERNS } from "../../spec/keywords.js";
import { memberAccess, stringLiteral } from "../spec-text.js";
import type { Place, Stmt } from "./code.js";
import { fieldPatternsCheck } from "./field-patterns.js";
import { hasChecks, pureRef } from "./schema-facts.js";
import type { Context, Writer } from "./writer.js";

export function objectChecks(w: Writer, schema: Json, value: string, place: Place, context: Context): Stmt[] {
  const stmts: Stmt[] = [];
  const properties = isObject(schema["properties"]) ? (schema["properties"] as Record<string, Json>) : {};
  const required = new Set(Array.isArray(schema["required"]) ? (schema["required"] as string[]) : []);
  for (const name of [...Object.keys(properties), ...[...required].filter((n) => !Object.hasOwn(properties, n))]) {
    const property = properties[name];
    const checked = property !== undefined && hasChecks(property);
    if (!checked && !required.has(name)) continue;
    const local = context.locals.name(name);
    stmts.push(`const ${local} = ${memberAccess(value, name)};`);
    const ref = checked ? pureRef(property) : undefined;
    const propertyChecks: Stmt[] = !checked
      ? []
      : ref
        ? w.call(ref, local, place.member(name), context, "depth + 1")
        : w.schemaChecks(property, local, place.member(name), { ...context, hint: name });
    if (required.has(name)) {
      w.helpers.add("reportMissing");
      const missing = `reportMissing(report, ${w.at(place.member(name))});`;
      stmts.push({ if: `${local} === undefined`, then: [missing], ...(propertyChecks.length > 0 ? { else: propertyChecks } : {}) });
    } else {
      stmts.push({ if: `${local} !== undefined`, then: propertyChecks });
    }
  }

  const additional = schema["additionalProperties"];
  const closed = additional === false && context.mode === "as written";
  if (closed || (isObject(additional) && hasChecks(additional))) {
    const key = context.locals.name("key");
    const declared = Object.keys(properties).map((name) => `${key} !== ${stringLiteral(name)}`).join(" && ");
    let body: Stmt[];
    if (closed) {
      w.helpers.add("reportUnknownMember");
      body = [`reportUnknownMember(report, ${w.at(place)}, ${key});`];
    } else {
      const ref = pureRef(additional as Json);
      body = ref
        ? w.call(ref, `${value}[${key}]`, place.key(key), context, "depth + 1")
        : w.localChecks(additional as Json, `${value}[${key}]`, "member", place.key(key), { ...context, hint: `${context.hint}Member` });
    }
    // for...in with Object.hasOwn last: twice as fast as Object.keys, and only own members count
    // (what JSON.stringify sends).
    const own = `Object.hasOwn(${value}, ${key})`;
    stmts.push({ loop: `for (const ${key} in ${value})`, body: [{ if: declared === "" ? own : `${declared} && ${own}`, then: body }] });
  }

  if (schema[FIELD_PATTERNS] !== undefined) {
    stmts.push(...w.atPlace(place, `${fieldPatternsCheck(w, schema, context.hint)}(${value}, report);`));
  }
  return stmts;
}
