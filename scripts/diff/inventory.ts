/**
 * What one spec offers a consumer, indexed for comparing: its actions (with their request and answer
 * schemas), its component schemas, and which actions send or read each schema through `$ref`s.
 * Pure; assumes a checked spec.
 */
import type { Direction } from "./classify.js";
import type { SpecSide } from "./read.js";
import { byCodePoint, isObject, type Json, pointerTo } from "../lib/utils.js";
import { schemaRefName } from "./util.js";

export interface ActionEntry {
  readonly action: string;
  /** `/paths/~1DescribeDisks/post`. */
  readonly pointer: string;
  /** The path item (`/DescribeDisks`) and its `post` operation. */
  readonly item: Json;
  readonly operation: Json;
  /** Schema names of the request, the success answer and the error answer. */
  readonly request: string;
  readonly answer: string;
  readonly error: string;
}

export interface Inventory {
  readonly side: SpecSide;
  readonly service: string;
  readonly actions: ReadonlyMap<string, ActionEntry>;
  readonly schemas: Json;
  /** Schema name → the actions sending it (in their request) and reading it (in their answer). */
  readonly sentBy: ReadonlyMap<string, ReadonlySet<string>>;
  readonly readBy: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The two sides of one service. */
export interface InventoryPair {
  readonly old: Inventory;
  readonly new: Inventory;
}

export function buildInventory(side: SpecSide): Inventory {
  const root = side.root;
  const schemas = (root["components"] as Json)["schemas"] as Json;
  const actions = new Map<string, ActionEntry>();
  for (const [route, item] of Object.entries(root["paths"] as Json)) {
    const operation = (item as Json)["post"] as Json;
    const requestMedia = ((operation["requestBody"] as Json)["content"] as Json)["application/json"] as Json;
    const responseMedia = (((operation["responses"] as Json)["200"] as Json)["content"] as Json)["application/json"] as Json;
    const anyOf = (((responseMedia["schema"] as Json)["properties"] as Json)["Response"] as Json)["anyOf"] as Json[];
    const action = route.slice(1);
    actions.set(action, {
      action,
      pointer: pointerTo("", "paths", route, "post"),
      item: item as Json,
      operation,
      request: schemaRefName(requestMedia["schema"])!,
      answer: schemaRefName(anyOf[0])!,
      error: schemaRefName(anyOf[1])!,
    });
  }
  const sentBy = new Map<string, Set<string>>();
  const readBy = new Map<string, Set<string>>();
  for (const entry of actions.values()) {
    for (const name of reachable(schemas, [entry.request])) addTo(sentBy, name, entry.action);
    for (const name of reachable(schemas, [entry.answer, entry.error])) addTo(readBy, name, entry.action);
  }
  return { side, service: side.model.service, actions, schemas, sentBy, readBy };
}

/** How a schema is used across both sides: a consumer is affected by either. */
export function directionOf(schema: string, ...inventories: Inventory[]): Direction {
  const sent = inventories.some((inv) => (inv.sentBy.get(schema)?.size ?? 0) > 0);
  const read = inventories.some((inv) => (inv.readBy.get(schema)?.size ?? 0) > 0);
  return sent && read ? "both" : sent ? "request" : read ? "answer" : "unused";
}

/** The actions sending or reading a schema, on either side, in name order. */
export function usersOf(schema: string, ...inventories: Inventory[]): string[] {
  const users = new Set<string>();
  for (const inv of inventories) {
    for (const action of inv.sentBy.get(schema) ?? []) users.add(action);
    for (const action of inv.readBy.get(schema) ?? []) users.add(action);
  }
  return [...users].sort(byCodePoint);
}

/** The component schemas reachable from `start` through `$ref`s, `start` included. */
function reachable(schemas: Json, start: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...start];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name) || !Object.hasOwn(schemas, name)) continue;
    seen.add(name);
    collectRefs(schemas[name], queue);
  }
  return seen;
}

function collectRefs(node: unknown, into: string[]): void {
  if (Array.isArray(node)) return node.forEach((item) => collectRefs(item, into));
  if (!isObject(node)) return;
  const name = schemaRefName(node);
  if (name !== undefined) into.push(name);
  for (const [key, value] of Object.entries(node)) if (key !== "examples" && key !== "example") collectRefs(value, into);
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}
