/**
 * `tcgen mock`: the emulator from the command line, with the fault-injection flags. Reached from
 * the `tcgen` entry (scripts/tcgen.ts), never from the generator's CLI: it handles its own usage
 * errors (exit 2) and failures (exit 1). `--service` picks the service (mock/services/); the help
 * shows a service's own flags only when it is selected. `--spec` serves any spec's service from its
 * examples; the generator that reads it is handed in by the entry (mock/ never imports scripts/).
 */
import { parseArgs } from "node:util";
import type { MockServiceDefinition } from "./definition.js";
import { untilStopped } from "./lifetime.js";
import { startMock } from "./server.js";
import { MOCK_SERVICES, type MockService } from "./services/index.js";

const DEFAULT_SERVICE = "mongodb";

export const MOCK_USAGE = `Usage:
  tcgen mock [--service <name>] [--spec <file|dir>] [--port <n>] [--host <addr>] [--secret-id <id> --secret-key <key>] [faults]
      Serve the local emulator of a service (one of: ${Object.keys(MOCK_SERVICES).join(", ")}; the first by default) on 127.0.0.1
      and a free port, until SIGINT/SIGTERM/SIGHUP or until the process that started it (npm, npx) exits;
      --exit-on-stdin-close also stops it when stdin closes. \`tcgen mock --service <name> --help\` adds the service's own flags.
      --spec serves the service a spec describes (with --service if it describes several): the spec's
             example answers, requests checked against its validators.
      faults: --no-rate-limit  --internal-error-rate <0-1>  --http-502-rate <0-1>  --http-503-rate <0-1>
              --drop-rate <0-1>  --latency <ms|min-max>  --clock-skew <seconds>  --seed <n>`;

const COMMON_FLAGS = {
  service: { type: "string" },
  spec: { type: "string" },
  help: { type: "boolean", default: false },
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
  seed: { type: "string" },
  "exit-on-stdin-close": { type: "boolean", default: false },
} as const;

class MockUsageError extends Error {}

/** How `--spec` is read: the generator, given by the `tcgen` entry (scripts/cli/mock-spec.ts). */
export type LoadSpecMock = (spec: string, service: string | undefined) => Promise<{ label: string; definition: MockServiceDefinition }>;

/** Runs `tcgen mock <args>`; resolves with the exit code. */
export async function runMockCommand(args: string[], debug = false, loadSpecMock?: LoadSpecMock): Promise<number> {
  let service: MockService | undefined;
  try {
    return await runMock(args, (selected) => (service = selected), loadSpecMock);
  } catch (error) {
    if (error instanceof MockUsageError || (error as { code?: unknown }).code?.toString().startsWith("ERR_PARSE_ARGS")) {
      console.error(`tcgen mock: ${(error as Error).message}\n${MOCK_USAGE}${service ? `\n${service.help}` : ""}`);
      return 2;
    }
    // The emulator fails for reasons of its surroundings (a port in use), reported as they are.
    console.error(`tcgen mock: ${error instanceof Error ? (debug ? (error.stack ?? error.message) : error.message) : String(error)}`);
    return 1;
  }
}

async function runMock(args: string[], selected: (service: MockService) => void, loadSpecMock: LoadSpecMock | undefined): Promise<number> {
  const fail = (message: string): never => {
    throw new MockUsageError(message);
  };
  const early = parseArgs({ args, strict: false, options: { service: { type: "string" }, spec: { type: "string" } } }).values;
  const chosen = early.service as string | undefined;
  const spec = early.spec as string | undefined;
  // Without --spec, a service with behaviour of its own (mock/services/); with it, the spec's service.
  const load = spec === undefined ? MOCK_SERVICES[chosen ?? DEFAULT_SERVICE] : undefined;
  if (spec === undefined && load === undefined) fail(`--service: no emulator for "${chosen}" (known: ${Object.keys(MOCK_SERVICES).join(", ")}; or serve a spec with --spec)`);
  const builtIn = load === undefined ? undefined : await load();
  // A service's own flags are shown when it is named, not for the default.
  if (chosen !== undefined && builtIn !== undefined) selected(builtIn);
  const { values } = parseArgs({ args, strict: true, options: { ...COMMON_FLAGS, ...builtIn?.flags } });
  if (values.help) {
    console.log(chosen === undefined || builtIn === undefined ? MOCK_USAGE : `${MOCK_USAGE}\n${builtIn.help}`);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0-65535, got "${values.port}"`);
  if (Boolean(values["secret-id"]) !== Boolean(values["secret-key"])) fail("--secret-id and --secret-key go together");

  const text = (flag: keyof typeof values) => {
    const value = values[flag];
    return typeof value === "string" ? value : undefined;
  };
  const rate = (flag: keyof typeof values) => {
    const given = text(flag);
    if (given === undefined) return undefined;
    const value = Number(given);
    if (!(value >= 0 && value <= 1)) fail(`--${String(flag)} must be a share between 0 and 1, got "${given}"`);
    return value;
  };
  const number = (flag: keyof typeof values) => {
    const given = text(flag);
    if (given === undefined) return undefined;
    const value = Number(given);
    if (!Number.isFinite(value)) fail(`--${String(flag)} must be a number, got "${given}"`);
    return value;
  };
  let latencyMs: number | [number, number] | undefined;
  const latency = text("latency");
  if (latency !== undefined) {
    const [min, max] = latency.split("-").map(Number);
    if (!(min! >= 0) || (max !== undefined && !(max >= min!))) fail(`--latency must be MS or MIN-MAX, got "${latency}"`);
    latencyMs = max === undefined ? min! : [min!, max];
  }
  const clockSkew = number("clock-skew");
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
  const secretId = text("secret-id");
  const secretKey = text("secret-key");
  if (spec !== undefined && loadSpecMock === undefined) fail("--spec needs the generator: run it as `tcgen mock`");
  // The spec is read once the flags are known to be right: generating it takes a moment.
  const service = builtIn ?? specService(await loadSpecMock!(spec!, chosen));
  const mock = await service.start(
    { port, host: text("host") ?? "127.0.0.1", faults, values, ...(secretId && secretKey ? { credentials: { secretId, secretKey } } : {}) },
    fail,
  );
  // Watching starts before the banner: whoever reads the banner may send a signal at once.
  const stopped = untilStopped({ stdin: values["exit-on-stdin-close"] === true });
  console.log(`tcgen mock: ${service.label} listening on ${mock.url}`);
  console.log(`  endpoint:   ${mock.url}`);
  console.log(`  secret id:  ${mock.credentials.secretId}`);
  // The emulator's own default key is documented; a key given on the command line is not echoed.
  console.log(`  secret key: ${secretKey ? "(as given)" : mock.credentials.secretKey}`);
  if (Object.keys(faults).length > 0) console.log(`  faults:     ${JSON.stringify(faults)}`);
  // Until a signal, the exit of the npm/npx process (or whatever started it), or stdin closing if asked.
  const reason = await stopped;
  await mock.close();
  console.log(`tcgen mock: stopped (${reason === "parent-exited" ? "the process that started it exited" : reason === "stdin-closed" ? "stdin closed" : reason})`);
  return 0;
}

/** A spec's service served by the generic emulator: example answers, no flags of its own. */
function specService(loaded: Awaited<ReturnType<LoadSpecMock>>): MockService {
  return {
    label: loaded.label,
    flags: {},
    help: "",
    start: (options) =>
      startMock(loaded.definition, { port: options.port, host: options.host, faults: options.faults, ...(options.credentials ? { credentials: options.credentials } : {}) }),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
