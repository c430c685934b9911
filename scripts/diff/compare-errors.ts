/**
 * Error codes: each action's own `x-tc-errors` and the service's `x-tc-common-errors`. A code matters
 * to a consumer as a member of the action's typed union (own codes ∪ common codes), so a code that
 * moves between the two lists changes nothing but its wording. Pure.
 */
import type { RawChange } from "./change.js";
import { commonActions } from "./compare-actions.js";
import type { InventoryPair } from "./inventory.js";
import { isObject, type Json, pointerTo } from "../lib/utils.js";
import { show } from "./util.js";

type Emit = (change: RawChange) => void;

interface Listed {
  readonly index: number;
  readonly description: unknown;
}

const COMMON = "/x-tc-common-errors";

export function compareErrors(pair: InventoryPair, emit: Emit): void {
  const oldCommon = codesOf(pair.old.side.root[COMMON.slice(1)]);
  const newCommon = codesOf(pair.new.side.root[COMMON.slice(1)]);
  compareLists(oldCommon, newCommon, COMMON, COMMON, "common error codes", undefined, emit, () => false);
  for (const both of commonActions(pair)) {
    const action = both.new.action;
    const oldAt = pointerTo(both.old.pointer, "x-tc-errors");
    const newAt = pointerTo(both.new.pointer, "x-tc-errors");
    const before = codesOf(both.old.operation["x-tc-errors"]);
    const after = codesOf(both.new.operation["x-tc-errors"]);
    // A code that is, or was, a common code stays in the action's union whichever list names it.
    compareLists(before, after, oldAt, newAt, action, action, emit, (code, added) => (added ? oldCommon : newCommon).has(code));
  }
}

function compareLists(
  before: Map<string, Listed>,
  after: Map<string, Listed>,
  oldAt: string,
  newAt: string,
  subject: string,
  action: string | undefined,
  emit: Emit,
  stillInUnion: (code: string, added: boolean) => boolean,
): void {
  const scope = action !== undefined ? { action } : {};
  for (const [code, listed] of after) {
    const old = before.get(code);
    const at = pointerTo(newAt, listed.index);
    if (old === undefined) {
      if (stillInUnion(code, true)) emit({ kind: "docs-changed", subject, detail: `error code ${show(code)} now listed by the action (already a common code)`, newPointer: at, ...scope });
      else emit({ kind: "error-code-added", subject, detail: `error code ${show(code)} added`, newPointer: at, ...scope });
    } else if (old.description !== listed.description) {
      emit({ kind: "docs-changed", subject, detail: `description of error code ${show(code)} changed`, oldPointer: pointerTo(oldAt, old.index), newPointer: pointerTo(at, "description"), ...scope });
    }
  }
  for (const [code, listed] of before) {
    if (after.has(code)) continue;
    const pointers = { oldPointer: pointerTo(oldAt, listed.index), newPointer: newAt };
    if (stillInUnion(code, false)) emit({ kind: "docs-changed", subject, detail: `error code ${show(code)} no longer listed by the action (still a common code)`, ...pointers, ...scope });
    else emit({ kind: "error-code-removed", subject, detail: `error code ${show(code)} removed`, ...pointers, ...scope });
  }
}

function codesOf(list: unknown): Map<string, Listed> {
  const codes = new Map<string, Listed>();
  if (!Array.isArray(list)) return codes;
  list.forEach((entry: unknown, index) => {
    if (isObject(entry)) codes.set(String((entry as Json)["code"]), { index, description: (entry as Json)["description"] });
  });
  return codes;
}
