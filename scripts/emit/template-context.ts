/**
 * The one object every template renders: the service model, plus what emit adds to it (the runtime
 * specifier, the validators' code, the int64 plans, the error descriptions). Adding a field the
 * templates use is adding it here (or to the model, scripts/model/service-model.ts).
 */
import { internalImportOf, mockImportOf } from "../lib/runtime-imports.js";
import { byCodePoint, type Json } from "../lib/utils.js";
import { buildInt64Plans } from "../model/int64.js";
import type { ServiceModel } from "../model/service-model.js";
import { documentedUnion } from "./layout.js";
import { commentText, identifier, stringLiteral } from "./spec-text.js";
import { buildValidators } from "./validators/module-writer.js";

export interface EmitOptions {
  /** Module specifier of the runtime as seen from `<out>/<service>/`, e.g. `../../runtime/index.js` or `tcgen/runtime`. */
  readonly runtimeImport: string;
}

export function templateContext(model: ServiceModel, root: Json, options: EmitOptions) {
  return {
    ...model,
    runtimeImport: options.runtimeImport,
    internalImport: internalImportOf(options.runtimeImport),
    mockImport: mockImportOf(options.runtimeImport),
    errorDescriptions: errorDescriptions(model),
    mock: mockFacts(model),
    commonErrorCodes: documentedUnion("export type CommonErrorCode", model.commonErrors.map(documentedCode)),
    actionErrorCodes: Object.fromEntries(
      model.actions.map((action) => [action.action, documentedUnion(`export type ${identifier(action.errorCodeType, "type")}`, action.errors.map(documentedCode), "CommonErrorCode")]),
    ),
    validators: buildValidators(model, root, internalImportOf(options.runtimeImport)),
    int64: buildInt64Plans(model, root),
  };
}

export type TemplateContext = ReturnType<typeof templateContext>;

/** What mock.ts lists as JSON values: the error codes, and each action's codes and examples. */
function mockFacts(model: ServiceModel) {
  return {
    commonErrors: model.commonErrors.map((e) => e.code),
    actions: Object.fromEntries(
      model.actions.map((action) => [
        action.action,
        { errors: action.errors.map((e) => e.code), examples: action.examples.map(({ name, request, response }) => ({ name, request, response })) },
      ]),
    ),
  };
}

/** An error code as a member of a union type, with its description as the member's doc comment. */
function documentedCode(error: { code: string; description: string }): { type: string; doc: string } {
  return { type: stringLiteral(error.code), doc: commentText(commentText(error.description, "doc"), "block") };
}

/** Each code once: an action's own wording first (actions in name order), then the common wording. */
function errorDescriptions(model: ServiceModel): { code: string; description: string }[] {
  const byCode = new Map<string, string>();
  for (const action of model.actions) for (const e of action.errors) if (!byCode.has(e.code)) byCode.set(e.code, e.description);
  for (const e of model.commonErrors) if (!byCode.has(e.code)) byCode.set(e.code, e.description);
  return [...byCode].sort(([a], [b]) => byCodePoint(a, b)).map(([code, description]) => ({ code, description }));
}
