/**
 * Stage 3, model: the checked spec reduced to exactly what the templates need, with names decided
 * once here. Pure; assumes `checkSpec` passed.
 */
import type { ParamShape } from "../lib/runtime.js";
import { paramShape } from "./param-shape.js";
import { buildPaging, type PagingModel } from "./paging.js";
import { byCodePoint, isObject, joinPointer, schemaNameOfRef, type Json } from "../lib/utils.js";
import { type LoadedSpec } from "../spec/load.js";
import { indexOperations, type OperationEntry, type OperationIndex } from "../spec/operations.js";
import {
  actionFunctionName, actionMethodName, enumName, enumTarget, errorCodeTypeName, errorGuardName, errorTypeName, NameOrigins, serviceNames, standardSchemaName, validatorName,
  type ServiceNames,
} from "./names.js";

export interface ErrorCodeModel {
  readonly code: string;
  readonly description: string;
}

export interface ExampleModel {
  readonly name: string;
  readonly summary: string | undefined;
  readonly request: unknown;
  readonly response: unknown;
}

export interface ActionModel {
  /** `DescribeInstances` (the `X-TC-Action`). */
  readonly action: string;
  /** `describeInstances`. */
  readonly methodName: string;
  /** The standalone function in commands.ts: `describeInstances` (`deleteAction` for `Delete`). */
  readonly functionName: string;
  /** `DescribeInstancesErrorCode`, `DescribeInstancesError`, `isDescribeInstancesError` (errors.ts). */
  readonly errorCodeType: string;
  readonly errorType: string;
  readonly errorGuard: string;
  /** `/DescribeInstances`, the pseudo-path in the spec and in `paths` of schema.ts. */
  readonly path: string;
  readonly rateLimit: number;
  /** `x-tc-idempotent`: repeating the call is harmless, so `InternalError` may be retried. */
  readonly idempotent: boolean;
  readonly summary: string;
  readonly description: string | undefined;
  readonly deprecated: boolean;
  /**
   * The TypeScript types of the request and of the answer's `Response`: their schemas' names,
   * unless renamed (`typeNames`).
   */
  readonly requestSchema: string;
  readonly responseSchema: string;
  /** The names of those schemas under `components.schemas`. */
  readonly requestComponent: string;
  readonly responseComponent: string;
  /** The request's parameter types, for the emulator to rebuild GET parameters. */
  readonly paramShape: ParamShape;
  /** The action's documented codes, in spec order. */
  readonly errors: readonly ErrorCodeModel[];
  readonly examples: readonly ExampleModel[];
}

export interface EnumMemberModel {
  readonly name: string;
  readonly value: string | number;
  readonly description: string | undefined;
}

export interface EnumModel {
  /** `InstanceInstanceState`: the schema name then the property name. */
  readonly name: string;
  readonly description: string | undefined;
  readonly members: readonly EnumMemberModel[];
}

/** With the paginators and waiters of model/paging.ts (`paginators`, `waiters`). */
export interface ServiceModel extends PagingModel {
  readonly specPath: string;
  readonly service: string;
  /** `Cvm`: the PascalCase service name used in type and factory names. */
  readonly serviceName: string;
  readonly version: string;
  readonly title: string;
  readonly description: string | undefined;
  readonly endpoint: string;
  /** The servers after the first, e.g. `https://cvm.{region}.tencentcloudapi.com`. */
  readonly endpointTemplates: readonly string[];
  readonly actions: readonly ActionModel[];
  readonly commonErrors: readonly ErrorCodeModel[];
  /** The TypeScript names of the schemas' types, in spec order. */
  readonly schemaNames: readonly string[];
  /** Each schema (its name under `components.schemas`) with its TypeScript name, in spec order. */
  readonly schemaTypes: readonly { readonly schema: string; readonly type: string }[];
  /** Schema name → TypeScript name: the schema's name unless `buildModel` was told to rename it (scripts/model/names.ts). */
  readonly typeNames: ReadonlyMap<string, string>;
  readonly enums: readonly EnumModel[];
  /** The module-level names of the service (`createCvmClient`, `cvmService`, …). */
  readonly names: ServiceNames;
  /** The spec node each generated name comes from. */
  readonly origins: NameOrigins;
}

/**
 * `operations` is the index `checkSpec` returned (built here when not given); `renames` gives the
 * TypeScript names of the schemas renamed because their own would clash (`schemaRenames`).
 */
export function buildModel(spec: LoadedSpec, operations: OperationIndex = indexOperations(spec.value), renames: ReadonlyMap<string, string> = new Map()): ServiceModel {
  const root = spec.value as Json;
  const info = root["info"] as Json;
  const servers = root["servers"] as Json[];
  const service = root["x-tc-service"] as string;
  const schemas = (root["components"] as Json)["schemas"] as Json;
  const origins = new NameOrigins();
  const names = serviceNames(service);
  for (const name of Object.values(names)) if (name !== names.pascal) origins.add(name, "/x-tc-service");
  const typeNames = new Map(Object.keys(schemas).map((name) => [name, renames.get(name) ?? name]));
  for (const [name, type] of typeNames) {
    const at = joinPointer("components", "schemas", name);
    for (const derived of [type, validatorName(type), standardSchemaName(type)]) origins.add(derived, at);
  }

  const actions = [...operations.values()].map((entry) => buildAction(root, entry, origins, typeNames));
  actions.sort((a, b) => byCodePoint(a.action, b.action));

  return {
    specPath: spec.displayPath,
    service,
    serviceName: service[0]!.toUpperCase() + service.slice(1),
    version: root["x-tc-version"] as string,
    title: info["title"] as string,
    description: optionalText(info["description"]),
    endpoint: (servers[0]!["url"] as string).replace(/\/$/, ""),
    endpointTemplates: servers.slice(1).map((s) => (s["url"] as string).replace(/\/$/, "")),
    actions,
    commonErrors: errorList(root["x-tc-common-errors"]),
    schemaNames: [...typeNames.values()],
    schemaTypes: [...typeNames].map(([schema, type]) => ({ schema, type })),
    typeNames,
    enums: Object.entries(schemas).flatMap(([name, schema]) => enumsOf(name, typeNames.get(name)!, schema, origins)),
    names,
    origins,
    ...buildPaging(root, operations, actions, origins, typeNames),
  };
}

function buildAction(root: Json, entry: OperationEntry, origins: NameOrigins, typeNames: ReadonlyMap<string, string>): ActionModel {
  const { operation: op, route: path } = entry;
  const action = op["x-tc-action"] as string;
  // The check stage has verified that each of these is there.
  const requestMedia = entry.requestMedia!;
  const responseMedia = entry.responseMedia!;

  const requestExamples = isObject(requestMedia["examples"]) ? requestMedia["examples"] : {};
  const responseExamples = isObject(responseMedia["examples"]) ? responseMedia["examples"] : {};
  const examples = Object.entries(requestExamples).map(([name, example]) => ({
    name,
    summary: optionalText((example as Json)["summary"]),
    request: (example as Json)["value"],
    response: (responseExamples[name] as Json)["value"],
  }));
  const at = joinPointer("paths", path);

  return {
    action: origins.add(action, at),
    methodName: origins.add(actionMethodName(action), at),
    functionName: origins.add(actionFunctionName(action), at),
    errorCodeType: origins.add(errorCodeTypeName(action), at),
    errorType: origins.add(errorTypeName(action), at),
    errorGuard: origins.add(errorGuardName(action), at),
    path,
    rateLimit: op["x-tc-rate-limit"] as number,
    idempotent: op["x-tc-idempotent"] === true,
    summary: (op["summary"] as string).trim(),
    description: optionalText(op["description"]),
    deprecated: op["deprecated"] === true,
    requestSchema: typeNames.get(schemaName(entry.requestRef!))!,
    responseSchema: typeNames.get(schemaName(entry.successRef!))!,
    requestComponent: schemaName(entry.requestRef!),
    responseComponent: schemaName(entry.successRef!),
    paramShape: paramShape(root, requestMedia["schema"]),
    errors: errorList(op["x-tc-errors"]),
    examples,
  };
}

/** The enums of a schema's members (see `enumTarget`), named by `enumName` after the schema's TypeScript name. */
function enumsOf(schemaName: string, typeName: string, schema: unknown, origins: NameOrigins): EnumModel[] {
  if (!isObject(schema) || !isObject(schema["properties"])) return [];
  return Object.entries(schema["properties"]).flatMap(([property, node]) => {
    const found = enumTarget(node);
    if (found === undefined) return [];
    const { target, pointer } = found;
    const at = joinPointer("components", "schemas", schemaName, "properties", property);
    const values = target["enum"] as (string | number)[];
    const names = target["x-enum-varnames"] as string[];
    const descriptions = Array.isArray(target["x-enum-descriptions"]) ? (target["x-enum-descriptions"] as unknown[]) : [];
    return [
      {
        name: origins.add(enumName(typeName, property)!, at),
        description: optionalText(target["description"]) ?? optionalText((node as Json)["description"]),
        members: values.map((value, i) => ({
          name: origins.add(names[i]!, `${at}${pointer}/x-enum-varnames/${i}`),
          value,
          description: optionalText(descriptions[i]),
        })),
      },
    ];
  });
}

function errorList(list: unknown): ErrorCodeModel[] {
  if (!Array.isArray(list)) return [];
  return list.map((e) => ({ code: (e as Json)["code"] as string, description: ((e as Json)["description"] as string).trim() }));
}

function schemaName(ref: string): string {
  return schemaNameOfRef(ref)!;
}

function optionalText(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

