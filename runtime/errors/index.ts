/**
 * The errors a tcgen client throws, one per file on a common base class ({@link TcgenError}). Each
 * says what happened in its message and carries the facts as fields, so callers can branch on them
 * without parsing text.
 */
export { TcgenError } from "./tcgen-error.js";
export { TencentCloudApiError } from "./api-error.js";
export { TencentCloudTransportError } from "./transport-error.js";
export { AnswerTooLargeError } from "./answer-too-large-error.js";
export { CredentialsError } from "./credentials-error.js";
export { TimeoutError } from "./timeout-error.js";
export { RequestValidationError } from "./request-validation-error.js";
export { ResponseValidationError } from "./response-validation-error.js";
export { PaginationError } from "./pagination-error.js";
export { WaiterFailedError } from "./waiter-failed-error.js";
export { WaiterTimeoutError } from "./waiter-timeout-error.js";
