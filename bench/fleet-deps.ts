/**
 * The one place where the fleet bench reaches the generated client and the emulator, through their
 * public entries (`tcgen/mongodb` = generated/mongodb/index.ts, `tcgen/mock/mongodb` =
 * mock/services/mongodb/index.ts).
 */
import * as mongodb from "../generated/mongodb/index.js";

export { createMongodbClient } from "../generated/mongodb/index.js";
export type { MongodbClient } from "../generated/mongodb/index.js";
export { startMongodbMock as startMock } from "../mock/services/mongodb/index.js";
export { MOCK_CREDENTIALS } from "../mock/index.js";
export type { InstanceSeed, RunningMongodbMock } from "../mock/services/mongodb/index.js";

/** Each action's `x-tc-rate-limit`, read from its descriptor: what the shared limiter enforces. */
export const mongodbRateLimits: Readonly<Record<string, number>> = Object.fromEntries(
  (Object.values(mongodb) as unknown[])
    .filter((value): value is { action: string; rateLimit: number } => typeof value === "object" && value !== null && "action" in value && "rateLimit" in value)
    .map((descriptor) => [descriptor.action, descriptor.rateLimit]),
);
