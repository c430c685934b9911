/**
 * How every name the generator declares is derived from the spec: one function per kind of name,
 * used by the model (and so by the templates), never re-derived elsewhere. `NameOrigins` records
 * which spec node each derived name comes from, so that a name clash found in the emitted code
 * (scripts/check/emitted-names.ts) is reported where the spec gave the name. Pure.
 */
import { RESERVED_WORDS } from "../emit/spec-text.js";
import { isObject, splitPointer } from "../lib/utils.js";

export const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);
export const upperFirst = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/** The client method of an action: `DescribeInstances` → `describeInstances`. */
export const actionMethodName = (action: string): string => lowerFirst(action);
/**
 * The standalone function of an action (commands.ts): the method name, unless that is a reserved
 * word, which a method may be called but a function may not (`Delete` → `deleteAction`).
 */
export const actionFunctionName = (action: string): string => {
  const method = actionMethodName(action);
  return RESERVED_WORDS.has(method) ? `${method}Action` : method;
};
export const paginatorMethodName = (action: string): string => `paginate${action}`;
export const errorCodeTypeName = (action: string): string => `${action}ErrorCode`;
export const errorTypeName = (action: string): string => `${action}Error`;
export const errorGuardName = (action: string): string => `is${action}Error`;
export const waiterInputTypeName = (method: string): string => `${upperFirst(method)}Input`;
export const validatorName = (schema: string): string => `validate${schema}`;
export const standardSchemaName = (schema: string): string => `${schema}Schema`;

/** The names a service gives its module-level declarations. */
export interface ServiceNames {
  /** `Cvm`. */
  readonly pascal: string;
  /** `createCvmClient`. */
  readonly clientFactory: string;
  /** `CvmClient`. */
  readonly clientType: string;
  /** `CvmClientOptions`. */
  readonly clientOptionsType: string;
  /** `CvmErrorCode`: every documented code. */
  readonly errorCodeType: string;
  /** `cvmService`: the wire descriptor. */
  readonly descriptor: string;
  /** `cvmErrorDescriptions`. */
  readonly errorDescriptions: string;
  /** `cvmMock`. */
  readonly mock: string;
  /** `cvmRequestValidators`, `cvmResponseValidators`. */
  readonly requestValidators: string;
  readonly responseValidators: string;
}

export function serviceNames(service: string): ServiceNames {
  const pascal = upperFirst(service);
  return {
    pascal,
    clientFactory: `create${pascal}Client`,
    clientType: `${pascal}Client`,
    clientOptionsType: `${pascal}ClientOptions`,
    errorCodeType: `${pascal}ErrorCode`,
    descriptor: `${service}Service`,
    errorDescriptions: `${service}ErrorDescriptions`,
    mock: `${service}Mock`,
    requestValidators: `${service}RequestValidators`,
    responseValidators: `${service}ResponseValidators`,
  };
}

/**
 * The generated enum of an enum member `property` of schema `schema`: `Instance` + `InstanceState`.
 * A member name with other characters than letters, digits, `_` and `$` contributes those, each run
 * after another character starting with a capital (`Instance-State` → `InstanceState`); undefined
 * when it has none, since the enum could not be told from its schema.
 */
export function enumName(schema: string, property: string): string | undefined {
  if (/^[A-Za-z0-9_$]+$/.test(property)) return `${schema}${property}`;
  const part = property
    .split(/[^A-Za-z0-9_$]+/)
    .filter((piece) => piece !== "")
    .map(upperFirst)
    .join("");
  return part === "" ? undefined : `${schema}${part}`;
}

/**
 * The schema of a member that becomes a generated enum: an enum with `x-enum-varnames`, on the
 * member itself or on the items of a list member (e.g. a status filter). `pointer` is where it is,
 * relative to the member.
 */
export function enumTarget(member: unknown): { target: Record<string, unknown>; pointer: string } | undefined {
  const onItems = isObject(member) && member["type"] === "array" && isObject(member["items"]);
  const target = onItems ? (member as Record<string, unknown>)["items"] : member;
  if (!isObject(target) || !Array.isArray(target["enum"]) || !Array.isArray(target["x-enum-varnames"])) return undefined;
  return { target, pointer: onItems ? "/items" : "" };
}

/**
 * Schema type names. A schema's TypeScript name is its name in the spec, and every name the
 * generated code derives from a schema is derived from that TypeScript name (`schemaDerivedNames`).
 * When one of those names would clash in the generated code (scripts/check/emitted-names.ts finds
 * it: it would hide a JavaScript global such as `Error` or `Record`, or be declared or exported
 * twice beside a name of tcgen's own such as the runtime's `Credentials`, an action's descriptor or
 * another schema's Standard Schema object), the schema is renamed instead of refused: its
 * TypeScript name becomes `<Name>Structure` (Tencent calls its schemas data structures), or
 * `<Name>Structure2`, `<Name>Structure3`, … when that or a name derived from it is taken too.
 * Only the TypeScript names change: the spec's `$ref`s, the JSON members on the wire and
 * `components["schemas"]["<Name>"]` of schema.ts keep the spec's name.
 */
export const RENAMED_SCHEMA_SUFFIX = "Structure";

/** The `attempt`-th TypeScript name tried for a renamed schema: `ErrorStructure`, `ErrorStructure2`, … */
export function renamedSchemaType(schema: string, attempt: number): string {
  return `${schema}${RENAMED_SCHEMA_SUFFIX}${attempt === 1 ? "" : attempt}`;
}

/** The names the generated code derives from schema type `type`: the type, its validator, its Standard Schema object, its enums. */
export function schemaDerivedNames(type: string, schema: unknown): string[] {
  const properties = isObject(schema) && isObject(schema["properties"]) ? schema["properties"] : {};
  const enums = Object.entries(properties).flatMap(([property, member]) => (enumTarget(member) === undefined ? [] : [enumName(type, property)].filter((n) => n !== undefined)));
  return [type, validatorName(type), standardSchemaName(type), ...enums];
}

/** A name clash found in the emitted code, as much of it as renaming needs (scripts/check/emitted-names.ts). */
export interface ClashedName {
  readonly name: string;
  /** The spec nodes that gave the name. */
  readonly pointers: readonly string[];
  /** Whether renaming a declaration can end it (not so for two members of one interface). */
  readonly renamable: boolean;
}

/**
 * The schemas to rename for the clashes of one emission, each with its new TypeScript name, in
 * spec order. A clashing name that is a schema's type renames that schema (the other side keeps
 * its name: the runtime's, an action's, the Standard Schema object of another schema); a clashing
 * name derived from a schema (its validator, Standard Schema object or an enum) renames the schemas
 * it is derived from. `taken` holds every name of the emitted code; the new names and the names
 * derived from them avoid those, the JavaScript globals in it included, and each other.
 */
export function schemaRenames(clashes: readonly ClashedName[], schemas: Readonly<Record<string, unknown>>, types: ReadonlyMap<string, string>, taken: ReadonlySet<string>): Map<string, string> {
  const typeOwner = new Map([...types].map(([schema, type]) => [type, schema]));
  const chosen = new Set<string>();
  for (const clash of clashes) {
    if (!clash.renamable) continue;
    const own = typeOwner.get(clash.name);
    if (own !== undefined) {
      chosen.add(own);
      continue;
    }
    for (const pointer of clash.pointers) {
      const segments = splitPointer(pointer);
      const schema = segments[2];
      // The schema itself (its validator, its Standard Schema object) or one of its members (an enum); not an enum's member names.
      const ofSchema = segments.length === 3 || (segments.length === 5 && segments[3] === "properties");
      if (segments[0] === "components" && segments[1] === "schemas" && schema !== undefined && Object.hasOwn(schemas, schema) && ofSchema) chosen.add(schema);
    }
  }
  const used = new Set(taken);
  const renames = new Map<string, string>();
  for (const schema of Object.keys(schemas)) {
    if (!chosen.has(schema)) continue;
    let attempt = 1;
    const free = (type: string) => schemaDerivedNames(type, schemas[schema]).every((name) => !used.has(name));
    while (!free(renamedSchemaType(schema, attempt))) attempt++;
    const type = renamedSchemaType(schema, attempt);
    for (const name of schemaDerivedNames(type, schemas[schema])) used.add(name);
    renames.set(schema, type);
  }
  return renames;
}

/** Which spec nodes (JSON pointers) gave each generated name. */
export class NameOrigins {
  private readonly origins = new Map<string, string[]>();

  add(name: string, pointer: string): string {
    const list = this.origins.get(name);
    if (list === undefined) this.origins.set(name, [pointer]);
    else if (!list.includes(pointer)) list.push(pointer);
    return name;
  }

  of(name: string): readonly string[] {
    return this.origins.get(name) ?? [];
  }
}
