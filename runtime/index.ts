/** The hand-written runtime every generated client builds on. */
export { createTencentCloudFetch, readEnvelope } from "./client.js";
export type { CallOptions, ClientOptions, Language, ServiceDescriptor } from "./client.js";
export { CREDENTIAL_ENV, resolveCredentials } from "./credentials.js";
export type { Credentials } from "./credentials.js";
export { CredentialsError, TencentCloudApiError, TencentCloudTransportError } from "./errors.js";
export { deriveTc3SigningKey, signTc3, tc3Date } from "./signing.js";
export type { Tc3Credentials, Tc3Request, Tc3Signature } from "./signing.js";
export { TCGEN_VERSION } from "./version.js";
export type { MockAnswer, MockCall, MockHandler, MockOptions, MockRequestRecord, MockServiceDefinition, RunningMock } from "./mock.js";
