/**
 * Component schemas: added, removed, renamed (same structure under a new name), and compared member
 * by member where both sides have them, each classified by where the schema is used. Pure.
 */
import type { RawChange } from "./change.js";
import { compareSchema, type SchemaCompareContext } from "./compare-schema.js";
import { directionOf, type InventoryPair } from "./inventory.js";
import { pointerTo } from "../lib/utils.js";
import { sameStructure, unionKeys } from "./util.js";

export function compareComponents(pair: InventoryPair, ctx: SchemaCompareContext, emit: (change: RawChange) => void): void {
  const before = pair.old.schemas;
  const after = pair.new.schemas;
  const removed = Object.keys(before).filter((name) => !Object.hasOwn(after, name));
  const added = Object.keys(after).filter((name) => !Object.hasOwn(before, name));
  const renamedTo = new Map<string, string>();
  for (const name of removed) {
    const match = added.find((candidate) => ![...renamedTo.values()].includes(candidate) && sameStructure(before[name], after[candidate]));
    if (match !== undefined) renamedTo.set(name, match);
  }
  for (const name of unionKeys(before, after)) {
    const at = pointerTo("", "components", "schemas", name);
    const inOld = Object.hasOwn(before, name);
    const inNew = Object.hasOwn(after, name);
    if (inOld && inNew) {
      compareSchema(ctx, { direction: directionOf(name, pair.old, pair.new), schema: name }, before[name], after[name], at, at, name);
    } else if (inOld && renamedTo.has(name)) {
      const target = renamedTo.get(name)!;
      emit({ kind: "schema-renamed", subject: name, detail: `renamed ${target} (same structure)`, oldPointer: at, newPointer: pointerTo("", "components", "schemas", target), schema: name, renamedTo: target });
    } else if (inOld) {
      emit({ kind: "schema-removed", subject: name, detail: "schema removed", oldPointer: at, newPointer: pointerTo("", "components", "schemas"), schema: name });
    } else if (![...renamedTo.values()].includes(name)) {
      emit({ kind: "schema-added", subject: name, detail: "schema added", newPointer: at, schema: name });
    }
  }
}
