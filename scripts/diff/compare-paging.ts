/**
 * Paging: each action's `x-tc-pagination` and the service's `x-tc-waiters` (by method name). Any
 * change to what a paginator sends or reads, or to what a waiter takes and waits for, changes the
 * behaviour consumers built on; only a waiter's summary and description are documentation. Pure.
 */
import type { RawChange } from "./change.js";
import { commonActions } from "./compare-actions.js";
import type { InventoryPair } from "./inventory.js";
import { byCodePoint, isObject, type Json, jsonEqual, pointerTo } from "../lib/utils.js";
import { PAGINATION, WAITERS } from "../spec/keywords.js";
import { show, unionKeys } from "./util.js";

type Emit = (change: RawChange) => void;

const WAITER_DOCS = new Set(["summary", "description"]);

export function comparePaging(pair: InventoryPair, emit: Emit): void {
  for (const both of commonActions(pair)) {
    const action = both.new.action;
    const before = both.old.operation[PAGINATION];
    const after = both.new.operation[PAGINATION];
    const oldAt = pointerTo(both.old.pointer, PAGINATION);
    const newAt = pointerTo(both.new.pointer, PAGINATION);
    if (!isObject(before) && !isObject(after)) continue;
    if (!isObject(before)) {
      emit({ kind: "pagination-added", subject: action, detail: `paged through ${show((after as Json)["items"])}`, newPointer: newAt, action });
    } else if (!isObject(after)) {
      emit({ kind: "pagination-removed", subject: action, detail: "no longer paged", oldPointer: oldAt, newPointer: both.new.pointer, action });
    } else {
      for (const key of unionKeys(withDefaults(before), withDefaults(after))) {
        const o = withDefaults(before)[key];
        const n = withDefaults(after)[key];
        if (jsonEqual(o, n)) continue;
        emit({ kind: "pagination-changed", subject: action, detail: `pagination ${key}: ${show(o)} → ${show(n)}`, oldPointer: pointerTo(oldAt, key), newPointer: after[key] !== undefined ? pointerTo(newAt, key) : newAt, action });
      }
    }
  }
  compareWaiters(pair, emit);
}

/** `offsetUnit` defaults to `items`: spelling the default out changes nothing. */
function withDefaults(extension: Json): Json {
  return { offsetUnit: "items", ...extension };
}

function compareWaiters(pair: InventoryPair, emit: Emit): void {
  const before = waitersOf(pair.old.side.root);
  const after = waitersOf(pair.new.side.root);
  for (const method of [...new Set([...before.keys(), ...after.keys()])].sort(byCodePoint)) {
    const o = before.get(method);
    const n = after.get(method);
    if (o === undefined) {
      emit({ kind: "waiter-added", subject: method, detail: `waiter added (polls ${show(n!.waiter["action"])})`, newPointer: n!.pointer, waiter: method });
      continue;
    }
    if (n === undefined) {
      emit({ kind: "waiter-removed", subject: method, detail: "waiter removed", oldPointer: o.pointer, newPointer: `/${WAITERS}`, waiter: method });
      continue;
    }
    const docs: string[] = [];
    for (const key of unionKeys(o.waiter, n.waiter)) {
      if (jsonEqual(o.waiter[key], n.waiter[key])) continue;
      if (WAITER_DOCS.has(key)) {
        docs.push(key);
        continue;
      }
      emit({ kind: "waiter-changed", subject: method, detail: `${key}: ${show(o.waiter[key])} → ${show(n.waiter[key])}`, oldPointer: pointerTo(o.pointer, key), newPointer: n.waiter[key] !== undefined ? pointerTo(n.pointer, key) : n.pointer, waiter: method });
    }
    if (docs.length > 0) {
      emit({ kind: "docs-changed", subject: method, detail: `${docs.join(", ")} changed`, oldPointer: o.pointer, newPointer: pointerTo(n.pointer, docs[0]!), waiter: method });
    }
  }
}

function waitersOf(root: Json): Map<string, { waiter: Json; pointer: string }> {
  const waiters = new Map<string, { waiter: Json; pointer: string }>();
  const list = Array.isArray(root[WAITERS]) ? (root[WAITERS] as unknown[]) : [];
  list.forEach((waiter, i) => {
    if (isObject(waiter)) waiters.set(String(waiter["method"]), { waiter, pointer: pointerTo("", WAITERS, i) });
  });
  return waiters;
}
