/**
 * The Handlebars side of emit: the helpers through which templates write every value (each passes
 * spec text through scripts/emit/spec-text.ts) and the compiled templates, once per process.
 */
import Handlebars from "handlebars";
import { TEMPLATE_FILES, type Templates } from "./files.js";
import { docComment, fitsLine, interfaceMember, jsonDeclaration, jsonEntry, nameList, objectDeclaration, parameterList, stringEntry, topLevelSplit, typeAlias } from "./layout.js";
import { commentText, identifier, memberAccess, numberLiteral, propertyKey, stringLiteral, UncheckedSpecTextError, valueLiteral } from "./spec-text.js";

/**
 * The helpers are the only way a template writes a value (test/spec-text.test.ts checks that every
 * `{{…}}` of templates/ calls one): each passes spec text through scripts/emit/spec-text.ts.
 */
export const TEMPLATE_HELPERS = ["str", "json", "literal", "tsdoc", "linecomment", "ident", "key", "member", "num", "code", "strentry", "arraytype", "jsonentry"] as const;

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
    /** `{{strentry key text}}`: the member `key: "text",` of an object literal (2 spaces in), laid out. */
    strentry: (key, value) => stringEntry(propertyKey(key as string), stringLiteral(value as string), 2),
    /** `{{jsonentry key value indent}}`: the member `key: <value>,` of an object literal, `value` any JSON value, laid out at `indent`. */
    jsonentry: (key, value, indentation) => jsonEntry(key as string, value, indentation as number),
    /** `{{code (arraytype T)}}`: the type of an array of `T` (code), parenthesized when `T` is a union or intersection. */
    arraytype: (type) => {
      const text = type as string;
      return topLevelSplit(text, " & ").length > 1 || topLevelSplit(text, " | ").length > 1 ? `(${text})[]` : `${text}[]`;
    },
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
    // `indent=N`: the comment stands N spaces in (Handlebars drops the indentation of a block's line).
    return `${docComment(commentText(options.fn(this), "block"), typeof options.hash["indent"] === "number" ? options.hash["indent"] : 0)}\n`;
  });
  // `{{#typealias}}export type A = B;{{/typealias}}`: the alias laid out (broken after `=` when too long).
  hbs.registerHelper("typealias", function (this: unknown, options: Handlebars.HelperOptions) {
    return typeAlias(options.fn(this).replace(/\s*\n\s*/g, " ").trim());
  });
  // `{{#names}}export { a, b } from "x";{{/names}}`: an import or export list on one line, or one name per line.
  hbs.registerHelper("names", function (this: unknown, options: Handlebars.HelperOptions) {
    const text = options.fn(this).replace(/\s*\n\s*/g, " ").trim();
    const match = /^(.*?) ?\{ ?(.*?),? ?\}(.*)$/.exec(text);
    if (match === null) throw new Error(`names: not an import or export list: ${text}`);
    return `${nameList(match[1]!, match[2]!.split(/, ?/), match[3]!)}\n`;
  });
  // `{{#object}}left\n  a: 1,\n{{/object}}`: `left = { a: 1, };` over lines, its first line laid out.
  hbs.registerHelper("object", function (this: unknown, options: Handlebars.HelperOptions) {
    const text = options.fn(this);
    const end = text.indexOf("\n");
    return `${objectDeclaration(text.slice(0, end).trim(), text.slice(end + 1).replace(/\n+$/, ""))}\n`;
  });
  // `{{#jsonconst value}}export const x: T{{/jsonconst}}`: `export const x: T = <value>;`, the JSON value laid out.
  hbs.registerHelper("jsonconst", function (this: unknown, value: unknown, options: Handlebars.HelperOptions) {
    return jsonDeclaration(options.fn(this).trim(), value);
  });
  // `{{#typemember indent=2}}name: Type<Argument>;{{/typemember}}`: an interface member, its type arguments broken out when too long.
  hbs.registerHelper("typemember", function (this: unknown, options: Handlebars.HelperOptions) {
    return interfaceMember(options.fn(this).trim(), typeof options.hash["indent"] === "number" ? options.hash["indent"] : 0);
  });
  // `{{#arrow indent=4}}key: (a) => body,{{/arrow}}`: a member whose value is an arrow function, broken after `=>` when too long.
  hbs.registerHelper("arrow", function (this: unknown, options: Handlebars.HelperOptions) {
    const pad = " ".repeat(typeof options.hash["indent"] === "number" ? options.hash["indent"] : 0);
    const text = options.fn(this).trim();
    const arrow = text.indexOf(" => ");
    if (fitsLine(text, pad.length) || arrow < 0) return `${pad}${text}`;
    return `${pad}${text.slice(0, arrow)} =>\n${pad}  ${text.slice(arrow + 4)}`;
  });
  // `{{#signature tail=" {"}}function f(a: A, b: B): R{{/signature}}`: the parameters on one line, or one per line.
  hbs.registerHelper("signature", function (this: unknown, options: Handlebars.HelperOptions) {
    const tail = typeof options.hash["tail"] === "string" ? options.hash["tail"] : "";
    const indentation = typeof options.hash["indent"] === "number" ? options.hash["indent"] : 0;
    const text = options.fn(this).replace(/\s*\n\s*/g, " ").trim() + tail;
    const open = text.indexOf("(");
    const close = matchingParenthesis(text, open);
    if (open < 0 || close < 0) throw new Error(`signature: no parameter list: ${text}`);
    const parameters = text.slice(open + 1, close).trim();
    return " ".repeat(indentation) + parameterList(text.slice(0, open), parameters === "" ? [] : topLevelSplit(parameters, ", "), text.slice(close + 1), indentation);
  });

  const header = templates["header"];
  if (header === undefined) throw new Error("missing template templates/header.hbs");
  hbs.registerPartial("header", header);
  const files: Record<string, HandlebarsTemplateDelegate> = {};
  for (const name of TEMPLATE_FILES) if (templates[name] !== undefined) files[name] = compile(templates[name]);
  return { header: compile(header), files };
}

/** The index of the `)` closing the `(` at `open`. */
function matchingParenthesis(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return i;
  }
  return -1;
}
