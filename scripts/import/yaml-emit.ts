/**
 * An imported OpenAPI document as YAML that reads like the hand-written spec: block style, flow
 * lists where they are short (`required: [A, B]`), block scalars for long texts, quotes only where
 * a YAML 1.1 reader would take a string for something else, blank lines between actions and
 * schemas, and comments where they help a reviewer. Built with the `yaml` Document API. Pure and
 * deterministic.
 */
import { Document, isMap, isScalar, isSeq, Scalar, type Node, type Pair, type ToStringOptions } from "yaml";
import type { ImportedSpec } from "./build-spec.js";
import { isObject, type Json, SCHEMA_REF_PREFIX } from "../lib/utils.js";

export const TO_STRING_OPTIONS: ToStringOptions = { lineWidth: 100, minContentWidth: 40, indent: 2, indentSeq: true, flowCollectionPadding: false };

/** Path of keys (and list indexes) from the document's root to a node. */
export type NodePath = readonly (string | number)[];

/** What the styling needs to know about the whole document. */
export interface EmitContext {
  /** Schema name → the action whose group of schemas it opens. */
  readonly sections: ReadonlyMap<string, string>;
  /** Schemas that are an action's successful answer. */
  readonly responseSchemas: ReadonlySet<string>;
}

export function emitSpec(spec: ImportedSpec, header: readonly string[]): string {
  const doc = new Document(spec.value);
  const context = emitContext(spec.value, spec.sections);
  styleNode(doc.contents as Node, [], context);
  doc.commentBefore = header.map((line) => (line === "" ? "" : ` ${line}`)).join("\n");
  return doc.toString(TO_STRING_OPTIONS);
}

export function emitContext(value: Json, sections: ReadonlyMap<string, string>): EmitContext {
  const responseSchemas = new Set<string>();
  for (const item of Object.values(isObject(value["paths"]) ? value["paths"] : {})) {
    const ref = successRef(item);
    if (ref !== undefined) responseSchemas.add(ref.slice(SCHEMA_REF_PREFIX.length));
  }
  return { sections, responseSchemas };
}

/** The `$ref` of an operation's success schema, if the path item is in the spec's shape. */
function successRef(item: unknown): string | undefined {
  const get = (node: unknown, ...keys: string[]): unknown => keys.reduce((n, k) => (isObject(n) ? n[k] : undefined), node);
  const anyOf = get(item, "post", "responses", "200", "content", "application/json", "schema", "properties", "Response", "anyOf");
  const ref = Array.isArray(anyOf) ? get(anyOf[0], "$ref") : undefined;
  return typeof ref === "string" ? ref : undefined;
}

/**
 * One `key: value` entry (or list item, `key` undefined) as YAML text at `indent` columns, styled as
 * it would be at `path` in a whole document: what merging splices into an existing spec.
 */
export function emitFragment(path: NodePath, key: string | undefined, value: unknown, indent: number, context: EmitContext): string {
  const doc = new Document(key === undefined ? [value] : { [key]: value });
  const root = doc.contents as Node;
  if (isMap(root)) {
    styleNode(root, path, context);
    const pair = root.items[0]!;
    (pair.key as Node).spaceBefore = false;
  } else if (isSeq(root)) {
    styleNode(root.items[0] as Node, [...path, 0], context);
  }
  const pad = " ".repeat(indent);
  // Texts fold at the same right margin as in a whole document.
  return doc
    .toString({ ...TO_STRING_OPTIONS, lineWidth: Math.max(60, (TO_STRING_OPTIONS.lineWidth ?? 100) - indent) })
    .replace(/\n$/, "")
    .split("\n")
    .map((line) => (line === "" ? "" : pad + line))
    .join("\n");
}

function styleNode(node: Node | null, path: NodePath, context: EmitContext): void {
  if (isMap(node)) {
    node.items.forEach((pair, index) => {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      styleEntry(pair as Pair<Node, Node>, index, path, key, context);
      styleNode(pair.value as Node | null, [...path, key], context);
    });
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => styleNode(item as Node, [...path, i], context));
    const scalars = node.items.every((item) => isScalar(item));
    const last = path[path.length - 1];
    const inExampleValue = path.includes("value") || (last !== "examples" && path.includes("examples"));
    if (scalars && node.items.length > 0 && (last === "required" || last === "type" || last === "enum" || inExampleValue)) {
      node.flow = flowWidth(node) <= 60;
    }
  } else if (isScalar(node)) {
    styleScalar(node, path);
  }
}

/** Blank lines and comments before keys, by where they are. */
function styleEntry(pair: Pair<Node, Node>, index: number, path: NodePath, key: string, context: EmitContext): void {
  const keyNode = pair.key as Node;
  const depth = path.length;
  if (depth === 0 && index > 0 && !["x-tc-version", "x-tc-review"].includes(key)) keyNode.spaceBefore = true;
  if (depth === 1 && path[0] === "paths") {
    if (index > 0) keyNode.spaceBefore = true;
    keyNode.commentBefore = ` Pseudo-path: sent as "POST /" with "X-TC-Action: ${key.slice(1)}".`;
  }
  if (depth === 2 && path[0] === "components" && path[1] === "schemas") {
    if (index > 0) keyNode.spaceBefore = true;
    const section = context.sections.get(key);
    if (section !== undefined) keyNode.commentBefore = ` ${`---- ${section || "Shared"} `.padEnd(92, "-")}`;
  }
  if (depth === 3 && path[0] === "components" && path[1] === "schemas" && index === 0 && context.responseSchemas.has(String(path[2]))) {
    keyNode.commentBefore = " No additionalProperties: false on responses: Tencent may add fields at any time.";
  }
  if (depth === 3 && path[0] === "paths" && path[2] === "post") {
    if (key === "x-tc-errors") keyNode.commentBefore = " Codes specific to this action; the common codes in x-tc-common-errors apply as well.";
    if (key === "x-tc-review") keyNode.commentBefore = " Facts the definitions do not give: check each, fix the value beside it, then delete the entry.";
    if (key === "x-tc-rate-limit" && isScalar(pair.value)) (pair.value as Scalar).comment = " requests per second";
  }
  if (depth === 0 && key === "x-tc-common-errors") {
    keyNode.commentBefore = " The error codes every Tencent Cloud API 3.0 action may return, in addition to the codes\n each action lists in its own x-tc-errors.";
  }
}

/** Texts that would read as something else in YAML 1.1 (dates, yes/no, sexagesimal numbers). */
const AMBIGUOUS = [
  /^(y|n|yes|no|on|off|true|false|null|~)$/i,
  /^\d{4}-\d{1,2}-\d{1,2}/,
  /^[-+]?[0-9][0-9_]*$/,
  /^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?$/,
  /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/,
  /^0[bxo]/i,
  /^[-+]?\.(inf|nan)$/i,
];
const LONG_TEXT_KEYS = new Set(["description", "reason"]);

function styleScalar(node: Scalar, path: NodePath): void {
  if (typeof node.value !== "string") return;
  const text = node.value;
  const key = path[path.length - 1];
  if (key === "$ref") {
    node.type = Scalar.QUOTE_SINGLE;
  } else if (text.includes("\n") && LONG_TEXT_KEYS.has(String(key)) && blockSafe(text)) {
    node.type = Scalar.BLOCK_LITERAL;
  } else if (text.length > 70 && LONG_TEXT_KEYS.has(String(key)) && blockSafe(text)) {
    node.type = Scalar.BLOCK_FOLDED;
  } else if (AMBIGUOUS.some((re) => re.test(text))) {
    node.type = Scalar.QUOTE_DOUBLE;
  }
}

/** Block scalars cannot hold every text faithfully (leading spaces, tabs, control characters). */
function blockSafe(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/^\s/.test(text) && !/[\t\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/.test(text) && !/ \n|\s$/.test(text);
}

function flowWidth(node: Node): number {
  if (!isSeq(node)) return Infinity;
  return node.items.reduce<number>((sum, item) => sum + (isScalar(item) ? String(item.value).length + 4 : 100), 2);
}
