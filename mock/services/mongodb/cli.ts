/** `tcgen mock --service mongodb`: the flags of the mongodb world. */
import type { MockService } from "../index.js";
import { startMongodbMock } from "./index.js";

export const mongodbCli: MockService = {
  label: "mongodb 2019-07-25",
  flags: { "task-ms": { type: "string" }, "file-bytes": { type: "string" } },
  help: `      mongodb: --task-ms <ms> (how long a download task takes)  --file-bytes <n> (size of each backup file)`,
  async start(options, fail) {
    const number = (flag: string) => {
      const given = options.values[flag];
      if (typeof given !== "string") return undefined;
      const value = Number(given);
      if (!Number.isFinite(value)) fail(`--${flag} must be a number, got "${given}"`);
      return value;
    };
    const taskMs = number("task-ms");
    const fileBytes = number("file-bytes");
    if (fileBytes !== undefined && !(Number.isInteger(fileBytes) && fileBytes >= 0)) fail(`--file-bytes must be a whole number of bytes, got "${String(options.values["file-bytes"])}"`);
    return startMongodbMock({
      port: options.port,
      host: options.host,
      faults: options.faults,
      world: {
        ...(taskMs === undefined ? {} : { taskQueuedMs: taskMs / 4, taskRunningMs: (taskMs * 3) / 4 }),
        ...(fileBytes === undefined ? {} : { fileBytes }),
      },
      ...(options.credentials ? { credentials: options.credentials } : {}),
    });
  },
};
