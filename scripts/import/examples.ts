/**
 * Tencent's examples as the spec's named examples: the request (a flattened GET query, or an HTTP
 * POST with a JSON body) becomes a JSON body typed by the definitions, the answer is parsed, and
 * each is checked against the definitions so that a wrong example is reported, never silently
 * kept or dropped. Pure.
 */
import { unflattenParams } from "../lib/runtime.js";
import type { ExampleDefinition, MemberDefinition, StructureDefinition } from "./definitions.js";
import { fitsPrimitive, isRequired, typedValue } from "./member-types.js";
import { isObject, joinPointer, type Json, jsonEqual } from "../lib/utils.js";
import { DefinitionsError, parseJsonText } from "./shared.js";

type Structures = ReadonlyMap<string, StructureDefinition>;

export interface ImportedExample {
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  readonly request: Json;
  readonly response: Json;
  /** What does not fit the definitions (`/Limit: a string, the definitions say int64`), for review. */
  readonly mismatches: readonly string[];
}

/** An example that could not be read, with why; the importer lists it for review. */
export interface UnreadableExample {
  readonly title: string;
  readonly reason: string;
}

/** Query parameters every call may carry; they are headers in the POST form, not request members. */
const COMMON_PARAMETERS = new Set(["Action", "Version", "Region", "Timestamp", "Nonce", "SecretId", "Signature", "SignatureMethod", "Token", "Language", "RequestClient"]);

/**
 * The examples of one action. `english` are the English edition's examples of the same action;
 * one whose request is the same supplies the title and text.
 */
export function importExamples(
  examples: readonly ExampleDefinition[],
  english: readonly ExampleDefinition[],
  request: StructureDefinition,
  response: StructureDefinition,
  structures: Structures,
): { examples: ImportedExample[]; unreadable: UnreadableExample[] } {
  const out: ImportedExample[] = [];
  const unreadable: UnreadableExample[] = [];
  const taken = new Set<string>();
  const englishRequests = english.map((e) => readRequest(e.input, request, structures));
  examples.forEach((example, index) => {
    const body = readRequest(example.input, request, structures);
    if (!body.ok) return unreadable.push({ title: example.title, reason: `request: ${body.reason}` });
    const answer = readResponse(example.output);
    if (!answer.ok) return unreadable.push({ title: example.title, reason: `answer: ${answer.reason}` });
    const match = englishRequests.findIndex((e) => e.ok && jsonEqual(e.value, body.value));
    const en = match >= 0 ? english[match] : undefined;
    const title = (en?.title.trim() || example.title.trim()) || `Example ${index + 1}`;
    const name = uniqueName(exampleName(en?.title ?? example.title, index), taken);
    const mismatches = [
      ...checkValue(body.value, request, structures, "", "request"),
      ...checkAnswer(answer.value["Response"] as Json, response, structures),
    ];
    out.push({
      name,
      summary: title,
      description: (en?.document.trim() || example.document.trim()),
      request: body.value,
      response: answer.value,
      mismatches,
    });
  });
  return { examples: out, unreadable };
}

type Read = { ok: true; value: Json } | { ok: false; reason: string };

/** The JSON body of an example request, in either of Tencent's two forms. */
export function readRequest(input: string, request: StructureDefinition, structures: Structures): Read {
  const text = input.replace(/\r\n?/g, "\n").trim();
  if (/^https?:\/\//.test(text)) return readQuery(text, request, structures);
  // `POST / HTTP/1.1`, headers, a blank line, then the body; or the bare body.
  const start = /^POST\b/.test(text) ? text.search(/\n\s*\n/) : 0;
  const body = start < 0 ? "" : text.slice(start).trim();
  if (!body.startsWith("{")) return { ok: false, reason: "neither a GET query nor a POST with a JSON body" };
  return readJsonObject(body);
}

function readQuery(text: string, request: StructureDefinition, structures: Structures): Read {
  const query = text.slice(text.indexOf("?") + 1);
  const parts = query.includes("\n&") ? query.split(/\n&/) : query.split("&");
  const pairs: [string, string][] = [];
  const members = new Set(request.members.map((m) => m.name));
  for (const part of parts.map((p) => p.trim())) {
    if (part === "" || /^<[^>]*>$/.test(part)) continue; // "<公共请求参数>": the common parameters
    const eq = part.indexOf("=");
    if (eq < 0) return { ok: false, reason: `"${part.slice(0, 60)}" is not name=value` };
    const name = part.slice(0, eq).trim();
    if (COMMON_PARAMETERS.has(name) && !members.has(name.split(".")[0]!)) continue;
    pairs.push([name, decodeValue(part.slice(eq + 1))]);
  }
  const result = unflattenParams(pairs, undefined);
  if (!result.ok) return { ok: false, reason: `${result.name}: ${result.reason}` };
  return { ok: true, value: typeStructure(result.params, request, structures, 0) as Json };
}

/** Some examples %-encode values (`Url=http%3A%2F%2F…`), most do not (`Name=web 01`). */
function decodeValue(raw: string): string {
  if (!/%[0-9A-Fa-f]{2}/.test(raw)) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** GET values are strings: each becomes its member's type where the definitions say so. */
function typeStructure(value: unknown, structure: StructureDefinition, structures: Structures, depth: number): unknown {
  if (!isObject(value) || depth > 32) return value;
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    const member = structure.members.find((m) => m.name === key);
    out[key] = member ? typeMember(v, member, structures, depth) : v;
  }
  return out;
}

function typeMember(value: unknown, member: MemberDefinition, structures: Structures, depth: number): unknown {
  const one = (v: unknown): unknown => {
    const structure = structures.get(member.member);
    if (structure) return typeStructure(v, structure, structures, depth + 1);
    return typeof v === "string" ? (typedValue(v, member.member) ?? v) : v;
  };
  return member.type === "list" && Array.isArray(value) ? value.map(one) : one(value);
}

function readResponse(output: string): Read {
  const parsed = readJsonObject(output.trim());
  if (!parsed.ok) return parsed;
  if (!isObject(parsed.value["Response"])) return { ok: false, reason: 'not an envelope { "Response": { ... } }' };
  return parsed;
}

function readJsonObject(text: string): Read {
  try {
    const value = parseJsonText(text, "example");
    return isObject(value) ? { ok: true, value } : { ok: false, reason: "the JSON is not an object" };
  } catch (error) {
    if (!(error instanceof DefinitionsError)) throw error;
    return { ok: false, reason: error.problems[0]!.message };
  }
}

/** An answer is the action's result, or an error (`{ Error: { Code, Message }, RequestId }`), which examples show too. */
function checkAnswer(value: Json, response: StructureDefinition, structures: Structures): string[] {
  if (!Object.hasOwn(value, "Error")) return checkValue(value, response, structures, "/Response", "answer");
  const error = value["Error"];
  if (!isObject(error) || typeof error["Code"] !== "string" || typeof error["Message"] !== "string") return ["/Response/Error: not { Code, Message } strings"];
  return typeof value["RequestId"] === "string" ? [] : ["/Response/RequestId: missing beside Error"];
}

/** What in an example does not fit the definitions: unknown members, wrong types, nulls where none may be. */
function checkValue(value: unknown, structure: StructureDefinition, structures: Structures, at: string, side: "request" | "answer", depth = 0): string[] {
  if (!isObject(value)) return [`${at || "/"}: not an object, the definitions say ${structure.name}`];
  if (depth > 32) return [];
  const found: string[] = [];
  for (const member of structure.members) {
    if (!Object.hasOwn(value, member.name) && isRequired(member, side === "request" ? "in" : "out") && member.name !== "RequestId") {
      found.push(`${at}${joinPointer(member.name)}: missing, the definitions say required`);
    }
  }
  for (const [key, v] of Object.entries(value)) {
    const member = structure.members.find((m) => m.name === key);
    const where = `${at}${joinPointer(key)}`;
    if (member) found.push(...checkMember(v, member, structures, where, side, depth));
    else if (!(side === "answer" && key === "RequestId" && at === "/Response")) found.push(`${where}: not a member of ${structure.name}`);
  }
  return found;
}

function checkMember(value: unknown, member: MemberDefinition, structures: Structures, at: string, side: "request" | "answer", depth: number): string[] {
  if (value === null) return member.nullable ? [] : [`${at}: null, which the definitions do not allow`];
  const one = (v: unknown, where: string): string[] => {
    const structure = structures.get(member.member);
    if (structure) return checkValue(v, structure, structures, where, side, depth + 1);
    return fitsPrimitive(v, member.member) ? [] : [`${where}: ${describe(v)}, the definitions say ${member.member}`];
  };
  if (member.type === "list") {
    if (!Array.isArray(value)) return [`${at}: ${describe(value)}, the definitions say a list of ${member.member}`];
    return value.flatMap((v, i) => one(v, `${at}/${i}`));
  }
  return one(value, at);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : typeof value === "bigint" ? "a number" : `a ${typeof value}`;
}

/** `Querying the details of instances` → `QueryingTheDetailsOfInstances`; a title without Latin words → `Example<n>`. */
export function exampleName(title: string, index: number): string {
  const words = title.match(/[A-Za-z0-9]+/g) ?? [];
  const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("").slice(0, 64);
  return /^[A-Za-z]/.test(name) && words.join("").length >= title.replace(/[\s\p{P}]/gu, "").length / 2 ? name : `Example${index + 1}`;
}

function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let i = 2; taken.has(candidate); i++) candidate = `${name}${i}`;
  taken.add(candidate);
  return candidate;
}
