import { TcgenError } from "./tcgen-error.js";
import { listIssues, type ValidationIssue } from "../validation/validation.js";

/** The request did not match the spec; nothing was sent. */
export class RequestValidationError extends TcgenError {
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
