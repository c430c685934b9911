import { TcgenError } from "./tcgen-error.js";
import { listIssues, type ValidationIssue } from "../validation/validation.js";

/** A successful answer did not match the spec (wrong type, missing member, unknown enum value...). */
export class ResponseValidationError extends TcgenError {
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
