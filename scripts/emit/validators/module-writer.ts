/**
 * Part of stage 4, emit: the checks of `validators.ts`, one plain TypeScript function per component
 * schema, written from the spec keyword by keyword (templates/validators.ts.hbs lays out the file).
 * Assumes scripts/check/validated-schemas.ts passed: every keyword met here is one these modules
 * implement. This module names the checks and writes each schema's; the keyword groups are
 * strings.ts, numbers.ts, arrays.ts, objects.ts (with field-patterns.ts), any-type.ts and int64.ts.
 *
 * Two variants of a check exist. "as written" honours `additionalProperties: false` (requests:
 * Tencent answers an unknown member with UnknownParameter). "open" ignores it, for answers, which
 * must stay readable when Tencent adds members; it is emitted only for schemas of answers that
 * contain `additionalProperties: false` somewhere, since elsewhere both variants are the same code.
 *
 * Each check has the signature of `Check` (runtime/checks.ts): (value, report, depth). `report`
 * holds the issues found so far and where the check is (the keys from the validated value down to
 * `value`, entered and left around calls of other checks); a JSON pointer is made only when an issue
 * is reported, so that valid input costs no string building. `depth` counts the members and items
 * entered through a `$ref`.
 */
import { type Json } from "../../lib/utils.js";
import type { ServiceModel } from "../../model/service-model.js";
import { standardSchemaName, validatorName } from "../../model/names.js";
import { INT64 } from "../../spec/keywords.js";
import { commentText, regexLiteral, stringLiteral } from "../spec-text.js";
import { anyTypeChecks } from "./any-type.js";
import { arrayChecks } from "./arrays.js";
import { constantName, Locals, negate, Place, render, RUNTIME_NAMES, wrap, type Stmt } from "./code.js";
import { int64Checks } from "./int64.js";
import { numberChecks } from "./numbers.js";
import { objectChecks } from "./objects.js";
import { declaredTypes, GROUP_GUARD, GROUPS, groupOf, hasClosedObject, refsIn, TYPE_NOUNS, typeCondition, type Group } from "./schema-facts.js";
import { stringChecks } from "./strings.js";
import { PARAMETERS, type CheckFunctionModel, type Context, type Mode, type Writer } from "./writer.js";


export interface ValidatorsModel {
  /** What the file imports from the runtime, sorted. */
  readonly imports: readonly { name: string; typeOnly: boolean }[];
  /** `name`: the schema's TypeScript name; `schema`: its name in the spec (they differ when it is renamed, scripts/model/names.ts). */
  readonly schemas: readonly { name: string; schema: string; validator: string; standardSchema: string; check: string; description: string | undefined; closed: boolean }[];
  readonly requestValidators: readonly { action: string; validator: string }[];
  readonly responseValidators: readonly { action: string; validator: string }[];
  /** Module constants: the regular expressions of `pattern`s (comment escaped for a doc comment). */
  readonly constants: readonly { name: string; comment: string; declaration: string }[];
  readonly checks: readonly CheckFunctionModel[];
}

const TYPE_NAMES = new Set(["ValidationReport", "StandardSchemaV1", "ValidationResult"]);
const CHECK_PARAMETERS = "value: unknown, report: ValidationReport, depth: number";

export function buildValidators(model: ServiceModel, specValue: unknown): ValidatorsModel {
  const root = specValue as Json;
  const schemas = (root["components"] as Json)["schemas"] as Json;
  const module = new ModuleWriter(root, schemas, model.typeNames);

  const openNeeded = module.openVariantsFor(model.actions.map((a) => a.responseComponent));
  for (const name of Object.keys(schemas)) module.addCheck(name, "as written");
  for (const name of openNeeded) module.addCheck(name, "open");

  return {
    imports: [...module.helpers].sort().map((name) => ({ name, typeOnly: TYPE_NAMES.has(name) })),
    schemas: Object.entries(schemas).map(([name, schema]) => {
      const type = model.typeNames.get(name)!;
      return {
        name: type,
        schema: name,
        validator: validatorName(type),
        standardSchema: standardSchemaName(type),
        check: module.checkName(name, "as written"),
        description: typeof (schema as Json)["description"] === "string" ? wrap(((schema as Json)["description"] as string).trim()) : undefined,
        closed: (schema as Json)["additionalProperties"] === false,
      };
    }),
    requestValidators: model.actions.map((a) => ({ action: a.action, validator: validatorName(a.requestSchema) })),
    responseValidators: model.actions.map((a) => ({
      action: a.action,
      validator: openNeeded.includes(a.responseComponent)
        ? `(value: unknown) => runCheck<${a.responseSchema}>(${module.checkName(a.responseComponent, "open")}, value)`
        : validatorName(a.responseSchema),
    })),
    constants: module.constants,
    checks: module.checks,
  };
}


/** Writes the checks of one validators module; the keyword groups write through it (see `Writer`). */
class ModuleWriter implements Writer {
  readonly helpers = new Set<string>(["ValidationReport", "ValidationResult", "StandardSchemaV1", "runCheck", "toStandardResult"]);
  readonly constants: { name: string; comment: string; declaration: string }[] = [];
  readonly checks: CheckFunctionModel[] = [];
  readonly names = new Set<string>(RUNTIME_NAMES);
  private readonly checkNames = new Map<string, string>();
  private readonly regexConstants = new Map<string, string>();
  /** Functions of `x-tc-field-patterns` rules, by the schema holding them (shared by both variants). */
  readonly ruleChecks = new Map<Json, string>();
  readonly pendingRuleChecks: CheckFunctionModel[] = [];
  private readonly refs: Map<string, Set<string>>;
  private readonly recursive: Set<string>;
  private readonly closed: Set<string>;

  constructor(
    readonly root: Json,
    readonly schemas: Json,
    typeNames: ReadonlyMap<string, string>,
  ) {
    for (const type of typeNames.values()) this.names.add(validatorName(type)).add(standardSchemaName(type)).add(type);
    this.refs = new Map(Object.entries(schemas).map(([name, schema]) => [name, refsIn(schema)]));
    this.recursive = new Set(Object.keys(schemas).filter((name) => this.reachable(name).has(name)));
    this.closed = new Set(Object.keys(schemas).filter((name) => [name, ...this.reachable(name)].some((n) => hasClosedObject(schemas[n]))));
    // Every check name is decided before any body is written, so that calls can name them.
    for (const name of Object.keys(schemas)) this.checkNames.set(`${name}\0as written`, this.claim(`check${name}`));
    for (const name of Object.keys(schemas)) {
      if (this.closed.has(name)) this.checkNames.set(`${name}\0open`, this.claim(`check${name}Open`));
    }
  }

  /**
   * The schemas whose open variant answers need: the closed ones reachable from `roots`, except
   * those written out where they are used (see `call`).
   */
  openVariantsFor(roots: readonly string[]): string[] {
    const reached = new Set(roots.flatMap((name) => [name, ...this.reachable(name)]));
    return Object.keys(this.schemas).filter(
      (name) => reached.has(name) && this.closed.has(name) && (roots.includes(name) || !this.inlined(name)),
    );
  }

  /** Whether uses of schema `name` are written out in place: it refers to no other schema. */
  private inlined(name: string): boolean {
    return this.refs.get(name)!.size === 0;
  }

  /** The check of schema `name` a caller in `mode` uses: the open variant only where it differs. */
  checkName(name: string, mode: Mode): string {
    const variant = mode === "open" && this.closed.has(name) ? "open" : "as written";
    return this.checkNames.get(`${name}\0${variant}`)!;
  }

  addCheck(name: string, mode: Mode): void {
    const context: Context = { mode, locals: new Locals([...this.names, ...PARAMETERS]), hint: name };
    const stmts: Stmt[] = [];
    if (this.recursive.has(name)) {
      this.helpers.add("MAX_DEPTH").add("reportTooDeep");
      stmts.push(`// ${commentText(name, "line")} refers to itself: stop at MAX_DEPTH instead of exhausting the stack.`);
      stmts.push({ if: "depth > MAX_DEPTH", then: ["reportTooDeep(report);", "return;"] });
    }
    stmts.push(...this.schemaChecks(this.schemas[name] as Json, "value", Place.here, context, true));
    this.checks.push({
      functionName: this.checkName(name, mode),
      comment: commentText(
        mode === "open" ? `\`${name}\` for answers: \`additionalProperties: false\` ignored, unknown members allowed.` : `\`${name}\` as the spec writes it.`,
        "doc",
      ),
      parameters: CHECK_PARAMETERS,
      body: render(stmts),
    });
    // The functions of its x-tc-field-patterns rules follow it.
    this.checks.push(...this.pendingRuleChecks.splice(0));
  }

  // -------------------------------------------------------------------------------------------
  // One schema, applied to one value.

  /** The statements checking `value` (a local, or `value`) at `place` against `schema`. */
  schemaChecks(schema: Json, value: string, place: Place, context: Context, topLevel = false): Stmt[] {
    // An integer beyond 2^53, carried as its decimal string (scripts/model/int64.ts).
    if (schema[INT64] === true) return int64Checks(schema, value, this.helpers, (keyword, message) => this.report(context, place, keyword, message));
    const types = declaredTypes(schema);
    const groups: Record<Group, Stmt[]> = {
      string: stringChecks(this, schema, value, place, context),
      number: numberChecks(this, schema, value, place, context),
      array: arrayChecks(this, schema, value, place, context),
      object: objectChecks(this, schema, value, place, context),
    };
    const anyType = anyTypeChecks(this, schema, value, place, context);
    const nonEmpty = GROUPS.filter((group) => groups[group].length > 0);

    // One declared type whose keywords are the only ones: check the type, then its keywords. (Not for
    // an integer with number keywords: those apply to any number, JSON Schema checks `minimum` of 1.5
    // even where `type` says integer.)
    const single = types.length === 1 ? types[0]! : undefined;
    if (single !== undefined && nonEmpty.every((group) => group === groupOf(single)) && !(single === "integer" && nonEmpty.length > 0)) {
      const group = groupOf(single);
      const inner: Stmt[] = group ? [...groups[group]] : [];
      // A number must also be finite and an integer whole: their type checks are the guards.
      const guard = group && group !== "number" ? GROUP_GUARD[group](value) : typeCondition(single, value);
      if (group === "object") this.helpers.add("isJsonObject");
      const typeIssue = this.typeIssue(types, value, place, context);
      if (topLevel && anyType.length === 0 && inner.length > 0) return [{ if: negate(guard), then: [typeIssue, "return;"] }, ...inner];
      return [inner.length > 0 ? { if: negate(guard), then: [typeIssue], else: inner } : { if: negate(guard), then: [typeIssue] }, ...anyType];
    }

    // Otherwise each keyword applies to the values it is about, whatever `type` says.
    const stmts: Stmt[] = [];
    if (types.length > 0) {
      stmts.push({ if: negate(types.map((t) => typeCondition(t, value)).join(" || ")), then: [this.typeIssue(types, value, place, context)] });
    }
    for (const group of nonEmpty) {
      if (group === "object") this.helpers.add("isJsonObject");
      stmts.push({ if: GROUP_GUARD[group](value), then: groups[group] });
    }
    return [...stmts, ...anyType];
  }









  /** Checks of a value read into a new local first (an item, a map's member). */
  localChecks(schema: Json, element: string, hint: string, place: Place, context: Context): Stmt[] {
    const local = context.locals.name(hint);
    return [`const ${local}: unknown = ${element};`, ...this.schemaChecks(schema, local, place, context)];
  }

  // -------------------------------------------------------------------------------------------
  // x-tc-field-patterns



  // -------------------------------------------------------------------------------------------
  // Calls, issues, constants, names.

  /**
   * The checks of schema `name` on a value at `place`: written out here when the schema refers to no
   * other (as Ajv inlines such schemas; a call per array item would cost more than the checks),
   * otherwise a call of its check function.
   */
  call(name: string, value: string, place: Place, context: Context, depth: string): Stmt[] {
    if (this.inlined(name)) {
      const inlined = { ...context, hint: name };
      const checks = /^[A-Za-z_$][\w$]*$/.test(value)
        ? this.schemaChecks(this.schemas[name] as Json, value, place, inlined)
        : this.localChecks(this.schemas[name] as Json, value, "item", place, inlined);
      return [`// ${commentText(name, "line")}`, ...checks];
    }
    return this.atPlace(place, `${this.checkName(name, context.mode)}(${value}, report, ${depth});`);
  }

  /** A call made with the report at `place`: its keys entered before (two at a time), left after. */
  atPlace(place: Place, invocation: string): Stmt[] {
    const keys = place.pushArgs();
    if (keys.length === 0) return [invocation];
    const enter: Stmt[] = [];
    for (let i = 0; i < keys.length; i += 2) enter.push(`report.enter(${keys.slice(i, i + 2).join(", ")});`);
    return [...enter, invocation, keys.length === 1 ? "report.leave();" : `report.leave(${keys.length});`];
  }

  typeIssue(types: readonly string[], value: string, place: Place, context: Context): string {
    this.helpers.add("reportType");
    const expected = types.map((t) => TYPE_NOUNS[t]!).join(" or ");
    return `reportType(report, ${this.at(place)}, ${stringLiteral(expected)}, ${value});`;
  }

  report(context: Context, place: Place, keyword: string, message: string): string {
    this.helpers.add("reportIssue");
    return `reportIssue(report, ${this.at(place)}, ${stringLiteral(keyword)}, ${stringLiteral(message)});`;
  }

  /** The pointer of `place` below the report's place, as an expression. */
  at(place: Place): string {
    if (place.hasKey()) this.helpers.add("pointerSegment");
    return place.at();
  }

  /** A module constant holding the regular expression of `pattern`, shared by equal patterns. */
  regexConstant(pattern: string, hint: string): string {
    const existing = this.regexConstants.get(pattern);
    if (existing) return existing;
    const name = this.claim(`${constantName(hint)}_PATTERN`);
    this.regexConstants.set(pattern, name);
    this.constants.push({ name, comment: commentText(`\`pattern\` of ${hint}.`, "doc"), declaration: `const ${name} = ${regexLiteral(pattern)};` });
    return name;
  }

  claim(wanted: string): string {
    let name = wanted;
    for (let n = 2; this.names.has(name); n++) name = `${wanted}${n}`;
    this.names.add(name);
    return name;
  }

  private reachable(name: string): Set<string> {
    const seen = new Set<string>();
    const queue = [...(this.refs.get(name) ?? [])];
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(this.refs.get(next) ?? []));
    }
    return seen;
  }
}
