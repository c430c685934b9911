/**
 * Tencent's machine-readable definitions of one service version (`api.json`, `examples.json`,
 * `errors.json`, and optionally their English editions), checked and reduced to typed values. Pure:
 * text in, definitions or a DefinitionsError naming each bad value's file and JSON pointer out.
 */
import { isObject, joinPointer, type Json } from "../lib/utils.js";
import { DefinitionsError, parseJsonText, type DefinitionsProblem } from "./shared.js";

export type MemberKind = "string" | "int" | "float" | "bool" | "list" | "object" | "binary";
export type ActionStatus = "online" | "deprecated" | "offline";

export interface MemberDefinition {
  readonly name: string;
  readonly type: MemberKind;
  /** A primitive (`string`, `int64`, `uint64`, `float`, `bool`, `binary`, `datetime`, …) or a structure name. */
  readonly member: string;
  /** Request members: must be sent. */
  readonly required: boolean;
  /** Answer members: always present (`undefined` in older definitions, which use `required`). */
  readonly outputRequired: boolean | undefined;
  /** `value_allowed_null`: the answer may carry `null`. */
  readonly nullable: boolean;
  /** Hidden from the API page, but part of the wire contract (the official SDKs keep it). */
  readonly disabled: boolean;
  readonly example: string | undefined;
  readonly document: string;
}

export interface StructureDefinition {
  readonly name: string;
  readonly document: string;
  readonly members: readonly MemberDefinition[];
}

export interface ActionDefinition {
  readonly name: string;
  /** The short title (`name` in api.json). */
  readonly title: string;
  readonly document: string;
  readonly input: string;
  readonly output: string;
  readonly status: ActionStatus;
}

export interface ApiDefinitions {
  readonly file: string;
  readonly service: string;
  /** `YYYY-MM-DD` */
  readonly version: string;
  readonly serviceTitle: string;
  readonly brief: string;
  readonly actions: ReadonlyMap<string, ActionDefinition>;
  readonly structures: ReadonlyMap<string, StructureDefinition>;
}

export interface ExampleDefinition {
  readonly title: string;
  readonly document: string;
  readonly input: string;
  readonly output: string;
}

export interface ExampleDefinitions {
  readonly file: string;
  readonly actions: ReadonlyMap<string, readonly ExampleDefinition[]>;
}

export interface ErrorDefinitions {
  readonly file: string;
  /** Every code of the service with its description. */
  readonly codes: ReadonlyMap<string, string>;
  /** The codes each action may return, in the file's order. */
  readonly actions: ReadonlyMap<string, readonly string[]>;
}

/** Everything read for one service version; the English editions are optional. */
export interface Definitions {
  readonly api: ApiDefinitions;
  readonly examples: ExampleDefinitions | undefined;
  readonly errors: ErrorDefinitions | undefined;
  readonly english: {
    readonly api: ApiDefinitions | undefined;
    readonly examples: ExampleDefinitions | undefined;
    /** English descriptions of error codes. */
    readonly errors: ReadonlyMap<string, string> | undefined;
  };
}

const MEMBER_KINDS = new Set<string>(["string", "int", "float", "bool", "list", "object", "binary"]);
const STATUSES = new Set<string>(["online", "deprecated", "offline"]);

/** Primitive `member` values allowed for each `type`; anything else must name a structure. */
export const PRIMITIVE_MEMBERS: Readonly<Record<MemberKind, readonly string[]>> = {
  string: ["string", "datetime", "datetime_iso", "date"],
  int: ["int64", "uint64"],
  float: ["float"],
  bool: ["bool"],
  binary: ["binary"],
  list: ["string", "int64", "uint64", "float", "bool"],
  object: [],
};

/** Collects problems with their pointers; throws them all at once. */
class Problems {
  readonly list: DefinitionsProblem[] = [];
  constructor(readonly file: string) {}
  add(pointer: string, message: string): void {
    this.list.push({ file: this.file, pointer, message });
  }
  throwIfAny(): void {
    if (this.list.length > 0) throw new DefinitionsError(this.list);
  }
}

export function parseApiDefinitions(text: string, file: string): ApiDefinitions {
  const root = parseJsonText(text, file);
  const problems = new Problems(file);
  if (!isObject(root)) {
    problems.add("", "api.json must be a JSON object { version, metadata, actions, objects }");
    problems.throwIfAny();
  }
  const r = root as Json;
  const metadata = objectAt(r, "metadata", "", problems);
  const service = stringAt(metadata, "serviceShortName", "/metadata", problems);
  const version = stringAt(metadata, "apiVersion", "/metadata", problems);
  if (version !== "" && !/^\d{4}-\d{2}-\d{2}$/.test(version)) problems.add("/metadata/apiVersion", `must be "YYYY-MM-DD", got ${JSON.stringify(version)}`);

  const rawObjects = objectAt(r, "objects", "", problems);
  const structures = new Map<string, StructureDefinition>();
  for (const [name, raw] of Object.entries(rawObjects)) {
    const at = joinPointer("objects", name);
    if (!isObject(raw)) {
      problems.add(at, "must be an object { document, members }");
      continue;
    }
    const members: MemberDefinition[] = [];
    const rawMembers = raw["members"];
    if (!Array.isArray(rawMembers)) problems.add(`${at}/members`, "must be a list of members");
    else rawMembers.forEach((m, i) => {
      const member = parseMember(m, `${at}/members/${i}`, problems);
      if (member) members.push(member);
    });
    const seen = new Set<string>();
    members.forEach((m, i) => {
      if (seen.has(m.name)) problems.add(`${at}/members/${i}/name`, `member "${m.name}" is listed twice`);
      seen.add(m.name);
    });
    structures.set(name, { name, document: optionalString(raw, "document", at, problems), members });
  }
  // Every structure a member names must exist.
  for (const [name, structure] of structures) {
    structure.members.forEach((m, i) => {
      if (!PRIMITIVE_MEMBERS[m.type].includes(m.member) && !structures.has(m.member)) {
        const primitives = PRIMITIVE_MEMBERS[m.type].join(", ");
        const expected = m.type === "object" ? 'a structure of "objects"' : m.type === "list" ? `one of ${primitives}, nor a structure of "objects"` : `one of ${primitives}`;
        problems.add(joinPointer("objects", name, "members", i, "member"), `"${m.member}" is not ${expected}`);
      }
    });
  }

  const rawActions = objectAt(r, "actions", "", problems);
  const actions = new Map<string, ActionDefinition>();
  for (const [name, raw] of Object.entries(rawActions)) {
    const at = joinPointer("actions", name);
    if (!isObject(raw)) {
      problems.add(at, "must be an object { name, document, input, output, status }");
      continue;
    }
    const input = stringAt(raw, "input", at, problems);
    const output = stringAt(raw, "output", at, problems);
    for (const [key, ref] of [["input", input], ["output", output]] as const) {
      if (ref !== "" && !structures.has(ref)) problems.add(`${at}/${key}`, `names "${ref}", which is not in "objects"`);
    }
    const status = raw["status"] === undefined ? "online" : raw["status"];
    if (typeof status !== "string" || !STATUSES.has(status)) problems.add(`${at}/status`, `must be online, deprecated or offline, got ${JSON.stringify(status)}`);
    actions.set(name, {
      name,
      title: optionalString(raw, "name", at, problems),
      document: optionalString(raw, "document", at, problems),
      input,
      output,
      status: (STATUSES.has(String(status)) ? status : "online") as ActionStatus,
    });
  }
  problems.throwIfAny();
  return {
    file,
    service,
    version,
    serviceTitle: typeof metadata["serviceNameCN"] === "string" ? metadata["serviceNameCN"] : service,
    brief: typeof metadata["api_brief"] === "string" ? metadata["api_brief"] : "",
    actions,
    structures,
  };
}

function parseMember(raw: unknown, at: string, problems: Problems): MemberDefinition | undefined {
  if (!isObject(raw)) {
    problems.add(at, "must be an object { name, type, member, ... }");
    return undefined;
  }
  const name = stringAt(raw, "name", at, problems);
  const type = stringAt(raw, "type", at, problems);
  const member = stringAt(raw, "member", at, problems);
  if (type !== "" && !MEMBER_KINDS.has(type)) problems.add(`${at}/type`, `must be one of ${[...MEMBER_KINDS].join(", ")}, got ${JSON.stringify(type)}`);
  if (name !== "" && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) problems.add(`${at}/name`, `"${name}" is not a member name`);
  for (const flag of ["required", "output_required", "value_allowed_null", "disabled"]) {
    if (raw[flag] !== undefined && typeof raw[flag] !== "boolean") problems.add(`${at}/${flag}`, `must be true or false, got ${JSON.stringify(raw[flag])}`);
  }
  // Examples are strings; a few files write numbers or booleans, which mean the same text.
  const rawExample = raw["example"];
  const example = typeof rawExample === "number" || typeof rawExample === "boolean" || typeof rawExample === "bigint" ? String(rawExample) : rawExample;
  if (example !== undefined && example !== null && typeof example !== "string") problems.add(`${at}/example`, "must be a string");
  if (name === "" || !MEMBER_KINDS.has(type) || member === "") return undefined;
  return {
    name,
    type: type as MemberKind,
    member,
    required: raw["required"] === true,
    outputRequired: typeof raw["output_required"] === "boolean" ? raw["output_required"] : undefined,
    nullable: raw["value_allowed_null"] === true,
    disabled: raw["disabled"] === true,
    example: typeof example === "string" ? example : undefined,
    document: optionalString(raw, "document", at, problems),
  };
}

export function parseExampleDefinitions(text: string, file: string): ExampleDefinitions {
  const root = parseJsonText(text, file);
  const problems = new Problems(file);
  const actions = new Map<string, ExampleDefinition[]>();
  const rawActions = isObject(root) ? objectAt(root, "actions", "", problems) : (problems.add("", "examples.json must be a JSON object { actions }"), {});
  for (const [name, list] of Object.entries(rawActions)) {
    const at = joinPointer("actions", name);
    if (!Array.isArray(list)) {
      problems.add(at, "must be a list of examples");
      continue;
    }
    const examples: ExampleDefinition[] = [];
    list.forEach((raw, i) => {
      const where = `${at}/${i}`;
      if (!isObject(raw)) return problems.add(where, "must be an object { title, input, output }");
      examples.push({
        title: optionalString(raw, "title", where, problems),
        document: optionalString(raw, "document", where, problems),
        input: stringAt(raw, "input", where, problems),
        output: stringAt(raw, "output", where, problems),
      });
    });
    actions.set(name, examples);
  }
  problems.throwIfAny();
  return { file, actions };
}

export function parseErrorDefinitions(text: string, file: string): ErrorDefinitions {
  const root = parseJsonText(text, file);
  const problems = new Problems(file);
  if (!isObject(root)) {
    problems.add("", "errors.json must be a JSON object { codes, actions }");
    problems.throwIfAny();
  }
  const codes = new Map<string, string>();
  for (const [code, description] of Object.entries(objectAt(root as Json, "codes", "", problems))) {
    if (typeof description !== "string") problems.add(joinPointer("codes", code), "must be the code's description (a string)");
    else codes.set(code, description);
  }
  const actions = new Map<string, string[]>();
  for (const [action, list] of Object.entries(objectAt(root as Json, "actions", "", problems))) {
    const at = joinPointer("actions", action);
    if (!Array.isArray(list) || list.some((c) => typeof c !== "string")) problems.add(at, "must be a list of error codes");
    else actions.set(action, [...new Set(list as string[])]);
  }
  problems.throwIfAny();
  return { file, codes, actions };
}

/**
 * English error descriptions: either errors.json's own shape (`codes: { Code: text }`) or a list
 * `productCodes: [{ code, en }]` (the form of the shared data/ folder). Empty texts count as absent.
 */
export function parseEnglishErrors(text: string, file: string): Map<string, string> {
  const root = parseJsonText(text, file);
  const problems = new Problems(file);
  const out = new Map<string, string>();
  if (isObject(root) && isObject(root["codes"])) {
    for (const [code, description] of Object.entries(root["codes"])) {
      if (typeof description !== "string") problems.add(joinPointer("codes", code), "must be a string");
      else if (description.trim() !== "") out.set(code, description);
    }
  } else if (isObject(root) && Array.isArray(root["productCodes"])) {
    root["productCodes"].forEach((entry: unknown, i: number) => {
      const at = `/productCodes/${i}`;
      if (!isObject(entry) || typeof entry["code"] !== "string") return problems.add(at, "must be { code, en }");
      if (entry["en"] !== undefined && typeof entry["en"] !== "string") return problems.add(`${at}/en`, "must be a string");
      if (typeof entry["en"] === "string" && entry["en"].trim() !== "") out.set(entry["code"], entry["en"]);
    });
  } else {
    problems.add("", "must be errors.json's shape { codes: { Code: description } } or { productCodes: [{ code, en }] }");
  }
  problems.throwIfAny();
  return out;
}

function objectAt(node: Json, key: string, at: string, problems: Problems): Json {
  const value = node[key];
  if (isObject(value)) return value;
  problems.add(`${at}${joinPointer(key)}`, value === undefined ? `"${key}" is missing` : `"${key}" must be an object`);
  return {};
}

function stringAt(node: Json, key: string, at: string, problems: Problems): string {
  const value = node[key];
  if (typeof value === "string") return value;
  problems.add(`${at}${joinPointer(key)}`, value === undefined ? `"${key}" is missing` : `"${key}" must be a string, got ${JSON.stringify(value)}`);
  return "";
}

function optionalString(node: Json, key: string, at: string, problems: Problems): string {
  const value = node[key];
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  problems.add(`${at}${joinPointer(key)}`, `"${key}" must be a string`);
  return "";
}
