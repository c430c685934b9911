/** `tcgen mock`: the emulator from the command line, with the fault-injection flags. */
import { parseArgs } from "node:util";
import { UsageError } from "../scripts/usage-error.js";
import { startMock } from "./index.js";
import { untilStopped } from "./lifetime.js";

export async function runMock(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      port: { type: "string", default: "0" },
      host: { type: "string", default: "127.0.0.1" },
      "secret-id": { type: "string" },
      "secret-key": { type: "string" },
      "no-rate-limit": { type: "boolean", default: false },
      "internal-error-rate": { type: "string" },
      "http-502-rate": { type: "string" },
      "http-503-rate": { type: "string" },
      "drop-rate": { type: "string" },
      latency: { type: "string" },
      "clock-skew": { type: "string" },
      "task-ms": { type: "string" },
      "file-bytes": { type: "string" },
      seed: { type: "string" },
      "exit-on-stdin-close": { type: "boolean", default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0-65535, got "${values.port}"`);
  if (Boolean(values["secret-id"]) !== Boolean(values["secret-key"])) throw new UsageError("--secret-id and --secret-key go together");

  const text = (flag: keyof typeof values) => {
    const value = values[flag];
    return typeof value === "string" ? value : undefined;
  };
  const rate = (flag: keyof typeof values) => {
    const given = text(flag);
    if (given === undefined) return undefined;
    const value = Number(given);
    if (!(value >= 0 && value <= 1)) throw new UsageError(`--${flag} must be a share between 0 and 1, got "${given}"`);
    return value;
  };
  const number = (flag: keyof typeof values) => {
    const given = text(flag);
    if (given === undefined) return undefined;
    const value = Number(given);
    if (!Number.isFinite(value)) throw new UsageError(`--${flag} must be a number, got "${given}"`);
    return value;
  };
  let latencyMs: number | [number, number] | undefined;
  if (values.latency !== undefined) {
    const [min, max] = values.latency.split("-").map(Number);
    if (!(min! >= 0) || (max !== undefined && !(max >= min!))) throw new UsageError(`--latency must be MS or MIN-MAX, got "${values.latency}"`);
    latencyMs = max === undefined ? min! : [min!, max];
  }
  const clockSkew = number("clock-skew");
  const taskMs = number("task-ms");
  const fileBytes = number("file-bytes");
  if (fileBytes !== undefined && !(Number.isInteger(fileBytes) && fileBytes >= 0)) throw new UsageError(`--file-bytes must be a whole number of bytes, got "${values["file-bytes"]}"`);
  const seed = number("seed");
  const faults = {
    ...(values["no-rate-limit"] ? { rateLimit: false } : {}),
    ...optional("internalErrorRate", rate("internal-error-rate")),
    ...optional("http502Rate", rate("http-502-rate")),
    ...optional("http503Rate", rate("http-503-rate")),
    ...optional("dropRate", rate("drop-rate")),
    ...optional("latencyMs", latencyMs),
    ...optional("clockSkewMs", clockSkew === undefined ? undefined : clockSkew * 1000),
    ...optional("seed", seed),
  };

  const mock = await startMock({
    port,
    host: values.host,
    faults,
    world: {
      ...(taskMs === undefined ? {} : { taskQueuedMs: taskMs / 4, taskRunningMs: (taskMs * 3) / 4 }),
      ...optional("fileBytes", fileBytes),
    },
    ...(values["secret-id"] && values["secret-key"] ? { credentials: { secretId: values["secret-id"], secretKey: values["secret-key"] } } : {}),
  });
  // Watching starts before the banner: whoever reads the banner may send a signal at once.
  const stopped = untilStopped({ stdin: values["exit-on-stdin-close"] });
  console.log(`tcgen mock: mongodb 2019-07-25 listening on ${mock.url}`);
  console.log(`  endpoint:   ${mock.url}`);
  console.log(`  secret id:  ${mock.credentials.secretId}`);
  // The emulator's own default key is documented; a key given on the command line is not echoed.
  console.log(`  secret key: ${values["secret-key"] ? "(as given)" : mock.credentials.secretKey}`);
  if (Object.keys(faults).length > 0) console.log(`  faults:     ${JSON.stringify(faults)}`);
  // Until a signal, the exit of the npm/npx process (or whatever started it), or stdin closing if asked.
  const reason = await stopped;
  await mock.close();
  console.log(`tcgen mock: stopped (${reason === "parent-exited" ? "the process that started it exited" : reason === "stdin-closed" ? "stdin closed" : reason})`);
  return 0;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
