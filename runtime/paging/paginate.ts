/**
 * Limit/Offset pagination, for the `paginate<Action>` methods the generator emits from a spec's
 * `x-tc-pagination`. Generic: the definition names the request's page members and the answer's list
 * and total; `fetchPage` is the generated client's own method, so every page is validated, rate
 * limited and retried like any other call.
 */

/** What `x-tc-pagination` says about one action; emitted into the generated client. */
export interface PaginatorDefinition {
  /** The action paged, for messages. */
  readonly action: string;
  /** Request member holding the page size (`Limit`). */
  readonly limit: string;
  /** Request member holding where the page starts (`Offset`). */
  readonly offset: string;
  /** `items`: the offset counts items (0, 100, 200…); `pages`: it counts pages (0, 1, 2…). */
  readonly offsetUnit: "items" | "pages";
  /** Answer member holding the page's list. */
  readonly items: string;
  /** Answer member holding the number of items matching the query, across all pages. */
  readonly total: string;
  /** Bounds of the page size, from the request schema; the largest is the default. */
  readonly minLimit: number;
  readonly maxLimit: number;
}


import { PaginationError } from "../errors/pagination-error.js";

/**
 * Yields every item of every page, in order, fetching a page only when the previous one has been
 * consumed. Stops once the items received reach the answer's total (re-read on every page, so a
 * list that shrinks while paging ends early) or at an empty page. `input` is the request without the
 * offset; its page size, when given, must lie within the spec's bounds, else the largest is used.
 */
export async function* paginate<Request extends object, Item>(
  definition: PaginatorDefinition,
  input: object,
  fetchPage: (request: Request) => Promise<object>,
): AsyncGenerator<Item, void, undefined> {
  const given = (input as Record<string, unknown>)[definition.limit];
  const limit = given === undefined ? definition.maxLimit : given;
  if (!Number.isInteger(limit) || (limit as number) < definition.minLimit || (limit as number) > definition.maxLimit) {
    throw new RangeError(`${definition.action}: ${definition.limit} must be an integer from ${definition.minLimit} to ${definition.maxLimit}, got ${JSON.stringify(given)}`);
  }
  let received = 0;
  let page = 0;
  let previous: string | undefined;
  for (;;) {
    const offset = definition.offsetUnit === "pages" ? page : received;
    const request = { ...input, [definition.limit]: limit, [definition.offset]: offset } as Request;
    const answer = (await fetchPage(request)) as Record<string, unknown>;
    const items = answer[definition.items];
    const total = answer[definition.total];
    if (!Array.isArray(items) || typeof total !== "number") {
      throw new PaginationError({ action: definition.action, offset, message: `the answer at ${definition.offset} ${offset} lacks its ${definition.items} list or ${definition.total} number` });
    }
    if (items.length === 0) return;
    // A server that ignores the offset answers the first page again and again: stop, loudly.
    const fingerprint = JSON.stringify(items);
    if (fingerprint === previous) {
      throw new PaginationError({
        action: definition.action,
        offset,
        message: `the page at ${definition.offset} ${offset} repeats the previous page: the server ignores ${definition.offset}; stopped after ${received} of ${total} items instead of looping`,
      });
    }
    previous = fingerprint;
    for (const item of items as Item[]) yield item;
    received += items.length;
    page += 1;
    if (received >= total) return;
  }
}

/** Every item of an async iterable, in order (e.g. all pages of a `paginate<Action>` method). */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of iterable) all.push(item);
  return all;
}
