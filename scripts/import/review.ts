/**
 * What Tencent's definitions cannot say, and what the importer writes instead: an explicit default,
 * always with an `x-tc-review` entry naming the fact and why it was defaulted, so that `tcgen
 * generate` lists it until a person has checked it (spec/README.md, "Review markers"). Pure.
 */
import type { ActionDefinition, ApiDefinitions, StructureDefinition } from "./definitions.js";

/** One entry of `x-tc-review`: the fact (a key beside it, or a short name) and why it needs a look. */
export interface ReviewEntry {
  readonly fact: string;
  readonly reason: string;
}

/**
 * Tencent's general default frequency limit for an API 3.0 action, used when the action's page is
 * not at hand: the definitions carry no limits.
 */
export const DEFAULT_RATE_LIMIT = 20;

/** Actions named like queries: repeating one changes nothing, so `InternalError` may be retried. */
const QUERY_PREFIXES = ["Describe", "Get", "List", "Inquiry", "Inquire", "Query"];

export function rateLimitReview(): ReviewEntry {
  return {
    fact: "x-tc-rate-limit",
    reason: `Tencent's general default of ${DEFAULT_RATE_LIMIT} requests per second; the definitions carry no limits. Take the action's limit from its API page.`,
  };
}

/** `x-tc-idempotent` guessed from the action's name, and the review entry saying so. */
export function guessIdempotent(action: string): { idempotent: boolean; review: ReviewEntry } {
  const prefix = QUERY_PREFIXES.find((p) => action.startsWith(p) && /^[A-Z0-9]/.test(action.slice(p.length)));
  return prefix
    ? { idempotent: true, review: { fact: "x-tc-idempotent", reason: `guessed from the name (${prefix}…: a query); confirm that repeating the call changes nothing.` } }
    : { idempotent: false, review: { fact: "x-tc-idempotent", reason: "guessed from the name (not a query); set true if repeating the call is harmless, so InternalError may be retried." } };
}

/**
 * A request with Limit and Offset and an answer with TotalCount and one list looks paged, but the
 * definitions do not say whether Offset counts items or pages (some actions count pages): suggest
 * x-tc-pagination without writing it.
 */
export function pagingReview(request: StructureDefinition, response: StructureDefinition): ReviewEntry | undefined {
  const has = (s: StructureDefinition, name: string, type: string) => s.members.some((m) => m.name === name && m.type === type);
  const lists = response.members.filter((m) => m.type === "list");
  if (!has(request, "Limit", "int") || !has(request, "Offset", "int") || !has(response, "TotalCount", "int") || lists.length !== 1) return undefined;
  return {
    fact: "x-tc-pagination",
    reason: `looks paged (Limit, Offset, TotalCount, ${lists[0]!.name}); the definitions do not say whether Offset counts items or pages. Add x-tc-pagination once the API page says.`,
  };
}

/** Members that are files: Tencent takes them as multipart/form-data parts, which tcgen does not send. */
export function binaryReview(structure: StructureDefinition): ReviewEntry | undefined {
  const files = structure.members.filter((m) => m.type === "binary").map((m) => m.name);
  if (files.length === 0) return undefined;
  return { fact: "format: binary", reason: `${files.join(", ")}: a file Tencent takes as a multipart/form-data part; tcgen sends JSON bodies only.` };
}

export function statusReview(action: ActionDefinition): ReviewEntry | undefined {
  if (action.status !== "offline") return undefined;
  return { fact: "x-tc-status", reason: "the definitions mark the action offline: Tencent no longer serves it. Keep it only if a client still needs its types." };
}

/** Facts about the whole service the definitions leave open. */
export function serviceReviews(api: ApiDefinitions, hasErrors: boolean): ReviewEntry[] {
  const entries: ReviewEntry[] = [];
  if (!hasErrors) entries.push({ fact: "x-tc-errors", reason: `no errors.json beside ${api.file}: the actions' own error codes are unknown (only the common codes are listed).` });
  return entries;
}
