/** The hand-written runtime every generated client builds on. */
export { createTencentCloudFetch, readEnvelope } from "./client.js";
export type { CallOptions, ClientOptions, Language, ServiceDescriptor } from "./client.js";
export { CREDENTIAL_ENV, credentialsResolver, parseIni } from "./credentials.js";
export type { Credentials, CredentialsOptions, CredentialsProvider, ProvidedCredentials } from "./credentials.js";
export { CredentialsError, TencentCloudApiError, TencentCloudTransportError } from "./errors.js";
export { deriveTc3SigningKey, signTc3, tc3Date } from "./signing.js";
export type { Tc3Credentials, Tc3Request, Tc3Signature } from "./signing.js";
export { TCGEN_VERSION } from "./version.js";
export type { MockActionDefinition, MockAnswer, MockCall, MockHandler, MockOptions, MockRequestRecord, MockRoute, MockServiceDefinition, MockValidation, RunningMock } from "./mock/server.js";
export type { MockFaults, ScriptedFault } from "./mock/faults.js";
export { flattenParams, toQueryString, unflattenParams } from "./wire.js";
export type { ParamShape } from "./wire.js";
