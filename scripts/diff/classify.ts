/**
 * How each kind of spec change affects a consumer of the generated client: the one table the diff
 * classifies by (the README's "Releasing" section shows it). Requests (what a consumer sends) and
 * answers (what it reads) have opposite variance: accepting more in a request is safe and promising
 * less in an answer is not, so a schema change is classified by where the schema is used.
 */

/** `breaking`: some consumer of the old client stops compiling, is refused at run time, or sees
 * behaviour it relied on change. `additive`: every old consumer keeps working and the new client
 * offers more. `neutral`: nothing but documentation and examples changed. */
export type ChangeClass = "breaking" | "additive" | "neutral";

/** Where a schema is used: sent by consumers, read by them, both, or by no action (only its exported type and validator). */
export type Direction = "request" | "answer" | "both" | "unused";

interface ByDirection {
  readonly request: ChangeClass;
  readonly answer: ChangeClass;
  readonly why: string;
}

/** Kinds whose class depends on whether the schema is sent or read. */
export const SCHEMA_KINDS = {
  "member-added-optional": { request: "additive", answer: "additive", why: "a new optional parameter, or a new answer member" },
  "member-added-required": { request: "breaking", answer: "additive", why: "old requests lack it (type error, refused before sending); answers carry more" },
  "member-removed": { request: "breaking", answer: "breaking", why: "consumers sending it are refused; consumers reading it no longer compile" },
  "member-required": { request: "breaking", answer: "additive", why: "optional → required: old requests may lack it; answers now always carry it" },
  "member-optional": { request: "additive", answer: "breaking", why: "required → optional: answers may now lack it (its type gains `undefined`)" },
  "member-default-added": { request: "breaking", answer: "additive", why: "openapi-typescript types a member with a `default` as always present, so requests must send it" },
  "member-default-removed": { request: "additive", answer: "breaking", why: "the member's type becomes optional again" },
  "type-widened": { request: "additive", answer: "breaking", why: "more values allowed: fine to send, not fine to read" },
  "type-narrowed": { request: "breaking", answer: "additive", why: "fewer values allowed: old requests may be refused; answers promise more" },
  "type-changed": { request: "breaking", answer: "breaking", why: "neither type contains the other" },
  "enum-value-added": { request: "additive", answer: "additive", why: "a new value to send; in answers a new case for a switch's default branch (an exhaustiveness check with `never` is meant to fail then)" },
  "enum-value-removed": { request: "breaking", answer: "breaking", why: "consumers sending or comparing with the value no longer compile" },
  "enum-introduced": { request: "breaking", answer: "additive", why: "a free value becomes a closed list" },
  "enum-dropped": { request: "additive", answer: "breaking", why: "a closed list becomes a free value" },
  "enum-name-changed": { request: "breaking", answer: "breaking", why: "the named constant (`x-enum-varnames`) consumers use is gone" },
  "enum-object-added": { request: "additive", answer: "additive", why: "new named constants" },
  "enum-object-removed": { request: "breaking", answer: "breaking", why: "the named constants consumers use are gone" },
  "constraint-tightened": { request: "breaking", answer: "additive", why: "bounds, pattern or rule stricter: old requests may be refused before sending" },
  "constraint-loosened": { request: "additive", answer: "breaking", why: "answers may now hold values the old spec ruled out" },
  "constraint-changed": { request: "breaking", answer: "breaking", why: "a pattern or rule changed: neither accepts all the other accepts" },
  "readonly-added": { request: "breaking", answer: "breaking", why: "the member becomes `readonly`: code assigning to it no longer compiles" },
  "readonly-removed": { request: "additive", answer: "additive", why: "the member can be assigned again" },
  "deprecated-added": { request: "additive", answer: "additive", why: "`@deprecated` in the types: still works, linters warn (semver: minor)" },
  "deprecated-removed": { request: "neutral", answer: "neutral", why: "only the `@deprecated` tag goes" },
  "ref-changed": { request: "neutral", answer: "neutral", why: "a `$ref` now names another schema: by itself nothing, since the two are compared member by member and each difference is reported" },
} as const satisfies Record<string, ByDirection>;

/** Kinds whose class is the same wherever they occur. */
export const FIXED_KINDS = {
  "service-added": { class: "additive", why: "a new generated module" },
  "service-removed": { class: "breaking", why: "the module and everything in it are gone" },
  "service-version-changed": { class: "breaking", why: "another API version: another `X-TC-Version` and contract" },
  "service-renamed": { class: "breaking", why: "every generated name and the signed service change" },
  "endpoint-changed": { class: "breaking", why: "requests go to another host by default" },
  "endpoint-added": { class: "additive", why: "a new endpoint template" },
  "endpoint-removed": { class: "breaking", why: "an endpoint template consumers may rely on is gone" },
  "action-added": { class: "additive", why: "a new method" },
  "action-removed": { class: "breaking", why: "the method and its types are gone" },
  "action-renamed": { class: "breaking", why: "the method's name changes (same request and answer)" },
  "action-deprecated": { class: "additive", why: "`@deprecated` on the method (semver: minor)" },
  "action-undeprecated": { class: "neutral", why: "only the `@deprecated` tag goes" },
  "rate-limit-lowered": { class: "breaking", why: "the client's limiter lets fewer calls through per second" },
  "rate-limit-raised": { class: "additive", why: "more calls per second" },
  "idempotent-removed": { class: "breaking", why: "`InternalError` and dropped connections are no longer retried" },
  "idempotent-added": { class: "additive", why: "more failures are retried" },
  "error-code-added": { class: "additive", why: "a new member of the error-code union" },
  "error-code-removed": { class: "breaking", why: "code naming it (`<Action>ErrorCode`, error descriptions) no longer compiles" },
  "schema-added": { class: "additive", why: "a new exported type and validator" },
  "schema-removed": { class: "breaking", why: "the exported type and validator are gone" },
  "schema-renamed": { class: "breaking", why: "the exported type and validator change name (same structure)" },
  "pagination-added": { class: "additive", why: "a new `paginate<Action>` method" },
  "pagination-removed": { class: "breaking", why: "the `paginate<Action>` method is gone" },
  "pagination-changed": { class: "breaking", why: "the paginator sends other members or reads other items" },
  "waiter-added": { class: "additive", why: "a new `waitFor…` method" },
  "waiter-removed": { class: "breaking", why: "the `waitFor…` method is gone" },
  "waiter-changed": { class: "breaking", why: "the waiter takes other input or resolves on other statuses" },
  "docs-changed": { class: "neutral", why: "descriptions, summaries, titles, tags, examples, formats, default values: documentation only" },
} as const satisfies Record<string, { class: ChangeClass; why: string }>;

export type SchemaKind = keyof typeof SCHEMA_KINDS;
export type FixedKind = keyof typeof FIXED_KINDS;
export type ChangeKind = SchemaKind | FixedKind;

const RANK: Record<ChangeClass, number> = { neutral: 0, additive: 1, breaking: 2 };

export function worse(a: ChangeClass, b: ChangeClass): ChangeClass {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The class of a change of `kind` in a schema used in `direction` (ignored for fixed kinds). */
export function classify(kind: ChangeKind, direction: Direction | undefined): ChangeClass {
  if (Object.hasOwn(SCHEMA_KINDS, kind) && direction !== undefined) {
    const entry: ByDirection = SCHEMA_KINDS[kind as SchemaKind];
    if (direction === "request" || direction === "answer") return entry[direction];
    // Used both ways, or only through its exported type and validator: the stricter reading.
    return worse(entry.request, entry.answer);
  }
  if (Object.hasOwn(FIXED_KINDS, kind)) return FIXED_KINDS[kind as FixedKind].class;
  // A schema kind outside any schema (docs-changed of an operation, say).
  const entry: ByDirection = SCHEMA_KINDS[kind as SchemaKind];
  return worse(entry.request, entry.answer);
}

/** The most severe class of a list, or undefined when it is empty. */
export function overall(classes: Iterable<ChangeClass>): ChangeClass | undefined {
  let result: ChangeClass | undefined;
  for (const c of classes) result = result === undefined ? c : worse(result, c);
  return result;
}

export function rank(c: ChangeClass): number {
  return RANK[c];
}
