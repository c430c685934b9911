/**
 * The diff of two sets of specs: services paired by name (or the two files named on the command
 * line), every comparator run on each pair, and each raw change given its class, its `file:line:col`
 * and the generated names it affects. Pure: specs in, a DiffResult out.
 */
import type { Change, DiffResult, Location, RawChange, ServiceDiff } from "./change.js";
import { classify, rank, type ChangeKind } from "./classify.js";
import { compareActions } from "./compare-actions.js";
import { compareComponents } from "./compare-components.js";
import { compareErrors } from "./compare-errors.js";
import { comparePaging } from "./compare-paging.js";
import type { SchemaCompareContext } from "./compare-schema.js";
import { compareService } from "./compare-service.js";
import { buildInventory, usersOf, type Inventory, type InventoryPair } from "./inventory.js";
import { actionNames, commonErrorNames, enumObjectName, errorCodeNames, methodNames, pagingNames, schemaNames, serviceNames, waiterNames } from "./names.js";
import type { SpecSide } from "./read.js";
import { byCodePoint } from "../lib/utils.js";

export interface SpecSet {
  /** How the side was named: `spec`, `v0.1.0:spec`, a file. */
  readonly label: string;
  readonly sides: readonly SpecSide[];
}

/** Kinds whose subject no longer exists: their place is where they were, in the old spec. */
const REMOVALS = new Set<ChangeKind>([
  "member-removed", "enum-value-removed", "enum-object-removed", "action-removed", "schema-removed", "service-removed",
  "error-code-removed", "pagination-removed", "waiter-removed", "endpoint-removed",
]);

/**
 * `pairFiles`: the two sides are single files named on the command line, compared whatever their
 * services are called; otherwise services are paired by `x-tc-service`.
 */
export function diffSpecs(before: SpecSet, after: SpecSet, options: { pairFiles?: boolean } = {}): DiffResult {
  const changes: Change[] = [];
  const services: ServiceDiff[] = [];
  const pairs: { old?: SpecSide; new?: SpecSide }[] = [];
  if (options.pairFiles && before.sides.length === 1 && after.sides.length === 1) {
    pairs.push({ old: before.sides[0]!, new: after.sides[0]! });
  } else {
    const names = [...new Set([...before.sides, ...after.sides].map((s) => s.model.service))].sort(byCodePoint);
    for (const name of names) {
      const old = before.sides.find((s) => s.model.service === name);
      const neu = after.sides.find((s) => s.model.service === name);
      pairs.push({ ...(old ? { old } : {}), ...(neu ? { new: neu } : {}) });
    }
  }
  for (const pair of pairs) {
    const model = (pair.new ?? pair.old)!.model;
    services.push({
      service: model.service,
      oldVersion: pair.old?.model.version,
      newVersion: pair.new?.model.version,
      oldFile: pair.old?.spec.displayPath,
      newFile: pair.new?.spec.displayPath,
    });
    changes.push(...diffService(pair.old, pair.new));
  }
  changes.sort(
    (a, b) =>
      rank(b.class) - rank(a.class) ||
      byCodePoint(a.service, b.service) ||
      byCodePoint(a.location.file, b.location.file) ||
      a.location.line - b.location.line ||
      a.location.col - b.location.col ||
      byCodePoint(a.subject, b.subject) ||
      byCodePoint(a.detail, b.detail),
  );
  return { oldLabel: before.label, newLabel: after.label, services, changes };
}

function diffService(before: SpecSide | undefined, after: SpecSide | undefined): Change[] {
  if (before === undefined || after === undefined) {
    const side = (after ?? before)!;
    const kind = after ? "service-added" : "service-removed";
    const location = locate(side, "");
    return [{
      service: side.model.service,
      kind,
      class: classify(kind, undefined),
      subject: side.model.service,
      detail: `${after ? "service added" : "service removed"} (${side.model.service} ${side.model.version})`,
      location,
      ...(after ? { new: location } : { old: location }),
      affects: serviceNames(side.model),
    }];
  }
  const pair: InventoryPair = { old: buildInventory(before), new: buildInventory(after) };
  const raw: RawChange[] = [];
  const emit = (change: RawChange) => raw.push(change);
  if (before.model.service !== after.model.service) {
    raw.push({ kind: "service-renamed", subject: after.model.service, detail: `service ${before.model.service} → ${after.model.service}`, oldPointer: "/x-tc-service", newPointer: "/x-tc-service" });
  }
  const ctx: SchemaCompareContext = {
    oldRoot: before.root,
    newRoot: after.root,
    emit,
    hasEnumObject: (schema, member) => enumObjectName(before.model, schema, member) !== undefined || enumObjectName(after.model, schema, member) !== undefined,
  };
  compareService(pair, emit);
  compareActions(pair, ctx, emit);
  compareErrors(pair, emit);
  comparePaging(pair, emit);
  compareComponents(pair, ctx, emit);
  return raw.map((change) => resolve(change, pair));
}

function resolve(raw: RawChange, pair: InventoryPair): Change {
  const old = raw.oldPointer !== undefined ? locate(pair.old.side, raw.oldPointer) : undefined;
  const neu = raw.newPointer !== undefined ? locate(pair.new.side, raw.newPointer) : undefined;
  const location = (REMOVALS.has(raw.kind) ? (old ?? neu) : (neu ?? old))!;
  return {
    service: pair.new.service,
    kind: raw.kind,
    class: classify(raw.kind, raw.direction),
    ...(raw.direction !== undefined ? { direction: raw.direction } : {}),
    subject: raw.subject,
    detail: raw.detail,
    location,
    ...(old ? { old } : {}),
    ...(neu ? { new: neu } : {}),
    affects: affectedNames(raw, pair),
    ...(raw.note !== undefined ? { note: raw.note } : {}),
  };
}

function locate(side: SpecSide, pointer: string): Location {
  const { file, line, col } = side.spec.positionOf(pointer);
  return { file, line, col, pointer };
}

/** The generated names a change touches, from the side(s) that have them. */
function affectedNames(raw: RawChange, pair: InventoryPair): string[] {
  const names: string[] = [];
  const models = [pair.new.side.model, pair.old.side.model];
  const sideOf = (action: string): Inventory => (pair.new.actions.has(action) ? pair.new : pair.old);
  if (raw.kind.startsWith("service-") || raw.kind.startsWith("endpoint-") || (raw.kind === "docs-changed" && raw.subject === pair.new.service)) {
    names.push(...serviceNames(pair.new.side.model));
  }
  if (raw.action !== undefined) {
    const model = sideOf(raw.action).side.model;
    if (raw.kind === "action-added" || raw.kind === "action-removed" || raw.kind === "action-renamed") {
      names.push(...actionNames(pair.old.actions.has(raw.action) ? pair.old.side.model : model, raw.action));
      if (raw.renamedTo !== undefined) names.push(...actionNames(pair.new.side.model, raw.renamedTo));
    } else if (raw.kind.startsWith("error-code-")) {
      names.push(...errorCodeNames(model, raw.action));
    } else if (raw.kind.startsWith("pagination-")) {
      names.push(...new Set(models.flatMap((m) => pagingNames(m, raw.action!))));
    } else if (raw.schema === undefined) {
      names.push(...methodNames(model, [raw.action]));
    }
  } else if (raw.kind.startsWith("error-code-")) {
    names.push(...commonErrorNames(pair.new.side.model));
  }
  if (raw.schema !== undefined) {
    names.push(...schemaNames(raw.schema));
    if (raw.renamedTo !== undefined) names.push(...schemaNames(raw.renamedTo));
    if (raw.member !== undefined) {
      const enumObject = models.map((m) => enumObjectName(m, raw.schema!, raw.member!)).find((n) => n !== undefined);
      if (enumObject !== undefined) names.push(enumObject);
    }
    const users = usersOf(raw.schema, pair.old, pair.new);
    if (raw.action !== undefined && !users.includes(raw.action)) users.push(raw.action);
    for (const action of users) names.push(...methodNames(sideOf(action).side.model, [action]));
  }
  if (raw.waiter !== undefined) {
    const model = pair.new.side.model.waiters.some((w) => w.method === raw.waiter) ? pair.new.side.model : pair.old.side.model;
    names.push(...waiterNames(model, raw.waiter));
  }
  return [...new Set(names)];
}
