/**
 * What differs between a spec and the import of Tencent's definitions: actions, members (through
 * `$ref`s, lists and nesting), types, required, nullability, constraints the spec adds, status,
 * error codes, and (for merging) texts and examples. Comparing with the imported document rather
 * than the raw definitions keeps one mapping of definitions to JSON Schema (member-types.ts).
 * Pure: values in, differences with JSON pointers into the spec out.
 */
import { isObject, joinPointer, type Json, jsonEqual, resolveRef, SCHEMA_REF_PREFIX } from "../lib/utils.js";

/** Differences `tcgen verify` reports: the contract itself. */
export const CONTRACT_KINDS = [
  "missing-action", "unknown-action", "missing-member", "unknown-member", "type", "required", "nullable",
  "deprecated", "missing-error", "unknown-error",
] as const;

/** Validation keywords a spec may add to what the definitions say (a tighter pattern, an enum from the prose). */
export const CONSTRAINT_KINDS = [
  "enum", "const", "pattern", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
  "minItems", "maxItems", "additionalProperties", "x-tc-field-patterns",
] as const;

/** What only merging reports: texts and annotations a person may have rewritten, and what merging adds. */
export const MERGE_KINDS = ["summary", "description", "format", "error-description", "missing-common-error", "common-error-description", "examples"] as const;

export type DifferenceKind = (typeof CONTRACT_KINDS)[number] | (typeof CONSTRAINT_KINDS)[number] | (typeof MERGE_KINDS)[number];

/** What merging adds for a difference that is something missing from the spec. */
export type Addition =
  | { readonly kind: "action"; readonly action: string }
  | { readonly kind: "member"; readonly schema: string; readonly member: string; readonly value: unknown; readonly required: boolean }
  | { readonly kind: "error"; readonly operation: string; readonly entry: Json }
  | { readonly kind: "common-error"; readonly entry: Json }
  | { readonly kind: "examples"; readonly action: string };

export interface Difference {
  readonly kind: DifferenceKind;
  /** Where in the spec: the node that differs, or the container something is missing from. */
  readonly pointer: string;
  readonly message: string;
  readonly addition?: Addition;
}

export interface CompareScope {
  /** The imported actions to compare. */
  readonly actions: readonly string[];
  /** The definitions' every action is in scope: spec actions not among them are unknown. */
  readonly complete: boolean;
  /** The definitions have per-action error codes (errors.json). */
  readonly errors: boolean;
}

const ERRORS_KEY = "x-tc-errors";

export function compareSpecs(spec: Json, imported: Json, scope: CompareScope): Difference[] {
  const found: Difference[] = [];
  const seen = new Set<string>();
  const report = (d: Difference) => {
    const key = `${d.kind}\u0000${d.pointer}\u0000${d.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push(d);
  };
  const walker = new SchemaWalker(spec, imported, report);
  compareCommonErrors(spec, imported, report);

  const specPaths = isObject(spec["paths"]) ? spec["paths"] : {};
  const importedPaths = imported["paths"] as Json;
  for (const action of scope.actions) {
    const importedOp = (importedPaths[`/${action}`] as Json)["post"] as Json;
    const specItem = specPaths[`/${action}`];
    const specOp = isObject(specItem) ? specItem["post"] : undefined;
    if (!isObject(specOp)) {
      const status = importedOp["x-tc-status"] === "offline" ? "offline" : importedOp["deprecated"] === true ? "deprecated" : "";
      report({
        kind: "missing-action",
        pointer: isObject(spec["paths"]) ? "/paths" : "",
        message: `action ${action}${status ? ` (${status})` : ""} is in the definitions but not in the spec`,
        addition: { kind: "action", action },
      });
      continue;
    }
    const at = joinPointer("paths", `/${action}`, "post");
    compareOperation(action, specOp, importedOp, at, scope, report);
    const specRequest = requestRef(specOp);
    const importedRequest = requestRef(importedOp);
    if (specRequest && importedRequest) walker.compare(`${at}/requestBody/content/application~1json/schema`, { $ref: specRequest }, { $ref: importedRequest }, "");
    const specAnswer = successRef(specOp);
    const importedAnswer = successRef(importedOp);
    if (specAnswer && importedAnswer) walker.compare(`${at}/responses/200/content/application~1json/schema/properties/Response/anyOf/0`, { $ref: specAnswer }, { $ref: importedAnswer }, "");
  }
  if (scope.complete) {
    for (const route of Object.keys(specPaths)) {
      if (!Object.hasOwn(importedPaths, route)) {
        report({ kind: "unknown-action", pointer: joinPointer("paths", route), message: `action ${route.slice(1)} is not in the definitions` });
      }
    }
  }
  return found;
}

type Report = (d: Difference) => void;

function compareOperation(action: string, spec: Json, imported: Json, at: string, scope: CompareScope, report: Report): void {
  const status = (op: Json) => (op["x-tc-status"] === "offline" ? "offline" : op["deprecated"] === true ? "deprecated" : "online");
  const [specStatus, importedStatus] = [status(spec), status(imported)];
  if (specStatus !== importedStatus) {
    const pointer = spec["deprecated"] !== undefined ? `${at}/deprecated` : at;
    const say = (s: string) => (s === "online" ? "not deprecated" : s === "offline" ? "offline (deprecated: true, x-tc-status: offline)" : "deprecated");
    report({ kind: "deprecated", pointer, message: `action ${action}: ${say(specStatus)} in the spec, ${say(importedStatus)} in the definitions` });
  }
  for (const key of ["summary", "description"] as const) {
    if (typeof imported[key] === "string" && !sameText(spec[key], imported[key])) {
      report({ kind: key, pointer: spec[key] !== undefined ? `${at}/${key}` : at, message: `action ${action}: the ${key} differs from the definitions': ${quote(imported[key])}` });
    }
  }
  if (scope.errors) compareErrors(action, spec, imported, at, report);
  compareExamples(action, spec, imported, at, report);
}

function compareErrors(action: string, spec: Json, imported: Json, at: string, report: Report): void {
  const specList = Array.isArray(spec[ERRORS_KEY]) ? (spec[ERRORS_KEY] as unknown[]) : [];
  const importedList = Array.isArray(imported[ERRORS_KEY]) ? (imported[ERRORS_KEY] as Json[]) : [];
  const specCodes = new Map(specList.map((e, i) => [isObject(e) ? String(e["code"]) : "", { entry: e, i }]));
  const importedCodes = new Set(importedList.map((e) => String(e["code"])));
  const listAt = spec[ERRORS_KEY] !== undefined ? `${at}/${ERRORS_KEY}` : at;
  for (const entry of importedList) {
    const code = String(entry["code"]);
    const mine = specCodes.get(code);
    if (!mine) {
      report({ kind: "missing-error", pointer: listAt, message: `action ${action}: error code ${code} is in the definitions but not in x-tc-errors`, addition: { kind: "error", operation: at, entry } });
    } else if (isObject(mine.entry) && !sameText(mine.entry["description"], entry["description"])) {
      report({ kind: "error-description", pointer: `${listAt}/${mine.i}/description`, message: `action ${action}: the description of ${code} differs from the definitions': ${quote(entry["description"])}` });
    }
  }
  for (const [code, { i }] of specCodes) {
    if (!importedCodes.has(code)) report({ kind: "unknown-error", pointer: `${listAt}/${i}`, message: `action ${action}: error code ${code} is not among the action's codes in the definitions` });
  }
}

function compareCommonErrors(spec: Json, imported: Json, report: Report): void {
  const key = "x-tc-common-errors";
  const specList = Array.isArray(spec[key]) ? (spec[key] as unknown[]) : [];
  const mine = new Map(specList.map((e, i) => [isObject(e) ? String(e["code"]) : "", { entry: e, i }]));
  for (const entry of imported[key] as Json[]) {
    const code = String(entry["code"]);
    const found = mine.get(code);
    if (!found) {
      report({ kind: "missing-common-error", pointer: spec[key] !== undefined ? `/${key}` : "", message: `common error code ${code} is not in x-tc-common-errors`, addition: { kind: "common-error", entry } });
    } else if (isObject(found.entry) && !sameText(found.entry["description"], entry["description"])) {
      report({ kind: "common-error-description", pointer: `/${key}/${found.i}/description`, message: `the description of common error code ${code} differs from Tencent's: ${quote(entry["description"])}` });
    }
  }
}

/**
 * The spec's examples are a person's choice: the definitions' examples are added only to an
 * action that has none; otherwise a different one is reported and the spec's kept.
 */
function compareExamples(action: string, spec: Json, imported: Json, at: string, report: Report): void {
  const importedExamples = requestExamples(imported);
  if (importedExamples === undefined) return;
  const mine = requestExamples(spec);
  if (mine === undefined) {
    report({ kind: "examples", pointer: at, message: `action ${action}: the definitions have ${Object.keys(importedExamples).length} example(s), the spec none`, addition: { kind: "examples", action } });
    return;
  }
  const values = Object.values(mine).map((e) => (isObject(e) ? e["value"] : undefined));
  for (const [name, example] of Object.entries(importedExamples)) {
    const value = (example as Json)["value"];
    if (!values.some((v) => jsonEqual(v, value))) {
      report({ kind: "examples", pointer: `${at}/requestBody/content/application~1json/examples`, message: `action ${action}: the definitions' example ${name} (${quote((example as Json)["summary"])}) is not among the spec's examples (kept the spec's)` });
    }
  }
}

function requestExamples(op: Json): Json | undefined {
  const media = dig(op, "requestBody", "content", "application/json");
  return isObject(media) && isObject(media["examples"]) ? media["examples"] : undefined;
}

function requestRef(op: Json): string | undefined {
  const ref = dig(op, "requestBody", "content", "application/json", "schema", "$ref");
  return typeof ref === "string" ? ref : undefined;
}

function successRef(op: Json): string | undefined {
  const anyOf = dig(op, "responses", "200", "content", "application/json", "schema", "properties", "Response", "anyOf");
  const ref = Array.isArray(anyOf) ? dig(anyOf[0], "$ref") : undefined;
  return typeof ref === "string" ? ref : undefined;
}

function dig(node: unknown, ...keys: string[]): unknown {
  return keys.reduce((n, k) => (isObject(n) ? n[k] : undefined), node);
}

/** A schema with its `$ref`s followed and null taken out of its type. */
interface Shape {
  /** Pointer of the node the type comes from (a component schema when the member is a `$ref`). */
  readonly pointer: string;
  readonly node: Json;
  readonly types: readonly string[];
  readonly nullable: boolean;
  /** The component the member refers to, for messages (`InstanceSet`). */
  readonly component: string | undefined;
  /** anyOf/oneOf/allOf the comparison cannot see through. */
  readonly union: boolean;
}

function shapeOf(root: Json, pointer: string, node: unknown): Shape {
  let at = pointer;
  let current: unknown = node;
  let component: string | undefined;
  let nullable = false;
  for (let hops = 0; hops < 32 && isObject(current); hops++) {
    if (current["nullable"] === true || (Array.isArray(current["type"]) && current["type"].includes("null"))) nullable = true;
    // anyOf/oneOf of one schema and { type: null }: a nullable schema.
    const union = (["anyOf", "oneOf"] as const).find((k) => Array.isArray((current as Json)[k]));
    if (union) {
      const branches = (current[union] as unknown[]).map((b, i) => ({ b, i }));
      const others = branches.filter(({ b }) => !(isObject(b) && b["type"] === "null"));
      if (others.length === 1 && branches.length === 2) {
        nullable = true;
        at = `${at}/${union}/${others[0]!.i}`;
        current = others[0]!.b;
        continue;
      }
    }
    const ref = current["$ref"];
    if (typeof ref !== "string") break;
    const target = resolveRef(root, ref);
    if (target === undefined) break;
    component = ref.startsWith(SCHEMA_REF_PREFIX) ? ref.slice(SCHEMA_REF_PREFIX.length) : ref;
    at = ref.slice(1);
    current = target;
  }
  const json = isObject(current) ? current : {};
  const type = json["type"];
  const types = (Array.isArray(type) ? type : type === undefined ? [] : [type]).filter((t) => t !== "null").map(String);
  const union = types.length === 0 && ["anyOf", "oneOf", "allOf"].some((k) => k in json);
  return { pointer: at, node: json, types, nullable, component, union };
}

/** Walks a spec schema and the imported one side by side. */
class SchemaWalker {
  private readonly done = new Set<string>();
  constructor(
    private readonly spec: Json,
    private readonly imported: Json,
    private readonly report: Report,
  ) {}

  /** Compares one member (or a request/answer root when `label` is ""), reporting at `pointer`. */
  compare(pointer: string, specNode: unknown, importedNode: unknown, label: string): void {
    const mine = shapeOf(this.spec, pointer, specNode);
    const theirs = shapeOf(this.imported, "", importedNode);
    const name = label || mine.component || theirs.component || "schema";
    if (label !== "") {
      if (mine.nullable !== theirs.nullable) {
        this.report({
          kind: "nullable",
          pointer,
          message: `${name}: ${mine.nullable ? "may be null in the spec; the definitions do not allow null" : "not nullable in the spec; the definitions allow null (value_allowed_null)"}`,
        });
      }
      this.compareText(pointer, specNode, importedNode, name);
    }
    if (!sameTypes(mine.types, theirs.types) || mine.union) {
      this.report({ kind: "type", pointer, message: `${name}: ${describeType(mine, this.spec)} in the spec, ${describeType(theirs, this.imported)} in the definitions` });
      return;
    }
    this.compareConstraints(pointer, mine, theirs, name);
    if (theirs.types[0] === "object") this.compareObject(mine, theirs, name);
    if (theirs.types[0] === "array") this.compare(`${mine.pointer}/items`, mine.node["items"], theirs.node["items"], `${name}[]`);
  }

  private compareObject(mine: Shape, theirs: Shape, name: string): void {
    const key = `${mine.pointer}\u0000${theirs.pointer}`;
    if (this.done.has(key)) return;
    this.done.add(key);
    const specProps = isObject(mine.node["properties"]) ? mine.node["properties"] : {};
    const importedProps = isObject(theirs.node["properties"]) ? theirs.node["properties"] : {};
    const specRequired = new Set(Array.isArray(mine.node["required"]) ? (mine.node["required"] as unknown[]).map(String) : []);
    const importedRequired = new Set(Array.isArray(theirs.node["required"]) ? (theirs.node["required"] as unknown[]).map(String) : []);
    const owner = mine.component ?? name;
    if (theirs.node["description"] !== undefined && !sameText(mine.node["description"], theirs.node["description"])) {
      const at = mine.node["description"] !== undefined ? `${mine.pointer}/description` : mine.pointer;
      this.report({ kind: "description", pointer: at, message: `${owner}: the description differs from the definitions': ${quote(theirs.node["description"])}` });
    }
    for (const [member, schema] of Object.entries(importedProps)) {
      const memberName = `${owner}.${member}`;
      if (!Object.hasOwn(specProps, member)) {
        this.report({
          kind: "missing-member",
          pointer: mine.node["properties"] !== undefined ? `${mine.pointer}/properties` : mine.pointer,
          message: `${owner}: member ${member} (${describeType(shapeOf(this.imported, "", schema), this.imported)}, ${importedRequired.has(member) ? "required" : "optional"}) is in the definitions but not in the spec`,
          addition: { kind: "member", schema: mine.pointer, member, value: schema, required: importedRequired.has(member) },
        });
        continue;
      }
      const at = `${mine.pointer}/properties${joinPointer(member)}`;
      if (specRequired.has(member) !== importedRequired.has(member)) {
        const say = (r: boolean) => (r ? "required" : "optional");
        this.report({ kind: "required", pointer: at, message: `${memberName}: ${say(specRequired.has(member))} in the spec, ${say(importedRequired.has(member))} in the definitions` });
      }
      this.compare(at, specProps[member], schema, memberName);
    }
    for (const member of Object.keys(specProps)) {
      if (!Object.hasOwn(importedProps, member)) {
        this.report({ kind: "unknown-member", pointer: `${mine.pointer}/properties${joinPointer(member)}`, message: `${owner}.${member}: not a member in the definitions` });
      }
    }
  }

  /** Keywords the spec adds or changes; `additionalProperties` both ways (it closes requests). */
  private compareConstraints(pointer: string, mine: Shape, theirs: Shape, name: string): void {
    for (const keyword of CONSTRAINT_KINDS) {
      const specHas = keyword in mine.node;
      if (!specHas && !(keyword === "additionalProperties" && keyword in theirs.node)) continue;
      if (jsonEqual(mine.node[keyword], theirs.node[keyword])) continue;
      const at = specHas ? `${mine.pointer}/${keyword}` : mine.pointer;
      const theirsText = keyword in theirs.node ? `${short(theirs.node[keyword])} in the definitions` : "not in the definitions";
      this.report({ kind: keyword, pointer: at, message: `${name}: ${keyword} ${specHas ? short(mine.node[keyword]) : "absent"} in the spec, ${theirsText}` });
    }
    if (mine.node["format"] !== theirs.node["format"]) {
      this.report({
        kind: "format",
        pointer: mine.node["format"] !== undefined ? `${mine.pointer}/format` : pointer,
        message: `${name}: format ${mine.node["format"] ?? "absent"} in the spec, ${theirs.node["format"] ?? "none"} in the definitions`,
      });
    }
  }

  private compareText(pointer: string, specNode: unknown, importedNode: unknown, name: string): void {
    const text = (n: unknown) => (isObject(n) ? n["description"] : undefined);
    if (text(importedNode) !== undefined && !sameText(text(specNode), text(importedNode))) {
      this.report({ kind: "description", pointer: text(specNode) !== undefined ? `${pointer}/description` : pointer, message: `${name}: the description differs from the definitions': ${quote(text(importedNode))}` });
    }
  }
}

function sameTypes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t) => b.includes(t));
}

function describeType(shape: Shape, root: Json): string {
  if (shape.union) return "a union (anyOf/oneOf/allOf)";
  if (shape.types.length === 0) return "no type";
  const type = shape.types.join(" or ");
  if (type === "object" && shape.component) return `object ${shape.component}`;
  if (type === "array" && isObject(shape.node["items"])) return `array of ${describeType(shapeOf(root, "", shape.node["items"]), root)}`;
  return shape.node["format"] !== undefined ? `${type} (${String(shape.node["format"])})` : type;
}

/** Texts compare without the line breaks a folded YAML scalar or a reviewer's wrapping adds. */
function sameText(a: unknown, b: unknown): boolean {
  const norm = (t: unknown) => (typeof t === "string" ? t.replace(/\s+/g, " ").trim() : t);
  return norm(a) === norm(b);
}

function quote(text: unknown): string {
  const t = String(text ?? "").replace(/\s+/g, " ").trim();
  return JSON.stringify(t.length > 120 ? `${t.slice(0, 117)}...` : t);
}

function short(value: unknown): string {
  const text = JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
