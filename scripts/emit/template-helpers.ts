/**
 * The Handlebars side of emit: the helpers through which templates write every value (each passes
 * spec text through scripts/emit/spec-text.ts) and the compiled templates, once per process.
 */
import Handlebars from "handlebars";
import { TEMPLATE_FILES, type Templates } from "./files.js";
import { commentText, identifier, memberAccess, numberLiteral, propertyKey, stringLiteral, UncheckedSpecTextError, valueLiteral } from "./spec-text.js";

/**
 * The helpers are the only way a template writes a value (test/spec-text.test.ts checks that every
 * `{{…}}` of templates/ calls one): each passes spec text through scripts/emit/spec-text.ts.
 */
export const TEMPLATE_HELPERS = ["str", "json", "literal", "tsdoc", "linecomment", "ident", "key", "member", "num", "code"] as const;

/** Compiled templates by their sources: compiled once per process. */
const compiled = new Map<string, ReturnType<typeof compileTemplates>>();

export function compiledTemplates(templates: Templates): ReturnType<typeof compileTemplates> {
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
    /** Code an emitter built (scripts/emit/validators/, model/paging.ts), itself writing spec text through spec-text.ts. */
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
