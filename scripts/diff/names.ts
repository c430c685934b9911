/**
 * Spec element → the generated names a consumer uses, in one place so the diff follows the generator
 * when names move. Names the generator's model decides (methods, enum objects, paginators, waiters,
 * the service's PascalCase name) are read from the model; the rest mirror templates/*.hbs.
 */
import type { ServiceModel } from "../model/service-model.js";

/** `describeDisks()`: how a method is shown. */
function method(name: string): string {
  return `${name}()`;
}

/** Everything one action gives a consumer. */
export function actionNames(model: ServiceModel, action: string): string[] {
  const found = model.actions.find((a) => a.action === action);
  if (found === undefined) return [];
  return [
    method(found.methodName),
    found.requestSchema,
    found.responseSchema,
    ...errorCodeNames(model, action),
    ...pagingNames(model, action),
  ];
}

/** The paginator of an action and the waiters polling it. */
export function pagingNames(model: ServiceModel, action: string): string[] {
  const paginator = model.paginators.find((p) => p.action === action);
  return [...(paginator ? [method(paginator.methodName)] : []), ...model.waiters.filter((w) => w.action === action).map((w) => method(w.method))];
}

/** The methods whose input or answer is typed by a schema: actions, their paginators and waiters. */
export function methodNames(model: ServiceModel, actions: Iterable<string>): string[] {
  const names: string[] = [];
  for (const action of actions) {
    const found = model.actions.find((a) => a.action === action);
    if (found) names.push(method(found.methodName), ...pagingNames(model, action));
  }
  return names;
}

/** A component schema's exported type, validator and Standard Schema object. */
export function schemaNames(schema: string): string[] {
  return [schema, `validate${schema}`, `${schema}Schema`];
}

/** The named constants of a schema's top-level member, when the generator emits them (`x-enum-varnames`). */
export function enumObjectName(model: ServiceModel, schema: string, member: string): string | undefined {
  const name = `${schema}${member}`;
  return model.enums.some((e) => e.name === name) ? name : undefined;
}

/** The error-code types and guards of an action, and the service-wide ones its codes are part of. */
export function errorCodeNames(model: ServiceModel, action: string): string[] {
  return [`${action}ErrorCode`, `is${action}Error`, `${model.serviceName}ErrorCode`, `${model.service}ErrorDescriptions`];
}

/** The common error codes: every action's union contains them. */
export function commonErrorNames(model: ServiceModel): string[] {
  return ["CommonErrorCode", `${model.serviceName}ErrorCode`, `${model.service}ErrorDescriptions`];
}

export function waiterNames(model: ServiceModel, waiterMethod: string): string[] {
  const waiter = model.waiters.find((w) => w.method === waiterMethod);
  return waiter ? [method(waiter.method), waiter.inputType] : [method(waiterMethod)];
}

/** The module and its entry points. */
export function serviceNames(model: ServiceModel): string[] {
  return [`tcgen/${model.service}`, `create${model.serviceName}Client`, `${model.serviceName}Client`, `${model.service}Service`];
}
