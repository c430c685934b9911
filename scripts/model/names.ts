/**
 * How every name the generator declares is derived from the spec: one function per kind of name,
 * used by the model (and so by the templates), never re-derived elsewhere. `NameOrigins` records
 * which spec node each derived name comes from, so that a name clash found in the emitted code
 * (scripts/check/emitted-names.ts) is reported where the spec gave the name. Pure.
 */
import { RESERVED_WORDS } from "../emit/spec-text.js";

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
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
  const onItems = isObject(member) && member["type"] === "array" && isObject(member["items"]);
  const target = onItems ? (member as Record<string, unknown>)["items"] : member;
  if (!isObject(target) || !Array.isArray(target["enum"]) || !Array.isArray(target["x-enum-varnames"])) return undefined;
  return { target, pointer: onItems ? "/items" : "" };
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
