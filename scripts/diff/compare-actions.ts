/**
 * Actions: added, removed, renamed (same request and answer under a new name), and for an action on
 * both sides its rate limit, idempotency, deprecation, request and answer schemas (when the
 * operation now names another schema) and documentation. Error codes and paging have modules of
 * their own. Pure.
 */
import type { RawChange } from "./change.js";
import { compareSchema, type SchemaCompareContext } from "./compare-schema.js";
import type { ActionEntry, Inventory, InventoryPair } from "./inventory.js";
import { byCodePoint, isObject, type Json, jsonEqual, pointerTo } from "../lib/utils.js";
import { sameStructure, unionKeys } from "./util.js";

/** Operation keys compared for what they mean here or in compare-errors.ts / compare-paging.ts. */
const MEANINGFUL = new Set(["x-tc-action", "operationId", "x-tc-rate-limit", "x-tc-idempotent", "deprecated", "x-tc-errors", "x-tc-pagination", "requestBody", "responses"]);

type Emit = (change: RawChange) => void;

/** The actions present on both sides, for the comparators of their parts. */
export function commonActions(pair: InventoryPair): { old: ActionEntry; new: ActionEntry }[] {
  return [...pair.new.actions.keys()]
    .filter((action) => pair.old.actions.has(action))
    .sort(byCodePoint)
    .map((action) => ({ old: pair.old.actions.get(action)!, new: pair.new.actions.get(action)! }));
}

export function compareActions(pair: InventoryPair, ctx: SchemaCompareContext, emit: Emit): void {
  const removed = [...pair.old.actions.keys()].filter((a) => !pair.new.actions.has(a)).sort(byCodePoint);
  const added = [...pair.new.actions.keys()].filter((a) => !pair.old.actions.has(a)).sort(byCodePoint);
  const renamed = new Map<string, string>();
  for (const action of removed) {
    const before = pair.old.actions.get(action)!;
    const match = added.find((candidate) => ![...renamed.values()].includes(candidate) && sameContract(pair.old, before, pair.new, pair.new.actions.get(candidate)!));
    if (match !== undefined) renamed.set(action, match);
  }
  for (const action of removed) {
    const before = pair.old.actions.get(action)!;
    const target = renamed.get(action);
    if (target !== undefined) {
      emit({ kind: "action-renamed", subject: action, detail: `renamed ${target} (same request and answer)`, oldPointer: pathOf(action), newPointer: pathOf(target), action, renamedTo: target });
    } else {
      emit({ kind: "action-removed", subject: action, detail: "action removed", oldPointer: pathOf(action), newPointer: "/paths", action });
    }
  }
  for (const action of added) {
    if (![...renamed.values()].includes(action)) emit({ kind: "action-added", subject: action, detail: "action added", newPointer: pathOf(action), action });
  }
  for (const both of commonActions(pair)) compareAction(both.old, both.new, ctx, emit);
}

function compareAction(before: ActionEntry, after: ActionEntry, ctx: SchemaCompareContext, emit: Emit): void {
  const action = after.action;
  const o = before.operation;
  const n = after.operation;
  const at = (entry: ActionEntry, key: string) => pointerTo(entry.pointer, key);

  const oldLimit = o["x-tc-rate-limit"] as number;
  const newLimit = n["x-tc-rate-limit"] as number;
  if (newLimit !== oldLimit) {
    emit({ kind: newLimit < oldLimit ? "rate-limit-lowered" : "rate-limit-raised", subject: action, detail: `rate limit ${oldLimit} → ${newLimit} requests per second`, oldPointer: at(before, "x-tc-rate-limit"), newPointer: at(after, "x-tc-rate-limit"), action });
  }
  const wasIdempotent = o["x-tc-idempotent"] === true;
  const isIdempotent = n["x-tc-idempotent"] === true;
  if (wasIdempotent !== isIdempotent) {
    emit({
      kind: isIdempotent ? "idempotent-added" : "idempotent-removed",
      subject: action,
      detail: isIdempotent ? "now idempotent: InternalError and dropped connections are retried" : "no longer idempotent: InternalError and dropped connections are not retried",
      oldPointer: wasIdempotent ? at(before, "x-tc-idempotent") : before.pointer,
      newPointer: isIdempotent ? at(after, "x-tc-idempotent") : after.pointer,
      action,
    });
  }
  const wasDeprecated = o["deprecated"] === true;
  const isDeprecated = n["deprecated"] === true;
  if (wasDeprecated !== isDeprecated) {
    emit({ kind: isDeprecated ? "action-deprecated" : "action-undeprecated", subject: action, detail: isDeprecated ? "deprecated" : "no longer deprecated", oldPointer: before.pointer, newPointer: isDeprecated ? at(after, "deprecated") : after.pointer, action });
  }

  // The operation names another schema: compare what the method sends and reads, structure by structure.
  for (const role of ["request", "answer"] as const) {
    const oldName = before[role];
    const newName = after[role];
    if (oldName === newName) continue;
    const oldAt = pointerTo("", "components", "schemas", oldName);
    const newAt = pointerTo("", "components", "schemas", newName);
    const subject = `${action} ${role}`;
    emit({ kind: "ref-changed", direction: role, subject, detail: `now ${newName} (was ${oldName}), compared member by member`, oldPointer: oldAt, newPointer: newAt, action, schema: newName });
    compareSchema(ctx, { direction: role, schema: newName, action }, schemaOf(ctx.oldRoot, oldName), schemaOf(ctx.newRoot, newName), oldAt, newAt, subject);
  }

  const changed = unionKeys(o, n)
    .filter((key) => !MEANINGFUL.has(key) && !jsonEqual(o[key], n[key]))
    .map((key) => ({ label: key, pointer: n[key] !== undefined ? at(after, key) : after.pointer }));
  // The path item's own keys (a summary, a description) document the action too.
  for (const key of unionKeys(before.item, after.item)) {
    if (key !== "post" && !jsonEqual(before.item[key], after.item[key])) changed.push({ label: `path ${key}`, pointer: pointerTo("", "paths", `/${action}`, key) });
  }
  for (const part of documentationParts(o, n)) {
    if (!jsonEqual(part.old, part.new)) changed.push({ label: part.label, pointer: pointerTo(after.pointer, ...part.at) });
  }
  if (changed.length > 0) {
    emit({ kind: "docs-changed", subject: action, detail: `${changed.map((c) => c.label).join(", ")} changed`, oldPointer: before.pointer, newPointer: changed[0]!.pointer, action });
  }
}

/** The pseudo-path of an action, where a person looks for it. */
function pathOf(action: string): string {
  return pointerTo("", "paths", `/${action}`);
}

/** Whether two actions send and read the same structures (their schemas may be named differently). */
function sameContract(oldSide: Inventory, before: ActionEntry, newSide: Inventory, after: ActionEntry): boolean {
  return sameStructure(oldSide.schemas[before.request], newSide.schemas[after.request]) && sameStructure(oldSide.schemas[before.answer], newSide.schemas[after.answer]);
}

function schemaOf(root: Json, name: string): unknown {
  return ((root["components"] as Json)["schemas"] as Json)[name];
}

/**
 * The request body and the answer without the schema references compared above: what is left
 * (examples, descriptions, the envelope's wording) only documents the action.
 */
function documentationParts(o: Json, n: Json): { label: string; old: unknown; new: unknown; at: string[] }[] {
  const parts = (op: Json) => {
    const body = structuredClone(op["requestBody"]) as Json;
    const requestMedia = ((body["content"] as Json)["application/json"] as Json);
    const requestExamples = requestMedia["examples"];
    delete requestMedia["examples"];
    delete requestMedia["schema"];
    const responses = structuredClone(op["responses"]) as Json;
    const media = (((responses["200"] as Json)["content"] as Json)["application/json"] as Json);
    const answerExamples = media["examples"];
    delete media["examples"];
    const envelope = ((media["schema"] as Json)["properties"] as Json)["Response"];
    if (isObject(envelope)) delete envelope["anyOf"];
    return { body, requestExamples, responses, answerExamples };
  };
  const a = parts(o);
  const b = parts(n);
  const json = "application/json";
  return [
    { label: "request examples", old: a.requestExamples, new: b.requestExamples, at: ["requestBody", "content", json, "examples"] },
    { label: "answer examples", old: a.answerExamples, new: b.answerExamples, at: ["responses", "200", "content", json, "examples"] },
    { label: "requestBody", old: a.body, new: b.body, at: ["requestBody"] },
    { label: "responses", old: a.responses, new: b.responses, at: ["responses"] },
  ];
}
