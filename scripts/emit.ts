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

/** Template sources by name (`client.ts`, `header`, ...), read by the caller. */
export type Templates = Readonly<Record<string, string>>;

export interface EmitOptions {
  /** Module specifier of the runtime as seen from `<out>/<service>/`, e.g. `../../runtime/index.js` or `tcgen/runtime`. */
  readonly runtimeImport: string;
}

/** The files emitted per service, in order; each comes from `templates/<name>.hbs` except schema.ts. */
export const TEMPLATE_FILES = ["client.ts", "enums.ts", "errors.ts", "index.ts", "mock.ts", "service.ts", "validators.ts"] as const;

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
  const render = compileTemplates(templates);
  const context = {
    ...model,
    runtimeImport: options.runtimeImport,
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

async function emitSchemaTypes(specValue: unknown, header: string): Promise<string> {
  // openapi-typescript may annotate what it is given; hand it a copy.
  const ast = await openapiTS(structuredClone(specValue) as Parameters<typeof openapiTS>[0], { silent: true, transform: int64Type });
  return `${header}\n${astToString(ast)}`;
}

/**
 * Formatting is most of a run's time, and a spec edit changes only some files: a long-running
 * process (`generate --watch`, the spec-change tests) formats each distinct text once. Prettier is
 * deterministic, so the output is the same byte for byte. Bounded, oldest first out.
 */
const formatted = new Map<string, string>();
const FORMAT_CACHE_ENTRIES = 64;

async function format(text: string, name: string): Promise<string> {
  const known = formatted.get(text);
  if (known !== undefined) return known;
  try {
    const result = await prettier.format(text, PRETTIER_OPTIONS);
    if (formatted.size >= FORMAT_CACHE_ENTRIES) formatted.delete(formatted.keys().next().value!);
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

function compileTemplates(templates: Templates) {
  // An isolated instance: helpers and partials registered here never leak into other Handlebars users.
  const hbs = Handlebars.create();
  const compile = (source: string) => hbs.compile(source, { noEscape: true, strict: true, preventIndent: true });

  hbs.registerHelper("str", (value: unknown) => JSON.stringify(String(value)));
  hbs.registerHelper("json", (value: unknown) => JSON.stringify(value));
  hbs.registerHelper("literal", (value: unknown) => toLiteral(value, ""));
  // Text from the spec inside TSDoc: `@` would start a tag, `*/` would end the comment.
  hbs.registerHelper("tsdoc", (value: unknown) => String(value ?? "").replace(/@/g, "\\@"));
  hbs.registerHelper("doc", function (this: unknown, options: Handlebars.HelperOptions) {
    const lines = options.fn(this).replace(/\*\//g, "*\\/").trim().split("\n");
    return `/**\n${lines.map((line) => (line.trim() === "" ? " *" : ` * ${line.trimEnd()}`)).join("\n")}\n */\n`;
  });

  const header = templates["header"];
  if (header === undefined) throw new Error("missing template templates/header.hbs");
  hbs.registerPartial("header", header);
  const files: Record<string, HandlebarsTemplateDelegate> = {};
  for (const name of TEMPLATE_FILES) if (templates[name] !== undefined) files[name] = compile(templates[name]);
  return { header: compile(header), files };
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A value as a TypeScript object literal, indented like Prettier would, for code samples in TSDoc. */
function toLiteral(value: unknown, indent: string): string {
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => inner + toLiteral(v, inner)).join(",\n")},\n${indent}]`;
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    const lines = entries.map(([k, v]) => `${inner}${PLAIN_KEY.test(k) ? k : JSON.stringify(k)}: ${toLiteral(v, inner)}`);
    return `{\n${lines.join(",\n")},\n${indent}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}
