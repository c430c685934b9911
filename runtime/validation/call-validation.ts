/**
 * When a generated client runs the spec's validators, and what it does with their verdict: the
 * `validate` client option. Requests are checked before anything is sent; successful answers are
 * checked when they arrive, forward compatibly (the answer validators allow members the spec does
 * not know).
 */
import type { Validator } from "./validation.js";
import { RequestValidationError } from "../errors/request-validation-error.js";
import { ResponseValidationError } from "../errors/response-validation-error.js";

/** The `validate` option of every generated client. */
export interface ValidationOptions {
  /**
   * Check each request against the spec before sending it; a mismatch throws
   * `RequestValidationError` and nothing is sent. Default `true`.
   */
  request?: boolean;
  /**
   * What a successful answer that does not match the spec (a wrong type, a missing member, an
   * unknown enum value) does: `"strict"` throws `ResponseValidationError`, `"warn"` hands it to
   * `onWarning` and returns the answer, `"off"` skips the check. Default `"warn"`.
   */
  response?: "strict" | "warn" | "off";
  /**
   * Receives each mismatching answer when `response` is `"warn"`. Default: `console.warn`, once per
   * action and client, so that one drifted field does not flood the log.
   */
  onWarning?: (warning: ResponseValidationError) => void;
}

/** A client's validation policy, applied by each generated method. */
export interface CallValidation {
  /** Throws `RequestValidationError` when `input` does not match; call it before any I/O. */
  checkRequest(action: string, validate: Validator<unknown>, input: unknown): void;
  /** Returns `response`; throws or warns as configured when it does not match. */
  checkResponse<T>(action: string, validate: Validator<T>, response: T): T;
}

export function createCallValidation(options: ValidationOptions = {}): CallValidation {
  const checkRequests = options.request ?? true;
  const responses = options.response ?? "warn";
  const onWarning = options.onWarning ?? warnOncePerAction();
  return {
    checkRequest(action, validate, input) {
      if (!checkRequests) return;
      const result = validate(input);
      if (!result.ok) throw new RequestValidationError({ action, issues: result.issues });
    },
    checkResponse(action, validate, response) {
      if (responses === "off") return response;
      const result = validate(response);
      if (result.ok) return response;
      const requestId = (response as { RequestId?: unknown } | null)?.RequestId;
      const error = new ResponseValidationError({
        action,
        issues: result.issues,
        requestId: typeof requestId === "string" ? requestId : undefined,
      });
      if (responses === "strict") throw error;
      onWarning(error);
      return response;
    },
  };
}

function warnOncePerAction(): (warning: ResponseValidationError) => void {
  const warned = new Set<string>();
  return (warning) => {
    if (warned.has(warning.action)) return;
    warned.add(warning.action);
    console.warn(`${warning.message}\n(warned once per action; see the validate option)`);
  };
}
