/**
 * `tcgen/mock`: the local Tencent Cloud endpoint for tests here and in consuming repositories. It
 * serves any generated service from its emulator definition (the generated `mock.ts`): TC3
 * signatures verified, requests validated against the spec, documented examples answered, faults
 * injected on demand; `handlers` give actions their behaviour.
 *
 * ```ts
 * import { startMock } from "tcgen/mock";
 * import { cvmMock, createCvmClient } from "./generated/cvm/index.js";
 * const mock = await startMock(cvmMock);            // 127.0.0.1, a free port
 * const cvm = createCvmClient({ endpoint: mock.url, credentials: mock.credentials });
 * ```
 *
 * The emulator of TencentDB for MongoDB, with its in-memory world, is `tcgen/mock/mongodb`
 * (mock/services/mongodb/). STS and the CVM metadata service, which issue temporary credentials into
 * a shared KeyStore that every emulator given it accepts, are here too.
 */
export { MOCK_CREDENTIALS, startMock } from "./server.js";
export type { MockAnswer, MockCall, MockHandler, MockOptions, MockRequestRecord, MockRoute, RunningMock } from "./server.js";
export type { MockActionDefinition, MockServiceDefinition, MockValidation } from "./definition.js";
export type { MockFaults, ScriptedFault } from "./faults.js";
export { KeyStore } from "./keys.js";
export type { StoredKey } from "./keys.js";
export { startStsMock } from "./services/sts/index.js";
export type { RunningStsMock, StartStsMockOptions } from "./services/sts/index.js";
export { startMetadataMock } from "./services/metadata/index.js";
export type { MetadataBehaviour, RunningMetadataMock, StartMetadataMockOptions } from "./services/metadata/index.js";
