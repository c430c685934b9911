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
 * Here: the plans, where in a request or an answer the marked members are (emitted into
 * `service.ts` and `mock.ts`).
 */
import type { Int64Plan, Int64Plans } from "../lib/runtime.js";
import { isObject, schemaNameOfRef, type Json } from "../lib/utils.js";
import { INT64 } from "../spec/keywords.js";
import type { ServiceModel } from "./service-model.js";


/** The plans of every schema that holds a marked member (at any depth), and which actions use them. */
export function buildInt64Plans(model: ServiceModel, root: Json): Int64Plans | undefined {
  const schemas = (root["components"] as Json)["schemas"] as Json;
  const plans: Record<string, Int64Plan> = {};
  const refName = (ref: string) => schemaNameOfRef(ref)!;
  const names = Object.keys(schemas);

  // The schemas holding a marked member: those marking one themselves, then, until nothing changes,
  // those referring to one that holds one (recursive schemas included).
  const refs = new Map(names.map((name) => [name, new Set<string>()]));
  const holds = new Set<string>();
  const scan = (node: unknown, name: string): void => {
    if (Array.isArray(node)) return node.forEach((item) => scan(item, name));
    if (!isObject(node)) return;
    if (node[INT64] === true) holds.add(name);
    if (typeof node["$ref"] === "string") refs.get(name)!.add(refName(node["$ref"]));
    for (const [key, value] of Object.entries(node)) if (key !== "examples" && key !== "example") scan(value, name);
  };
  for (const name of names) scan(schemas[name], name);
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of names) {
      if (holds.has(name) || ![...refs.get(name)!].some((ref) => holds.has(ref))) continue;
      holds.add(name);
      changed = true;
    }
  }

  const planOf = (schema: unknown): Int64Plan | undefined => {
    if (!isObject(schema)) return undefined;
    if (schema[INT64] === true) return "int64";
    const parts: Int64Plan[] = [];
    if (typeof schema["$ref"] === "string" && holds.has(refName(schema["$ref"]))) parts.push({ ref: refName(schema["$ref"]) });
    if (isObject(schema["properties"])) {
      const members: Record<string, Int64Plan> = {};
      for (const [member, sub] of Object.entries(schema["properties"])) {
        const plan = planOf(sub);
        if (plan !== undefined) members[member] = plan;
      }
      if (Object.keys(members).length > 0) parts.push({ members });
    }
    const items = planOf(schema["items"]);
    if (items !== undefined) parts.push({ items });
    const values = planOf(schema["additionalProperties"]);
    if (values !== undefined) parts.push({ values });
    // A member marked in any branch is converted wherever it appears.
    for (const key of ["allOf", "anyOf", "oneOf"]) {
      for (const branch of Array.isArray(schema[key]) ? (schema[key] as unknown[]) : []) {
        const plan = planOf(branch);
        if (plan !== undefined) parts.push(plan);
      }
    }
    return parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { all: parts };
  };
  for (const name of names) if (holds.has(name)) plans[name] = planOf(schemas[name])!;
  if (Object.keys(plans).length === 0) return undefined;
  const actions: Record<string, { request?: string; response?: string }> = {};
  for (const action of model.actions) {
    const entry = {
      ...(plans[action.requestComponent] ? { request: action.requestComponent } : {}),
      ...(plans[action.responseComponent] ? { response: action.responseComponent } : {}),
    };
    if (Object.keys(entry).length > 0) actions[action.action] = entry;
  }
  return { schemas: plans, actions };
}
