/**
 * Merging an import into an existing spec: what the definitions have and the spec lacks (actions,
 * members, the schemas they use, error codes, examples of actions that have none, common error
 * codes) is added; nothing a person wrote is changed, not even its layout; every other difference
 * is reported. Pure.
 */
import { parseDocument, type Document } from "yaml";
import type { ImportedSpec } from "./build-spec.js";
import { compareSpecs, type Addition, type CompareScope, type Difference } from "./compare.js";
import { applyDeclarations, findDeclarations } from "./declarations.js";
import { applyInsertions, columnOf, flowSeqAppend, mapSlot, nodeAt, seqSlot, type Insertion, type Slot } from "./splice.js";
import { isObject, joinPointer, type Json, SCHEMA_REF_PREFIX, splitPointer } from "../lib/utils.js";
import { emitContext, emitFragment, type EmitContext, type NodePath } from "./yaml-emit.js";

export interface MergeNote {
  /** Where in the existing spec. */
  readonly pointer: string;
  readonly message: string;
}

export interface MergeResult {
  readonly text: string;
  /** What was added, at the place it went. */
  readonly added: readonly MergeNote[];
  /** Differences left as the spec has them (a person's edits, or the definitions' drift). */
  readonly differences: readonly Difference[];
  /** How many differences the spec declares with x-tc-verify (not reported again). */
  readonly declared: number;
  /** Additions that need a person (the container is written in flow style, say). */
  readonly manual: readonly MergeNote[];
}

/**
 * For one file of a multi-file spec (spec/parts.ts): `existing` is then the merged document, `owns`
 * says whether an addition's place is in this file (`/paths` and `/components/schemas` for new
 * actions and new schemas), and `claimed` the new schemas another file already takes.
 */
export interface MergeInto {
  readonly owns: (pointer: string) => boolean;
  readonly claimed: Set<string>;
}

export function mergeSpec(text: string, existing: Json, imported: ImportedSpec, scope: CompareScope, into?: MergeInto): MergeResult {
  const doc = parseDocument(text, { keepSourceTokens: false });
  const differences = compareSpecs(existing, imported.value, scope);
  const { declarations } = findDeclarations(existing);
  const sorted = applyDeclarations(differences, declarations);
  const merger = new Merger(text, doc, existing, imported, into?.claimed);
  for (const d of differences) if (d.addition && (into === undefined || into.owns(placeOf(d.addition)))) merger.plan(d.addition, d.pointer);
  merger.addSchemas();
  return {
    text: applyInsertions(text, merger.insertions),
    added: merger.added,
    differences: sorted.reported.filter((d) => !d.addition),
    declared: sorted.declared.length,
    manual: merger.manual,
  };
}

/** Where an addition goes: the mapping or operation it is added to. */
function placeOf(addition: Addition): string {
  switch (addition.kind) {
    case "action":
      return "/paths";
    case "member":
      return addition.schema;
    case "error":
      return addition.operation;
    case "common-error":
      return "/x-tc-common-errors";
    case "examples":
      return joinPointer("paths", `/${addition.action}`);
  }
}

class Merger {
  readonly insertions: (Insertion & { replace?: number })[] = [];
  readonly added: MergeNote[] = [];
  readonly manual: MergeNote[] = [];
  private readonly context: EmitContext;
  private readonly importedSchemas: Json;
  private readonly existingSchemas: Json;
  /** Imported schemas the added content refers to. */
  private readonly needed = new Set<string>();
  /** Items added to one list, rendered together, so that a missing list is created once. */
  private readonly groups = new Map<string, unknown[]>();

  constructor(
    private readonly text: string,
    private readonly doc: Document.Parsed,
    private readonly existing: Json,
    private readonly imported: ImportedSpec,
    /** New schemas taken by another file of the same spec: not added again. */
    private readonly claimed = new Set<string>(),
  ) {
    this.context = emitContext(imported.value, imported.sections);
    this.importedSchemas = (imported.value["components"] as Json)["schemas"] as Json;
    const components = isObject(existing["components"]) ? existing["components"] : {};
    this.existingSchemas = isObject(components["schemas"]) ? components["schemas"] : {};
  }

  plan(addition: Addition, pointer: string): void {
    switch (addition.kind) {
      case "action": {
        const route = `/${addition.action}`;
        const item = (this.imported.value["paths"] as Json)[route];
        this.refer(item);
        this.appendEntry("/paths", ["paths"], route, item, true, `added action ${addition.action}`, pointer);
        return;
      }
      case "member": {
        this.refer(addition.value);
        const at = `${addition.schema}/properties`;
        const hasProperties = nodeAt(this.doc, at) !== undefined;
        const added = this.appendEntry(hasProperties ? at : addition.schema, [...splitPointer(at)], addition.member, addition.value, false, `added member ${addition.member}`, pointer, hasProperties ? undefined : "properties");
        if (added && addition.required) this.addRequired(addition.schema, addition.member);
        return;
      }
      case "error":
        this.appendItem(`${addition.operation}/x-tc-errors`, addition.operation, "x-tc-errors", addition.entry, `added error code ${String(addition.entry["code"])}`, pointer);
        return;
      case "common-error":
        this.appendItem("/x-tc-common-errors", "", "x-tc-common-errors", addition.entry, `added common error code ${String(addition.entry["code"])}`, pointer);
        return;
      case "examples": {
        const op = ((this.imported.value["paths"] as Json)[`/${addition.action}`] as Json)["post"] as Json;
        const at = joinPointer("paths", `/${addition.action}`, "post");
        const request = dig(op, "requestBody", "content", "application/json", "examples");
        const response = dig(op, "responses", "200", "content", "application/json", "examples");
        this.appendEntry(`${at}/requestBody/content/application~1json`, [...splitPointer(`${at}/requestBody/content/application~1json`)], "examples", request, false, `added the definitions' examples of ${addition.action}`, pointer);
        this.appendEntry(`${at}/responses/200/content/application~1json`, [...splitPointer(`${at}/responses/200/content/application~1json`)], "examples", response, false, `added the answers of the definitions' examples of ${addition.action}`, pointer);
        return;
      }
    }
  }

  /** The schemas the added content needs and the spec lacks, with what they need in turn. */
  addSchemas(): void {
    const pending = [...this.needed];
    const adding = new Set<string>();
    while (pending.length > 0) {
      const name = pending.pop()!;
      if (adding.has(name) || this.claimed.has(name) || Object.hasOwn(this.existingSchemas, name) || !Object.hasOwn(this.importedSchemas, name)) continue;
      adding.add(name);
      this.claimed.add(name);
      for (const ref of refsIn(this.importedSchemas[name])) pending.push(ref);
    }
    // In the imported document's order, so the added schemas read like an import of their own.
    for (const name of Object.keys(this.importedSchemas).filter((n) => adding.has(n))) {
      this.appendEntry("/components/schemas", ["components", "schemas"], name, this.importedSchemas[name], true, `added schema ${name}`, "/components/schemas");
    }
  }

  private refer(value: unknown): void {
    for (const ref of refsIn(value)) this.needed.add(ref);
  }

  /** A `key: value` entry at the end of the mapping at `container` (or, with `wrapKey`, a new mapping under that key). */
  private appendEntry(container: string, path: NodePath, key: string, value: unknown, blankLine: boolean, message: string, reportAt: string, wrapKey?: string): boolean {
    const parentIndent = this.indentOf(container);
    const slot = mapSlot(this.text, this.doc, container, parentIndent);
    if (!slot) {
      this.manual.push({ pointer: reportAt, message: `${missing(message)}, and cannot be added automatically (the mapping at ${container || "/"} is not in block style): add it by hand` });
      return false;
    }
    const entry = wrapKey === undefined ? { key, value, path } : { key: wrapKey, value: { [key]: value }, path: path.slice(0, -1) };
    const fragment = emitFragment(entry.path, entry.key, entry.value, slot.indent, this.context);
    this.insert(slot, `${blankLine ? "\n" : ""}${fragment}\n`);
    this.added.push({ pointer: reportAt, message });
    return true;
  }

  /** An item at the end of the block list at `list`, or a new list under `key` in the mapping at `owner`. */
  private appendItem(list: string, owner: string, key: string, item: unknown, message: string, reportAt: string): void {
    const group = this.groups.get(list);
    if (group) {
      group.push(item);
      this.added.push({ pointer: reportAt, message });
      return;
    }
    const exists = nodeAt(this.doc, list) !== undefined;
    const slot = exists ? seqSlot(this.text, this.doc, list) : mapSlot(this.text, this.doc, owner, this.indentOf(owner));
    if (!slot) {
      this.manual.push({ pointer: reportAt, message: `${missing(message)}, and cannot be added automatically (${list} is not a block list): add it by hand` });
      return;
    }
    const items: unknown[] = [item];
    this.groups.set(list, items);
    const path = splitPointer(list);
    this.insertLazily(slot, () =>
      exists
        ? items.map((it) => emitFragment(path, undefined, it, slot.indent, this.context)).join("\n")
        : emitFragment(path.slice(0, -1), key, items, slot.indent, this.context),
    );
    this.added.push({ pointer: reportAt, message });
  }

  /** Adds `member` to the schema's `required` list, creating the list before `properties` if there is none. */
  private addRequired(schema: string, member: string): void {
    const list = `${schema}/required`;
    const listed = dig(this.existing, ...splitPointer(list));
    if (Array.isArray(listed) && listed.includes(member)) return; // the person listed it already
    const node = nodeAt(this.doc, list);
    if (node === undefined) {
      const key = `${schema}/required`;
      const group = this.groups.get(key);
      if (group) return void group.push(member);
      const properties = this.keyOffset(`${schema}/properties`);
      const slot: Slot | undefined =
        properties !== undefined
          ? { offset: this.text.lastIndexOf("\n", properties - 1) + 1, indent: columnOf(this.text, properties), prefix: "", replace: 0 }
          : mapSlot(this.text, this.doc, schema, this.indentOf(schema));
      if (!slot) return void this.manual.push({ pointer: schema, message: `add ${member} to required by hand` });
      const items: unknown[] = [member];
      this.groups.set(key, items);
      const path = splitPointer(schema);
      this.insertLazily(slot, () => emitFragment(path, "required", items, slot.indent, this.context));
      return;
    }
    const flow = flowSeqAppend(this.text, this.doc, list, member);
    if (flow) return void this.insertions.push(flow);
    const slot = seqSlot(this.text, this.doc, list);
    if (slot) return void this.insert(slot, `${" ".repeat(slot.indent)}- ${member}\n`);
    this.manual.push({ pointer: list, message: `add ${member} to required by hand` });
  }

  private insert(slot: Slot, body: string): void {
    this.insertions.push({ offset: slot.offset, replace: slot.replace, text: `${slot.prefix}${body}` });
  }

  /** An insertion rendered when the text is put together, once every item of its list is known. */
  private insertLazily(slot: Slot, render: () => string): void {
    this.insertions.push({ offset: slot.offset, replace: slot.replace, get text(): string {
      return `${slot.prefix}${render()}\n`;
    } });
  }

  /** The column of the keys of the mapping holding `pointer`'s node (0 at the root). */
  private indentOf(pointer: string): number {
    if (pointer === "") return -2;
    const offset = this.keyOffset(pointer);
    return offset === undefined ? 0 : columnOf(this.text, offset);
  }

  /** Offset of the key whose value is at `pointer`. */
  private keyOffset(pointer: string): number | undefined {
    const segments = splitPointer(pointer);
    const parent = nodeAt(this.doc, joinPointer(...segments.slice(0, -1)).replace(/^$/, ""));
    const last = segments[segments.length - 1];
    if (parent === undefined || parent === null || !("items" in parent)) return undefined;
    for (const item of (parent as { items: unknown[] }).items) {
      const key = (item as { key?: { value?: unknown; range?: number[] } }).key;
      if (key && String(key.value) === last) return key.range?.[0];
    }
    return undefined;
  }
}

/** "added member X" → "member X is missing". */
function missing(message: string): string {
  return `${message.replace(/^added /, "")} is missing`;
}

function dig(node: unknown, ...keys: string[]): unknown {
  return keys.reduce((n, k) => (isObject(n) ? n[k] : undefined), node);
}

/** Component schemas a value refers to (examples aside). */
function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, found));
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string" && v.startsWith(SCHEMA_REF_PREFIX)) found.push(v.slice(SCHEMA_REF_PREFIX.length));
      else if (k !== "examples") refsIn(v, found);
    }
  }
  return found;
}
