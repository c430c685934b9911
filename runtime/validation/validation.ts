/**
 * What the generated validators (`generated/<service>/validators.ts`) give their users: the result
 * and issue types, the errors a client throws when a request or an answer does not match the spec,
 * and the Standard Schema v1 adapter. What the emitted checks call is in ./checks.ts. No validation
 * library: the checks themselves are plain code emitted from the spec.
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
  /** What is wrong, e.g. `must be a string, got number`. Never echoes the value itself. */
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



/** One line per issue, e.g. `/Filters/0/Name: must be a string, got number [type]`. */
export function listIssues(issues: readonly ValidationIssue[]): string {
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
  return pointerSegments(pointer).map((key) => (/^(0|[1-9][0-9]*)$/.test(key) ? Number(key) : key));
}

/** The member names of an issue's JSON pointer, decoded (RFC 6901: `~1` → `/`, `~0` → `~`); `""` is the root. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
}
