/**
 * Part of stage 4, emit: the checks of `validators.ts`, one plain TypeScript function per component
 * schema, written from the spec keyword by keyword (templates/validators.ts.hbs lays out the file).
 * Assumes scripts/check-schemas.ts passed: every keyword met here is one this module implements.
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
import { isObject, type Json } from "../../lib/utils.js";
import { parseFieldPatterns } from "../../model/field-patterns.js";
import { int64Checks } from "./int64.js";
import { CONSTRAINING_KEYWORDS, FIELD_PATTERNS, INT64 } from "../../spec/keywords.js";
import type { ServiceModel } from "../../model/service-model.js";
import { standardSchemaName, validatorName } from "../../model/names.js";
import { commentText, jsonText, memberAccess, numberLiteral, regexLiteral, stringLiteral, valueLiteral } from "../spec-text.js";
import { constantName, identifierPart, Locals, negate, Place, plural, render, RUNTIME_NAMES, wrap, type Stmt } from "./code.js";

type Mode = "as written" | "open";

export interface CheckFunctionModel {
  readonly functionName: string;
  /** The doc comment's text, escaped for it. */
  readonly comment: string;
  readonly parameters: string;
  readonly body: string;
}

export interface ValidatorsModel {
  /** What the file imports from the runtime, sorted. */
  readonly imports: readonly { name: string; typeOnly: boolean }[];
  readonly schemas: readonly { name: string; validator: string; standardSchema: string; check: string; description: string | undefined; closed: boolean }[];
  readonly requestValidators: readonly { action: string; validator: string }[];
  readonly responseValidators: readonly { action: string; validator: string }[];
  /** Module constants: the regular expressions of `pattern`s (comment escaped for a doc comment). */
  readonly constants: readonly { name: string; comment: string; declaration: string }[];
  readonly checks: readonly CheckFunctionModel[];
}

const TYPE_NAMES = new Set(["ValidationReport", "StandardSchemaV1", "ValidationResult"]);
const PARAMETERS = ["value", "report", "depth"];
const CHECK_PARAMETERS = "value: unknown, report: ValidationReport, depth: number";

export function buildValidators(model: ServiceModel, specValue: unknown): ValidatorsModel {
  const root = specValue as Json;
  const schemas = (root["components"] as Json)["schemas"] as Json;
  const module = new ModuleWriter(root, schemas);

  const openNeeded = module.openVariantsFor(model.actions.map((a) => a.responseSchema));
  for (const name of Object.keys(schemas)) module.addCheck(name, "as written");
  for (const name of openNeeded) module.addCheck(name, "open");

  return {
    imports: [...module.helpers].sort().map((name) => ({ name, typeOnly: TYPE_NAMES.has(name) })),
    schemas: Object.entries(schemas).map(([name, schema]) => ({
      name,
      validator: validatorName(name),
      standardSchema: standardSchemaName(name),
      check: module.checkName(name, "as written"),
      description: typeof (schema as Json)["description"] === "string" ? wrap(((schema as Json)["description"] as string).trim()) : undefined,
      closed: (schema as Json)["additionalProperties"] === false,
    })),
    requestValidators: model.actions.map((a) => ({ action: a.action, validator: validatorName(a.requestSchema) })),
    responseValidators: model.actions.map((a) => ({
      action: a.action,
      validator: openNeeded.includes(a.responseSchema)
        ? `(value: unknown) => runCheck<${a.responseSchema}>(${module.checkName(a.responseSchema, "open")}, value)`
        : validatorName(a.responseSchema),
    })),
    constants: module.constants,
    checks: module.checks,
  };
}

interface Context {
  readonly mode: Mode;
  readonly locals: Locals;
  /** A name for constants declared on behalf of this schema, e.g. the property name. */
  readonly hint: string;
}

class ModuleWriter {
  readonly helpers = new Set<string>(["ValidationReport", "ValidationResult", "StandardSchemaV1", "runCheck", "toStandardResult"]);
  readonly constants: { name: string; comment: string; declaration: string }[] = [];
  readonly checks: CheckFunctionModel[] = [];
  private readonly names = new Set<string>(RUNTIME_NAMES);
  private readonly checkNames = new Map<string, string>();
  private readonly regexConstants = new Map<string, string>();
  /** Functions of `x-tc-field-patterns` rules, by the schema holding them (shared by both variants). */
  private readonly ruleChecks = new Map<Json, string>();
  private readonly pendingRuleChecks: CheckFunctionModel[] = [];
  private readonly refs: Map<string, Set<string>>;
  private readonly recursive: Set<string>;
  private readonly closed: Set<string>;

  constructor(
    private readonly root: Json,
    private readonly schemas: Json,
  ) {
    for (const name of Object.keys(schemas)) this.names.add(validatorName(name)).add(standardSchemaName(name)).add(name);
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
  private schemaChecks(schema: Json, value: string, place: Place, context: Context, topLevel = false): Stmt[] {
    // An integer beyond 2^53, carried as its decimal string (scripts/int64.ts).
    if (schema[INT64] === true) return int64Checks(schema, value, this.helpers, (keyword, message) => this.report(context, place, keyword, message));
    const types = declaredTypes(schema);
    const groups: Record<Group, Stmt[]> = {
      string: this.stringChecks(schema, value, place, context),
      number: this.numberChecks(schema, value, place, context),
      array: this.arrayChecks(schema, value, place, context),
      object: this.objectChecks(schema, value, place, context),
    };
    const anyType = this.anyTypeChecks(schema, value, place, context);
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

  private stringChecks(schema: Json, value: string, place: Place, context: Context): Stmt[] {
    const stmts: Stmt[] = [];
    const min = schema["minLength"];
    if (typeof min === "number" && min > 0) {
      if (min > 1) this.helpers.add("isShorterThan");
      const condition = min === 1 ? `${value}.length < 1` : `isShorterThan(${value}, ${numberLiteral(min)})`;
      stmts.push({ if: condition, then: [this.report(context, place, "minLength", `must be at least ${plural(min, "character")} long`)] });
    }
    const max = schema["maxLength"];
    if (typeof max === "number") {
      this.helpers.add("isLongerThan");
      stmts.push({ if: `isLongerThan(${value}, ${numberLiteral(max)})`, then: [this.report(context, place, "maxLength", `must be at most ${plural(max, "character")} long`)] });
    }
    if (typeof schema["pattern"] === "string") {
      const regex = this.regexConstant(schema["pattern"], context.hint);
      this.helpers.add("reportPattern");
      stmts.push({ if: `!${regex}.test(${value})`, then: [`reportPattern(report, ${this.at(place)}, ${regex});`] });
    }
    return stmts;
  }

  private numberChecks(schema: Json, value: string, place: Place, context: Context): Stmt[] {
    const bounds: [string, string, string][] = [
      ["minimum", "<", ">="],
      ["exclusiveMinimum", "<=", ">"],
      ["maximum", ">", "<="],
      ["exclusiveMaximum", ">=", "<"],
    ];
    return bounds
      .filter(([keyword]) => typeof schema[keyword] === "number")
      .map(([keyword, failing, wanted]) => ({
        if: `${value} ${failing} ${numberLiteral(schema[keyword] as number)}`,
        then: [this.report(context, place, keyword, `must be ${wanted} ${numberLiteral(schema[keyword] as number)}`)],
      }));
  }

  private arrayChecks(schema: Json, value: string, place: Place, context: Context): Stmt[] {
    const stmts: Stmt[] = [];
    const [min, max] = [schema["minItems"], schema["maxItems"]];
    if (typeof min === "number" && min > 0) {
      stmts.push({ if: `${value}.length < ${numberLiteral(min)}`, then: [this.report(context, place, "minItems", `must have at least ${plural(min, "item")}`)] });
    }
    if (typeof max === "number") {
      stmts.push({ if: `${value}.length > ${numberLiteral(max)}`, then: [this.report(context, place, "maxItems", `must have at most ${plural(max, "item")}`)] });
    }
    const items = schema["items"];
    if (isObject(items) && hasChecks(items)) {
      const index = context.locals.index();
      const ref = pureRef(items);
      const body: Stmt[] = ref
        ? this.call(ref, `${value}[${index}]`, place.index(index), context, "depth + 1")
        : this.localChecks(items, `${value}[${index}]`, "item", place.index(index), { ...context, hint: `${context.hint}Item` });
      stmts.push(`for (let ${index} = 0; ${index} < ${value}.length; ${index}++) {\n${render(body)}\n}`);
    }
    return stmts;
  }

  private objectChecks(schema: Json, value: string, place: Place, context: Context): Stmt[] {
    const stmts: Stmt[] = [];
    const properties = isObject(schema["properties"]) ? (schema["properties"] as Record<string, Json>) : {};
    const required = new Set(Array.isArray(schema["required"]) ? (schema["required"] as string[]) : []);
    for (const name of [...Object.keys(properties), ...[...required].filter((n) => !Object.hasOwn(properties, n))]) {
      const property = properties[name];
      const checked = property !== undefined && hasChecks(property);
      if (!checked && !required.has(name)) continue;
      const local = context.locals.name(name);
      stmts.push(`const ${local} = ${memberAccess(value, name)};`);
      const ref = checked ? pureRef(property) : undefined;
      const propertyChecks: Stmt[] = !checked
        ? []
        : ref
          ? this.call(ref, local, place.member(name), context, "depth + 1")
          : this.schemaChecks(property, local, place.member(name), { ...context, hint: name });
      if (required.has(name)) {
        this.helpers.add("reportMissing");
        const missing = `reportMissing(report, ${this.at(place.member(name))});`;
        stmts.push({ if: `${local} === undefined`, then: [missing], ...(propertyChecks.length > 0 ? { else: propertyChecks } : {}) });
      } else {
        stmts.push({ if: `${local} !== undefined`, then: propertyChecks });
      }
    }

    const additional = schema["additionalProperties"];
    const closed = additional === false && context.mode === "as written";
    if (closed || (isObject(additional) && hasChecks(additional))) {
      const key = context.locals.name("key");
      const declared = Object.keys(properties).map((name) => `${key} !== ${stringLiteral(name)}`).join(" && ");
      let body: Stmt[];
      if (closed) {
        this.helpers.add("reportUnknownMember");
        body = [`reportUnknownMember(report, ${this.at(place)}, ${key});`];
      } else {
        const ref = pureRef(additional as Json);
        body = ref
          ? this.call(ref, `${value}[${key}]`, place.key(key), context, "depth + 1")
          : this.localChecks(additional as Json, `${value}[${key}]`, "member", place.key(key), { ...context, hint: `${context.hint}Member` });
      }
      // for...in with Object.hasOwn last: twice as fast as Object.keys, and only own members count
      // (what JSON.stringify sends).
      const own = `Object.hasOwn(${value}, ${key})`;
      stmts.push(`for (const ${key} in ${value}) {\n${render([{ if: declared === "" ? own : `${declared} && ${own}`, then: body }])}\n}`);
    }

    if (schema[FIELD_PATTERNS] !== undefined) {
      stmts.push(...this.atPlace(place, `${this.fieldPatternsCheck(schema, context.hint)}(${value}, report);`));
    }
    return stmts;
  }

  /** `enum`, `const`, `$ref` beside other keywords, `allOf`, `anyOf`, `oneOf`: about values of any type. */
  private anyTypeChecks(schema: Json, value: string, place: Place, context: Context): Stmt[] {
    const stmts: Stmt[] = [];
    if (Array.isArray(schema["enum"])) {
      const values = schema["enum"] as unknown[];
      stmts.push({
        if: values.map((v) => `${value} !== ${valueLiteral(v)}`).join(" && "),
        then: [this.report(context, place, "enum", `must be one of ${values.map(jsonText).join(", ")}`)],
      });
    }
    if (Object.hasOwn(schema, "const")) {
      stmts.push({ if: `${value} !== ${valueLiteral(schema["const"])}`, then: [this.report(context, place, "const", `must be ${jsonText(schema["const"])}`)] });
    }
    // The same value: not a level deeper.
    if (typeof schema["$ref"] === "string") stmts.push(...this.call(refName(schema["$ref"]), value, place, context, "depth"));
    for (const branch of (schema["allOf"] as Json[] | undefined) ?? []) stmts.push(...this.branchChecks(branch, value, place, context));
    if (Array.isArray(schema["anyOf"])) stmts.push(...this.anyOfChecks(schema["anyOf"] as Json[], value, place, context));
    if (Array.isArray(schema["oneOf"])) stmts.push(...this.oneOfChecks(schema["oneOf"] as Json[], value, place, context));
    return stmts;
  }

  private branchChecks(branch: Json, value: string, place: Place, context: Context): Stmt[] {
    const ref = pureRef(branch);
    return ref ? this.call(ref, value, place, context, "depth") : this.schemaChecks(branch, value, place, context);
  }

  /**
   * Branches are tried in order until one matches. Each records its issues in the report like any
   * check; when one matches, what those before it found is taken back (as Ajv does), and when none
   * does it stays, followed by the anyOf issue.
   */
  private anyOfChecks(branches: Json[], value: string, place: Place, context: Context): Stmt[] {
    const described = branches.map(describeBranch).join(", ");
    const failures = context.locals.name("failures");
    const branchFailures = context.locals.name("branchFailures");
    const matched = context.locals.name("matched");
    const stmts: Stmt[] = [
      `// anyOf: ${commentText(described, "line")}.`,
      `const ${failures} = report.failures;`,
      `let ${branchFailures} = ${failures};`,
      "report.trying++;",
      ...this.branchChecks(branches[0]!, value, place, context),
      `let ${matched} = report.failures === ${branchFailures};`,
    ];
    for (const branch of branches.slice(1)) {
      stmts.push({
        if: `!${matched}`,
        then: [`${branchFailures} = report.failures;`, ...this.branchChecks(branch, value, place, context), `${matched} = report.failures === ${branchFailures};`],
      });
    }
    stmts.push("report.trying--;", {
      if: matched,
      then: [`report.takeBack(${failures});`],
      else: [this.report(context, place, "anyOf", `must match at least one of: ${described}`)],
    });
    return stmts;
  }

  /**
   * Every branch is tried and the ones that find nothing counted. Exactly one: what the others found
   * is taken back; otherwise it stays, followed by the oneOf issue.
   */
  private oneOfChecks(branches: Json[], value: string, place: Place, context: Context): Stmt[] {
    this.helpers.add("reportIssue");
    const described = branches.map(describeBranch).join(", ");
    const failures = context.locals.name("failures");
    const branchFailures = context.locals.name("branchFailures");
    const matches = context.locals.name("matches");
    const stmts: Stmt[] = [
      `// oneOf: ${commentText(described, "line")}.`,
      `const ${failures} = report.failures;`,
      `let ${branchFailures} = ${failures};`,
      `let ${matches} = 0;`,
      "report.trying++;",
    ];
    branches.forEach((branch, i) => {
      if (i > 0) stmts.push(`${branchFailures} = report.failures;`);
      stmts.push(...this.branchChecks(branch, value, place, context), { if: `report.failures === ${branchFailures}`, then: [`${matches}++;`] });
    });
    const none = stringLiteral(`must match one of: ${described}`);
    const several = stringLiteral(`must match only one of: ${described}; matches `);
    stmts.push("report.trying--;", {
      if: `${matches} === 1`,
      then: [`report.takeBack(${failures});`],
      else: [`reportIssue(report, ${this.at(place)}, "oneOf", ${matches} === 0 ? ${none} : ${several} + ${matches});`],
    });
    return stmts;
  }

  /** Checks of a value read into a new local first (an item, a map's member). */
  private localChecks(schema: Json, element: string, hint: string, place: Place, context: Context): Stmt[] {
    const local = context.locals.name(hint);
    return [`const ${local}: unknown = ${element};`, ...this.schemaChecks(schema, local, place, context)];
  }

  // -------------------------------------------------------------------------------------------
  // x-tc-field-patterns

  /**
   * The `x-tc-field-patterns` rules of an object schema, as a function of their own: each rule's
   * pattern is built from the members it names, then tested on every string its field reaches. Values
   * of the wrong type are left to the type checks: a rule applies only where its members are usable.
   */
  private fieldPatternsCheck(schema: Json, hint: string): string {
    const existing = this.ruleChecks.get(schema);
    if (existing) return existing;
    const name = this.claim(`check${identifierPart(hint)}FieldPatterns`);
    const locals = new Locals([...this.names, ...PARAMETERS]);
    const context: Context = { mode: "as written", locals, hint };
    const stmts: Stmt[] = [];
    for (const rule of parseFieldPatterns(this.root, schema).rules) {
      const members = new Map<string, string>();
      for (const part of rule.pattern) {
        if (typeof part !== "string" && !members.has(part.member)) members.set(part.member, locals.name(part.member));
      }
      const pattern = locals.name("pattern");
      const source = rule.pattern.map((part) => (typeof part === "string" ? stringLiteral(part) : `escapeRegExp(String(${members.get(part.member)}))`));
      // A member that is missing or neither a string nor a number: its own checks say so; the rule cannot apply.
      const usable = [...members.values()].map((local) => `(typeof ${local} === "string" || typeof ${local} === "number")`);
      const reach = this.fieldReach(rule.field, "value", Place.here, locals, (text, place) => [
        { if: `typeof ${text} === "string" && !${pattern}.test(${text})`, then: [this.report(context, place, FIELD_PATTERNS, rule.message)] },
      ]);
      stmts.push(`// ${commentText(`${rule.field.join("/")}: ${rule.message}`, "line")}`);
      for (const [member, local] of members) stmts.push(`const ${local} = ${memberAccess("value", member)};`);
      stmts.push({ if: usable.join(" && ") || "true", then: [`const ${pattern} = new RegExp(${source.join(" + ")}, "u");`, ...reach] });
    }
    this.helpers.add("escapeRegExp");
    this.pendingRuleChecks.push({
      functionName: name,
      comment: commentText(`The \`${FIELD_PATTERNS}\` rules of \`${hint}\`, for a value already known to be an object.`, "doc"),
      parameters: "value: Record<string, unknown>, report: ValidationReport",
      body: render(stmts),
    });
    this.ruleChecks.set(schema, name);
    return name;
  }

  /** Statements reaching every value a field (member names, `*` for items) leads to from `value`. */
  private fieldReach(field: readonly string[], value: string, place: Place, locals: Locals, visit: (value: string, place: Place) => Stmt[]): Stmt[] {
    const [segment, ...rest] = field;
    if (segment === undefined) return visit(value, place);
    if (segment === "*") {
      const i = locals.index();
      const item = locals.name("item");
      const body = [`const ${item}: unknown = ${value}[${i}];`, ...this.fieldReach(rest, item, place.index(i), locals, visit)];
      return [{ if: `Array.isArray(${value})`, then: [`for (let ${i} = 0; ${i} < ${value}.length; ${i}++) {\n${render(body)}\n}`] }];
    }
    const member = locals.name(segment);
    const inner: Stmt[] = [`const ${member} = ${memberAccess(value, segment)};`, ...this.fieldReach(rest, member, place.member(segment), locals, visit)];
    // The object the rule belongs to is known to be one; anything reached inside it is not.
    if (value === "value") return inner;
    this.helpers.add("isJsonObject");
    return [{ if: `isJsonObject(${value})`, then: inner }];
  }

  // -------------------------------------------------------------------------------------------
  // Calls, issues, constants, names.

  /**
   * The checks of schema `name` on a value at `place`: written out here when the schema refers to no
   * other (as Ajv inlines such schemas; a call per array item would cost more than the checks),
   * otherwise a call of its check function.
   */
  private call(name: string, value: string, place: Place, context: Context, depth: string): Stmt[] {
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
  private atPlace(place: Place, invocation: string): Stmt[] {
    const keys = place.pushArgs();
    if (keys.length === 0) return [invocation];
    const enter: Stmt[] = [];
    for (let i = 0; i < keys.length; i += 2) enter.push(`report.enter(${keys.slice(i, i + 2).join(", ")});`);
    return [...enter, invocation, keys.length === 1 ? "report.leave();" : `report.leave(${keys.length});`];
  }

  private typeIssue(types: readonly string[], value: string, place: Place, context: Context): string {
    this.helpers.add("reportType");
    const expected = types.map((t) => TYPE_NOUNS[t]!).join(" or ");
    return `reportType(report, ${this.at(place)}, ${stringLiteral(expected)}, ${value});`;
  }

  private report(context: Context, place: Place, keyword: string, message: string): string {
    this.helpers.add("reportIssue");
    return `reportIssue(report, ${this.at(place)}, ${stringLiteral(keyword)}, ${stringLiteral(message)});`;
  }

  /** The pointer of `place` below the report's place, as an expression. */
  private at(place: Place): string {
    if (place.hasKey()) this.helpers.add("pointerSegment");
    return place.at();
  }

  /** A module constant holding the regular expression of `pattern`, shared by equal patterns. */
  private regexConstant(pattern: string, hint: string): string {
    const existing = this.regexConstants.get(pattern);
    if (existing) return existing;
    const name = this.claim(`${constantName(hint)}_PATTERN`);
    this.regexConstants.set(pattern, name);
    this.constants.push({ name, comment: commentText(`\`pattern\` of ${hint}.`, "doc"), declaration: `const ${name} = ${regexLiteral(pattern)};` });
    return name;
  }

  private claim(wanted: string): string {
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

// ---------------------------------------------------------------------------------------------
// Keywords by the kind of value they are about.

type Group = "string" | "number" | "array" | "object";
const GROUPS: readonly Group[] = ["string", "number", "array", "object"];

const GROUP_GUARD: Record<Group, (value: string) => string> = {
  string: (v) => `typeof ${v} === "string"`,
  number: (v) => `typeof ${v} === "number"`,
  array: (v) => `Array.isArray(${v})`,
  object: (v) => `isJsonObject(${v})`,
};

function groupOf(type: string): Group | undefined {
  if (type === "integer" || type === "number") return "number";
  return GROUPS.includes(type as Group) ? (type as Group) : undefined;
}

function typeCondition(type: string, v: string): string {
  switch (type) {
    case "string":
    case "boolean":
      return `typeof ${v} === "${type}"`;
    case "number":
      return `(typeof ${v} === "number" && Number.isFinite(${v}))`;
    case "integer":
      // Safe integers only: beyond ±(2^53 − 1) a number is not exact (reportType says so, keyword x-tc-int64).
      return `Number.isSafeInteger(${v})`;
    case "null":
      return `${v} === null`;
    case "array":
      return `Array.isArray(${v})`;
    default:
      return `isJsonObject(${v})`;
  }
}

const TYPE_NOUNS: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "a boolean",
  null: "null",
  array: "an array",
  object: "an object",
};

/** `type` as a list, with `nullable: true` adding null. */
function declaredTypes(schema: Json): string[] {
  const type = schema["type"];
  const types = type === undefined ? [] : Array.isArray(type) ? [...(type as string[])] : [type as string];
  if (schema["nullable"] === true && !types.includes("null")) types.push("null");
  return types;
}

/** Whether a schema constrains anything: annotations alone, or `additionalProperties: true`, do not. */
function hasChecks(schema: Json): boolean {
  return Object.keys(schema).some((key) => CONSTRAINING_KEYWORDS.has(key) && !(key === "additionalProperties" && schema[key] === true));
}

/** The schema name of a schema that is only a `$ref` (annotations aside). */
function pureRef(schema: Json): string | undefined {
  if (typeof schema["$ref"] !== "string") return undefined;
  const { $ref: _ref, ...others } = schema;
  return hasChecks(others) ? undefined : refName(schema["$ref"]);
}

function refName(ref: string): string {
  return ref.slice("#/components/schemas/".length);
}

/** The schemas directly inside a schema: members, items, branches. */
function subschemas(schema: Json): Json[] {
  const found: unknown[] = [];
  if (isObject(schema["properties"])) found.push(...Object.values(schema["properties"]));
  for (const key of ["items", "additionalProperties"]) found.push(schema[key]);
  for (const key of ["allOf", "anyOf", "oneOf"]) if (Array.isArray(schema[key])) found.push(...schema[key]);
  return found.filter(isObject);
}

/** The names of the schemas a schema refers to, at any depth inside it. */
function refsIn(schema: unknown, found = new Set<string>()): Set<string> {
  if (!isObject(schema)) return found;
  if (typeof schema["$ref"] === "string") found.add(refName(schema["$ref"]));
  for (const inner of subschemas(schema)) refsIn(inner, found);
  return found;
}

/** Whether a schema, not counting what it refers to, has an object closed by `additionalProperties: false`. */
function hasClosedObject(schema: unknown): boolean {
  return isObject(schema) && (schema["additionalProperties"] === false || subschemas(schema).some(hasClosedObject));
}

function describeBranch(branch: Json, index: number): string {
  if (typeof branch["$ref"] === "string") return refName(branch["$ref"]);
  const types = declaredTypes(branch);
  return types.length > 0 ? types.join(" or ") : `schema #${index + 1}`;
}
