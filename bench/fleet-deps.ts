/**
 * The one place where the fleet bench reaches the generated client and the emulator, through their
 * public entries (`tcgen/mongodb` = generated/mongodb/index.ts, `tcgen/mock/mongodb` =
 * mock/services/mongodb/index.ts).
 */
export { createMongodbClient } from "../generated/mongodb/index.js";
export type { MongodbClient } from "../generated/mongodb/index.js";
export { startMongodbMock as startMock } from "../mock/services/mongodb/index.js";
export { MOCK_CREDENTIALS } from "../mock/index.js";
export type { InstanceSeed, RunningMongodbMock } from "../mock/services/mongodb/index.js";

export { mongodbRateLimits } from "../jobs/backup/tencent.js";
