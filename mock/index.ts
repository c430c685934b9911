/**
 * `tcgen/mock`: the local Tencent Cloud endpoint for tests here and in consuming repositories.
 *
 * ```ts
 * import { startMock } from "tcgen/mock";
 * const mock = await startMock();            // 127.0.0.1, a free port
 * const mongodb = createMongodbClient({ endpoint: mock.url, credentials: mock.credentials });
 * ```
 */
import { mongodbMock } from "../generated/mongodb/mock.js";
import { startMockServer, type MockHandler, type MockOptions, type RunningMock } from "../runtime/mock/server.js";
import { downloadRoute } from "./mongodb/download.js";
import { mongodbHandlers } from "./mongodb/handlers.js";
import { MongodbWorld, type WorldOptions } from "./mongodb/world.js";

export interface StartMockOptions extends Omit<MockOptions, "handlers"> {
  /** The world's seed and timings; default: two instances (a replica set, a 3-shard cluster) and their backups. */
  readonly world?: WorldOptions;
  /** Handlers that replace the world's behaviour for some actions. */
  readonly handlers?: Readonly<Record<string, MockHandler>>;
}

export interface RunningMongodbMock extends RunningMock {
  /** The in-memory world the handlers serve: add instances and backups, inspect or force tasks. */
  readonly world: MongodbWorld;
}

/** Starts the emulator of TencentDB for MongoDB (mongodb 2019-07-25). */
export async function startMock(options: StartMockOptions = {}): Promise<RunningMongodbMock> {
  const world = new MongodbWorld(options.world);
  // The world's clock is the server's: the machine clock plus any injected skew.
  let running: RunningMock | undefined;
  const serverNow = () => (options.now ?? Date.now)() + (running?.faults.clockSkewMs ?? options.faults?.clockSkewMs ?? 0);
  running = await startMockServer(mongodbMock, {
    ...options,
    routes: [downloadRoute(world, serverNow), ...(options.routes ?? [])],
    handlers: { ...mongodbHandlers(world), ...options.handlers },
  });
  return Object.assign(running, { world });
}

export { MOCK_CREDENTIALS } from "../runtime/mock/server.js";
export type { MockAnswer, MockCall, MockHandler, MockOptions, MockRequestRecord, MockRoute } from "../runtime/mock/server.js";
export type { MockFaults, ScriptedFault } from "../runtime/mock/faults.js";
export { MongodbWorld, DEFAULT_INSTANCES, fileChunk } from "./mongodb/world.js";
export type { BackupSeed, DownloadTask, Instance, InstanceSeed, WorldOptions } from "./mongodb/world.js";
