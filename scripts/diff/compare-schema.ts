/**
 * Compares two schema nodes keyword by keyword, as the generated types and validators see them:
 * members and their requiredness, types (with `integer` inside `number`), enums and their named
 * constants, bounds, patterns, `x-tc-field-patterns`, `additionalProperties`, items, combinators and
 * annotations. `$ref`s to the same component stop the walk (the component is compared once, on its
 * own); a `$ref` that now names another schema is followed and compared structurally. Pure.
 */
import type { Direction, SchemaKind } from "./classify.js";
import type { RawChange } from "./change.js";
import { isObject, type Json, jsonEqual, pointerTo } from "../lib/utils.js";
import { schemaRefName, show, unionKeys } from "./util.js";

/** The keywords compared for what they mean; any other key is documentation to this module. */
const MEANINGFUL = new Set([
  "$ref", "type", "nullable", "enum", "const", "x-enum-varnames", "minimum", "maximum", "exclusiveMinimum",
  "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems", "pattern", "properties", "required",
  "additionalProperties", "x-tc-field-patterns", "items", "anyOf", "oneOf", "allOf", "deprecated", "readOnly",
  "x-enum-descriptions", "x-tc-int64",
]);

export interface SchemaScope {
  readonly direction: Direction;
  /** The component schema being compared, for the generated names. */
  readonly schema: string;
  readonly action?: string;
}

export interface SchemaCompareContext {
  readonly oldRoot: Json;
  readonly newRoot: Json;
  readonly emit: (change: RawChange) => void;
  /** Whether the generator emits named constants for a schema's top-level member, on either side. */
  readonly hasEnumObject: (schema: string, member: string) => boolean;
}

interface Place {
  /** Pointers of the two nodes. */
  readonly old: string;
  readonly new: string;
  /** `DescribeDisksRequest.Filters[].Name`. */
  readonly subject: string;
  /** The component's top-level member this node belongs to (undefined at the component itself). */
  readonly member: string | undefined;
  /** Whether this node is a top-level member (or its items) with generated named constants. */
  readonly enumObject: boolean;
}

/** Compares component `old` with component `new` (usually the same name on both sides). */
export function compareSchema(
  ctx: SchemaCompareContext,
  scope: SchemaScope,
  oldNode: unknown,
  newNode: unknown,
  oldPointer: string,
  newPointer: string,
  subject: string,
): void {
  new SchemaComparer(ctx, scope).node(oldNode, newNode, { old: oldPointer, new: newPointer, subject, member: undefined, enumObject: false });
}

class SchemaComparer {
  /** Pairs of followed `$ref` targets already compared, so recursive schemas end. */
  private readonly followed = new Set<string>();

  constructor(
    private readonly ctx: SchemaCompareContext,
    private readonly scope: SchemaScope,
  ) {}

  private emit(kind: SchemaKind | "docs-changed", place: Place, detail: string, pointers: { old?: string; new?: string }, note?: string): void {
    this.ctx.emit({
      kind,
      direction: this.scope.direction,
      subject: place.subject,
      detail,
      ...(pointers.old !== undefined ? { oldPointer: pointers.old } : {}),
      ...(pointers.new !== undefined ? { newPointer: pointers.new } : {}),
      schema: this.scope.schema,
      ...(place.member !== undefined ? { member: place.member } : {}),
      ...(this.scope.action !== undefined ? { action: this.scope.action } : {}),
      ...(note !== undefined ? { note } : {}),
    });
  }

  /** Said where an answer member becomes required: readers gain, code building answers must follow. */
  private buildersNote(): string | undefined {
    return this.scope.direction === "answer" ? "code that builds these answers with the generated types (test doubles, fakes) must now set it" : undefined;
  }

  node(oldNode: unknown, newNode: unknown, place: Place): void {
    const o = isObject(oldNode) ? oldNode : {};
    const n = isObject(newNode) ? newNode : {};
    const oldRef = schemaRefName(o);
    const newRef = schemaRefName(n);
    if (oldRef !== undefined || newRef !== undefined) {
      this.docs(o, n, place);
      if (oldRef === newRef) return; // the component itself is compared on its own
      this.emit("ref-changed", place, `now ${newRef ?? "an inline schema"} (was ${oldRef ?? "an inline schema"}), compared member by member`, { old: place.old, new: place.new });
      const oldTarget = oldRef !== undefined ? this.resolve(this.ctx.oldRoot, oldRef) : { node: o, pointer: place.old };
      const newTarget = newRef !== undefined ? this.resolve(this.ctx.newRoot, newRef) : { node: n, pointer: place.new };
      const key = `${oldTarget.pointer}\n${newTarget.pointer}`;
      if (this.followed.has(key)) return;
      this.followed.add(key);
      this.node(oldTarget.node, newTarget.node, { ...place, old: oldTarget.pointer, new: newTarget.pointer, enumObject: false });
      return;
    }
    this.types(o, n, place);
    this.int64(o, n, place);
    this.enums(o, n, place);
    this.bounds(o, n, place);
    this.pattern(o, n, place);
    this.object(o, n, place);
    this.fieldPatterns(o, n, place);
    this.items(o, n, place);
    this.combinators(o, n, place);
    this.flags(o, n, place);
    this.docs(o, n, place);
  }

  private resolve(root: Json, name: string): { node: unknown; pointer: string } {
    const schemas = (root["components"] as Json)["schemas"] as Json;
    return { node: schemas[name], pointer: pointerTo("", "components", "schemas", name) };
  }

  private types(o: Json, n: Json, place: Place): void {
    const before = typeSet(o);
    const after = typeSet(n);
    const wider = includes(after, before);
    const narrower = includes(before, after);
    if (wider && narrower) return;
    const detail = `type ${showTypes(before)} → ${showTypes(after)}`;
    const at = { old: typePointer(o, place.old), new: typePointer(n, place.new) };
    this.emit(wider ? "type-widened" : narrower ? "type-narrowed" : "type-changed", place, detail, at);
  }

  /** `x-tc-int64` turns an integer's type from `number` into `` `${bigint}` `` (a decimal string), or back. */
  private int64(o: Json, n: Json, place: Place): void {
    const before = o["x-tc-int64"] === true;
    const after = n["x-tc-int64"] === true;
    if (before === after) return;
    const detail = after ? "now a decimal string (x-tc-int64: true), was a number" : "now a number (x-tc-int64 removed), was a decimal string";
    this.emit("type-changed", place, detail, { old: before ? pointerTo(place.old, "x-tc-int64") : place.old, new: after ? pointerTo(place.new, "x-tc-int64") : place.new });
  }

  private enums(o: Json, n: Json, place: Place): void {
    const before = enumValues(o);
    const after = enumValues(n);
    const answerNote = this.scope.direction === "request" ? undefined : "answers may carry the new value: a switch over it needs a default branch";
    if (before === undefined && after !== undefined) {
      this.emit("enum-introduced", place, `now one of ${after.values.map(show).join(", ")}`, { new: pointerTo(place.new, after.keyword) });
    } else if (before !== undefined && after === undefined) {
      this.emit("enum-dropped", place, `no longer limited to ${before.values.map(show).join(", ")}`, { old: pointerTo(place.old, before.keyword), new: place.new });
    } else if (before !== undefined && after !== undefined) {
      after.values.forEach((value, i) => {
        if (!before.values.some((v) => jsonEqual(v, value))) {
          this.emit("enum-value-added", place, `value ${show(value)} added`, { new: valuePointer(place.new, after.keyword, i) }, answerNote);
        }
      });
      before.values.forEach((value, i) => {
        if (!after.values.some((v) => jsonEqual(v, value))) {
          const constant = place.enumObject && Array.isArray(o["x-enum-varnames"]) ? ` (constant ${String((o["x-enum-varnames"] as unknown[])[i])})` : "";
          this.emit("enum-value-removed", place, `value ${show(value)} removed${constant}`, { old: valuePointer(place.old, before.keyword, i), new: pointerTo(place.new, after.keyword) });
        }
      });
    }
    this.enumNames(o, n, place);
    this.enumDescriptions(o, n, place);
  }

  /** `x-enum-descriptions` by value: a value that comes or goes takes its description along. */
  private enumDescriptions(o: Json, n: Json, place: Place): void {
    const before = describedValues(o);
    const after = describedValues(n);
    const changed = after.filter(({ value, description }) => {
      const old = before.find((b) => jsonEqual(b.value, value));
      return old !== undefined && old.description !== description;
    });
    if (changed.length === 0) return;
    this.emit("docs-changed", place, `x-enum-descriptions of ${changed.map((c) => show(c.value)).join(", ")} changed`, {
      old: pointerTo(place.old, "x-enum-descriptions"),
      new: pointerTo(place.new, "x-enum-descriptions", changed[0]!.index),
    });
  }

  /** `x-enum-varnames`: the named constants, where the generator emits them; documentation elsewhere. */
  private enumNames(o: Json, n: Json, place: Place): void {
    const before = Array.isArray(o["x-enum-varnames"]) ? (o["x-enum-varnames"] as unknown[]) : undefined;
    const after = Array.isArray(n["x-enum-varnames"]) ? (n["x-enum-varnames"] as unknown[]) : undefined;
    if (jsonEqual(before, after)) return;
    if (!place.enumObject) return; // compared as documentation by docs()
    if (before === undefined) {
      this.emit("enum-object-added", place, "named constants added (x-enum-varnames)", { new: pointerTo(place.new, "x-enum-varnames") });
      return;
    }
    if (after === undefined) {
      this.emit("enum-object-removed", place, "named constants removed (x-enum-varnames)", { old: pointerTo(place.old, "x-enum-varnames"), new: place.new });
      return;
    }
    const oldValues = enumValues(o)?.values ?? [];
    const newValues = enumValues(n)?.values ?? [];
    newValues.forEach((value, i) => {
      const j = oldValues.findIndex((v) => jsonEqual(v, value));
      if (j >= 0 && before[j] !== after[i]) {
        this.emit("enum-name-changed", place, `constant ${show(before[j])} renamed ${show(after[i])} (value ${show(value)})`, {
          old: pointerTo(place.old, "x-enum-varnames", j),
          new: pointerTo(place.new, "x-enum-varnames", i),
        });
      }
    });
  }

  private bounds(o: Json, n: Json, place: Place): void {
    for (const [side, before, after] of [
      ["lower", lowerBound(o), lowerBound(n)],
      ["upper", upperBound(o), upperBound(n)],
    ] as const) {
      const tighter = compareBound(before, after, side);
      if (tighter === 0) continue;
      const detail = `${showBound(before, side)} → ${showBound(after, side)}`;
      const pointers = { old: before ? pointerTo(place.old, before.keyword) : place.old, new: after ? pointerTo(place.new, after.keyword) : place.new };
      this.emit(tighter > 0 ? "constraint-tightened" : "constraint-loosened", place, detail, pointers);
    }
    for (const [min, max] of [["minLength", "maxLength"], ["minItems", "maxItems"]] as const) {
      for (const keyword of [min, max]) {
        const before = typeof o[keyword] === "number" ? (o[keyword] as number) : undefined;
        const after = typeof n[keyword] === "number" ? (n[keyword] as number) : undefined;
        if (before === after) continue;
        const isMin = keyword === min;
        const tighter = before === undefined ? true : after === undefined ? false : isMin ? after > before : after < before;
        const detail = `${keyword} ${before ?? "none"} → ${after ?? "none"}`;
        const pointers = { old: before !== undefined ? pointerTo(place.old, keyword) : place.old, new: after !== undefined ? pointerTo(place.new, keyword) : place.new };
        this.emit(tighter ? "constraint-tightened" : "constraint-loosened", place, detail, pointers);
      }
    }
  }

  private pattern(o: Json, n: Json, place: Place): void {
    const before = typeof o["pattern"] === "string" ? o["pattern"] : undefined;
    const after = typeof n["pattern"] === "string" ? n["pattern"] : undefined;
    if (before === after) return;
    if (before === undefined) this.emit("constraint-tightened", place, `pattern ${show(after)} added`, { new: pointerTo(place.new, "pattern") });
    else if (after === undefined) this.emit("constraint-loosened", place, `pattern ${show(before)} removed`, { old: pointerTo(place.old, "pattern"), new: place.new });
    else this.emit("constraint-changed", place, `pattern ${show(before)} → ${show(after)}`, { old: pointerTo(place.old, "pattern"), new: pointerTo(place.new, "pattern") });
  }

  private object(o: Json, n: Json, place: Place): void {
    const oldProps = isObject(o["properties"]) ? o["properties"] : {};
    const newProps = isObject(n["properties"]) ? n["properties"] : {};
    const oldRequired = requiredOf(o);
    const newRequired = requiredOf(n);
    const topLevel = place.member === undefined && place.subject === this.scope.schema;
    for (const name of unionKeys(oldProps, newProps)) {
      const member: Place = {
        old: pointerTo(place.old, "properties", name),
        new: pointerTo(place.new, "properties", name),
        subject: `${place.subject}.${name}`,
        member: place.member ?? name,
        enumObject: topLevel && this.ctx.hasEnumObject(this.scope.schema, name),
      };
      const inOld = Object.hasOwn(oldProps, name);
      const inNew = Object.hasOwn(newProps, name);
      if (!inOld) {
        const required = newRequired.includes(name);
        const typedRequired = required || hasDefault(newProps[name]);
        const how = required ? "required" : typedRequired ? "optional, with a default (typed as always present)" : "optional";
        this.emit(typedRequired ? "member-added-required" : "member-added-optional", member, `member added (${how})`, { new: member.new }, typedRequired ? this.buildersNote() : undefined);
        continue;
      }
      if (!inNew) {
        this.emit("member-removed", member, "member removed", { old: member.old, new: isObject(n["properties"]) ? pointerTo(place.new, "properties") : place.new });
        continue;
      }
      const wasRequired = oldRequired.includes(name);
      const isRequired = newRequired.includes(name);
      if (wasRequired !== isRequired) {
        const pointers = isRequired
          ? { old: member.old, new: pointerTo(place.new, "required", newRequired.indexOf(name)) }
          : { old: pointerTo(place.old, "required", oldRequired.indexOf(name)), new: member.new };
        this.emit(isRequired ? "member-required" : "member-optional", member, isRequired ? "optional → required" : "required → optional", pointers, isRequired ? this.buildersNote() : undefined);
      } else if (!isRequired && hasDefault(oldProps[name]) !== hasDefault(newProps[name])) {
        const added = hasDefault(newProps[name]);
        this.emit(added ? "member-default-added" : "member-default-removed", member, added ? `default ${show((newProps[name] as Json)["default"])} added: typed as always present` : "default removed: typed as optional again", {
          old: added ? member.old : pointerTo(member.old, "default"),
          new: added ? pointerTo(member.new, "default") : member.new,
        });
      }
      this.node(oldProps[name], newProps[name], member);
    }
    this.additionalProperties(o, n, place);
  }

  /**
   * `additionalProperties` means two things: whether requests may carry undeclared members
   * (`false` refuses them) and whether the type has an index signature (`true` or a schema). Answers
   * are read forward compatibly, so only the index signature matters to them.
   */
  private additionalProperties(o: Json, n: Json, place: Place): void {
    const before = o["additionalProperties"];
    const after = n["additionalProperties"];
    if (jsonEqual(before, after)) return;
    const at = { old: pointerTo(place.old, "additionalProperties"), new: pointerTo(place.new, "additionalProperties") };
    const other: Place = { ...place, old: at.old, new: at.new, subject: `${place.subject}.*`, enumObject: false };
    const indexBefore = before === true || isObject(before);
    const indexAfter = after === true || isObject(after);
    if (isObject(before) && isObject(after)) return this.node(before, after, other);
    if (indexBefore && !indexAfter) return this.emit("member-removed", other, "other members no longer allowed (index signature removed)", { old: at.old, new: place.new });
    if (before === true && isObject(after)) return this.emit("type-narrowed", other, "other members now typed by a schema (was any value)", at);
    if (isObject(before) && after === true) return this.emit("type-widened", other, "other members now any value (was typed by a schema)", at);
    // Only the closedness differs, or an index signature appears.
    const closedBefore = before === false;
    const closedAfter = after === false;
    if (indexAfter || (closedBefore && !closedAfter)) {
      return this.emit("member-added-optional", other, "other members now allowed", { ...(before !== undefined ? { old: at.old } : {}), new: after !== undefined ? at.new : place.new });
    }
    if (this.scope.direction === "answer") {
      return this.emit("docs-changed", place, "additionalProperties: false added (answers are read forward compatibly: no effect)", { new: at.new });
    }
    this.emit("constraint-tightened", other, "other members no longer allowed (additionalProperties: false)", { new: at.new });
  }

  private fieldPatterns(o: Json, n: Json, place: Place): void {
    const before = rulesOf(o);
    const after = rulesOf(n);
    for (const [key, rule] of after) {
      const old = before.get(key);
      const at = pointerTo(place.new, "x-tc-field-patterns", rule.index);
      if (old === undefined) {
        this.emit("constraint-tightened", place, `rule added: ${rule.field} must match ${show(rule.pattern)} (x-tc-field-patterns)`, { new: at });
      } else if (old.pattern !== rule.pattern) {
        this.emit("constraint-changed", place, `rule for ${rule.field}: ${show(old.pattern)} → ${show(rule.pattern)} (x-tc-field-patterns)`, { old: pointerTo(place.old, "x-tc-field-patterns", old.index), new: pointerTo(at, "pattern") });
      } else if (old.message !== rule.message) {
        this.emit("docs-changed", place, `message of the rule for ${rule.field} changed (x-tc-field-patterns)`, { old: pointerTo(place.old, "x-tc-field-patterns", old.index), new: pointerTo(at, "message") });
      }
    }
    for (const [key, rule] of before) {
      if (!after.has(key)) {
        this.emit("constraint-loosened", place, `rule removed: ${rule.field} must match ${show(rule.pattern)} (x-tc-field-patterns)`, { old: pointerTo(place.old, "x-tc-field-patterns", rule.index), new: place.new });
      }
    }
  }

  private items(o: Json, n: Json, place: Place): void {
    if (o["items"] === undefined && n["items"] === undefined) return;
    this.node(o["items"], n["items"], {
      ...place,
      old: pointerTo(place.old, "items"),
      new: pointerTo(place.new, "items"),
      subject: `${place.subject}[]`,
    });
  }

  /** Branches by position: an `anyOf`/`oneOf` branch more accepts more; an `allOf` entry more demands more. */
  private combinators(o: Json, n: Json, place: Place): void {
    for (const keyword of ["anyOf", "oneOf", "allOf"] as const) {
      const before = Array.isArray(o[keyword]) ? (o[keyword] as unknown[]) : [];
      const after = Array.isArray(n[keyword]) ? (n[keyword] as unknown[]) : [];
      const common = Math.min(before.length, after.length);
      for (let i = 0; i < common; i++) {
        this.node(before[i], after[i], { ...place, old: pointerTo(place.old, keyword, i), new: pointerTo(place.new, keyword, i), subject: `${place.subject}.${keyword}[${i}]`, enumObject: false });
      }
      const widens = keyword !== "allOf";
      for (let i = common; i < after.length; i++) {
        this.emit(widens ? "type-widened" : "constraint-tightened", place, `${keyword} entry ${i} added`, { new: pointerTo(place.new, keyword, i) });
      }
      for (let i = common; i < before.length; i++) {
        this.emit(widens ? "type-narrowed" : "constraint-loosened", place, `${keyword} entry ${i} removed`, { old: pointerTo(place.old, keyword, i), new: place.new });
      }
    }
  }

  private flags(o: Json, n: Json, place: Place): void {
    for (const [keyword, added, removed] of [
      ["deprecated", "deprecated-added", "deprecated-removed"],
      ["readOnly", "readonly-added", "readonly-removed"],
    ] as const) {
      const before = o[keyword] === true;
      const after = n[keyword] === true;
      if (before === after) continue;
      if (after) this.emit(added, place, `${keyword}: true added`, { new: pointerTo(place.new, keyword) });
      else this.emit(removed, place, `${keyword} removed`, { old: pointerTo(place.old, keyword), new: place.new });
    }
  }

  /** Every other key: one neutral change naming the keys that differ. */
  private docs(o: Json, n: Json, place: Place): void {
    const changed = unionKeys(o, n).filter((key) => {
      if (MEANINGFUL.has(key) && !(key === "x-enum-varnames" && !place.enumObject)) return false;
      // A default that appears or goes is compared with the member's requiredness (object()).
      if (key === "default" && (o[key] === undefined) !== (n[key] === undefined)) return false;
      return !jsonEqual(o[key], n[key]);
    });
    if (changed.length === 0) return;
    const first = changed.find((key) => n[key] !== undefined);
    this.emit("docs-changed", place, `${changed.join(", ")} changed`, { old: place.old, new: first !== undefined ? pointerTo(place.new, first) : place.new });
  }
}

type TypeSet = ReadonlySet<string> | "any";

function typeSet(node: Json): TypeSet {
  const type = node["type"];
  if (type === undefined) return "any";
  const set = new Set(Array.isArray(type) ? (type as string[]) : [type as string]);
  if (node["nullable"] === true) set.add("null");
  return set;
}

/** Whether every value of `inner` is a value of `outer` (an integer is a number). */
function includes(outer: TypeSet, inner: TypeSet): boolean {
  if (outer === "any") return true;
  if (inner === "any") return false;
  return [...inner].every((t) => outer.has(t) || (t === "integer" && outer.has("number")));
}

function showTypes(types: TypeSet): string {
  return types === "any" ? "any" : [...types].join(" | ");
}

function typePointer(node: Json, pointer: string): string {
  return node["type"] !== undefined ? pointerTo(pointer, "type") : pointer;
}

function enumValues(node: Json): { values: unknown[]; keyword: "enum" | "const" } | undefined {
  if (Array.isArray(node["enum"])) return { values: node["enum"] as unknown[], keyword: "enum" };
  if (node["const"] !== undefined) return { values: [node["const"]], keyword: "const" };
  return undefined;
}

/** Each enum value with its `x-enum-descriptions` entry (undefined where there is none). */
function describedValues(node: Json): { value: unknown; description: unknown; index: number }[] {
  const values = enumValues(node)?.values ?? [];
  const descriptions = Array.isArray(node["x-enum-descriptions"]) ? (node["x-enum-descriptions"] as unknown[]) : [];
  return values.map((value, index) => ({ value, description: descriptions[index], index }));
}

function valuePointer(pointer: string, keyword: "enum" | "const", index: number): string {
  return keyword === "enum" ? pointerTo(pointer, "enum", index) : pointerTo(pointer, "const");
}

interface Bound {
  readonly value: number;
  readonly exclusive: boolean;
  readonly keyword: string;
}

function lowerBound(node: Json): Bound | undefined {
  return tighterOf(bound(node, "minimum", false), bound(node, "exclusiveMinimum", true), "lower");
}

function upperBound(node: Json): Bound | undefined {
  return tighterOf(bound(node, "maximum", false), bound(node, "exclusiveMaximum", true), "upper");
}

function bound(node: Json, keyword: string, exclusive: boolean): Bound | undefined {
  const value = node[keyword];
  return typeof value === "number" ? { value, exclusive, keyword } : undefined;
}

function tighterOf(a: Bound | undefined, b: Bound | undefined, side: "lower" | "upper"): Bound | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return compareBound(a, b, side) > 0 ? b : a;
}

/** > 0 when `after` admits fewer values than `before`, < 0 when more, 0 when the same. */
function compareBound(before: Bound | undefined, after: Bound | undefined, side: "lower" | "upper"): number {
  if (before === undefined && after === undefined) return 0;
  if (before === undefined) return 1;
  if (after === undefined) return -1;
  if (before.value !== after.value) return side === "lower" ? Math.sign(after.value - before.value) : Math.sign(before.value - after.value);
  return before.exclusive === after.exclusive ? 0 : after.exclusive ? 1 : -1;
}

function showBound(b: Bound | undefined, side: "lower" | "upper"): string {
  return b === undefined ? `no ${side} bound` : `${b.keyword} ${b.value}`;
}

function requiredOf(node: Json): string[] {
  return Array.isArray(node["required"]) ? (node["required"] as string[]) : [];
}

/** openapi-typescript types a member with a `default` as always present (its `defaultNonNullable`). */
function hasDefault(node: unknown): boolean {
  return isObject(node) && node["default"] !== undefined;
}

interface Rule {
  readonly field: string;
  readonly pattern: string;
  readonly message: unknown;
  readonly index: number;
}

/** `x-tc-field-patterns` by field (and occurrence, should a field have several rules). */
function rulesOf(node: Json): Map<string, Rule> {
  const rules = new Map<string, Rule>();
  const list = Array.isArray(node["x-tc-field-patterns"]) ? (node["x-tc-field-patterns"] as Json[]) : [];
  list.forEach((rule, index) => {
    const field = String(rule["field"]);
    let key = field;
    for (let n = 2; rules.has(key); n++) key = `${field}#${n}`;
    rules.set(key, { field, pattern: String(rule["pattern"]), message: rule["message"], index });
  });
  return rules;
}
