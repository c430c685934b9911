/**
 * fast-check inputs for a spec's schemas: values built to match a schema (recursion bounded, the
 * `x-tc-field-patterns` rules honoured most of the time) and near misses made from them by small
 * mutations (a member removed or added, a value replaced, a bound crossed, a type changed).
 */
import fc from "fast-check";

type Json = Record<string, unknown>;

/** Beyond this many `$ref`s, optional members and array items are left out so recursion ends. */
const MAX_GENERATED_DEPTH = 3;

export function arbitraries(spec: Json) {
  const schemas = (spec["components"] as Json)["schemas"] as Json;

  const valid = (schema: Json, depth: number): fc.Arbitrary<unknown> => {
    if (typeof schema["$ref"] === "string" && Object.keys(schema).every((k) => k === "$ref" || k === "description")) {
      const name = schema["$ref"].slice("#/components/schemas/".length);
      return withFieldPatterns(schemas[name] as Json, valid(schemas[name] as Json, depth + 1));
    }
    if ("const" in schema) return fc.constant(schema["const"]);
    if (Array.isArray(schema["enum"])) return fc.constantFrom(...(schema["enum"] as unknown[]));
    for (const key of ["oneOf", "anyOf"]) {
      const branches = schema[key] as Json[] | undefined;
      if (branches) return depth >= MAX_GENERATED_DEPTH ? valid(branches[0]!, depth) : fc.oneof(...branches.map((b) => valid(b, depth)));
    }
    if (Array.isArray(schema["allOf"])) {
      return fc.tuple(...(schema["allOf"] as Json[]).map((b) => valid(b, depth))).map((parts) => Object.assign({}, ...parts));
    }
    const types = schema["type"] === undefined ? [] : Array.isArray(schema["type"]) ? (schema["type"] as string[]) : [schema["type"] as string];
    if (schema["nullable"] === true) types.push("null");
    if (types.length === 0) return fc.jsonValue({ maxDepth: 2 });
    return fc.oneof(...types.map((type) => ofType(schema, type, depth)));
  };

  const ofType = (schema: Json, type: string, depth: number): fc.Arbitrary<unknown> => {
    switch (type) {
      case "null":
        return fc.constant(null);
      case "boolean":
        return fc.boolean();
      case "integer":
        return fc.integer({
          min: bound(schema, "minimum", "exclusiveMinimum", 1, -1_000_000),
          max: bound(schema, "maximum", "exclusiveMaximum", -1, 1_000_000),
        });
      case "number":
        return fc.double({
          min: (schema["minimum"] ?? schema["exclusiveMinimum"] ?? -1e6) as number,
          max: (schema["maximum"] ?? schema["exclusiveMaximum"] ?? 1e6) as number,
          minExcluded: schema["exclusiveMinimum"] !== undefined,
          maxExcluded: schema["exclusiveMaximum"] !== undefined,
          noNaN: true,
          noDefaultInfinity: true,
        });
      case "string": {
        const minLength = (schema["minLength"] as number | undefined) ?? 0;
        const maxLength = schema["maxLength"] as number | undefined;
        if (typeof schema["pattern"] === "string") {
          const lengthOk = (s: string) => [...s].length >= minLength && [...s].length <= (maxLength ?? Infinity);
          return fc.stringMatching(new RegExp(schema["pattern"], "u"), { maxLength: 40 }).filter(lengthOk);
        }
        const lengths = { minLength, maxLength: maxLength ?? minLength + 12 };
        return fc.oneof(fc.string(lengths), fc.string({ ...lengths, unit: "binary" }));
      }
      case "array": {
        const items = (schema["items"] as Json | undefined) ?? {};
        const minLength = (schema["minItems"] as number | undefined) ?? 0;
        const maxLength = depth >= MAX_GENERATED_DEPTH ? minLength : ((schema["maxItems"] as number | undefined) ?? 4);
        return fc.array(valid(items, depth), { minLength, maxLength });
      }
      default: {
        const properties = (schema["properties"] as Record<string, Json> | undefined) ?? {};
        const required = new Set((schema["required"] as string[] | undefined) ?? []);
        const names = Object.keys(properties).filter((n) => required.has(n) || depth < MAX_GENERATED_DEPTH);
        const record = fc.record(Object.fromEntries(names.map((n) => [n, valid(properties[n]!, depth)])), {
          requiredKeys: names.filter((n) => required.has(n)),
        });
        const additional = schema["additionalProperties"];
        if (additional === false) return record;
        // Open objects may carry members the spec does not name (a map's entries, or members Tencent adds).
        const extra = fc.dictionary(
          fc.string({ maxLength: 6 }).filter((key) => !(key in properties)),
          typeof additional === "object" ? valid(additional as Json, depth) : fc.jsonValue({ maxDepth: 1 }),
          { maxKeys: 2 },
        );
        return fc.tuple(record, extra).map(([declared, more]) => assignOwn({ ...declared }, more));
      }
    }
  };

  /** Rewrites the fields a rule governs so they match it, three times in four. */
  const withFieldPatterns = (schema: Json, arbitrary: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> => {
    const rules = (schema["x-tc-field-patterns"] as { field: string; pattern: string }[] | undefined)?.map((rule) => {
      // Odd parts are member names; each literal part gets its own generator, built once.
      const parts = rule.pattern.split(/\{\/([^{}]*)\}/);
      const literals = parts.map((part, i) => {
        if (i % 2 === 1) return undefined;
        const unanchored = part.replace(/^\^/, "").replace(/\$$/, "");
        return unanchored === "" ? fc.constant("") : fc.stringMatching(new RegExp(`^(?:${unanchored})$`, "u"), { maxLength: 12 });
      });
      return { field: rule.field.split("/").slice(1), parts, literals };
    });
    if (!rules) return arbitrary;
    return fc.tuple(arbitrary, fc.integer({ min: 0, max: 3 })).chain(([value, dice]) => {
      if (dice === 0 || typeof value !== "object" || value === null) return fc.constant(value);
      let result: fc.Arbitrary<unknown> = fc.constant(value);
      for (const rule of rules) {
        result = result.chain((current) => {
          const places = locations(current, rule.field);
          const oneString = fc.tuple(...rule.literals.filter((l) => l !== undefined)).map((literals) =>
            rule.parts.map((part, i) => (i % 2 === 1 ? String((current as Json)[part]) : literals[i / 2])).join(""),
          );
          return fc.array(oneString, { minLength: places.length, maxLength: places.length }).map((strings) => {
            const copy = structuredClone(current) as Json;
            places.forEach((place, i) => setAt(copy, place, strings[i]));
            return copy;
          });
        });
      }
      return result;
    });
  };

  /** A schema's values, and near misses of them. */
  const forSchema = (name: string) => {
    const schema = schemas[name] as Json;
    const matching = withFieldPatterns(schema, valid(schema, 0));
    const nearMiss = fc.tuple(matching, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([value, edits]) => edits.reduce(applyMutation, value));
    return { matching, nearMiss, any: fc.jsonValue({ maxDepth: 3 }) };
  };

  return { forSchema };
}

function bound(schema: Json, inclusive: string, exclusive: string, step: number, fallback: number): number {
  if (typeof schema[inclusive] === "number") return schema[inclusive] as number;
  if (typeof schema[exclusive] === "number") return (schema[exclusive] as number) + step;
  return fallback;
}

// ---------------------------------------------------------------------------------------------
// Mutations: pure functions of a JSON value.

const ODD_KEYS = ["Unknown", "a/b", "t~x", "__proto__", "constructor", "", "0"];

const mutation = fc.record({
  kind: fc.constantFrom("remove", "add", "replace", "number", "string", "array", "retype"),
  pick: fc.nat(),
  key: fc.constantFrom(...ODD_KEYS),
  json: fc.jsonValue({ maxDepth: 2 }),
  variant: fc.nat({ max: 5 }),
});
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function applyMutation(value: unknown, edit: Mutation): unknown {
  const places = allPlaces(value);
  const place = places[edit.pick % places.length]!;
  const target = getAt(value, place);
  const replace = (next: unknown) => (place.length === 0 ? next : setAt(structuredClone(value) as Json, place, next));
  switch (edit.kind) {
    case "remove": {
      if (place.length === 0) return value;
      const copy = structuredClone(value) as Json;
      const parent = getAt(copy, place.slice(0, -1));
      if (Array.isArray(parent)) parent.splice(Number(place.at(-1)), 1);
      else delete (parent as Json)[place.at(-1)!];
      return copy;
    }
    case "add":
      if (typeof target !== "object" || target === null || Array.isArray(target)) return replace(edit.json);
      return replace(assignOwn({ ...(target as Json) }, { [edit.key]: edit.json }));
    case "replace":
      return replace(edit.json);
    case "number": {
      const n = typeof target === "number" ? target : edit.variant;
      return replace([n + 1, n - 1, n + 0.5, -n - 1, 0, 1e9][edit.variant]);
    }
    case "string": {
      const s = typeof target === "string" ? target : "s";
      return replace(["", `${s}${"x".repeat(40)}`, s.toUpperCase(), `${s}/`, "\u{1F600}".repeat(edit.variant + 1), s.slice(1)][edit.variant]);
    }
    case "array": {
      const list = Array.isArray(target) ? target : [target];
      return replace([[], [...list, ...list, ...list, ...list, ...list, ...list], [...list, edit.json], list.slice(1), [list], [null]][edit.variant]);
    }
    default: {
      const retyped = typeof target === "string" ? Number(target.length) : typeof target === "number" ? String(target) : Array.isArray(target) ? { ...target } : target === null ? {} : typeof target === "object" ? [target] : null;
      return replace(edit.variant === 0 ? null : retyped);
    }
  }
}

type Place = string[];

function allPlaces(value: unknown, place: Place = [], found: Place[] = []): Place[] {
  found.push(place);
  if (Array.isArray(value)) value.forEach((item, i) => allPlaces(item, [...place, String(i)], found));
  else if (typeof value === "object" && value !== null) for (const [key, item] of Object.entries(value)) allPlaces(item, [...place, key], found);
  return found;
}

function getAt(value: unknown, place: Place): unknown {
  let current = value;
  for (const key of place) current = (current as Json)[key];
  return current;
}

/** Sets a member as an own data property, even `__proto__`, and returns the root. */
function setAt(root: Json, place: Place, next: unknown): Json {
  const parent = getAt(root, place.slice(0, -1)) as Json;
  Object.defineProperty(parent, place.at(-1)!, { value: next, enumerable: true, writable: true, configurable: true });
  return root;
}

function assignOwn(target: Json, source: Json): Json {
  for (const [key, value] of Object.entries(source)) Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

/** Where a field pointer with `*` lands in a value. */
function locations(value: unknown, segments: string[], place: Place = []): Place[] {
  if (segments.length === 0) return [place];
  const [first, ...rest] = segments;
  if (first === "*") return Array.isArray(value) ? value.flatMap((item, i) => locations(item, rest, [...place, String(i)])) : [];
  if (typeof value !== "object" || value === null || Array.isArray(value) || (value as Json)[first!] === undefined) return [];
  return locations((value as Json)[first!], rest, [...place, first!]);
}
