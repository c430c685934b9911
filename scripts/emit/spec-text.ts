/**
 * The only way text from a spec reaches generated code. Every template helper and every emitter
 * writes spec text through one of these functions, and a test greps templates/ and the emitters
 * for any other way (test/spec-text.test.ts):
 *
 * - inside a string literal: `stringLiteral`, and `valueLiteral` for whole JSON values;
 * - inside a comment: `commentText`, for the kind of comment it lands in;
 * - as an identifier or a property name: `identifier` (the check stage has already refused, at its
 *   position, every name `identifierProblem` objects to; meeting one here is a bug of tcgen),
 *   `propertyKey` and `memberAccess`, which quote what is not a plain name;
 * - as a number: `numberLiteral`; as a regular expression: `regexLiteral`.
 *
 * Pure and dependency-free, so any stage can use it.
 */

/** Thrown when text that the check stage should have refused reaches an emitter: a bug of tcgen. */
export class UncheckedSpecTextError extends Error {
  override readonly name = "UncheckedSpecTextError";
}

const LINE_TERMINATORS = /\r\n|[\n\r\u2028\u2029]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A string literal of `text`, double-quoted. JSON's escaping (every control character, `"`, `\`,
 * lone surrogates as `\uXXXX`), plus U+2028 and U+2029, which older tools take for line breaks.
 */
export function stringLiteral(text: string): string {
  if (typeof text !== "string") throw new UncheckedSpecTextError(`stringLiteral: not a string: ${String(text)}`);
  return preferredQuotes(JSON.stringify(text).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029"));
}

/**
 * A double-quoted string literal as Prettier writes it: in single quotes when its text holds more
 * double quotes than single ones (fewer escapes), otherwise as it is.
 */
export function preferredQuotes(literal: string): string {
  const raw = literal.slice(1, -1);
  const doubles = raw.split('"').length - 1;
  if (doubles === 0 || doubles <= raw.split("'").length - 1) return literal;
  return `'${raw.replace(/\\(.)|'/gs, (match, escaped: string | undefined) => (escaped === '"' ? '"' : escaped !== undefined ? match : "\\'"))}'`;
}

/**
 * A JSON value (what the check stage lets through: strings, finite numbers, booleans, null, lists
 * and mappings) as a TypeScript expression that evaluates to an equal value. Keys are written with
 * `propertyKey`, so `__proto__` stays an own member instead of setting the prototype. With
 * `indent`, laid out over lines the way Prettier would (for code samples in TSDoc).
 */
export function valueLiteral(value: unknown, indent?: string): string {
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value === "number") return numberLiteral(value);
  if (typeof value === "string") return stringLiteral(value);
  const inner = indent === undefined ? undefined : `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((item) => valueLiteral(item, inner));
    return inner === undefined ? `[${items.join(", ")}]` : `[\n${items.map((item) => `${inner}${item},\n`).join("")}${indent}]`;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return "{}";
    const members = entries.map(([key, member]) => `${propertyKey(key)}: ${valueLiteral(member, inner)}`);
    return inner === undefined ? `{ ${members.join(", ")} }` : `{\n${members.map((member) => `${inner}${member},\n`).join("")}${indent}}`;
  }
  throw new UncheckedSpecTextError(`valueLiteral: not a JSON value: ${typeof value}`);
}

/** The JSON text of a value, for the wording of a message (which then goes through `stringLiteral`), never for code. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** A finite number as a literal; `-0` is written `0`, as JSON would. */
export function numberLiteral(value: number): string {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new UncheckedSpecTextError(`numberLiteral: not a finite number: ${String(value)}`);
  return String(value);
}

/** The kinds of comment spec text is written into. */
export type CommentKind = "doc" | "block" | "line";

/**
 * Text safe inside a comment of `kind`:
 * - `doc` (`/** … *\/`, TSDoc): `*\/` cannot end the comment and `@` cannot start a tag; every line
 *   break becomes `\n` (the caller prefixes each line with ` * `);
 * - `block` (`/* … *\/`): `*\/` cannot end the comment;
 * - `line` (`// …`): no line break of any kind ends the comment early; each is written as its
 *   escape (`\n`, `\r`, `\u2028`, `\u2029`).
 * Lone surrogates (not encodable in UTF-8) become U+FFFD in every kind.
 */
export function commentText(text: string, kind: CommentKind): string {
  if (typeof text !== "string") throw new UncheckedSpecTextError(`commentText: not a string: ${String(text)}`);
  const wellFormed = text.replace(LONE_SURROGATE, "\uFFFD");
  if (kind === "line") {
    return wellFormed.replace(LINE_TERMINATORS, (lineBreak) => (lineBreak === "\r\n" ? "\\r\\n" : LINE_BREAK_ESCAPES[lineBreak]!));
  }
  const safe = wellFormed.replace(/\*\//g, "*\\/").replace(LINE_TERMINATORS, "\n");
  return kind === "doc" ? safe.replace(/@/g, "\\@") : safe;
}

const LINE_BREAK_ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\u2028": "\\u2028", "\u2029": "\\u2029" };

const PLAIN_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Words that cannot be a binding name in a module (strict mode), plus `await` and `yield`. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(
  (
    "arguments await break case catch class const continue debugger default delete do else enum eval export extends " +
    "false finally for function if implements import in instanceof interface let new null package private protected " +
    "public return static super switch this throw true try typeof var void while with yield"
  ).split(" "),
);

/** Names TypeScript gives its own types: a type alias or interface cannot take them. */
export const TYPE_KEYWORDS: ReadonlySet<string> = new Set(
  "any bigint boolean intrinsic never number object string symbol undefined unknown void".split(" "),
);

/**
 * Names every JavaScript object answers to (Object.prototype's members, `__proto__` among them),
 * and `then` and `toJSON`, which `await` and `JSON.stringify` call on any object that has them.
 */
export const SPECIAL_PROPERTY_NAMES: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), "then", "toJSON"]);

/** What names a spec name becomes in generated code. */
export type NameUse = "type" | "value" | "property" | "method";

/**
 * Why `name` cannot be used as it is, or undefined when it can:
 * - `type` / `value`: a declaration's name in a module (a type alias, a function, a constant);
 * - `property`: a member of a generated object (written as it is, read as `object.name`);
 * - `method`: a member of the generated client, which must not make it a thenable or JSON-callable.
 */
export function identifierProblem(name: string, use: NameUse): string | undefined {
  if (!PLAIN_NAME.test(name)) return "is not an identifier (letters, digits, _ and $, not starting with a digit)";
  if (use === "type" || use === "value") {
    if (RESERVED_WORDS.has(name)) return "is a reserved word of JavaScript";
    if (use === "type" && TYPE_KEYWORDS.has(name)) return "is the name of a TypeScript built-in type";
    return undefined;
  }
  const member = memberNameProblem(name);
  if (member !== undefined) return member;
  if (use === "method" && SPECIAL_PROPERTY_NAMES.has(name)) {
    return name === "then"
      ? "would make the client a thenable: `await client` would call it"
      : "would be called by JSON.stringify(client)";
  }
  return undefined;
}

/** Why `name` cannot be a member of a generated object or interface, or undefined: any string can, except Object.prototype's names. */
export function memberNameProblem(name: string): string | undefined {
  return name === "__proto__" || Object.hasOwn(Object.prototype, name)
    ? "is a member of every JavaScript object (Object.prototype); an object cannot tell it apart"
    : undefined;
}

/** `name` as an identifier of generated code; refuses (as a bug of tcgen) a name the check stage should have refused. */
export function identifier(name: string, use: NameUse = "value"): string {
  const problem = typeof name === "string" ? identifierProblem(name, use) : "is not a string";
  if (problem !== undefined) throw new UncheckedSpecTextError(`${JSON.stringify(name)} reached an emitter as a ${use} name but ${problem}`);
  return name;
}

/** An object literal's or interface's key for member `name`: plain when it can be, quoted otherwise, computed for `__proto__`. */
export function propertyKey(name: string): string {
  if (name === "__proto__") return `[${stringLiteral(name)}]`;
  return PLAIN_NAME.test(name) ? name : stringLiteral(name);
}

/** `object.name`, or `object["odd name"]`; `object` is code. */
export function memberAccess(object: string, name: string): string {
  return PLAIN_NAME.test(name) && name !== "__proto__" ? `${object}.${name}` : `${object}[${stringLiteral(name)}]`;
}

/**
 * A JSON Schema pattern (ECMA 262 with the `u` flag) as a regular expression literal with the same
 * meaning: every `/` that is not already escaped is written `\/` (valid in and outside character
 * classes with `u`), line terminators and lone surrogates as their escapes, and the empty pattern
 * as `(?:)`, since `//` would start a comment.
 */
export function regexLiteral(pattern: string): string {
  if (typeof pattern !== "string") throw new UncheckedSpecTextError(`regexLiteral: not a string: ${String(pattern)}`);
  let body = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\" && i + 1 < pattern.length && !isLineTerminator(pattern[i + 1]!) && !isSurrogate(pattern[i + 1]!)) {
      body += c + pattern[i + 1];
      i++;
    } else if (c === "/") body += "\\/";
    else if (isLineTerminator(c) || (isSurrogate(c) && !isPairAt(pattern, i))) body += `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
    else if (isSurrogate(c)) {
      body += c + pattern[i + 1];
      i++;
    } else body += c;
  }
  if (body === "") body = "(?:)";
  // The result must still compile (the check stage verified the pattern itself).
  new RegExp(body, "u");
  return `/${body}/u`;
}

function isLineTerminator(c: string): boolean {
  return c === "\n" || c === "\r" || c === "\u2028" || c === "\u2029";
}

function isSurrogate(c: string): boolean {
  const code = c.charCodeAt(0);
  return code >= 0xd800 && code <= 0xdfff;
}

function isPairAt(text: string, i: number): boolean {
  const high = text.charCodeAt(i);
  const low = text.charCodeAt(i + 1);
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
}
