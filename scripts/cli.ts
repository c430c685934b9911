/**
 * `tcgen`: the command line. `generate` runs the generator; `mock` serves a generated service on
 * loopback; `import` and `verify` turn Tencent's definitions into a spec and check a spec against
 * them. Exit codes: 0 done, 1 spec problems, stale files or differences, 2 wrong usage.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "./usage-error.js";

const USAGE = `usage:
  tcgen generate [--spec <file|dir>] [--out <dir>] [--check] [--strict] [--runtime-import <specifier>]
      Generate typed clients from OpenAPI specs (default --spec spec --out generated).
      --check writes nothing and exits 1 naming each file that is not what the spec generates.
      x-tc-review markers are warnings; --strict fails on them.
  tcgen import --defs <dir> [--service <name> --version <YYYY-MM-DD>] [--action <Action>]...
               [--out <file>|-] [--merge] [--dry-run] [--english-api|--english-examples|--english-errors <file>]
      Turn Tencent's definitions into a spec (default spec/<service>/<version>.yaml), or with --merge
      add what an existing spec lacks, changing nothing it has and reporting every difference.
  tcgen verify --defs <dir> [--spec <file|dir>] [--show-declared]
      Compare every action and member of the specs with the definitions; exit 1 on any difference
      the spec does not declare with x-tc-verify.
  tcgen mock [--port <n>] [--host <addr>] [--secret-id <id> --secret-key <key>] [faults]
      Serve the local emulator (default 127.0.0.1, a free port) until SIGINT/SIGTERM/SIGHUP or until the
      process that started it (npm, npx) exits; --exit-on-stdin-close also stops it when stdin closes.
      faults: --no-rate-limit  --internal-error-rate <0-1>  --http-502-rate <0-1>  --http-503-rate <0-1>
              --drop-rate <0-1>  --latency <ms|min-max>  --clock-skew <seconds>  --task-ms <ms>  --seed <n>`;


export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === "generate") return await runGenerate(rest);
    if (command === "import") return await (await import("./import/command.js")).runImportCommand(rest);
    if (command === "verify") return await (await import("./verify/command.js")).runVerify(rest);
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
      strict: { type: "boolean", default: false },
      "runtime-import": { type: "string" },
    },
  });
  // The generator's own dependencies are dev dependencies of tcgen: load them only for this command.
  const [{ generate }, { SpecError, formatProblem }] = await Promise.all([import("./generate.js"), import("./problems.js")]).catch(
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
      strict: values.strict,
      ...(values["runtime-import"] ? { runtimeImport: values["runtime-import"] } : {}),
    });
    for (const warning of result.warnings) console.error(formatProblem(warning));
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
