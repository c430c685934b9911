/**
 * `tcgen/mock/mongodb`: the emulator of TencentDB for MongoDB (mongodb 2019-07-25), the generic
 * emulator (../../server.ts) given an in-memory world of instances, backups and download tasks.
 *
 * ```ts
 * import { startMongodbMock } from "tcgen/mock/mongodb";
 * const mock = await startMongodbMock();            // 127.0.0.1, a free port
 * const mongodb = createMongodbClient({ endpoint: mock.url, credentials: mock.credentials });
 * ```
 */
import { mongodbMock } from "../../../generated/mongodb/mock.js";
import { startMock, type MockHandler, type MockOptions, type RunningMock } from "../../server.js";
import { downloadRoute, startBackupFiles, withFreshUrls, type BackupFiles, type BackupFilesOptions } from "./download.js";
import { mongodbHandlers } from "./handlers.js";
import { MongodbWorld, type WorldOptions } from "./world.js";

export interface StartMongodbMockOptions extends Omit<MockOptions, "handlers"> {
  /** The world's seed and timings; default: two instances (a replica set, a 3-shard cluster) and their backups. */
  readonly world?: WorldOptions;
  /** Handlers that replace the world's behaviour for some actions. */
  readonly handlers?: Readonly<Record<string, MockHandler>>;
  /** The COS-like serving of the tasks' files: URL lifetime, sizes, faults (see download.ts). */
  readonly files?: BackupFilesOptions;
}

export interface RunningMongodbMock extends RunningMock {
  /** The in-memory world the handlers serve: add instances and backups, inspect or force tasks. */
  readonly world: MongodbWorld;
  /** The COS-like server of the tasks' files and the keys of their objects. */
  readonly files: BackupFiles;
}

/** Starts the emulator of TencentDB for MongoDB (mongodb 2019-07-25). */
export async function startMongodbMock(options: StartMongodbMockOptions = {}): Promise<RunningMongodbMock> {
  const world = new MongodbWorld(options.world);
  // The world's clock is the server's: the machine clock plus any injected skew.
  let running: RunningMock | undefined;
  const serverNow = () => (options.now ?? Date.now)() + (running?.faults.clockSkewMs ?? options.faults?.clockSkewMs ?? 0);
  const files = await startBackupFiles(world, serverNow, options.files);
  const handlers = mongodbHandlers(world);
  handlers["DescribeBackupDownloadTask"] = withFreshUrls(handlers["DescribeBackupDownloadTask"]!, world, files);
  try {
    running = await startMock(mongodbMock, {
      ...options,
      routes: [downloadRoute(world, serverNow, files), ...(options.routes ?? [])],
      handlers: { ...handlers, ...options.handlers },
    });
  } catch (error) {
    await files.close();
    throw error;
  }
  const close = running.close.bind(running);
  return Object.assign(running, { world, files, close: () => Promise.all([close(), files.close()]).then(() => {}) });
}

export { MongodbWorld, DEFAULT_INSTANCES, fileChunk } from "./world.js";
export type { BackupFiles, BackupFilesOptions } from "./download.js";
export type { BackupSeed, DownloadTask, Instance, InstanceSeed, WorldOptions } from "./world.js";
