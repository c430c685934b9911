/**
 * `tcgen`: the command line. `generate` runs the generator (once, or on every spec change with
 * `--watch`); `diff` classifies spec changes for consumers (scripts/diff/run.ts); `mock` serves a
 * generated service on loopback. Exit codes: 0 done, 1 spec problems or stale files, 2 wrong usage
 * (`diff` has its own, see its usage).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { DIFF_USAGE } from "./diff/usage.js";
import { UsageError } from "./usage-error.js";

const USAGE = `usage:
  tcgen generate [--spec <file|dir>] [--out <dir>] [--check | --watch [--poll]] [--runtime-import <specifier>]
      Generate typed clients from OpenAPI specs (default --spec spec --out generated).
      --check writes nothing and exits 1 naming each file that is not what the spec generates.
      --watch regenerates on every spec change until Ctrl-C; a bad edit prints its problems and
              leaves the output as it was. --poll polls instead of using file-system events.
${DIFF_USAGE}
  tcgen mock [--port <n>] [--host <addr>] [--secret-id <id> --secret-key <key>] [faults]
      Serve the local emulator (default 127.0.0.1, a free port) until SIGINT/SIGTERM/SIGHUP or until the
      process that started it (npm, npx) exits; --exit-on-stdin-close also stops it when stdin closes.
      faults: --no-rate-limit  --internal-error-rate <0-1>  --http-502-rate <0-1>  --http-503-rate <0-1>
              --drop-rate <0-1>  --latency <ms|min-max>  --clock-skew <seconds>  --task-ms <ms>  --seed <n>`;


export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === "generate") return await runGenerate(rest);
    if (command === "diff") return await runDiffCommand(rest);
    // The emulator lives with the services' hand-written behaviour, outside the generic generator.
    if (command === "mock") return await (await import("../mock/cli.js")).runMock(rest);
    if (command === "help" || command === "--help" || command === "-h") {
      console.log(USAGE);
      return 0;
    }
    throw new UsageError(command === undefined ? "no command given" : `unknown command "${command}"`);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`tcgen: ${(error as Error).message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

async function runGenerate(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      spec: { type: "string", default: "spec" },
      out: { type: "string", default: "generated" },
      check: { type: "boolean", default: false },
      watch: { type: "boolean", default: false },
      poll: { type: "boolean", default: false },
      "runtime-import": { type: "string" },
    },
  });
  if (values.watch && values.check) throw new UsageError("--watch and --check do not go together");
  if (values.poll && !values.watch) throw new UsageError("--poll needs --watch");
  if (values.watch) return runWatch(values);
  // The generator's own dependencies are dev dependencies of tcgen: load them only for this command.
  const [{ generate }, { SpecError }] = await Promise.all([import("./generate.js"), import("./problems.js")]).catch(
    (error: unknown) => {
      throw new Error(
        `tcgen generate needs openapi-typescript, typescript, yaml, handlebars and prettier installed next to tcgen (${(error as Error).message})`,
      );
    },
  );
  try {
    const result = await generate({
      spec: values.spec,
      out: values.out,
      check: values.check,
      ...(values["runtime-import"] ? { runtimeImport: values["runtime-import"] } : {}),
    });
    if (values.check) {
      for (const { file, reason } of result.stale) console.error(`${path.join(values.out, file)}: stale (${reason})`);
      if (result.stale.length > 0) {
        console.error(`tcgen: ${result.stale.length} generated file(s) out of date; run \`tcgen generate\``);
        return 1;
      }
      console.log(`tcgen: ${result.files.length} generated files are up to date`);
      return 0;
    }
    console.log(`tcgen: wrote ${result.files.length} files to ${values.out}/`);
    return 0;
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    console.error(error.message);
    console.error(`tcgen: ${error.problems.length} problem(s); nothing was written`);
    return 1;
  }
}

async function runDiffCommand(args: string[]): Promise<number> {
  // Like the generator, the diff reads specs with yaml, a dev dependency of tcgen.
  const { runDiff } = await import("./diff/run.js").catch((error: unknown) => {
    throw new Error(`tcgen diff needs yaml and the generator's dependencies installed next to tcgen (${(error as Error).message})`);
  });
  return runDiff(args);
}

async function runWatch(values: { spec: string; out: string; poll: boolean; "runtime-import"?: string | undefined }): Promise<number> {
  const { watchGenerate } = await import("./watch.js").catch((error: unknown) => {
    throw new Error(`tcgen generate --watch needs chokidar and the generator's dependencies installed next to tcgen (${(error as Error).message})`);
  });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    await watchGenerate({
      spec: values.spec,
      out: values.out,
      poll: values.poll,
      signal: stop.signal,
      ...(values["runtime-import"] ? { runtimeImport: values["runtime-import"] } : {}),
    });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  return 0;
}
