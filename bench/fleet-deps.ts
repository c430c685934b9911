/**
 * The one place where the fleet bench reaches the generated client and the emulator, through their
 * public entries (`tcgen/mongodb` = generated/mongodb/index.ts, `tcgen/mock` = mock/index.ts).
 */
export { createMongodbClient, mongodbService } from "../generated/mongodb/index.js";
export type { MongodbClient } from "../generated/mongodb/index.js";
export { startMock, MOCK_CREDENTIALS } from "../mock/index.js";
export type { InstanceSeed, RunningMongodbMock } from "../mock/index.js";
