/**
 * Part of stage 2, check: the paging extensions, `x-tc-pagination` on an operation and
 * `x-tc-waiters` at the document root (spec/README.md describes both), against the schemas they name.
 * Everything the emitted `paginate<Action>` and `waitFor…` methods rely on is verified here and each
 * problem reported at the position of the offending node, so model/paging.ts may assume it.
 */
import { deref, isObject, joinPointer, own, type Json } from "../lib/utils.js";
import type { OperationIndex } from "../spec/operations.js";
import type { Report } from "../spec/problems.js";
import { PAGINATION, WAITERS } from "../spec/keywords.js";
import { memberNameProblem } from "../emit/spec-text.js";

const PAGINATION_MEMBERS = ["limit", "offset", "offsetUnit", "items", "total"];
const WAITER_MEMBERS = ["method", "action", "summary", "description", "request", "keys", "items", "key", "status", "success", "failure"];
const WAITER_METHOD = /^waitFor[A-Z][A-Za-z0-9]*$/;

/** The parts of one action the extensions refer to, or undefined where the spec is broken (reported elsewhere). */
interface ActionParts {
  readonly method: string;
  readonly pointer: string;
  readonly operation: Json;
  readonly request: Json | undefined;
  readonly response: Json | undefined;
}

export function checkPaging(root: Json, operations: OperationIndex, report: Report): void {
  const actions = actionsOf(operations);
  const methods = new Set([...actions.values()].map((a) => a.method));
  for (const [action, parts] of actions) {
    if (parts.operation[PAGINATION] === undefined) continue;
    const paginator = `paginate${action}`;
    if (methods.has(paginator)) report(`${parts.pointer}/${PAGINATION}`, `the paginator's method name ${paginator} is already the method of an action`);
    methods.add(paginator);
    checkPagination(root, parts, `${parts.pointer}/${PAGINATION}`, report);
  }
  checkWaiters(root, actions, methods, report);
}

function checkPagination(root: Json, parts: ActionParts, at: string, report: Report): void {
  const extension = parts.operation[PAGINATION];
  if (!isObject(extension)) {
    report(at, `"${PAGINATION}" must be a mapping { limit, offset, items, total, offsetUnit }`);
    return;
  }
  reportUnknownMembers(extension, PAGINATION_MEMBERS, at, report);
  const named = (member: string): string | undefined => {
    const value = extension[member];
    if (typeof value === "string" && value !== "") return value;
    report(value === undefined ? at : `${at}/${member}`, `"${member}" must name a member of the ${member === "items" || member === "total" ? "answer" : "request"}`);
    return undefined;
  };
  const limit = named("limit");
  const offset = named("offset");
  const items = named("items");
  const total = named("total");
  const unit = extension["offsetUnit"];
  if (unit !== undefined && unit !== "items" && unit !== "pages") {
    report(`${at}/offsetUnit`, `"offsetUnit" must be "items" (the offset counts items) or "pages" (it counts pages), got ${JSON.stringify(unit)}`);
  }
  if (limit !== undefined && limit === offset) report(`${at}/offset`, `"offset" and "limit" must be different members`);
  if (parts.request !== undefined) {
    if (limit !== undefined) {
      const schema = propertyOf(root, parts.request, limit);
      if (!hasType(schema, "integer")) report(`${at}/limit`, `"${limit}" must be an integer member of the request`);
      else {
        const max = schema!["maximum"];
        const min = schema!["minimum"] ?? 1;
        if (!Number.isInteger(max) || !Number.isInteger(min) || (min as number) < 1 || (max as number) < (min as number)) {
          report(`${at}/limit`, `"${limit}" needs whole "minimum" (at least 1, default 1) and "maximum" bounds in the request schema: the page size a paginator asks for`);
        }
      }
    }
    if (offset !== undefined && !hasType(propertyOf(root, parts.request, offset), "integer")) report(`${at}/offset`, `"${offset}" must be an integer member of the request`);
  }
  if (parts.response !== undefined) {
    if (items !== undefined && !hasType(propertyOf(root, parts.response, items), "array")) report(`${at}/items`, `"${items}" must be a list member of the answer`);
    if (total !== undefined && !hasType(propertyOf(root, parts.response, total), "integer")) report(`${at}/total`, `"${total}" must be an integer member of the answer`);
  }
}

function checkWaiters(root: Json, actions: ReadonlyMap<string, ActionParts>, methods: Set<string>, report: Report): void {
  const list = root[WAITERS];
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    report(`/${WAITERS}`, `"${WAITERS}" must be a list of waiters`);
    return;
  }
  list.forEach((waiter, i) => {
    const at = `/${WAITERS}/${i}`;
    if (!isObject(waiter)) {
      report(at, "a waiter must be a mapping { method, action, summary, request, keys, items, key, status, success, failure }");
      return;
    }
    reportUnknownMembers(waiter, WAITER_MEMBERS, at, report);
    const method = waiter["method"];
    if (typeof method !== "string" || !WAITER_METHOD.test(method)) {
      report(method === undefined ? at : `${at}/method`, `"method" must be the method's name, "waitFor<What>" (e.g. waitForInstancesRunning), got ${JSON.stringify(method)}`);
    } else {
      if (methods.has(method)) report(`${at}/method`, `method name ${method} is already taken`);
      methods.add(method);
    }
    for (const member of ["summary", "description"]) {
      const text = waiter[member];
      if ((member === "summary" || text !== undefined) && (typeof text !== "string" || text.trim() === "")) {
        report(text === undefined ? at : `${at}/${member}`, `"${member}" must be text (the method's documentation)`);
      }
    }
    const actionName = waiter["action"];
    const parts = typeof actionName === "string" ? actions.get(actionName) : undefined;
    if (parts === undefined) {
      report(actionName === undefined ? at : `${at}/action`, `"action" must name an action of the spec (the one polled), got ${JSON.stringify(actionName)}`);
      return;
    }
    checkWaiterRequest(root, waiter, parts, at, report);
    checkWaiterItems(root, waiter, parts, at, report);
  });
}

/** The waiter's input must make a complete request: every required member is sent. */
function checkWaiterRequest(root: Json, waiter: Json, parts: ActionParts, at: string, report: Report): void {
  const request = waiter["request"] ?? [];
  const keys = waiter["keys"];
  const sent = new Set<string>();
  // Polling a paged action goes through its paginator, which sends the page size and offset itself.
  const paging = parts.operation[PAGINATION];
  if (isObject(paging)) for (const member of [paging["limit"], paging["offset"]]) if (typeof member === "string") sent.add(member);
  const listMessage = `"request" must list distinct members of ${parts.operation["x-tc-action"]}'s request: the waiter's parameters sent as they are`;
  if (!Array.isArray(request)) report(`${at}/request`, listMessage);
  else if (!request.every((m: unknown, j) => typeof m === "string" && request.indexOf(m) === j)) {
    request.forEach((m: unknown, j) => (typeof m !== "string" || request.indexOf(m) !== j) && report(`${at}/request/${j}`, listMessage));
  } else if (parts.request !== undefined) {
    const pagination = parts.operation[PAGINATION];
    request.forEach((member: string, j) => {
      if (propertyOf(root, parts.request!, member) === undefined) report(`${at}/request/${j}`, `"${member}" is not a member of the request of ${parts.operation["x-tc-action"]}`);
      if (isObject(pagination) && (member === pagination["offset"] || member === pagination["limit"])) {
        report(`${at}/request/${j}`, `"${member}" is set by the paginator of ${parts.operation["x-tc-action"]}, not by the waiter`);
      }
      sent.add(member);
    });
  }
  if (typeof keys !== "string" || keys === "" || memberNameProblem(keys) !== undefined) {
    report(keys === undefined ? at : `${at}/keys`, `"keys" must name the waiter's parameter listing the keys to wait for${typeof keys === "string" && keys !== "" ? `: "${keys}" ${memberNameProblem(keys)}` : `, got ${JSON.stringify(keys)}`}`);
  } else if (Array.isArray(request) && request.includes(keys)) {
    report(`${at}/keys`, `"${keys}" is already a member of "request"`);
  } else if (parts.request !== undefined) {
    // The keys' parameter is also sent when the request has a member of that name (e.g. an ID filter).
    const alsoSent = propertyOf(root, parts.request, keys);
    if (alsoSent !== undefined) {
      if (!hasType(alsoSent, "array")) report(`${at}/keys`, `the request member "${keys}" of the same name must be a list, since the keys are sent in it`);
      sent.add(keys);
    }
  }
  // Without "items" the action answers for one key, sent as the request member "key" (checked with the items).
  const key = waiter["key"];
  if (waiter["items"] === undefined && typeof key === "string") sent.add(key);
  const required = parts.request?.["required"];
  if (Array.isArray(required) && Array.isArray(request)) {
    for (const member of required) {
      if (typeof member === "string" && !sent.has(member)) report(`${at}/request`, `the request of ${parts.operation["x-tc-action"]} requires "${member}": list it in "request"`);
    }
  }
}

/** The watched list, its key and status members, and the status values. */
function checkWaiterItems(root: Json, waiter: Json, parts: ActionParts, at: string, report: Report): void {
  const items = waiter["items"];
  if (items === undefined && parts.request !== undefined && parts.response !== undefined) {
    // One key per poll: the answer itself is the item, and "key" is the request member naming it.
    if (isObject(parts.operation[PAGINATION])) report(at, `${parts.operation["x-tc-action"]} is paged: a waiter polling it must watch its "items"`);
    const key = waiter["key"];
    if (typeof key !== "string" || !hasType(propertyOf(root, parts.request, key), "string")) {
      report(key === undefined ? at : `${at}/key`, `without "items", "key" must name a string member of ${parts.operation["x-tc-action"]}'s request (one poll per key), got ${JSON.stringify(key)}`);
    }
    checkWaiterStatus(root, waiter, parts.response, `${parts.operation["x-tc-action"]}'s answer`, at, report);
    return;
  }
  const list = typeof items === "string" && parts.response !== undefined ? propertyOf(root, parts.response, items) : undefined;
  if (!hasType(list, "array")) {
    if (parts.response !== undefined) report(items === undefined ? at : `${at}/items`, `"items" must name a list member of ${parts.operation["x-tc-action"]}'s answer, got ${JSON.stringify(items)}`);
    return;
  }
  const pagination = parts.operation[PAGINATION];
  if (isObject(pagination) && pagination["items"] !== items) {
    report(`${at}/items`, `${parts.operation["x-tc-action"]} is paged over "${String(pagination["items"])}": a waiter polling it must watch that list`);
  }
  const item = deref(root, list!["items"]);
  if (!isObject(item) || !isObject(item["properties"])) {
    report(`${at}/items`, `the items of "${String(items)}" must be objects with declared members`);
    return;
  }
  const key = waiter["key"];
  if (typeof key !== "string" || !hasType(propertyOf(root, item, key), "string")) {
    report(key === undefined ? at : `${at}/key`, `"key" must name a string member of each "${String(items)}" item, got ${JSON.stringify(key)}`);
  }
  checkWaiterStatus(root, waiter, item, `each "${String(items)}" item`, at, report);
}

/** The status member of what is watched (`where`), and the success and failure values. */
function checkWaiterStatus(root: Json, waiter: Json, item: Json, where: string, at: string, report: Report): void {
  const status = waiter["status"];
  const statusSchema = typeof status === "string" ? propertyOf(root, item, status) : undefined;
  const valueType = hasType(statusSchema, "string") ? "string" : hasType(statusSchema, "integer") || hasType(statusSchema, "number") ? "number" : undefined;
  if (valueType === undefined) {
    report(status === undefined ? at : `${at}/status`, `"status" must name a string or integer member of ${where}, got ${JSON.stringify(status)}`);
    return;
  }
  const allowed = Array.isArray(statusSchema!["enum"]) ? (statusSchema!["enum"] as unknown[]) : undefined;
  const seen = new Map<unknown, string>();
  for (const outcome of ["success", "failure"]) {
    const values = waiter[outcome] ?? (outcome === "failure" ? [] : undefined);
    if (!Array.isArray(values) || (outcome === "success" && values.length === 0)) {
      report(values === undefined ? at : `${at}/${outcome}`, `"${outcome}" must be a ${outcome === "success" ? "non-empty " : ""}list of values of "${status}"`);
      continue;
    }
    values.forEach((value: unknown, j) => {
      const where = `${at}/${outcome}/${j}`;
      if (typeof value !== valueType) report(where, `${JSON.stringify(value)} is not a ${valueType === "number" ? "number" : "string"}, as "${status}" is`);
      else if (allowed !== undefined && !allowed.includes(value)) report(where, `${JSON.stringify(value)} is not one of the values of "${status}" (${allowed.map((v) => JSON.stringify(v)).join(", ")})`);
      else if (seen.has(value)) report(where, `${JSON.stringify(value)} is already listed under "${seen.get(value)}"`);
      seen.set(value, outcome);
    });
  }
}

function actionsOf(operations: OperationIndex): Map<string, ActionParts> {
  const actions = new Map<string, ActionParts>();
  for (const [action, entry] of operations) {
    actions.set(action, { method: action[0]!.toLowerCase() + action.slice(1), pointer: entry.pointer, operation: entry.operation, request: entry.request, response: entry.response });
  }
  return actions;
}

function propertyOf(root: Json, schema: Json, name: string): Json | undefined {
  const properties = schema["properties"];
  const property = deref(root, own(properties, name));
  return isObject(property) ? property : undefined;
}

function hasType(schema: Json | undefined, type: string): boolean {
  const declared = schema?.["type"];
  return declared === type || (Array.isArray(declared) && declared.includes(type));
}

function reportUnknownMembers(extension: Json, known: readonly string[], at: string, report: Report): void {
  for (const member of Object.keys(extension)) {
    if (!known.includes(member)) report(`${at}${joinPointer(member)}`, `unknown member "${member}"; expected ${known.join(", ")}`);
  }
}
