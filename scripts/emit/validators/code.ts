/**
 * The small pieces scripts/emit/validators/ writes code with: statements, places in the validated value,
 * local names. Pure text, laid out as Prettier would by scripts/emit/layout.ts. Spec text goes through
 * scripts/emit/spec-text.ts.
 */
import { joinPointer } from "../../lib/utils.js";
import { statement } from "../layout.js";
import { RESERVED_WORDS, stringLiteral } from "../spec-text.js";

/**
 * Runtime names the emitted code may use; checks and constants never take these names, and the check
 * stage refuses schema names among them.
 */
export const RUNTIME_NAMES = [
  "MAX_DEPTH", "ValidationReport", "StandardSchemaV1", "ValidationResult", "escapeRegExp", "isDecimalInteger", "isJsonObject", "isLongerThan",
  "isShorterThan", "pointerSegment", "reportIssue", "reportMissing", "reportPattern", "reportTooDeep", "reportType",
  "reportUnknownMember", "runCheck", "toStandardResult",
];

/**
 * A statement: a line of code, an `if` whose `else` holding a single `if` is written `else if`, or a
 * loop (`loop` is its head, `for (…)`).
 */
export type Stmt = string | { if: string; then: Stmt[]; else?: Stmt[] } | { loop: string; body: Stmt[] };

/** The statements, each line indented by `indentation` columns and laid out as Prettier would (layout.ts). */
export function render(stmts: readonly Stmt[], indentation = 2): string {
  return stmts.map((stmt) => renderStmt(stmt, indentation)).join("\n");
}

function renderStmt(stmt: Stmt, indentation: number): string {
  const pad = " ".repeat(indentation);
  if (typeof stmt === "string") return stmt.split("\n").map((text) => pad + statement(text, indentation)).join("\n");
  const inner = indentation + 2;
  if ("loop" in stmt) return `${pad}${statement(`${stmt.loop} {`, indentation)}\n${render(stmt.body, inner)}\n${pad}}`;
  let text = `${pad}${statement(`if (${stmt.if}) {`, indentation)}\n${render(stmt.then, inner)}\n${pad}}`;
  let rest = stmt.else;
  while (rest !== undefined && rest.length > 0) {
    const only = rest.length === 1 ? rest[0] : undefined;
    if (only !== undefined && typeof only !== "string" && "if" in only) {
      text += `${statement(`} else if (${only.if}) {`, indentation).slice(1)}\n${render(only.then, inner)}\n${pad}}`;
      rest = only.else;
    } else {
      text += ` else {\n${render(rest, inner)}\n${pad}}`;
      rest = undefined;
    }
  }
  return text;
}

type Segment = { readonly name: string } | { readonly index: string } | { readonly key: string };

/**
 * A place inside the value a check function was given, as the segments below it: member names known
 * when generating, and array indexes or map keys known at run time (expressions). At run time the
 * check's own place is the `path` array of keys; a place below it is written two ways:
 * `at()`, the JSON pointer suffix reported with an issue (`"/Tags/" + pointerSegment(key)`), and
 * `pushArgs()`, the keys pushed on `path` before calling another check.
 */
export class Place {
  private constructor(private readonly segments: readonly Segment[]) {}

  static readonly here = new Place([]);

  member(name: string): Place {
    return new Place([...this.segments, { name }]);
  }

  index(expression: string): Place {
    return new Place([...this.segments, { index: expression }]);
  }

  key(expression: string): Place {
    return new Place([...this.segments, { key: expression }]);
  }

  /** The pointer suffix as an expression, built only when an issue is reported. */
  at(): string {
    const parts: string[] = [];
    let text = "";
    for (const segment of this.segments) {
      if ("name" in segment) {
        text += joinPointer(segment.name);
        continue;
      }
      parts.push(stringLiteral(`${text}/`), "index" in segment ? segment.index : `pointerSegment(${segment.key})`);
      text = "";
    }
    if (text !== "" || parts.length === 0) parts.push(stringLiteral(text));
    return parts.join(" + ");
  }

  /** Whether `at()` needs `pointerSegment`. */
  hasKey(): boolean {
    return this.segments.some((segment) => "key" in segment);
  }

  pushArgs(): string[] {
    return this.segments.map((segment) => ("name" in segment ? stringLiteral(segment.name) : "index" in segment ? segment.index : segment.key));
  }
}

/** Words that cannot name a local variable; `undefined` can, but should not. */
const LOCAL_RESERVED = new Set([...RESERVED_WORDS, "undefined"]);

/** Spec text made into part of an identifier: its letters, digits, `_` and `$`, each run after another character capitalised. */
export function identifierPart(hint: string): string {
  return hint
    .split(/[^A-Za-z0-9_$]+/)
    .filter((part) => part !== "")
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
}

/**
 * Local variable names of one function, derived from what they hold and never shadowing the module's
 * names nor the parameters. The module's names are read where they are, not copied: a module has one
 * name or more per schema and one `Locals` per function, so a copy would make the work quadratic.
 */
export class Locals {
  private readonly own: Set<string>;
  constructor(
    private readonly moduleNames: ReadonlySet<string>,
    parameters: Iterable<string>,
  ) {
    this.own = new Set(parameters);
  }

  private taken(name: string): boolean {
    return this.own.has(name) || this.moduleNames.has(name);
  }

  name(hint: string): string {
    let base = hint
      .split(/[^A-Za-z0-9_$]+/)
      .filter((part) => part !== "")
      .map((part, i) => (i === 0 ? part[0]!.toLowerCase() + part.slice(1) : part[0]!.toUpperCase() + part.slice(1)))
      .join("");
    if (base === "") base = "member";
    if (/^[0-9]/.test(base)) base = `_${base}`;
    if (LOCAL_RESERVED.has(base)) base = `${base}Value`;
    let name = base;
    for (let n = 2; this.taken(name); n++) name = `${base}${n}`;
    this.own.add(name);
    return name;
  }

  /** A loop index: `i`, then `j`, `k` for nested loops. */
  index(): string {
    return this.name(["i", "j", "k"].find((n) => !this.taken(n)) ?? "i");
  }
}

/** A condition's negation, without doubled parentheses. */
export function negate(condition: string): string {
  if (/^[A-Za-z_$][\w$.]*\([^()]*\)$/.test(condition) || isParenthesized(condition)) return `!${condition}`;
  const equality = /^(typeof [\w$]+|[\w$]+) === (.+)$/.exec(condition);
  if (equality && !condition.includes("||") && !condition.includes("&&")) return `${equality[1]} !== ${equality[2]}`;
  return `!(${condition})`;
}

function isParenthesized(expression: string): boolean {
  if (!expression.startsWith("(") || !expression.endsWith(")")) return false;
  let depth = 0;
  for (let i = 0; i < expression.length; i++) {
    if (expression[i] === "(") depth++;
    else if (expression[i] === ")" && --depth === 0 && i < expression.length - 1) return false;
  }
  return true;
}

/** `DescribeInstancesRequest` → `DESCRIBE_INSTANCES_REQUEST`. */
export function constantName(hint: string): string {
  const name = hint
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toUpperCase();
  return name === "" || /^[0-9]/.test(name) ? `SCHEMA_${name}` : name;
}

/** Text re-flowed to lines of at most `width` characters, keeping its line breaks and indentation. */
export function wrap(text: string, width = 100): string {
  return text
    .split("\n")
    .map((line) => {
      const indent = /^\s*/.exec(line)![0];
      const lines: string[] = [];
      let current = "";
      for (const word of line.trim().split(/\s+/)) {
        if (current !== "" && indent.length + current.length + 1 + word.length > width) {
          lines.push(indent + current);
          current = word;
        } else current = current === "" ? word : `${current} ${word}`;
      }
      lines.push(indent + current);
      return lines.join("\n");
    })
    .join("\n");
}

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
