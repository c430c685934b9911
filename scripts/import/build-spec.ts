/**
 * Definitions → an OpenAPI 3.1 document in the spec's conventions (spec/README.md): pseudo-paths
 * with one `post`, the `{ Response: anyOf [success, ErrorResponse] }` envelope, request schemas
 * closed with `additionalProperties: false`, `x-tc-*` facts, named examples, and an `x-tc-review`
 * entry for every fact the definitions could not give. Pure and deterministic: the same
 * definitions give the same document, whatever the order of their files.
 */
import { COMMON_ERRORS } from "./common-errors.js";
import type { ActionDefinition, Definitions, MemberDefinition, StructureDefinition } from "./definitions.js";
import { importExamples, type ImportedExample } from "./examples.js";
import { fitsPrimitive, isRequired, memberTypeSchema, typedValue, withNull, type Role } from "./member-types.js";
import { binaryReview, DEFAULT_RATE_LIMIT, guessIdempotent, pagingReview, rateLimitReview, serviceReviews, statusReview, type ReviewEntry } from "./review.js";
import { byCodePoint, joinPointer, type Json, schemaRef } from "../lib/utils.js";
import { DefinitionsError } from "./shared.js";
import { cleanText, pickText } from "./texts.js";

export interface ImportOptions {
  /** Only these actions (and the schemas they use); all actions when absent or empty. */
  readonly actions?: readonly string[] | undefined;
}

export interface ImportedSpec {
  /** The OpenAPI document as plain JSON values (BigInts for integers beyond 2^53). */
  readonly value: Json;
  /** The imported actions, in document order. */
  readonly actions: readonly string[];
  /** Schema name → the action whose group of schemas it opens (a section comment in the YAML). */
  readonly sections: ReadonlyMap<string, string>;
}

export const ERROR_RESPONSE = "ErrorResponse";
export const ERROR_DETAIL = "ErrorDetail";

export function buildSpec(definitions: Definitions, options: ImportOptions = {}): ImportedSpec {
  const { api } = definitions;
  const actions = selectActions(definitions, options.actions);
  const roles = structureRoles(definitions);
  const english = definitions.english.api;

  // Schemas in reading order: each action's request and what it uses, then its answer and what that uses.
  const schemas: Json = {};
  const sections = new Map<string, string>();
  const addStructure = (name: string, top: "request" | "response" | undefined): void => {
    if (Object.hasOwn(schemas, name)) return;
    const structure = api.structures.get(name)!;
    schemas[name] = structureSchema(structure, top, roles.get(name) ?? "out", definitions);
    for (const member of structure.members) {
      if (api.structures.has(member.member)) addStructure(member.member, undefined);
    }
  };
  const paths: Json = {};
  for (const action of actions) {
    const before = Object.keys(schemas).length;
    addStructure(action.input, "request");
    addStructure(action.output, "response");
    const first = Object.keys(schemas)[before];
    if (first !== undefined) sections.set(first, action.name);
    paths[`/${action.name}`] = { post: operation(action, definitions) };
  }
  sections.set(ERROR_RESPONSE, "");
  schemas[ERROR_RESPONSE] = errorResponseSchema();
  schemas[ERROR_DETAIL] = errorDetailSchema();

  const service = api.service;
  const reviews = serviceReviews(api, definitions.errors !== undefined);
  const value: Json = {
    openapi: "3.1.0",
    info: {
      title: `${api.serviceTitle} API`,
      version: api.version,
      description: [
        `The \`${service}\` service of Tencent Cloud API 3.0, API version ${api.version}, imported from Tencent's definitions.`,
        cleanText(english?.brief || api.brief),
      ].filter((t) => t !== "").join("\n\n"),
    },
    servers: [
      { url: `https://${service}.tencentcloudapi.com`, description: "Default endpoint; the request is routed to the nearest region." },
      {
        url: `https://${service}.{region}.tencentcloudapi.com`,
        description: "Endpoint of a chosen region.",
        variables: { region: { default: "ap-guangzhou", description: "Region ID, e.g. ap-guangzhou, ap-shanghai or ap-beijing." } },
      },
    ],
    "x-tc-service": service,
    "x-tc-version": api.version,
    ...(reviews.length > 0 ? { "x-tc-review": reviews } : {}),
    security: [{ TC3: [] }],
    "x-tc-common-errors": COMMON_ERRORS.map(([code, description]) => ({ code, description })),
    paths,
    components: { securitySchemes: { TC3: securityScheme(service) }, schemas },
  };
  return { value, actions: actions.map((a) => a.name), sections };
}

function selectActions(definitions: Definitions, names: readonly string[] | undefined): ActionDefinition[] {
  const { api } = definitions;
  if (names === undefined || names.length === 0) return [...api.actions.values()].sort((a, b) => byCodePoint(a.name, b.name));
  const unknown = names.filter((n) => !api.actions.has(n));
  if (unknown.length > 0) {
    throw new DefinitionsError(
      unknown.map((n) => ({ file: api.file, pointer: joinPointer("actions", n), message: `no action ${n} in the definitions${suggest(n, [...api.actions.keys()])}` })),
    );
  }
  return [...new Set(names)].sort(byCodePoint).map((n) => api.actions.get(n)!);
}

function suggest(name: string, names: string[]): string {
  const lower = name.toLowerCase();
  const close = names.filter((n) => n.toLowerCase() === lower || n.toLowerCase().includes(lower) || lower.includes(n.toLowerCase())).slice(0, 3);
  return close.length > 0 ? ` (did you mean ${close.join(", ")}?)` : "";
}

/** Which structures requests reach and which answers reach, over every action of the service. */
function structureRoles(definitions: Definitions): Map<string, Role> {
  const { structures } = definitions.api;
  const reach = (start: string, into: Set<string>): void => {
    if (into.has(start)) return;
    into.add(start);
    for (const m of structures.get(start)?.members ?? []) if (structures.has(m.member)) reach(m.member, into);
  };
  const inputs = new Set<string>();
  const outputs = new Set<string>();
  for (const action of definitions.api.actions.values()) {
    reach(action.input, inputs);
    reach(action.output, outputs);
  }
  const roles = new Map<string, Role>();
  for (const name of structures.keys()) {
    roles.set(name, inputs.has(name) && outputs.has(name) ? "both" : inputs.has(name) ? "in" : "out");
  }
  return roles;
}

function structureSchema(structure: StructureDefinition, top: "request" | "response" | undefined, role: Role, definitions: Definitions): Json {
  const english = definitions.english.api?.structures.get(structure.name);
  const effective: Role = top === "request" ? "in" : top === "response" ? "out" : role;
  const properties: Json = {};
  const required: string[] = [];
  for (const member of structure.members) {
    const en = english?.members.find((m) => m.name === member.name);
    properties[member.name] = memberSchema(member, en, definitions);
    if (isRequired(member, effective)) required.push(member.name);
  }
  // Every answer has a RequestId; the definitions list it without saying so.
  if (top === "response" && Object.hasOwn(properties, "RequestId") && !required.includes("RequestId")) required.push("RequestId");
  return {
    type: "object",
    description: structureText(structure, english, top),
    ...(effective === "in" ? { additionalProperties: false } : {}),
    ...(required.length > 0 ? { required } : {}),
    properties,
  };
}

/** The definitions' boilerplate for request and answer structures says nothing; write what they are. */
function structureText(structure: StructureDefinition, english: StructureDefinition | undefined, top: "request" | "response" | undefined): string {
  const text = pickText(structure.document, english?.document);
  const action = structure.name.replace(/(Request|Response)$/, "");
  if (top === "request" && (text === "" || /^\w+ *(请求参数结构体|request structure\.?)$/i.test(text))) return `Parameters of ${action}.`;
  if (top === "response" && (text === "" || /^\w+ *(返回参数结构体|response structure\.?)$/i.test(text))) return `The \`Response\` object of a successful ${action} call.`;
  return text === "" ? structure.name : text;
}

function memberSchema(member: MemberDefinition, english: MemberDefinition | undefined, definitions: Definitions): Json {
  const typed = memberTypeSchema(member);
  const schema = member.nullable ? withNull(typed) : typed;
  const description = pickText(member.document, english?.document);
  const example = memberExample(member, definitions);
  // The type first and then the text, as the hand-written spec reads; a $ref (or the anyOf adding
  // null to one) after its description, and a list's items after it.
  const { items, ...rest } = schema;
  const ordered: Json = "type" in schema ? { ...rest } : {};
  if (description !== "") ordered["description"] = description;
  Object.assign(ordered, "type" in schema ? (items === undefined ? {} : { items }) : schema);
  return {
    ...ordered,
    ...(member.disabled ? { "x-tc-disabled": true } : {}),
    ...(example !== undefined ? { examples: [example] } : {}),
  };
}

/** The member's example, typed; none for "无" (none), structures, or text that does not fit the type. */
function memberExample(member: MemberDefinition, definitions: Definitions): unknown {
  const text = member.example?.trim();
  if (text === undefined || text === "" || text === "无" || definitions.api.structures.has(member.member) || member.type === "binary") return undefined;
  if (member.type === "list") {
    if (!text.startsWith("[")) return undefined;
    try {
      const list = JSON.parse(text) as unknown;
      return Array.isArray(list) && list.length > 0 && list.every((v) => fitsPrimitive(v, member.member)) ? list : undefined;
    } catch {
      return undefined;
    }
  }
  return typedValue(member.example!, member.member);
}

function operation(action: ActionDefinition, definitions: Definitions): Json {
  const { api } = definitions;
  const english = definitions.english.api?.actions.get(action.name);
  const request = api.structures.get(action.input)!;
  const response = api.structures.get(action.output)!;
  const { idempotent, review: idempotentReview } = guessIdempotent(action.name);

  const { examples, unreadable } = importExamples(
    definitions.examples?.actions.get(action.name) ?? [],
    definitions.english.examples?.actions.get(action.name) ?? [],
    request,
    response,
    api.structures,
  );
  const reviews: ReviewEntry[] = [rateLimitReview(), idempotentReview];
  for (const entry of [pagingReview(request, response), statusReview(action), binaryReview(request)]) if (entry) reviews.push(entry);
  reviews.push(...exampleReviews(examples, unreadable));

  const summary = firstLine(pickText(action.title, english?.title)) || action.name;
  const description = pickText(action.document, english?.document);
  const errors = actionErrors(action.name, definitions);
  return {
    operationId: action.name,
    "x-tc-action": action.name,
    "x-tc-rate-limit": DEFAULT_RATE_LIMIT,
    "x-tc-idempotent": idempotent,
    "x-tc-review": reviews,
    ...(action.status !== "online" ? { deprecated: true } : {}),
    ...(action.status === "offline" ? { "x-tc-status": "offline" } : {}),
    summary,
    ...(description !== "" && description !== summary ? { description } : {}),
    requestBody: {
      required: true,
      content: {
        "application/json": {
          schema: { $ref: schemaRef(action.input) },
          ...(examples.length > 0 ? { examples: namedExamples(examples, (e) => e.request, true) } : {}),
        },
      },
    },
    responses: {
      "200": {
        description: "The API envelope. Tencent answers every call with HTTP 200; `Response` holds either the result or an `Error`, always with a `RequestId`.",
        content: {
          "application/json": {
            schema: {
              type: "object",
              description: "The envelope of every Tencent Cloud API 3.0 answer.",
              required: ["Response"],
              properties: {
                Response: {
                  description: "The action's result on success, or the error on failure.",
                  anyOf: [{ $ref: schemaRef(action.output) }, { $ref: schemaRef(ERROR_RESPONSE) }],
                },
              },
            },
            ...(examples.length > 0 ? { examples: namedExamples(examples, (e) => e.response, false) } : {}),
          },
        },
      },
    },
    ...(errors.length > 0 ? { "x-tc-errors": errors } : {}),
  };
}

function namedExamples(examples: readonly ImportedExample[], value: (e: ImportedExample) => Json, withDescription: boolean): Json {
  const out: Json = {};
  for (const e of examples) {
    out[e.name] = { summary: e.summary, ...(withDescription && e.description !== "" ? { description: e.description } : {}), value: value(e) };
  }
  return out;
}

function exampleReviews(examples: readonly ImportedExample[], unreadable: readonly { title: string; reason: string }[]): ReviewEntry[] {
  const entries: ReviewEntry[] = [];
  for (const e of examples) {
    if (e.mismatches.length === 0) continue;
    const shown = e.mismatches.slice(0, 3).join("; ");
    const more = e.mismatches.length > 3 ? `; and ${e.mismatches.length - 3} more` : "";
    entries.push({ fact: `examples/${e.name}`, reason: `Tencent's example does not fit the definitions: ${shown}${more}.` });
  }
  for (const u of unreadable) entries.push({ fact: "examples", reason: `Tencent's example "${u.title}" could not be read (${u.reason}); it is left out.` });
  return entries;
}

/** The action's own codes (errors.json), each with the English description where there is one. */
function actionErrors(action: string, definitions: Definitions): Json[] {
  const { errors } = definitions;
  if (!errors) return [];
  return (errors.actions.get(action) ?? []).map((code) => ({ code, description: errorText(code, definitions) }));
}

export function errorText(code: string, definitions: Definitions): string {
  const text = pickText(definitions.errors?.codes.get(code), definitions.english.errors?.get(code));
  return text === "" ? "(no description in Tencent's definitions)" : text;
}

function firstLine(text: string): string {
  return (text.split("\n")[0] ?? "").trim();
}

function errorResponseSchema(): Json {
  return {
    type: "object",
    description: "The `Response` object of a failed call.",
    required: ["Error", "RequestId"],
    properties: {
      Error: { description: "What went wrong.", $ref: schemaRef(ERROR_DETAIL) },
      RequestId: { type: "string", description: "The unique request ID, which is returned for each request. RequestId is required for locating a problem." },
    },
  };
}

function errorDetailSchema(): Json {
  return {
    type: "object",
    description: "The error of a failed call.",
    required: ["Code", "Message"],
    properties: {
      Code: { type: "string", description: "Error code, e.g. InvalidParameter. See the action's x-tc-errors and the spec's x-tc-common-errors." },
      Message: { type: "string", description: "Human-readable error message." },
    },
  };
}

function securityScheme(service: string): Json {
  return {
    type: "apiKey",
    in: "header",
    name: "Authorization",
    description: [
      "TC3-HMAC-SHA256 request signature, computed by the client from a SecretId/SecretKey pair:",
      `\`TC3-HMAC-SHA256 Credential=<SecretId>/<date>/${service}/tc3_request, SignedHeaders=<signed headers>, Signature=<hex>\`.`,
      `The signature covers the canonical request and is keyed by an HMAC chain over the UTC date, the service (\`${service}\`) and \`tc3_request\`.`,
      "Temporary credentials also send their token in `X-TC-Token`.",
    ].join(" "),
  };
}
