/**
 * Reads both sides of a diff as the generator reads a spec: parsed with positions (`parseSpec`),
 * checked (`checkSpec`) and modelled (`buildModel`), so only valid specs are compared and every
 * generated name comes from the generator's own model. Pure: texts in, specs out. The only module of
 * the stage that imports the generator's stages.
 */
import path from "node:path";
import { checkSpec } from "../check/check-spec.js";
import { isObject, type Json } from "../lib/utils.js";
import { parseSpec, type LoadedSpec } from "../spec/load.js";
import { parseSpecParts, type SpecPartText } from "../spec/parts.js";
import { buildModel, type ServiceModel } from "../model/service-model.js";
import { SpecError, type SpecProblem } from "../spec/problems.js";

export interface SpecText {
  /** Shown in messages: `spec/cbs/2024-01-01.yaml`, `v0.1.0:spec/cbs/2024-01-01.yaml`. */
  readonly displayPath: string;
  /** The path the layout rule (`<service>/<version>.yaml`) is checked on; absent for a file named on the command line. */
  readonly layoutPath: string | undefined;
  readonly text: string;
  /** A multi-file spec (spec/parts.ts): its files, root first; `text` is then unused. */
  readonly parts?: readonly SpecPartText[];
}

export interface SpecSide {
  readonly spec: LoadedSpec;
  readonly root: Json;
  readonly model: ServiceModel;
}

/** Every spec of one side, or a SpecError listing every problem of every file. */
export function readSpecs(texts: readonly SpecText[]): SpecSide[] {
  const problems: SpecProblem[] = [];
  const sides: SpecSide[] = [];
  for (const text of texts) {
    try {
      const spec = text.parts ? parseSpecParts(text.parts, text.displayPath) : parseSpec(text.text, text.displayPath);
      checkSpec(spec, text.layoutPath ?? layoutOf(spec.value));
      sides.push({ spec, root: spec.value as Json, model: buildModel(spec) });
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      problems.push(...error.problems);
    }
  }
  const seen = new Map<string, string>();
  for (const { model } of sides) {
    const other = seen.get(model.service);
    if (other !== undefined) {
      problems.push({ file: model.specPath, line: 1, col: 1, message: `service "${model.service}" is also defined by ${other}; compare one version per service` });
    }
    seen.set(model.service, model.specPath);
  }
  if (problems.length > 0) throw new SpecError(problems);
  return sides;
}

/** A file named on the command line may be called anything: check it as if it were laid out by the rule. */
function layoutOf(value: unknown): string {
  const service = isObject(value) ? value["x-tc-service"] : undefined;
  const version = isObject(value) ? value["x-tc-version"] : undefined;
  return path.join(typeof service === "string" ? service : "_", `${typeof version === "string" ? version : "_"}.yaml`);
}
