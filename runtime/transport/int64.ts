/**
 * Integers beyond 2^53 where the spec marks a member `x-tc-int64`: carried as decimal strings
 * (`` `${bigint}` ``) between the wire and the program, so that no digit is lost.
 *
 *   - Answers: `JSON.parse` as always, then the action's plan (from the spec, emitted by the
 *     generator) turns each marked number into its decimal string. A safe integer converts as it is;
 *     only when a marked member holds a number beyond ±(2^53 − 1), which `JSON.parse` has rounded,
 *     is the text parsed again by {@link parseJsonExact}, which keeps the digits of such numbers.
 *     An answer of an action without marked members is `JSON.parse` and nothing else.
 *   - Requests: a marked member's string is written as a bare JSON number, the way Tencent expects
 *     an integer; everything else is `JSON.stringify`'s output.
 *
 * Integers beyond 2^53 in members the spec does not mark are not converted: the validators report
 * them as drift (keyword `x-tc-int64`), since they arrived rounded. Why strings and not `bigint`:
 * bench/int64.ts measures both (a string survives `JSON.stringify`, structured clones, loggers and
 * job queues; a `bigint` makes `JSON.stringify` throw).
 */

import { isJsonObject } from "../validation/checks.js";

/** Where marked members are inside a value: emitted by the generator per schema that holds one. */
export type Int64Plan =
  /** This value is a marked member. */
  | "int64"
  /** Members of an object. */
  | { readonly members: Readonly<Record<string, Int64Plan>> }
  /** Every item of an array. */
  | { readonly items: Int64Plan }
  /** Every value of a map (`additionalProperties`). */
  | { readonly values: Int64Plan }
  /** The plan of a named schema (`$ref`; recursive schemas too). */
  | { readonly ref: string }
  /** Several of the above for the same value (`allOf`/`anyOf`/`oneOf` branches, a `$ref` with members). */
  | { readonly all: readonly Int64Plan[] };

/** A service's plans: per schema, and the request and response schema of each action that has one. */
export interface Int64Plans {
  readonly schemas: Readonly<Record<string, Int64Plan>>;
  readonly actions: Readonly<Record<string, { readonly request?: string; readonly response?: string }>>;
}

/** A JSON integer as a decimal string: what a marked member holds. */
const DECIMAL = /^-?(?:0|[1-9][0-9]*)$/;

/** The plan of an answer's envelope, `{ "Response": <the action's response schema> }`, or undefined. */
export function answerPlan(plans: Int64Plans | undefined, action: string): Int64Plan | undefined {
  const schema = plans?.actions[action]?.response;
  return schema === undefined ? undefined : { members: { Response: { ref: schema } } };
}

/** The plan of an action's parameters, or undefined. */
export function requestPlan(plans: Int64Plans | undefined, action: string): Int64Plan | undefined {
  const schema = plans?.actions[action]?.request;
  return schema === undefined ? undefined : { ref: schema };
}

/** `JSON.parse(text)`, with every marked member as its exact decimal string. */
export function parseWithInt64(text: string, plan: Int64Plan, plans: Int64Plans): unknown {
  const convert = converterOf(plan, plans);
  const root = { value: JSON.parse(text) as unknown };
  const state: ConvertState = { digits: undefined, inexact: false, depth: 0 };
  convert(root, "value", state);
  if (!state.inexact) return root.value;
  // A marked member held a number JSON.parse could not hold exactly: read the text again, keeping digits.
  const exact = parseJsonExact(text);
  const again = { value: exact.value };
  convert(again, "value", { digits: exact.digits, inexact: false, depth: 0 });
  return again.value;
}

interface ConvertState {
  /** Exact digits of the integers beyond ±(2^53 − 1), per container (from {@link parseJsonExact}). */
  readonly digits: ExactDigits | undefined;
  /** Set when a marked member held such an integer and no digits were given for it. */
  inexact: boolean;
  /** `$ref`s entered: recursion stops at {@link MAX_PLAN_DEPTH} (the validators report such depth). */
  depth: number;
}

/** Turns the value at `holder[key]`'s marked places into decimal strings, in place. */
type Converter = (holder: Record<string | number, unknown>, key: string | number, state: ConvertState) => void;

/** As the validators' MAX_DEPTH: recursion through `$ref`s stops there. */
const MAX_PLAN_DEPTH = 2000;

/** A plan compiled once per service into plain functions: a parse pays for the walk, not for reading the plan. */
const compiled = new WeakMap<Int64Plans, Map<Int64Plan | string, Converter>>();

function converterOf(plan: Int64Plan, plans: Int64Plans): Converter {
  let cache = compiled.get(plans);
  if (!cache) compiled.set(plans, (cache = new Map()));
  const compile = (at: Int64Plan): Converter => {
    const known = cache.get(at);
    if (known) return known;
    const converter = build(at);
    cache.set(at, converter);
    return converter;
  };
  const build = (at: Int64Plan): Converter => {
    if (at === "int64") return convertInt64;
    if ("ref" in at) {
      const target = plans.schemas[at.ref];
      if (target === undefined) return () => {};
      // A schema that does not refer back to itself is called directly; a recursive one counts its depth.
      if (!refersTo(target, at.ref, plans)) return compile(target);
      // Looked up when first used, so that recursive schemas compile.
      let recursive: Converter | undefined;
      return (holder, key, state) => {
        if (state.depth >= MAX_PLAN_DEPTH) return;
        recursive ??= compile(target);
        state.depth++;
        recursive(holder, key, state);
        state.depth--;
      };
    }
    if ("all" in at) {
      const parts = at.all.map(compile);
      return (holder, key, state) => {
        for (const part of parts) part(holder, key, state);
      };
    }
    if ("items" in at) {
      const item = compile(at.items);
      return (holder, key, state) => {
        const list = holder[key];
        if (!Array.isArray(list)) return;
        for (let i = 0; i < list.length; i++) item(list as unknown as Record<number, unknown>, i, state);
      };
    }
    if ("values" in at) {
      const each = compile(at.values);
      return (holder, key, state) => {
        const object = holder[key];
        if (!isJsonObject(object)) return;
        for (const member of Object.keys(object)) each(object, member, state);
      };
    }
    // Marked members directly here are converted in this loop; deeper plans are called.
    const marked = Object.keys(at.members).filter((name) => at.members[name] === "int64");
    const nested = Object.keys(at.members).filter((name) => at.members[name] !== "int64");
    const inner = nested.map((name) => compile(at.members[name]!));
    return (holder, key, state) => {
      const object = holder[key];
      if (!isJsonObject(object)) return;
      for (let i = 0; i < marked.length; i++) {
        const name = marked[i]!;
        const value = object[name];
        // Names are the spec's members, never an Object.prototype name (the generator refuses those).
        if (typeof value === "number") convertNumber(object, name, value, state);
      }
      for (let i = 0; i < nested.length; i++) if (object[nested[i]!] !== undefined) inner[i]!(object, nested[i]!, state);
    };
  };
  return compile(plan);
}

/** Whether `plan` leads (through `$ref`s) to the schema `name`. */
function refersTo(plan: Int64Plan, name: string, plans: Int64Plans, seen = new Set<string>()): boolean {
  if (plan === "int64") return false;
  if ("ref" in plan) {
    if (plan.ref === name) return true;
    if (seen.has(plan.ref)) return false;
    seen.add(plan.ref);
    const target = plans.schemas[plan.ref];
    return target !== undefined && refersTo(target, name, plans, seen);
  }
  if ("all" in plan) return plan.all.some((part) => refersTo(part, name, plans, seen));
  if ("items" in plan) return refersTo(plan.items, name, plans, seen);
  if ("values" in plan) return refersTo(plan.values, name, plans, seen);
  return Object.values(plan.members).some((member) => refersTo(member, name, plans, seen));
}

const convertInt64: Converter = (holder, key, state) => {
  const value = holder[key];
  if (typeof value === "number") convertNumber(holder, key, value, state);
};

function convertNumber(holder: Record<string | number, unknown>, key: string | number, value: number, state: ConvertState): void {
  if (Number.isSafeInteger(value)) {
    holder[key] = String(value);
    return;
  }
  const exact = state.digits?.get(holder)?.get(key);
  if (exact !== undefined) holder[key] = exact;
  else state.inexact = true;
}

/** `JSON.stringify(value)`, except that marked members holding decimal strings are written as bare numbers. */
export function stringifyWithInt64(value: unknown, plan: Int64Plan, plans: Int64Plans): string {
  return write(value, plan, plans, 0) ?? "null";
}

function write(value: unknown, plan: Int64Plan | undefined, plans: Int64Plans, depth: number): string | undefined {
  if (plan === undefined || depth > MAX_PLAN_DEPTH) return JSON.stringify(value);
  if (plan === "int64") {
    if (typeof value === "string" && DECIMAL.test(value)) return value;
    if (typeof value === "bigint") return value.toString();
    return JSON.stringify(value);
  }
  if ("ref" in plan) return write(value, plans.schemas[plan.ref], plans, depth + 1);
  if (typeof value !== "object" || value === null || typeof (value as { toJSON?: unknown }).toJSON === "function") return JSON.stringify(value);
  if (Array.isArray(value)) {
    const itemPlan = planFor(plan, plans, (p) => ("items" in p ? p.items : undefined));
    return `[${value.map((item) => write(item, itemPlan, plans, depth + 1) ?? "null").join(",")}]`;
  }
  const parts: string[] = [];
  for (const [member, memberValue] of Object.entries(value)) {
    const pick = (p: Exclude<Int64Plan, "int64">) => ("members" in p ? (Object.hasOwn(p.members, member) ? p.members[member] : undefined) : "values" in p ? p.values : undefined);
    const text = write(memberValue, planFor(plan, plans, pick), plans, depth + 1);
    if (text !== undefined) parts.push(`${JSON.stringify(member)}:${text}`);
  }
  return `{${parts.join(",")}}`;
}

/** The plan below `plan` that `pick` chooses, looking through `all` and `ref`; several merge into one `all`. */
function planFor(plan: Int64Plan, plans: Int64Plans, pick: (plan: Exclude<Int64Plan, "int64">) => Int64Plan | undefined): Int64Plan | undefined {
  const found: Int64Plan[] = [];
  const visit = (at: Int64Plan | undefined, hops: number): void => {
    if (at === undefined || at === "int64" || hops > 32) return;
    if ("ref" in at) return visit(plans.schemas[at.ref], hops + 1);
    if ("all" in at) return at.all.forEach((part) => visit(part, hops));
    const picked = pick(at);
    if (picked !== undefined) found.push(picked);
  };
  visit(plan, 0);
  return found.length === 0 ? undefined : found.length === 1 ? found[0] : { all: found };
}

// ---------------------------------------------------------------------------------------------
// The exact reader.

/** For each object or array: the exact digits of its members that were integers beyond ±(2^53 − 1). */
type ExactDigits = Map<object, Map<string | number, string>>;

/**
 * Parses JSON text into exactly what `JSON.parse` returns (it rejects the same texts, using
 * `JSON.parse` itself for strings and for the final verdict), and records, per container, the digits
 * of every integer token beyond ±(2^53 − 1). Iterative: nesting depth costs no stack.
 */
export function parseJsonExact(text: string): { value: unknown; digits: ExactDigits } {
  const digits: ExactDigits = new Map();
  const stack: { container: Record<string, unknown> | unknown[]; key: string | undefined }[] = [];
  let i = 0;
  let result: unknown;
  const fail = (): never => {
    // The same SyntaxError JSON.parse gives for this text.
    JSON.parse(text);
    throw new SyntaxError(`Unexpected token in JSON at position ${i}`);
  };
  const skipSpace = () => {
    for (let c = text.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++i));
  };
  const store = (value: unknown, bigDigits?: string) => {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      result = value;
      return;
    }
    let key: string | number;
    if (Array.isArray(top.container)) {
      key = top.container.length;
      top.container.push(value);
    } else {
      key = top.key!;
      // JSON.parse makes "__proto__" an own member like any other, never the prototype.
      Object.defineProperty(top.container, key, { value, enumerable: true, writable: true, configurable: true });
      top.key = undefined;
    }
    if (bigDigits !== undefined) {
      let byKey = digits.get(top.container);
      if (!byKey) digits.set(top.container, (byKey = new Map()));
      byKey.set(key, bigDigits);
    }
  };
  const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;
  const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

  skipSpace();
  for (;;) {
    // A value.
    const c = text[i];
    if (c === "{" || c === "[") {
      const container: Record<string, unknown> | unknown[] = c === "{" ? {} : [];
      store(container);
      stack.push({ container, key: undefined });
      i++;
      skipSpace();
      if (text[i] === (c === "{" ? "}" : "]")) {
        i++;
        stack.pop();
      } else {
        if (c === "{") readKey();
        continue;
      }
    } else if (c === '"') {
      STRING.lastIndex = i;
      const match = STRING.exec(text) ?? fail();
      store(JSON.parse(match[0]));
      i += match[0].length;
    } else if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text) ?? fail();
      const token = match[0];
      const number = Number(token);
      const integer = match[1] === undefined && match[2] === undefined;
      store(number, integer && !Number.isSafeInteger(number) ? token : undefined);
      i += token.length;
    } else if (text.startsWith("true", i)) {
      store(true);
      i += 4;
    } else if (text.startsWith("false", i)) {
      store(false);
      i += 5;
    } else if (text.startsWith("null", i)) {
      store(null);
      i += 4;
    } else {
      fail();
    }
    // After a value: a separator, the end of containers, or the end of the text.
    for (;;) {
      skipSpace();
      const top = stack[stack.length - 1];
      if (top === undefined) {
        if (i !== text.length) fail();
        return { value: result, digits };
      }
      const close = Array.isArray(top.container) ? "]" : "}";
      if (text[i] === ",") {
        i++;
        skipSpace();
        if (!Array.isArray(top.container)) readKey();
        break;
      }
      if (text[i] === close) {
        i++;
        stack.pop();
        continue;
      }
      fail();
    }
  }

  function readKey(): void {
    if (text[i] !== '"') fail();
    STRING.lastIndex = i;
    const match = STRING.exec(text) ?? fail();
    stack[stack.length - 1]!.key = JSON.parse(match[0]) as string;
    i += match[0].length;
    skipSpace();
    if (text[i] !== ":") fail();
    i++;
    skipSpace();
  }
}

/**
 * How one action's JSON is written and read (`ActionDescriptor.wire`): emitted only for actions
 * whose request or answer holds marked members, so other programs never bundle this module.
 */
export function int64Wire(plans: Int64Plans, action: string): { stringify(input: unknown): string; parse(text: string): unknown } {
  const request = requestPlan(plans, action);
  const answer = answerPlan(plans, action);
  return {
    stringify: (input) => (request ? stringifyWithInt64(input, request, plans) : JSON.stringify(input)),
    parse: (text) => (answer ? parseWithInt64(text, answer, plans) : JSON.parse(text)),
  };
}
