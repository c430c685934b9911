/**
 * Lines of generated code laid out as Prettier lays them out (printWidth 110, 2 spaces, trailing
 * commas), without running Prettier: the emitters write code already formatted, and
 * test/generator/formatted-output.test.ts runs Prettier over freshly generated files to show it
 * changes nothing.
 *
 * Almost every emitted line fits in 110 columns and is written as it is. A line that does not is
 * parsed here (the small expression language emitters write: names, members, calls, `new`, unary
 * and binary operators, the conditional operator, literals) into Prettier's layout primitives
 * (groups that break all their lines or none, indentation) and printed with Prettier's algorithm: a
 * group stays on one line when it fits up to the next possible break after it.
 */

import { propertyKey, stringLiteral, valueLiteral } from "./spec-text.js";

/** Prettier's default `printWidth` is 80; the generated code uses 110 (the options of test/generator/formatted-output.test.ts). */
export const PRINT_WIDTH = 110;

// -----------------------------------------------------------------------------------------------
// Layout primitives and the printer.

export type Doc = string | readonly Doc[] | Group | Indent | Line | IfBreak | IndentIfBreak;
interface Group {
  readonly kind: "group";
  readonly contents: Doc;
  readonly shouldBreak: boolean;
}
interface Indent {
  readonly kind: "indent";
  readonly contents: Doc;
}
interface Line {
  readonly kind: "line";
  /** A soft line is nothing when its group is flat; a line is a space. */
  readonly soft: boolean;
}
interface IfBreak {
  readonly kind: "ifBreak";
  readonly broken: Doc;
  readonly flat: Doc;
}
/** Indented only when `group` (printed before it) broke. */
interface IndentIfBreak {
  readonly kind: "indentIfBreak";
  readonly group: Group;
  readonly contents: Doc;
}

export const line: Line = { kind: "line", soft: false };
export const softline: Line = { kind: "line", soft: true };
/** A group; one holding a group that must break must break too (Prettier's propagateBreaks). */
export const group = (contents: Doc, shouldBreak = false): Group => ({ kind: "group", contents, shouldBreak: shouldBreak || holdsBrokenGroup(contents) });

function holdsBrokenGroup(doc: Doc): boolean {
  if (typeof doc === "string") return false;
  if (Array.isArray(doc)) return doc.some(holdsBrokenGroup);
  const node = doc as Exclude<Doc, string | readonly Doc[]>;
  if (node.kind === "group") return node.shouldBreak;
  if (node.kind === "indent" || node.kind === "indentIfBreak") return holdsBrokenGroup(node.contents);
  if (node.kind === "ifBreak") return holdsBrokenGroup(node.broken) || holdsBrokenGroup(node.flat);
  return false;
}
export const indent = (contents: Doc): Indent => ({ kind: "indent", contents });
export const ifBreak = (broken: Doc, flat: Doc = ""): IfBreak => ({ kind: "ifBreak", broken, flat });
export const indentIfBreak = (of: Group, contents: Doc): IndentIfBreak => ({ kind: "indentIfBreak", group: of, contents });

/** `items` separated by `separator`. */
export function join(separator: Doc, items: readonly Doc[]): Doc[] {
  return items.flatMap((item, i) => (i === 0 ? [item] : [separator, item]));
}

type Mode = "flat" | "break";
interface Command {
  readonly indent: number;
  readonly mode: Mode;
  readonly doc: Doc;
}

/** `doc` printed from column `indent` (its continuation lines indented from there). */
export function print(doc: Doc, indentation: number): string {
  let out = "";
  let column = indentation;
  const commands: Command[] = [{ indent: indentation, mode: "break", doc }];
  const groupModes = new Map<Group, Mode>();
  while (commands.length > 0) {
    const { indent: ind, mode, doc: current } = commands.pop()!;
    if (typeof current === "string") {
      out += current;
      column += textWidth(current);
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) commands.push({ indent: ind, mode, doc: current[i]! });
    } else {
      const node = current as Exclude<Doc, string | readonly Doc[]>;
      if (node.kind === "indent") commands.push({ indent: ind + 2, mode, doc: node.contents });
      else if (node.kind === "indentIfBreak") commands.push({ indent: groupModes.get(node.group) === "break" ? ind + 2 : ind, mode, doc: node.contents });
      else if (node.kind === "ifBreak") commands.push({ indent: ind, mode, doc: mode === "break" ? node.broken : node.flat });
      else if (node.kind === "line") {
        if (mode === "flat") {
          if (!node.soft) {
            out += " ";
            column += 1;
          }
        } else {
          out = out.trimEnd() + "\n" + " ".repeat(ind);
          column = ind;
        }
      } else {
        const groupMode: Mode = mode === "flat" && !node.shouldBreak ? "flat" : !node.shouldBreak && fits({ indent: ind, mode: "flat", doc: node.contents }, commands, PRINT_WIDTH - column) ? "flat" : "break";
        groupModes.set(node, groupMode);
        commands.push({ indent: ind, mode: groupMode, doc: node.contents });
      }
    }
  }
  return out;
}

/** Whether `next` fits in `width` columns, followed by what comes after it up to its first line break. */
function fits(next: Command, rest: readonly Command[], width: number): boolean {
  const commands: Command[] = [next];
  let restIndex = rest.length;
  while (width >= 0) {
    if (commands.length === 0) {
      if (restIndex === 0) return true;
      commands.push(rest[--restIndex]!);
      continue;
    }
    const { mode, doc } = commands.pop()!;
    if (typeof doc === "string") width -= textWidth(doc);
    else if (Array.isArray(doc)) {
      for (let i = doc.length - 1; i >= 0; i--) commands.push({ indent: 0, mode, doc: doc[i]! });
    } else {
      const node = doc as Exclude<Doc, string | readonly Doc[]>;
      if (node.kind === "indent" || node.kind === "indentIfBreak") commands.push({ indent: 0, mode, doc: node.contents });
      else if (node.kind === "ifBreak") commands.push({ indent: 0, mode, doc: mode === "break" ? node.broken : node.flat });
      else if (node.kind === "group") commands.push({ indent: 0, mode: node.shouldBreak ? "break" : mode, doc: node.contents });
      else if (mode === "break") return true;
      else if (!node.soft) width -= 1;
    }
  }
  return false;
}

/** Columns `text` takes, as Prettier counts them: East Asian wide and fullwidth characters take two. */
export function textWidth(text: string): number {
  // eslint-disable-next-line no-control-regex
  if (/^[\u0000-\u10ff]*$/.test(text)) return text.length;
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if ((code >= 0x300 && code <= 0x36f) || (code >= 0xfe00 && code <= 0xfe0f) || code === 0x200b) continue;
    width += isWide(code) ? 2 : 1;
  }
  return width;
}

/** East Asian wide and fullwidth ranges (and emoji), as [first, last] code points. */
const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xac00, 0xd7a3],
  [0xf900, 0xfaff], [0xfe30, 0xfe4f], [0xff00, 0xff60], [0xffe0, 0xffe6], [0x1f300, 0x1f64f], [0x1f900, 0x1f9ff], [0x20000, 0x3fffd],
];

function isWide(code: number): boolean {
  return WIDE_RANGES.some(([first, last]) => code >= first && code <= last);
}

/** Whether `text` (one line) fits at column `indentation`. */
export function fitsLine(text: string, indentation: number): boolean {
  return indentation + textWidth(text) <= PRINT_WIDTH;
}

// -----------------------------------------------------------------------------------------------
// JSON values as object and array literals.

/**
 * `key: value,` at column `indentation`, `value` a JSON value laid out as Prettier lays out an
 * object or array literal: each group on one line when it fits, otherwise one member per line; a
 * list of several objects (or lists) with several members each always one per line.
 */
export function jsonEntry(key: string, value: unknown, indentation: number): string {
  return " ".repeat(indentation) + print([propertyKey(key), ...memberValue(propertyKey(key), value), ","], indentation);
}

/** `left = value;`, `value` a JSON value laid out as in `jsonEntry`. */
export function jsonDeclaration(left: string, value: unknown): string {
  return print([left, " = ", jsonDoc(value), ";"], 0);
}

function memberValue(key: string, value: unknown): Doc[] {
  // A string goes to the next line when it does not fit after its key (Prettier's "break-after-operator"),
  // unless the key is too short for that to gain anything.
  if (typeof value === "string" && !isShortKey(key)) return [":", group(indent([line, stringLiteral(value)]))];
  return [": ", jsonDoc(value)];
}

/** Prettier's isObjectPropertyWithShortKey: shorter than the indentation plus 3. */
function isShortKey(key: string): boolean {
  return textWidth(key) < 2 + 3;
}

function jsonDoc(value: unknown): Doc {
  if (value === null || typeof value !== "object") return valueLiteral(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const many = (item: unknown) => (Array.isArray(item) ? item.length > 1 : item !== null && typeof item === "object" && Object.keys(item).length > 1);
    const first = value[0];
    const sameKind = (item: unknown) => Array.isArray(item) === Array.isArray(first) && typeof item === "object";
    const shouldBreak = value.length > 1 && value.every((item) => many(item) && sameKind(item));
    return group(["[", indent([softline, join([",", line], value.map(jsonDoc))]), ifBreak(","), softline, "]"], shouldBreak);
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  const members = entries.map(([key, member]) => [propertyKey(key), ...memberValue(propertyKey(key), member)]);
  return group(["{", indent([line, join([",", line], members)]), ifBreak(","), line, "}"]);
}

// -----------------------------------------------------------------------------------------------
// Layouts of declarations the templates write.

/**
 * `head(a, b): tail` on one line when it fits, otherwise one parameter (or argument) per line with a
 * trailing comma: a function signature (`tail` `: void {`), a call statement (`tail` `;`).
 */
export function parameterList(head: string, items: readonly string[], tail: string, indentation = 0): string {
  const flat = `${head}(${items.join(", ")})${tail}`;
  if (fitsLine(flat, indentation) || items.length === 0) return flat;
  const pad = " ".repeat(indentation);
  return `${head}(\n${items.map((item) => `${pad}  ${parameter(item, indentation + 2)},\n`).join("")}${pad})${tail}`;
}

/** `name: A & B` too long for its line: broken after each `&`, the rest indented. */
function parameter(item: string, indentation: number): string {
  if (fitsLine(`${item},`, indentation)) return item;
  const parts = topLevelSplit(item, " & ");
  if (parts.length < 2) return item;
  return parts.join(` &\n${" ".repeat(indentation + 2)}`);
}

/**
 * `left = {` … `};`, an object literal written over several lines (`body`, its lines 2 spaces in),
 * as Prettier lays out the declaration: when the first line is too long, type arguments of `left`
 * go one per line; a single simple one cannot break, so the object goes to the next line instead.
 */
export function objectDeclaration(left: string, body: string): string {
  if (fitsLine(`${left} = {`, 0)) return `${left} = {\n${body}\n};`;
  const open = left.indexOf("<");
  if (open > 0 && left.endsWith(">") && !fitsLine(`${left} =`, 0)) {
    const args = topLevelSplit(left.slice(open + 1, -1), ", ");
    // A lone type argument that is a plain name stays where it is (Prettier's shouldHugType).
    if (args.length > 1 || !/^[\w$.]+$/.test(args[0]!)) return `${left.slice(0, open)}<\n${args.map((arg) => `  ${arg}`).join(",\n")}\n> = {\n${body}\n};`;
  }
  return `${left} =\n  {\n${body.replace(/^(?=.)/gm, "  ")}\n  };`;
}

/** `head { a, b } tail` (an import or export list) on one line when it fits, otherwise one name per line. */
export function nameList(head: string, names: readonly string[], tail: string): string {
  const flat = `${head} { ${names.join(", ")} }${tail}`;
  if (fitsLine(flat, 0)) return flat;
  return `${head} {\n${names.map((name) => `  ${name},\n`).join("")}}${tail}`;
}

/**
 * `left = {` opening an object literal written over several lines: when the line is too long,
 * Prettier breaks after `=` and indents the whole object. Returns the opening and the indentation
 * the object's lines take.
 */
export function objectAssignment(left: string, indentation = 0): { opening: string; indent: string } {
  const pad = " ".repeat(indentation);
  if (fitsLine(`${left} = {`, indentation)) return { opening: `${left} = {`, indent: pad };
  return { opening: `${left} =\n${pad}  {`, indent: `${pad}  ` };
}

/**
 * `left = right;` of a type alias: broken after `=` when too long, a union then with one member per
 * line, each after `|`.
 */
export function typeAlias(text: string, indentation = 0): string {
  if (fitsLine(text, indentation)) return text;
  const match = /^(.*?) = (.*);$/s.exec(text);
  if (match === null) return text;
  const pad = " ".repeat(indentation + 2);
  const members = topLevelUnion(match[2]!);
  if (members.length < 2) return `${match[1]} =\n${pad}${match[2]};`;
  return `${match[1]} =\n${members.map((member) => `${pad}| ${member}`).join("\n")};`;
}

/** The members of a union type written on one line, split at its top-level ` | `; one member when it is no union. */
export function topLevelUnion(type: string): string[] {
  return topLevelSplit(type, " | ");
}

/** `text` split at each `separator` outside brackets and strings. */
export function topLevelSplit(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === "`") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === "\\") i++;
    } else if (c === "(" || c === "[" || c === "{" || c === "<") depth++;
    else if (c === ")" || c === "]" || c === "}" || c === ">") depth--;
    else if (depth === 0 && text.startsWith(separator, i)) {
      parts.push(text.slice(start, i));
      start = i + separator.length;
      i += separator.length - 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** A doc comment of `text` (already escaped for one, see spec-text.ts) at column `indentation`. */
export function docComment(text: string, indentation: number): string {
  const pad = " ".repeat(indentation);
  const lines = text.trim().split("\n");
  return `${pad}/**\n${lines.map((line) => (line.trim() === "" ? `${pad} *` : `${pad} * ${line.trimEnd()}`)).join("\n")}\n${pad} */`;
}

/**
 * `left = | A | B | tail;`, a type alias of a union whose members (but `tail`) each have a doc
 * comment, as Prettier writes it: the first member's comment belongs to the whole union, so when
 * no other member has one the union stays on one line if it fits.
 */
export function documentedUnion(left: string, members: readonly { type: string; doc: string }[], tail?: string): string {
  const types = [...members.map((member) => member.type), ...(tail === undefined ? [] : [tail])];
  if (types.length === 0) return `${left} = never;`;
  if (members.length === 0) return typeAlias(`${left} = ${types.join(" | ")};`);
  const first = docComment(members[0]!.doc, 2);
  if (types.length === 1) return `${left} =\n${first}\n  ${types[0]};`;
  const oneLine = `  ${types.join(" | ")};`;
  if (members.length === 1 && fitsLine(oneLine, 0)) return `${left} =\n${first}\n${oneLine}`;
  const lines = types.map((type, i) => `${i > 0 && i < members.length ? `${docComment(members[i]!.doc, 2)}\n` : ""}  | ${type}`);
  return `${left} =\n${first}\n${lines.join("\n")};`;
}

/**
 * A member of an interface, `name: Type<Argument>;` (`text`, at column `indentation`): when too long,
 * the arguments of its outermost generic go on their own lines.
 */
export function interfaceMember(text: string, indentation: number): string {
  const pad = " ".repeat(indentation);
  if (fitsLine(text, indentation)) return `${pad}${text}`;
  const open = text.indexOf("<");
  let depth = 0;
  for (let close = open; open > 0 && close < text.length; close++) {
    if (text[close] === "<") depth++;
    else if (text[close] === ">" && --depth === 0) {
      const args = topLevelSplit(text.slice(open + 1, close), ", ");
      return `${pad}${text.slice(0, open)}<\n${args.map((arg) => `${pad}  ${arg}`).join(",\n")}\n${pad}>${text.slice(close + 1)}`;
    }
  }
  return `${pad}${text}`;
}

/** `key: value,` of an object literal whose value is a string: the value on the next line when too long. */
export function stringEntry(key: string, value: string, indentation: number): string {
  const pad = " ".repeat(indentation);
  const flat = `${key}: ${value},`;
  return fitsLine(flat, indentation) || isShortKey(key) ? `${pad}${flat}` : `${pad}${key}:\n${pad}  ${value},`;
}

/** `left = right;` where `right` is a name or a member access: broken after `=` when too long. */
export function simpleAssignment(left: string, right: string, indentation = 0): string {
  const flat = `${left} = ${right};`;
  return fitsLine(flat, indentation) ? flat : `${left} =\n${" ".repeat(indentation + 2)}${right};`;
}

// -----------------------------------------------------------------------------------------------
// Statements of the emitted functions.

/** One statement line (without its indentation) laid out at column `indentation`. */
export function statement(text: string, indentation: number): string {
  if (fitsLine(text, indentation)) return text;
  const doc = statementDoc(text);
  return doc === undefined ? text : print(doc, indentation);
}

function statementDoc(text: string): Doc | undefined {
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch {
    return undefined;
  }
  const parser = new Parser(tokens);
  try {
    const doc = parser.statement();
    return parser.done() ? doc : undefined;
  } catch (error) {
    if (error instanceof LayoutSyntaxError) return undefined;
    throw error;
  }
}

class LayoutSyntaxError extends Error {}

interface Token {
  readonly kind: "name" | "number" | "string" | "regex" | "punct";
  readonly text: string;
}

const PUNCTUATION = ["===", "!==", "...", "=>", "<=", ">=", "==", "!=", "&&", "||", "??", "++", "--", "+=", "-=", "(", ")", "[", "]", "{", "}", ",", ".", ";", "?", ":", "!", "<", ">", "+", "-", "*", "/", "%", "="];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === " ") {
      i++;
      continue;
    }
    const name = /^[A-Za-z_$][\w$]*/.exec(text.slice(i));
    if (name) {
      tokens.push({ kind: "name", text: name[0] });
      i += name[0].length;
      continue;
    }
    const number = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?n?/.exec(text.slice(i));
    if (number) {
      tokens.push({ kind: "number", text: number[0] });
      i += number[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === "\\" ? 2 : 1;
      if (j >= text.length) throw new LayoutSyntaxError("unterminated string");
      tokens.push({ kind: "string", text: text.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    const previous = tokens[tokens.length - 1];
    if (c === "/" && (previous === undefined || (previous.kind === "punct" && previous.text !== ")" && previous.text !== "]"))) {
      let j = i + 1;
      let inClass = false;
      while (j < text.length && (text[j] !== "/" || inClass)) {
        if (text[j] === "\\") j++;
        else if (text[j] === "[") inClass = true;
        else if (text[j] === "]") inClass = false;
        j++;
      }
      j++;
      while (j < text.length && /[a-z]/.test(text[j]!)) j++;
      tokens.push({ kind: "regex", text: text.slice(i, j) });
      i = j;
      continue;
    }
    const punct = PUNCTUATION.find((p) => text.startsWith(p, i));
    if (punct === undefined) throw new LayoutSyntaxError(`unexpected ${c}`);
    tokens.push({ kind: "punct", text: punct });
    i += punct.length;
  }
  return tokens;
}

/** Binary operators by precedence; `&&`, `||` and `??` are Prettier's "logical" expressions. */
const PRECEDENCE: Record<string, number> = {
  "??": 1, "||": 2, "&&": 3, "===": 7, "!==": 7, "==": 7, "!=": 7, "<": 8, ">": 8, "<=": 8, ">=": 8, in: 8, instanceof: 8, "+": 10, "-": 10, "*": 11, "/": 11, "%": 11,
};

/** An expression: its layout, and what Prettier's choices depend on. */
interface Expr {
  readonly kind: "atom" | "string" | "binary" | "logical" | "call" | "member" | "unary" | "conditional" | "paren";
  readonly doc: Doc;
  /** For binary and logical expressions: the operator, its operands' layouts (flattened for one precedence). */
  readonly operator?: string;
  readonly left?: Expr;
  readonly right?: Expr;
  readonly inner?: Expr;
}

type Context = "if" | "argument" | "unary" | "conditional" | "return" | "assignment" | "operand of binary" | "operand of logical" | "member" | "statement";

class Parser {
  private position = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  done(): boolean {
    return this.position === this.tokens.length;
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.position + offset];
  }

  private next(): Token {
    const token = this.tokens[this.position++];
    if (token === undefined) throw new LayoutSyntaxError("unexpected end");
    return token;
  }

  private accept(text: string): boolean {
    if (this.peek()?.text !== text) return false;
    this.position++;
    return true;
  }

  private expect(text: string): void {
    if (!this.accept(text)) throw new LayoutSyntaxError(`expected ${text}`);
  }

  statement(): Doc {
    const first = this.peek();
    if (first?.text === "}") {
      // `} else if (…) {`
      this.next();
      this.expect("else");
      if (!this.accept("if")) throw new LayoutSyntaxError("else without if");
      return ["} else ", this.ifHeader()];
    }
    if (first?.text === "if") {
      this.next();
      return this.ifHeader();
    }
    if (first?.text === "return") {
      this.next();
      if (this.accept(";")) return "return;";
      const argument = this.expression();
      this.expect(";");
      return ["return ", this.layout(argument, "return"), ";"];
    }
    if (first?.text === "const" || first?.text === "let") {
      this.next();
      let left = this.next().text;
      if (this.accept(":")) left += `: ${this.typeText()}`;
      this.expect("=");
      const right = this.expression();
      this.expect(";");
      return assignmentDoc(`${first.text} ${left}`, right, (e, context) => this.layout(e, context));
    }
    const expression = this.expression();
    this.expect(";");
    return [this.layout(expression, "statement"), ";"];
  }

  private ifHeader(): Doc {
    this.expect("(");
    const test = this.expression();
    this.expect(")");
    this.expect("{");
    // `if (!(` … `)) {`: a negated group hugs the parentheses of the `if`.
    const negatedGroup = test.kind === "unary" && test.inner?.kind === "paren" && (test.inner.inner?.kind === "logical" || test.inner.inner?.kind === "binary");
    if (negatedGroup) return group(["if (", this.layout(test, "if"), ") {"]);
    return group(["if (", group([indent([softline, this.layout(test, "if")]), softline]), ") {"]);
  }

  /** A type annotation of a local: a name with optional type arguments. */
  private typeText(): string {
    let text = this.next().text;
    if (this.accept("<")) {
      const parts: string[] = [];
      do parts.push(this.typeText());
      while (this.accept(","));
      this.expect(">");
      text += `<${parts.join(", ")}>`;
    }
    return text;
  }

  expression(): Expr {
    const test = this.binary(0);
    if (!this.accept("?")) return test;
    const consequent = this.expression();
    this.expect(":");
    const alternate = this.expression();
    const doc = (inner: Context) =>
      group([group(this.layout(test, "conditional")), indent([line, "? ", this.layout(consequent, inner), line, ": ", this.layout(alternate, inner)])]);
    return { kind: "conditional", doc: doc("conditional"), left: test };
  }

  private binary(minimum: number): Expr {
    let left = this.unary();
    for (;;) {
      const token = this.peek();
      const precedence = token && (token.kind === "punct" || token.text === "in" || token.text === "instanceof") ? PRECEDENCE[token.text] : undefined;
      if (precedence === undefined || precedence <= minimum) return left;
      this.next();
      const right = this.binary(precedence);
      const logical = token!.text === "&&" || token!.text === "||" || token!.text === "??";
      left = { kind: logical ? "logical" : "binary", doc: "", operator: token!.text, left, right };
    }
  }

  private unary(): Expr {
    const token = this.peek();
    if (token?.text === "!" || token?.text === "-" || token?.text === "+") {
      this.next();
      const argument = this.unary();
      return { kind: "unary", doc: [token.text, this.layout(argument, "unary")], inner: argument };
    }
    if (token?.text === "typeof") {
      this.next();
      const argument = this.unary();
      return { kind: "unary", doc: ["typeof ", this.layout(argument, "unary")], inner: argument };
    }
    return this.postfix();
  }

  private postfix(): Expr {
    let expression = this.primary();
    for (;;) {
      if (this.accept(".")) {
        expression = { kind: "member", doc: [expression.doc, ".", this.next().text] };
      } else if (this.peek()?.text === "[") {
        this.next();
        const property = this.expression();
        this.expect("]");
        expression = { kind: "member", doc: [expression.doc, "[", this.layout(property, "member"), "]"] };
      } else if (this.peek()?.text === "(") {
        expression = { kind: "call", doc: [expression.doc, this.argumentsDoc()] };
      } else if (this.peek()?.text === "<" && this.isTypeArguments()) {
        this.next();
        const parts: string[] = [];
        do parts.push(this.typeText());
        while (this.accept(","));
        this.expect(">");
        expression = { kind: "call", doc: [expression.doc, `<${parts.join(", ")}>`, this.argumentsDoc()] };
      } else if (this.peek()?.text === "++" || this.peek()?.text === "--") {
        expression = { kind: "atom", doc: [expression.doc, this.next().text] };
      } else return expression;
    }
  }

  /** `<T>(` after a callee: type arguments rather than a comparison. */
  private isTypeArguments(): boolean {
    let depth = 0;
    for (let i = this.position; i < this.tokens.length; i++) {
      const text = this.tokens[i]!.text;
      if (text === "<") depth++;
      else if (text === ">") {
        if (--depth === 0) return this.tokens[i + 1]?.text === "(";
      } else if (this.tokens[i]!.kind !== "name" && text !== ",") return false;
    }
    return false;
  }

  private argumentsDoc(): Doc {
    this.expect("(");
    const args: Doc[] = [];
    while (!this.accept(")")) {
      args.push(this.layout(this.expression(), "argument"));
      if (!this.accept(",")) {
        this.expect(")");
        break;
      }
    }
    if (args.length === 0) return "()";
    return group(["(", indent([softline, join([",", line], args)]), ifBreak(","), softline, ")"]);
  }

  private primary(): Expr {
    const token = this.next();
    if (token.kind === "string") return { kind: "string", doc: token.text };
    if (token.kind === "name" && token.text === "new") {
      const callee = this.next();
      if (callee.kind !== "name") throw new LayoutSyntaxError("new without a name");
      return { kind: "call", doc: ["new ", callee.text, this.argumentsDoc()] };
    }
    if (token.kind !== "punct") return { kind: "atom", doc: token.text };
    if (token.text === "(") {
      const inner = this.expression();
      this.expect(")");
      return { kind: "paren", doc: "", inner };
    }
    throw new LayoutSyntaxError(`unexpected ${token.text}`);
  }

  /** The layout of `expression` where it stands (Prettier's printBinaryishExpression and friends). */
  layout(expression: Expr, context: Context): Doc {
    if (expression.kind === "paren") {
      const inner = expression.inner!;
      if (inner.kind === "binary" || inner.kind === "logical") {
        return ["(", this.binaryLayout(inner, context), ")"];
      }
      return ["(", this.layout(inner, "member"), ")"];
    }
    if (expression.kind === "binary" || expression.kind === "logical") return this.binaryLayout(expression, context);
    return expression.doc;
  }

  private binaryLayout(expression: Expr, context: Context): Doc {
    const parts = this.binaryParts(expression, context === "if", context);
    if (context === "if") return parts;
    if (context === "unary") return group([indent([softline, ...parts]), softline]);
    if (context === "return" || context === "statement" || context === "assignment") return group(parts);
    const firstGroup = parts.findIndex((part) => typeof part === "object" && !Array.isArray(part) && (part as Group).kind === "group");
    const head = parts.slice(0, firstGroup === -1 ? 1 : firstGroup + 1);
    return group([...head, indent(parts.slice(head.length))]);
  }

  /** Prettier's printBinaryishExpressions: a chain of one precedence flattened, each operator ending its line. */
  private binaryParts(expression: Expr, insideIf: boolean, parent: Context): Doc[] {
    const { operator, left, right } = expression as Required<Pick<Expr, "operator" | "left" | "right">> & Expr;
    const sameChain = (child: Expr) => (child.kind === "binary" || child.kind === "logical") && flattens(operator, child.operator!);
    const operandOf: Context = expression.kind === "logical" ? "operand of logical" : "operand of binary";
    const parts: Doc[] = sameChain(left) ? this.binaryParts(left, insideIf, operandOf) : [group(this.layout(left, operandOf))];
    const rightDoc = [operator, line, this.layout(right, operandOf)];
    // Prettier compares the kinds of the syntax tree's nodes, where parentheses are no node.
    const kindOf = (child: Expr): Expr["kind"] => (child.kind === "paren" ? kindOf(child.inner!) : child.kind);
    const shouldGroup =
      !(insideIf && expression.kind === "logical") &&
      parent !== `operand of ${expression.kind}` &&
      kindOf(left) !== expression.kind &&
      kindOf(right) !== expression.kind;
    parts.push(" ", shouldGroup ? group(rightDoc) : rightDoc);
    return parts;
  }
}

/** Prettier's shouldFlatten: `a + b - c` and `a && b && c` are one chain; `a * b % c` and `a === b === c` are not. */
function flattens(parent: string, child: string): boolean {
  if (PRECEDENCE[parent] !== PRECEDENCE[child]) return false;
  if (parent === "**") return false;
  if (PRECEDENCE[parent] === 7) return false;
  if ((child === "%" && (parent === "*" || parent === "/")) || (parent === "%" && (child === "*" || child === "/"))) return false;
  if (child !== parent && (child === "*" || child === "/") && (parent === "*" || parent === "/")) return false;
  return true;
}

/** Prettier's layouts of `left = right;`: after the operator for strings and operator chains, "fluid" otherwise. */
function assignmentDoc(left: string, right: Expr, layout: (e: Expr, context: Context) => Doc): Doc {
  const rightDoc = layout(right, "assignment");
  if (right.kind === "string" || right.kind === "binary" || right.kind === "logical") {
    return [group([left, " =", group(indent([line, rightDoc]))]), ";"];
  }
  // "fluid": break after `=` only when the right side cannot start on this line.
  const afterOperator = group(indent(line));
  return [group([left, " =", afterOperator, indentIfBreak(afterOperator, rightDoc)]), ";"];
}
