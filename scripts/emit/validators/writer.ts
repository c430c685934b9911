/**
 * What the keyword groups of the validators emitter (strings.ts, numbers.ts, arrays.ts, objects.ts,
 * any-type.ts, field-patterns.ts) use of the module being written (module-writer.ts): its names,
 * its imports of runtime helpers, and how to report an issue or call another schema's check.
 */
import type { Json } from "../../lib/utils.js";
import type { Locals, Place, Stmt } from "./code.js";

export interface CheckFunctionModel {
  readonly functionName: string;
  /** The doc comment's text, escaped for it. */
  readonly comment: string;
  /** `function name(parameters): void {`, laid out. */
  readonly signature: string;
  readonly body: string;
}

/** The parameters of every check function: no local takes their names. */
export const PARAMETERS = ["value", "report", "depth"];

/** "as written" honours `additionalProperties: false` (requests); "open" ignores it (answers). */
export type Mode = "as written" | "open";

export interface Context {
  readonly mode: Mode;
  readonly locals: Locals;
  /** A name for constants declared on behalf of this schema, e.g. the property name. */
  readonly hint: string;
}

export interface Writer {
  readonly root: Json;
  /** Runtime helpers the module imports. */
  readonly helpers: Set<string>;
  /** Every module-level name taken so far. */
  readonly names: Set<string>;
  /** Functions of `x-tc-field-patterns` rules, by the schema holding them, and those not yet placed. */
  readonly ruleChecks: Map<Json, string>;
  readonly pendingRuleChecks: CheckFunctionModel[];
  schemaChecks(schema: Json, value: string, place: Place, context: Context, topLevel?: boolean): Stmt[];
  localChecks(schema: Json, element: string, hint: string, place: Place, context: Context): Stmt[];
  call(name: string, value: string, place: Place, context: Context, depth: string): Stmt[];
  atPlace(place: Place, invocation: string): Stmt[];
  typeIssue(types: readonly string[], value: string, place: Place, context: Context): string;
  report(context: Context, place: Place, keyword: string, message: string): string;
  at(place: Place): string;
  regexConstant(pattern: string, hint: string): string;
  claim(wanted: string): string;
}
