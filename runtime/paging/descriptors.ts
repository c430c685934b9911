/**
 * Paginators and waiters over actions, as the generated `actions.ts` describes them: `paginate` and
 * `waitFor` run them on a client core, each page and each poll being one `call`, validated, rate
 * limited and retried like any other.
 */
import { call } from "../client/call.js";
import type { ActionDescriptor, Core } from "../client/core.js";
import type { CallOptions } from "../client/options.js";
import { collect, paginate as paginatePages, type PaginatorDefinition } from "./paginate.js";
import { waitForItems, type WaiterDefinition, type WaiterOptions } from "./waiter.js";

/** `x-tc-pagination` of one action: its page members, list and total (see ../paginate.ts). */
export interface PaginatorDescriptor<Input, Output, Item> extends Omit<PaginatorDefinition, "action"> {
  /** The action paged. */
  readonly call: ActionDescriptor<Input, Output>;
  /** Type only: what one item is. */
  readonly item?: Item;
}

/** `x-tc-waiters` of one waiter: what to poll, and how its items' status reads. */
export interface WaiterDescriptor<Item> extends Omit<WaiterDefinition, "action"> {
  /** Polled: every page of a paginator, or one call of an action. */
  readonly poll: PaginatorDescriptor<unknown, unknown, Item> | ActionDescriptor<unknown, unknown>;
  /** Members of the waiter's input sent as they are with every poll. */
  readonly request: readonly string[];
  /** The waiter's input member listing the awaited keys. */
  readonly keys: string;
  /** Whether `keys` is also sent with every poll. */
  readonly keysInRequest: boolean;
  /**
   * The answer member listing the items, when `poll` is an action; `""`: the action answers for one
   * key, sent as the request member `key`, and each poll calls it once per key with the answer as the item.
   */
  readonly items: string;
}

/** The request of a paginated action without its offset, which the paginator sets; its page size optional. */
export type PageInput<Input, Offset extends keyof Input, Limit extends keyof Input> = Omit<Input, Offset | Limit> & Partial<Pick<Input, Limit>>;

/** Every item of every page, fetched page by page as the loop consumes them. */
export function paginate<Input extends object, Output extends object, Item>(
  core: Core,
  paginator: PaginatorDescriptor<Input, Output, Item>,
  input: object,
  options?: CallOptions,
): AsyncGenerator<Item, void, undefined> {
  return paginatePages<Input, Item>({ ...paginator, action: paginator.call.action }, input, (request) => call(core, paginator.call, request, options));
}

/** Polls until every awaited item succeeded (see ../waiter.ts); resolves with them in the order asked. */
export function waitFor<Item extends object>(core: Core, waiter: WaiterDescriptor<Item>, input: object, options?: WaiterOptions<Item>): Promise<Item[]> {
  const given = input as Record<string, unknown>;
  const keys = given[waiter.keys] as readonly string[];
  const request: Record<string, unknown> = {};
  for (const member of waiter.request) request[member] = given[member];
  if (waiter.keysInRequest) request[waiter.keys] = [...keys];
  const poll = waiter.poll;
  const action = "call" in poll ? poll.call.action : poll.action;
  return waitForItems<Item>(
    { ...waiter, action },
    keys,
    "call" in poll
      ? (callOptions) => collect(paginate(core, poll as PaginatorDescriptor<object, object, Item>, request, callOptions))
      : waiter.items === ""
        ? (callOptions) => Promise.all(keys.map(async (key) => ({ ...(await call(core, poll as ActionDescriptor<object, object>, { ...request, [waiter.key]: key }, callOptions)), [waiter.key]: key }) as unknown as Item))
        : async (callOptions) => ((await call(core, poll as ActionDescriptor<object, Record<string, unknown>>, request, callOptions))[waiter.items] as Item[] | undefined) ?? [],
    options,
  );
}
