/**
 * Stage 4, emit: the model (and, for types, the spec itself) → the text of every generated file.
 * Types come from openapi-typescript; client, errors, enums, service, mock and index from the
 * Handlebars templates; everything goes through Prettier so the output reads like hand-written code.
 * No file system access here: templates arrive as strings, files leave as a map.
 */
import Handlebars from "handlebars";
import openapiTS, { astToString } from "openapi-typescript";
import * as prettier from "prettier";
import type { ServiceModel } from "./model.js";
import { buildInt64Plans, int64Type } from "./int64.js";
import { buildValidators } from "./validators.js";
import { commentText, identifier, memberAccess, numberLiteral, propertyKey, stringLiteral, UncheckedSpecTextError, valueLiteral } from "./spec-text.js";

/** Template sources by name (`client.ts`, `header`, ...), read by the caller. */
export type Templates = Readonly<Record<string, string>>;

export interface EmitOptions {
  /** Module specifier of the runtime as seen from `<out>/<service>/`, e.g. `../../runtime/index.js` or `tcgen/runtime`. */
  readonly runtimeImport: string;
}

/** The files emitted per service, in order; each comes from `templates/<name>.hbs` except schema.ts. */
export const TEMPLATE_FILES = ["types.ts", "actions.ts", "client.ts", "commands.ts", "enums.ts", "errors.ts", "index.ts", "mock.ts", "service.ts", "validators.ts"] as const;

const PRETTIER_OPTIONS: prettier.Options = {
  parser: "typescript",
  printWidth: 110,
  // Fixed here, never read from a config file, so output does not depend on where the generator runs.
  tabWidth: 2,
  useTabs: false,
  semi: true,
  singleQuote: false,
  trailingComma: "all",
  endOfLine: "lf",
};

/** Returns `<service>/<file>` → contents for every generated file of one service. */
export async function emitService(
  model: ServiceModel,
  specValue: unknown,
  templates: Templates,
  options: EmitOptions,
): Promise<Map<string, string>> {
  const render = compiledTemplates(templates);
  const context = {
    ...model,
    runtimeImport: options.runtimeImport,
    internalImport: internalImportOf(options.runtimeImport),
    mockImport: mockImportOf(options.runtimeImport),
    errorDescriptions: errorDescriptions(model),
    validators: buildValidators(model, specValue),
    int64: buildInt64Plans(model, specValue as Record<string, unknown>),
  };
  const files = new Map<string, string>();
  files.set("schema.ts", await emitSchemaTypes(specValue, render.header(context)));
  for (const name of TEMPLATE_FILES) {
    const template = render.files[name];
    if (!template) throw new Error(`missing template templates/${name}.hbs`);
    files.set(name, template(context));
  }
  const out = new Map<string, string>();
  for (const [name, text] of files) {
    out.set(`${model.service}/${name}`, await format(text, `${model.service}/${name}`));
  }
  return out;
}

/**
 * The runtime's internal entry (what generated code imports) beside its public one:
 * `tcgen/runtime` → `tcgen/runtime/internal`, `../../runtime/index.js` → `../../runtime/internal.js`.
 */
export function internalImportOf(runtimeImport: string): string {
  return runtimeImport.endsWith("/index.js") ? `${runtimeImport.slice(0, -"/index.js".length)}/internal.js` : `${runtimeImport}/internal`;
}

/**
 * The emulator's entry beside the runtime, for the type of the generated `mock.ts`:
 * `tcgen/runtime` → `tcgen/mock`, `../../runtime/index.js` → `../../mock/index.js`; `tcgen/mock` otherwise.
 */
export function mockImportOf(runtimeImport: string): string {
  if (runtimeImport.endsWith("runtime/index.js")) return `${runtimeImport.slice(0, -"runtime/index.js".length)}mock/index.js`;
  if (runtimeImport.endsWith("/runtime")) return `${runtimeImport.slice(0, -"runtime".length)}mock`;
  return "tcgen/mock";
}

async function emitSchemaTypes(specValue: unknown, header: string): Promise<string> {
  // openapi-typescript may annotate what it is given; hand it a copy.
  const ast = await openapiTS(structuredClone(specValue) as Parameters<typeof openapiTS>[0], { silent: true, transform: int64Type });
  return `${header}\n${astToString(ast)}`;
}

/**
 * Formatted texts by unformatted text, for generators run many times in one process (tests, the
 * fuzz, watch mode): most files come out the same from one run to the next, and Prettier is pure.
 */
const formatted = new Map<string, string>();
const FORMATTED_ENTRIES = 64;

async function format(text: string, name: string): Promise<string> {
  const known = formatted.get(text);
  if (known !== undefined) return known;
  try {
    const result = await prettier.format(text, PRETTIER_OPTIONS);
    if (formatted.size >= FORMATTED_ENTRIES) formatted.delete(formatted.keys().next().value!);
    formatted.set(text, result);
    return result;
  } catch (error) {
    // A template produced invalid TypeScript: a generator bug, so say which file and keep the cause.
    throw new Error(`generated ${name} is not valid TypeScript: ${(error as Error).message}`, { cause: error });
  }
}

/** Each code once: an action's own wording first (actions in name order), then the common wording. */
function errorDescriptions(model: ServiceModel): { code: string; description: string }[] {
  const byCode = new Map<string, string>();
  for (const action of model.actions) for (const e of action.errors) if (!byCode.has(e.code)) byCode.set(e.code, e.description);
  for (const e of model.commonErrors) if (!byCode.has(e.code)) byCode.set(e.code, e.description);
  return [...byCode].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([code, description]) => ({ code, description }));
}

/**
 * The helpers are the only way a template writes a value (test/spec-text.test.ts checks that every
 * `{{…}}` of templates/ calls one): each passes spec text through scripts/spec-text.ts.
 */
export const TEMPLATE_HELPERS = ["str", "json", "literal", "tsdoc", "linecomment", "ident", "key", "member", "num", "code"] as const;

/** Compiled templates by their sources: compiled once per process. */
const compiled = new Map<string, ReturnType<typeof compileTemplates>>();

function compiledTemplates(templates: Templates): ReturnType<typeof compileTemplates> {
  const key = Object.entries(templates).flat().join("\0");
  let render = compiled.get(key);
  if (render === undefined) {
    render = compileTemplates(templates);
    compiled.set(key, render);
  }
  return render;
}

function compileTemplates(templates: Templates) {
  // An isolated instance: helpers and partials registered here never leak into other Handlebars users.
  const hbs = Handlebars.create();
  const compile = (source: string) => hbs.compile(source, { noEscape: true, strict: true, preventIndent: true });
  const helpers: Record<(typeof TEMPLATE_HELPERS)[number], (...args: unknown[]) => string> = {
    /** A string literal. */
    str: (value) => stringLiteral(value as string),
    /** A JSON value as an expression, on one line. */
    json: (value) => valueLiteral(value),
    /** A JSON value as an expression laid out over lines, for code samples in TSDoc. */
    literal: (value) => valueLiteral(value, ""),
    /** Text inside a TSDoc comment (`{{#doc}}`). */
    tsdoc: (value) => commentText(value as string, "doc"),
    /** Text inside a `//` comment. */
    linecomment: (value) => commentText(value as string, "line"),
    /** A name declared or referred to in code; the check stage has verified it. */
    ident: (value) => identifier(value as string, "type"),
    /** A member name in an object literal or interface. */
    key: (value) => propertyKey(value as string),
    /** `{{member "object" name}}`: reading member `name` of `object` (code). */
    member: (object, name) => memberAccess(object as string, name as string),
    num: (value) => numberLiteral(value as number),
    /** Code an emitter built (scripts/validators.ts, model-paging.ts), itself writing spec text through spec-text.ts. */
    code: (value) => {
      if (typeof value !== "string") throw new UncheckedSpecTextError(`code: not a string: ${String(value)}`);
      return value;
    },
  };
  for (const [name, helper] of Object.entries(helpers)) {
    // Handlebars passes its options object last.
    hbs.registerHelper(name, (...args: unknown[]) => helper(...args.slice(0, -1)));
  }
  hbs.registerHelper("doc", function (this: unknown, options: Handlebars.HelperOptions) {
    // Spec text inside has been through `tsdoc`; `*/` is escaped once more for the template's own text.
    const lines = commentText(options.fn(this), "block").trim().split("\n");
    return `/**\n${lines.map((line) => (line.trim() === "" ? " *" : ` * ${line.trimEnd()}`)).join("\n")}\n */\n`;
  });

  const header = templates["header"];
  if (header === undefined) throw new Error("missing template templates/header.hbs");
  hbs.registerPartial("header", header);
  const files: Record<string, HandlebarsTemplateDelegate> = {};
  for (const name of TEMPLATE_FILES) if (templates[name] !== undefined) files[name] = compile(templates[name]);
  return { header: compile(header), files };
}
