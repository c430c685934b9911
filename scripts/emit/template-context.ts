/**
 * The one object every template renders: the service model, plus what emit adds to it (the runtime
 * specifier, the validators' code, the int64 plans, the error descriptions). Adding a field the
 * templates use is adding it here (or to the model, scripts/model/service-model.ts).
 */
import { byCodePoint, type Json } from "../lib/utils.js";
import { buildInt64Plans } from "../model/int64.js";
import type { ServiceModel } from "../model/service-model.js";
import { buildValidators } from "./validators/module-writer.js";

export interface EmitOptions {
  /** Module specifier of the runtime as seen from `<out>/<service>/`, e.g. `../../runtime/index.js` or `tcgen/runtime`. */
  readonly runtimeImport: string;
}

export function templateContext(model: ServiceModel, root: Json, options: EmitOptions) {
  return {
    ...model,
    runtimeImport: options.runtimeImport,
    errorDescriptions: errorDescriptions(model),
    validators: buildValidators(model, root),
    int64: buildInt64Plans(model, root),
  };
}

export type TemplateContext = ReturnType<typeof templateContext>;

/** Each code once: an action's own wording first (actions in name order), then the common wording. */
function errorDescriptions(model: ServiceModel): { code: string; description: string }[] {
  const byCode = new Map<string, string>();
  for (const action of model.actions) for (const e of action.errors) if (!byCode.has(e.code)) byCode.set(e.code, e.description);
  for (const e of model.commonErrors) if (!byCode.has(e.code)) byCode.set(e.code, e.description);
  return [...byCode].sort(([a], [b]) => byCodePoint(a, b)).map(([code, description]) => ({ code, description }));
}
