/**
 * What the emitted checks of `generated/<service>/validators.ts` call: the report they write issues
 * to, and small helpers for the keywords that need more than an expression. Every check has the
 * signature of `Check`.
 */
import { MAX_DEPTH, MAX_ISSUES, type ValidationIssue, type ValidationResult } from "./validation.js";

/**
 * What a check writes to: the issues found so far, and where the check is (the member names and
 * array indexes from the validated value down to the value being checked). Checks enter and leave
 * keys around calls of other checks; a JSON pointer is made only when an issue is reported, so that
 * valid input costs no string building, and each prefix is made once however many issues share it.
 */
export class ValidationReport {
  /** At most {@link MAX_ISSUES}, in the order found. */
  readonly issues: (ValidationIssue | DeferredIssue)[] = [];
  /**
   * Every issue counts here, also past the cap: `oneOf`/`anyOf` tell a matching branch by it.
   * `issues.length` is always `min(failures, MAX_ISSUES)`.
   */
  failures = 0;
  /** How many `oneOf`/`anyOf` are being tried: what their branches find may be taken back. */
  trying = 0;
  /** Whether an issue was deferred; {@link runCheck} then completes them. */
  deferred = false;
  /** The keys of the current place are `keys[0..depth)`; slots beyond are reused, never shrunk. */
  private readonly keys: (string | number)[] = [];
  private depth = 0;
  /** The pointers of `keys[0..i]` for each `i < made`: made once, kept while those keys stay. */
  private readonly pointers: string[] = [];
  private made = 0;

  enter(key: string | number, next?: string | number): void {
    this.keys[this.depth++] = key;
    if (next !== undefined) this.keys[this.depth++] = next;
  }

  leave(count = 1): void {
    this.depth -= count;
    if (this.made > this.depth) this.made = this.depth;
  }

  /** The RFC 6901 pointer of the current place. */
  pointer(): string {
    let pointer = this.made > 0 ? this.pointers[this.made - 1]! : "";
    for (; this.made < this.depth; this.made++) {
      const key = this.keys[this.made]!;
      pointer += `/${typeof key === "number" ? key : pointerSegment(key)}`;
      this.pointers[this.made] = pointer;
    }
    return pointer;
  }

  /** Forgets what was found since there were `failures`: the issues of `oneOf`/`anyOf` branches that lost. */
  takeBack(failures: number): void {
    this.failures = failures;
    // pop(), not a write to `length`: V8 shrinks arrays by `length` on a slow path.
    while (this.issues.length > Math.min(failures, MAX_ISSUES)) this.issues.pop();
  }
}

/**
 * An issue found while a `oneOf`/`anyOf` is being tried, kept in parts: most are taken back when
 * another branch matches, so their pointers are joined only if they stay.
 */
interface DeferredIssue {
  readonly prefix: string;
  readonly at: string;
  readonly key: string | undefined;
  readonly keyword: string;
  readonly message: string;
}

/** Records the issues of `value` in `report`; `depth` counts members and items entered through `$ref`s. */
export type Check = (value: unknown, report: ValidationReport, depth: number) => void;

/** Runs a check from the root of `value` and turns what it found into a verdict. */
export function runCheck<T>(check: Check, value: unknown): ValidationResult<T> {
  const report = new ValidationReport();
  try {
    check(value, report, 0);
  } catch (error) {
    // MAX_DEPTH keeps recursion well inside a normal stack; this catches the rest (a caller that is
    // itself very deep) so that a validator reports instead of throwing. Where the stack ran out is
    // lost with it: the issue is about the whole value.
    if (!(error instanceof RangeError)) throw error;
    report.takeBack(Math.min(report.failures, MAX_ISSUES - 1));
    report.failures++;
    report.issues.push({ path: "", keyword: "maxDepth", message: "is nested too deeply to validate" });
  }
  if (report.failures === 0) return { ok: true, value: value as T };
  const issues = report.deferred ? report.issues.map(complete) : (report.issues as ValidationIssue[]);
  return { ok: false, issues };
}

function complete(issue: ValidationIssue | DeferredIssue): ValidationIssue {
  if (!("prefix" in issue)) return issue;
  const { prefix, at, key, keyword, message } = issue;
  return { path: key === undefined ? prefix + at : `${prefix}${at}/${pointerSegment(key)}`, keyword, message };
}

/**
 * Records an issue at `at`, a JSON pointer relative to the report's place (`""` for the value there),
 * unless {@link MAX_ISSUES} are already recorded; `key` is an unknown member's name, below `at`.
 */
export function reportIssue(report: ValidationReport, at: string, keyword: string, message: string, key?: string): void {
  if (report.failures++ >= MAX_ISSUES) return;
  const prefix = report.pointer();
  if (report.trying > 0) {
    report.deferred = true;
    report.issues.push({ prefix, at, key, keyword, message });
  } else {
    report.issues.push({ path: key === undefined ? prefix + at : `${prefix}${at}/${pointerSegment(key)}`, keyword, message });
  }
}

/** `required`: the member at `at` is missing. */
export function reportMissing(report: ValidationReport, at: string): void {
  reportIssue(report, at, "required", "is required");
}

/** `additionalProperties: false`: `key` is a member of the object at `at` that the spec does not declare. */
export function reportUnknownMember(report: ValidationReport, at: string, key: string): void {
  reportIssue(report, at, "additionalProperties", "is not a member the spec declares", key);
}

/** `pattern`: the string at `at` does not match `pattern` (the spec's, with the `u` flag). */
export function reportPattern(report: ValidationReport, at: string, pattern: RegExp): void {
  reportIssue(report, at, "pattern", `must match the pattern ${pattern.source}`);
}

/**
 * `type`: the value at `at` is not `expected` (`a string`, `an integer or null`...). An integer that
 * fails where an integer is expected is one beyond ±(2^53 − 1) (the check is `Number.isSafeInteger`):
 * as a number it cannot be exact, so it arrived rounded; that is its own issue, keyword `x-tc-int64`.
 */
export function reportType(report: ValidationReport, at: string, expected: string, value: unknown): void {
  if (typeof value === "number" && Number.isInteger(value) && expected.includes("an integer")) {
    reportIssue(report, at, "x-tc-int64", UNSAFE_INTEGER);
    return;
  }
  reportIssue(report, at, "type", `must be ${expected}, got ${describeType(value)}`);
}

const UNSAFE_INTEGER =
  "is an integer beyond ±(2^53 − 1), which a JavaScript number cannot hold exactly (it may have been rounded); the spec can mark the member x-tc-int64 to carry it as an exact decimal string";

/** An `x-tc-int64` member's value: an integer as a decimal string (`"-12"`, `"9007199254740993"`). */
export function isDecimalInteger(value: unknown): value is `${bigint}` {
  return typeof value === "string" && DECIMAL_INTEGER.test(value);
}
const DECIMAL_INTEGER = /^-?(?:0|[1-9][0-9]*)$/;

/** The issue for a value nested deeper than {@link MAX_DEPTH}. */
export function reportTooDeep(report: ValidationReport): void {
  reportIssue(report, "", "maxDepth", `is nested more than ${MAX_DEPTH} levels deep; not validated further`);
}

/** A JSON object: not null, not an array. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A member name as one JSON pointer segment (RFC 6901: `~` → `~0`, `/` → `~1`). */
export function pointerSegment(key: string): string {
  return NEEDS_ESCAPING.test(key) ? key.replace(/~/g, "~0").replace(/\//g, "~1") : key;
}
const NEEDS_ESCAPING = /[~/]/;

/** The JSON type of a value, for messages: never the value itself, which may be a secret. */
export function describeType(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}

/**
 * Whether a string has fewer than `min` characters, counted as JSON Schema counts them: in Unicode
 * code points, a surrogate pair being one. `.length` alone decides most cases.
 */
export function isShorterThan(text: string, min: number): boolean {
  if (text.length < min) return true;
  // Each code point takes at most two UTF-16 units.
  if (text.length >= 2 * min) return false;
  return codePointLength(text) < min;
}

/** Whether a string has more than `max` characters (code points, like {@link isShorterThan}). */
export function isLongerThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  if (text.length > 2 * max) return true;
  return codePointLength(text) > max;
}

function codePointLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is a single code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    length++;
  }
  return length;
}

/**
 * A string as a regular expression matching exactly it (outside character classes, `u` flag): how
 * `x-tc-field-patterns` rules put one member's value into the pattern of another.
 */
export function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}
