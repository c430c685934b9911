/**
 * What the generated validators (`generated/<service>/validators.ts`) share: the result and issue
 * types, the errors a client throws when a request or an answer does not match the spec, the
 * Standard Schema v1 adapter, and the few helpers the emitted checks call. No validation library:
 * the checks themselves are plain code emitted from the spec.
 */

/** One way a value does not match the spec. */
export interface ValidationIssue {
  /**
   * Where, as an RFC 6901 JSON pointer relative to the validated value (`""` is the value itself,
   * `/Filters/0/Name` a member; `~` and `/` in names are written `~0` and `~1`). A missing or
   * unknown member is reported at the member's own pointer.
   */
  readonly path: string;
  /**
   * The JSON Schema keyword that failed (`type`, `required`, `additionalProperties`, `enum`,
   * `const`, `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `minLength`, `maxLength`,
   * `pattern`, `minItems`, `maxItems`, `oneOf`, `anyOf`), `x-tc-field-patterns` for the spec's
   * rules relating one member to another, or `maxDepth` when nesting goes deeper than {@link MAX_DEPTH}.
   */
  readonly keyword: string;
  /** What is wrong, e.g. `must be a string, got a number`. Never echoes the value itself. */
  readonly message: string;
}

/** A validator's verdict: the value itself (not a copy) when it matches, else every issue found. */
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** A generated validator: any value in, a verdict out. Never throws, never changes the value. */
export type Validator<T> = (value: unknown) => ValidationResult<T>;

/**
 * At most this many issues are reported per validation; the first ones found, in document order.
 * A list this long may be incomplete. The cap keeps hostile input (a 100,000-item array of wrong
 * items) from producing an unbounded report.
 */
export const MAX_ISSUES = 100;

/**
 * How deep a value of a recursive schema is followed, in members and items entered through a `$ref`.
 * A deeper value gets one `maxDepth` issue instead of exhausting the stack; Tencent Cloud sends
 * nothing near this deep.
 */
export const MAX_DEPTH = 2000;

// ---------------------------------------------------------------------------------------------
// Errors thrown by the clients.

/** The request did not match the spec; nothing was sent. */
export class RequestValidationError extends Error {
  override readonly name = "RequestValidationError";
  /** Every issue found, up to {@link MAX_ISSUES}; paths are relative to the request parameters. */
  readonly issues: readonly ValidationIssue[];
  /** The action that was called, e.g. `DescribeInstances`. */
  readonly action: string;

  constructor(fields: { action: string; issues: readonly ValidationIssue[] }) {
    super(`${fields.action}: the request does not match the spec, nothing was sent:${listIssues(fields.issues)}`);
    this.action = fields.action;
    this.issues = fields.issues;
  }
}

/** A successful answer did not match the spec (wrong type, missing member, unknown enum value...). */
export class ResponseValidationError extends Error {
  override readonly name = "ResponseValidationError";
  /** Every issue found, up to {@link MAX_ISSUES}; paths are relative to the `Response` object. */
  readonly issues: readonly ValidationIssue[];
  readonly action: string;
  /** The `RequestId` of the answer, when it has a string one. */
  readonly requestId: string | undefined;

  constructor(fields: { action: string; issues: readonly ValidationIssue[]; requestId: string | undefined }) {
    super(
      `${fields.action}: the answer does not match the spec${fields.requestId ? ` (RequestId ${fields.requestId})` : ""}:` +
        listIssues(fields.issues),
    );
    this.action = fields.action;
    this.issues = fields.issues;
    this.requestId = fields.requestId;
  }
}

/** One line per issue, e.g. `/Filters/0/Name: must be a string, got number [type]`. */
function listIssues(issues: readonly ValidationIssue[]): string {
  let text = "";
  for (const issue of issues) text += `\n  ${issue.path || "(root)"}: ${issue.message} [${issue.keyword}]`;
  return issues.length < MAX_ISSUES ? text : `${text}\n  (stopped at ${MAX_ISSUES} issues)`;
}

// ---------------------------------------------------------------------------------------------
// Standard Schema v1 (https://standardschema.dev), written out here so that nothing is installed for it.

/** The Standard Schema v1 interface: an object with a `~standard` property. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": StandardSchemaV1.Props<Input, Output>;
}

export declare namespace StandardSchemaV1 {
  export interface Props<Input = unknown, Output = Input> {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => Result<Output> | Promise<Result<Output>>;
    readonly types?: Types<Input, Output> | undefined;
  }
  export type Result<Output> = SuccessResult<Output> | FailureResult;
  export interface SuccessResult<Output> {
    readonly value: Output;
    readonly issues?: undefined;
  }
  export interface FailureResult {
    readonly issues: ReadonlyArray<Issue>;
  }
  export interface Issue {
    readonly message: string;
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined;
  }
  export interface PathSegment {
    readonly key: PropertyKey;
  }
  export interface Types<Input = unknown, Output = Input> {
    readonly input: Input;
    readonly output: Output;
  }
  export type InferInput<Schema extends StandardSchemaV1> = NonNullable<Schema["~standard"]["types"]>["input"];
  export type InferOutput<Schema extends StandardSchemaV1> = NonNullable<Schema["~standard"]["types"]>["output"];
}

/** A validator's verdict in Standard Schema form: issue paths as arrays of keys, array indexes as numbers. */
export function toStandardResult<T>(result: ValidationResult<T>): StandardSchemaV1.Result<T> {
  if (result.ok) return { value: result.value };
  return { issues: result.issues.map((issue) => ({ message: issue.message, path: pointerKeys(issue.path) })) };
}

function pointerKeys(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((key) => (/^(0|[1-9][0-9]*)$/.test(key) ? Number(key) : key));
}

// ---------------------------------------------------------------------------------------------
// Helpers of the emitted checks. Every check has the signature of `Check`.

/**
 * What a check writes to: the issues found so far, and where the check is (the member names and
 * array indexes from the validated value down to the value being checked). Checks enter and leave
 * keys around calls of other checks; a JSON pointer is made only when an issue is reported, so that
 * valid input costs no string building, and each prefix is made once however many issues share it.
 */
export class Report {
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
export type Check = (value: unknown, report: Report, depth: number) => void;

/** Runs a check from the root of `value` and turns what it found into a verdict. */
export function runCheck<T>(check: Check, value: unknown): ValidationResult<T> {
  const report = new Report();
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
export function reportIssue(report: Report, at: string, keyword: string, message: string, key?: string): void {
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
export function reportMissing(report: Report, at: string): void {
  reportIssue(report, at, "required", "is required");
}

/** `additionalProperties: false`: `key` is a member of the object at `at` that the spec does not declare. */
export function reportUnknownMember(report: Report, at: string, key: string): void {
  reportIssue(report, at, "additionalProperties", "is not a member the spec declares", key);
}

/** `pattern`: the string at `at` does not match `pattern` (the spec's, with the `u` flag). */
export function reportPattern(report: Report, at: string, pattern: RegExp): void {
  reportIssue(report, at, "pattern", `must match the pattern ${pattern.source}`);
}

/** `type`: the value at `at` is not `expected` (`a string`, `an integer or null`...). */
export function reportType(report: Report, at: string, expected: string, value: unknown): void {
  reportIssue(report, at, "type", `must be ${expected}, got ${describeType(value)}`);
}

/** The issue for a value nested deeper than {@link MAX_DEPTH}. */
export function reportTooDeep(report: Report): void {
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
