/**
 * PUBLIC entry of the runtime (`tcgen/runtime`): what users import besides their generated service
 * package. The TC3 signer, the error classes, the credential types and providers, the option and event types and
 * the version. What generated code imports is in ./internal.ts (`tcgen/runtime/internal`), which is
 * not for users.
 */
// The platform's signer (package.json `#crypto`): synchronous on Node, a promise elsewhere (Web Crypto).
export { deriveTc3SigningKey, signTc3, tc3Date } from "#crypto";
export type { Tc3Credentials, Tc3Request, Tc3Signature } from "./request/tc3.js";
export {
  AnswerTooLargeError,
  CredentialsError,
  PaginationError,
  RequestValidationError,
  ResponseValidationError,
  TcgenError,
  TencentCloudApiError,
  TencentCloudTransportError,
  TimeoutError,
  WaiterFailedError,
  WaiterTimeoutError,
} from "./errors/index.js";
export type { Credentials, CredentialsProvider, ProvidedCredentials } from "./credentials.js";
// The credential chain's links, each a provider to pass as `credentials` or to compose with `chain`.
export { chain, defaultChain } from "./credentials/chain.js";
export type { DefaultChainOptions } from "./credentials/chain.js";
export { fromEnv } from "./credentials/env.js";
export type { FromEnvOptions } from "./credentials/env.js";
export { fromProfile } from "./credentials/profile.js";
export type { FromProfileOptions } from "./credentials/profile.js";
export { fromAssumeRole } from "./credentials/assume-role.js";
export type { FromAssumeRoleOptions } from "./credentials/assume-role.js";
export { fromTkeOidc, fromWebIdentity } from "./credentials/web-identity.js";
export type { FromTkeOidcOptions, FromWebIdentityOptions } from "./credentials/web-identity.js";
export { fromInstanceMetadata } from "./credentials/instance-metadata.js";
export type { FromInstanceMetadataOptions } from "./credentials/instance-metadata.js";
export type { StsOptions } from "./credentials/sts.js";
export type { CallOptions, ClientOptions, Language } from "./client/options.js";
export type { Core } from "./client/core.js";
export type { CallEvent, Logger } from "./client/attempts.js";
export type { RetryOptions } from "./policy/retry.js";
export type { ValidationOptions } from "./validation/call-validation.js";
export type { WaiterOptions, WaiterProgress } from "./paging/waiter.js";
export { MAX_ISSUES } from "./validation/validation.js";
export type { StandardSchemaV1, ValidationIssue, ValidationResult, Validator } from "./validation/validation.js";
export { TCGEN_VERSION } from "./version.js";
