/** The hand-written runtime every generated client builds on. */
export { DEFAULT_IDLE_TIMEOUT_MS } from "./client/core.js";
export type { Core } from "./client/core.js";
export { ACCEPT_ENCODING, DEFAULT_MAX_ANSWER_BYTES } from "./answer.js";
export { DEFAULT_ATTEMPT_TIMEOUT_MS, DEFAULT_TIMEOUT_MS } from "./call.js";
export type { AbortLike } from "./deadline.js";
export { MAX_GET_QUERY_BYTES, prepareRequest } from "./prepare.js";
export type { PreparedRequest, RequestSettings } from "./prepare.js";
export type { CallOptions, ClientOptions, Language } from "./client/options.js";
export type { CallEvent, Logger } from "./call.js";
export { readEnvelope } from "./envelope.js";
export type { EnvelopeOptions, TextResult } from "./envelope.js";
export { resolveEndpoint } from "./endpoints.js";
export { DEFAULT_RETRY, isThrottling } from "./retry.js";
export type { RetryOptions } from "./retry.js";
export { CREDENTIAL_ENV, CREDENTIALS_TIMEOUT_MS, credentialsResolver, parseIni } from "./credentials.js";
export type { Credentials, CredentialsOptions, CredentialsProvider, CredentialsSource, ProvidedCredentials } from "./credentials.js";
export { AnswerTooLargeError, CredentialsError, TencentCloudApiError, TencentCloudTransportError, TimeoutError } from "./errors.js";
export { collect, paginate, PaginationError } from "./paginate.js";
export type { PaginatorDefinition } from "./paginate.js";
export { DEFAULT_WAITER_TIMEOUT_MS, waitForItems, WaiterFailedError, WaiterTimeoutError } from "./waiter.js";
export type { WaiterDefinition, WaiterOptions, WaiterProgress } from "./waiter.js";
export { deriveTc3SigningKey, signTc3, tc3Date } from "./signing.js";
export type { Tc3Credentials, Tc3Request, Tc3Signature } from "./signing.js";
export { TCGEN_VERSION } from "./version.js";
export type { MockActionDefinition, MockServiceDefinition, MockValidation } from "./mock/definition.js";
export { flattenParams, toQueryString, unflattenParams } from "./wire.js";
export type { ParamShape } from "./wire.js";
export { createCallValidation } from "./call-validation.js";
export { answerPlan, parseJsonExact, parseWithInt64, requestPlan, stringifyWithInt64 } from "./int64.js";
export type { Int64Plan, Int64Plans } from "./int64.js";
export type { CallValidation, ValidationOptions } from "./call-validation.js";
export { MAX_DEPTH, MAX_ISSUES, RequestValidationError, ResponseValidationError, toStandardResult } from "./validation.js";
export type { StandardSchemaV1, ValidationIssue, ValidationResult, Validator } from "./validation.js";
export {
  describeType,
  escapeRegExp,
  isDecimalInteger,
  isJsonObject,
  isLongerThan,
  isShorterThan,
  pointerSegment,
  ValidationReport,
  reportIssue,
  reportMissing,
  reportPattern,
  reportTooDeep,
  reportType,
  reportUnknownMember,
  runCheck,
} from "./checks.js";
export type { Check } from "./checks.js";
