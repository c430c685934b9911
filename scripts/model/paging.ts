/**
 * Part of stage 3, model: the paginators (`x-tc-pagination`) and waiters (`x-tc-waiters`) reduced to
 * what the client template emits, names decided here. Pure; assumes `checkPaging` passed.
 */
import type { PaginatorDefinition } from "../lib/runtime.js";
import { PAGINATION, WAITERS } from "../spec/keywords.js";
import type { OperationIndex } from "../spec/operations.js";
import { deref, isObject, joinPointer, SCHEMA_REF_PREFIX, type Json } from "../lib/utils.js";
import { paginatorMethodName, waiterInputTypeName, type NameOrigins } from "./names.js";
import { stringLiteral } from "../emit/spec-text.js";

/** The parts of an action the paging models need (a subset of ActionModel). */
interface PagedAction {
  readonly action: string;
  readonly methodName: string;
  readonly rateLimit: number;
  readonly requestSchema: string;
  readonly responseSchema: string;
  readonly requestComponent: string;
  readonly responseComponent: string;
}

/** A paginator: the runtime's definition (what `x-tc-pagination` says), and what the templates name. */
export interface PaginatorModel extends PaginatorDefinition {
  /** `paginateDescribeInstances`. */
  readonly methodName: string;
  /** The action's own method, which fetches each page: `describeInstances`. */
  readonly actionMethod: string;
  readonly requestSchema: string;
  readonly responseSchema: string;
  /** The TypeScript type of one item (code): the schema's name, or `NonNullable<<Response>["<items>"]>[number]`. */
  readonly itemType: string;
}

export interface WaiterModel {
  /** `waitForInstancesRunning`. */
  readonly method: string;
  /** `WaitForInstancesRunningInput`. */
  readonly inputType: string;
  readonly summary: string;
  readonly description: string | undefined;
  /** The polled action and its method. */
  readonly action: string;
  readonly actionMethod: string;
  /** The action's paginator method when it is paged: every page is polled. */
  readonly paginatorMethod: string | undefined;
  readonly requestSchema: string;
  readonly responseSchema: string;
  /** The TypeScript type of one item, and of its key (code). */
  readonly itemType: string;
  readonly keyType: string;
  /** Whether the answer may leave out the list (the poll then counts it as empty). */
  readonly itemsOptional: boolean;
  /** Request members that are also the waiter's parameters, sent as they are. */
  readonly request: readonly string[];
  /** The waiter's parameter listing the awaited keys. */
  readonly keys: string;
  /** Whether the keys are also sent, in the request member of the same name. */
  readonly keysInRequest: boolean;
  readonly items: string;
  readonly key: string;
  readonly status: string;
  readonly success: readonly (string | number)[];
  readonly failure: readonly (string | number)[];
  readonly rateLimit: number;
}

export interface PagingModel {
  readonly paginators: readonly PaginatorModel[];
  readonly waiters: readonly WaiterModel[];
}

/** `typeNames`: the TypeScript name of each schema (see ServiceModel). */
export function buildPaging(root: Json, operations: OperationIndex, actions: readonly PagedAction[], origins: NameOrigins, typeNames: ReadonlyMap<string, string>): PagingModel {
  const operationOf = (action: string) => operations.get(action)!.operation;
  const paginators = actions.flatMap((action) => {
    const extension = operationOf(action.action)[PAGINATION];
    if (!isObject(extension)) return [];
    origins.add(paginatorMethodName(action.action), `${joinPointer("paths", `/${action.action}`, "post", PAGINATION)}`);
    return [buildPaginator(root, action, extension, typeNames)];
  });
  const waiters = (Array.isArray(root[WAITERS]) ? (root[WAITERS] as Json[]) : []).map((waiter, i) => {
    const action = actions.find((a) => a.action === waiter["action"])!;
    const at = `/${WAITERS}/${i}`;
    origins.add(waiter["method"] as string, `${at}/method`);
    origins.add(waiterInputTypeName(waiter["method"] as string), `${at}/method`);
    ((waiter["request"] as string[] | undefined) ?? []).forEach((member, j) => origins.add(member, `${at}/request/${j}`));
    origins.add(waiter["keys"] as string, `${at}/keys`);
    return buildWaiter(root, action, waiter, paginators.find((p) => p.action === action.action), typeNames);
  });
  return { paginators, waiters };
}

function buildPaginator(root: Json, action: PagedAction, extension: Json, typeNames: ReadonlyMap<string, string>): PaginatorModel {
  const limit = extension["limit"] as string;
  const items = extension["items"] as string;
  const limitSchema = propertyOf(root, schema(root, action.requestComponent), limit);
  return {
    action: action.action,
    methodName: paginatorMethodName(action.action),
    actionMethod: action.methodName,
    requestSchema: action.requestSchema,
    responseSchema: action.responseSchema,
    itemType: itemTypeOf(root, action, items, typeNames),
    limit,
    offset: extension["offset"] as string,
    offsetUnit: extension["offsetUnit"] === "pages" ? "pages" : "items",
    items,
    total: extension["total"] as string,
    minLimit: (limitSchema["minimum"] as number | undefined) ?? 1,
    maxLimit: limitSchema["maximum"] as number,
  };
}

function buildWaiter(root: Json, action: PagedAction, waiter: Json, paginator: PaginatorModel | undefined, typeNames: ReadonlyMap<string, string>): WaiterModel {
  const method = waiter["method"] as string;
  const keys = waiter["keys"] as string;
  // Without "items": one poll per key (sent as the request member "key"), the answer itself the item.
  const items = (waiter["items"] as string | undefined) ?? "";
  const key = waiter["key"] as string;
  const description = waiter["description"];
  const itemType = items === "" ? `(${action.responseSchema} & { ${stringLiteral(key)}: string })` : itemTypeOf(root, action, items, typeNames);
  const response = schema(root, action.responseComponent);
  return {
    method,
    inputType: waiterInputTypeName(method),
    summary: (waiter["summary"] as string).trim(),
    description: typeof description === "string" && description.trim() !== "" ? description.trim() : undefined,
    action: action.action,
    actionMethod: action.methodName,
    paginatorMethod: paginator?.methodName,
    requestSchema: action.requestSchema,
    responseSchema: action.responseSchema,
    itemType,
    // Tencent marks most answer members optional; the keys asked for are always strings.
    keyType: items === "" ? "string" : isRequired(itemSchemaOf(root, response, items), key) ? `${itemType}[${stringLiteral(key)}]` : `NonNullable<${itemType}[${stringLiteral(key)}]>`,
    itemsOptional: items !== "" && !isRequired(response, items),
    request: (waiter["request"] as string[] | undefined) ?? [],
    keys,
    keysInRequest: items !== "" && isObject(schema(root, action.requestComponent)["properties"]) && Object.hasOwn(schema(root, action.requestComponent)["properties"] as Json, keys),
    items,
    key,
    status: waiter["status"] as string,
    success: waiter["success"] as (string | number)[],
    failure: (waiter["failure"] as (string | number)[] | undefined) ?? [],
    rateLimit: action.rateLimit,
  };
}

/** A list's item type: the type of the schema it refers to by name, else an indexed access type. */
function itemTypeOf(root: Json, action: PagedAction, items: string, typeNames: ReadonlyMap<string, string>): string {
  const response = schema(root, action.responseComponent);
  const list = propertyOf(root, response, items);
  const ref = isObject(list["items"]) ? (list["items"] as Json)["$ref"] : undefined;
  if (typeof ref === "string" && ref.startsWith(SCHEMA_REF_PREFIX)) return typeNames.get(ref.slice(SCHEMA_REF_PREFIX.length))!;
  const member = `${action.responseSchema}[${stringLiteral(items)}]`;
  return isRequired(response, items) ? `${member}[number]` : `NonNullable<${member}>[number]`;
}

/** The schema of one item of list member `items`, `$ref`s followed. */
function itemSchemaOf(root: Json, node: Json, items: string): Json {
  return deref(root, propertyOf(root, node, items)["items"]) as Json;
}

function isRequired(node: Json, member: string): boolean {
  return Array.isArray(node["required"]) && (node["required"] as unknown[]).includes(member);
}

/** The schema `name` is, following `$ref`s as check/paging.ts does. */
function schema(root: Json, name: string): Json {
  return deref(root, ((root["components"] as Json)["schemas"] as Json)[name]) as Json;
}

function propertyOf(root: Json, node: Json, name: string): Json {
  return deref(root, (node["properties"] as Json)[name]) as Json;
}
