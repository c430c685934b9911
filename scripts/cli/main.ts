/**
 * `tcgen`: the command line. `generate` runs the generator (once, or on every spec change with
 * `--watch`); `diff` classifies spec changes for consumers (scripts/diff/run.ts); `mock` serves a
 * generated service on loopback; `import` and `verify` turn Tencent's definitions into a spec and
 * check a spec against them. Exit codes: 0 done; 1 spec problems, stale files, differences, or
 * files that cannot be read or written; 2 wrong usage; 70 an internal error of tcgen (a bug: the
 * message says so, `--debug` adds the stack trace). `diff` has its own, see its usage.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { DIFF_USAGE } from "../diff/usage.js";
import { UsageError } from "../usage-error.js";

/** `EX_SOFTWARE` of sysexits.h: "an internal software error has been detected". */
export const INTERNAL_ERROR_EXIT_CODE = 70;

/** The generator could not do its work for a reason outside it (a missing dependency, a file it cannot write). */
class CannotRunError extends Error {}

const USAGE = `usage:
  tcgen generate [--spec <file|dir>] [--out <dir>] [--check | --watch [--poll]] [--strict] [--runtime-import <specifier>]
      Generate typed clients from OpenAPI specs (default --spec spec --out generated).
      --check writes nothing and exits 1 naming each file that is not what the spec generates.
      --watch regenerates on every spec change until Ctrl-C; a bad edit prints its problems and
              leaves the output as it was. --poll polls instead of using file-system events.
      x-tc-review markers are warnings; --strict fails on them.
      --debug prints the stack trace of an internal error.
  tcgen import --defs <dir> [--service <name> --version <YYYY-MM-DD>] [--action <Action>]...
               [--out <file>|-] [--merge] [--dry-run] [--english-api|--english-examples|--english-errors <file>]
      Turn Tencent's definitions into a spec (default spec/<service>/<version>.yaml), or with --merge
      add what an existing spec lacks, changing nothing it has and reporting every difference.
  tcgen verify --defs <dir> [--spec <file|dir>] [--show-declared]
      Compare every action and member of the specs with the definitions; exit 1 on any difference
      the spec does not declare with x-tc-verify.
${DIFF_USAGE}
  tcgen mock [--service <name>] [--port <n>] [options]
      Serve the local emulator; \`tcgen mock --help\` lists its options.`;


export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes("--debug");
  const [command, ...rest] = argv.filter((arg) => arg !== "--debug");
  try {
    // Anything these throw that is not wrong usage or an outside failure is a bug of tcgen.
    const guarded = (run: () => Promise<number>) =>
      run().catch((error: unknown) => {
        if (error instanceof UsageError || isParseArgsError(error)) throw error;
        if (error instanceof CannotRunError) {
          console.error(`tcgen: ${error.message}`);
          return 1;
        }
        reportInternalError(error, debug);
        return INTERNAL_ERROR_EXIT_CODE;
      });
    // `tcgen <command> --help` is a question, not wrong usage (diff and mock answer it themselves).
    if ((command === "generate" || command === "import" || command === "verify") && (rest.includes("--help") || rest.includes("-h"))) {
      console.log(USAGE);
      return 0;
    }
    if (command === "generate") return await guarded(() => runGenerate(rest));
    if (command === "import") return await guarded(async () => (await import("../import/command.js")).runImportCommand(rest));
    if (command === "verify") return await guarded(async () => (await import("../verify/command.js")).runVerify(rest));
    if (command === "diff") return await runDiffCommand(rest);
    if (command === "help" || command === "--help" || command === "-h") {
      console.log(USAGE);
      return 0;
    }
    throw new UsageError(command === undefined ? "no command given" : `unknown command "${command}"`);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      console.error(`tcgen: ${(error as Error).message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

function isParseArgsError(error: unknown): boolean {
  return typeof error === "object" && error !== null && String((error as { code?: unknown }).code).startsWith("ERR_PARSE_ARGS");
}

/**
 * Anything the generator throws other than spec problems is a bug of tcgen, and must not look like
 * the user's mistake: it says so, and shows the stack only when asked.
 */
export function reportInternalError(error: unknown, debug: boolean): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`tcgen: internal error: ${message}`);
  console.error("tcgen: this is a bug in tcgen, not a problem with the spec; please report it" + (debug ? ":" : " (run again with --debug for the stack trace)"));
  if (debug) console.error(error instanceof Error ? (error.stack ?? message) : message);
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
      watch: { type: "boolean", default: false },
      poll: { type: "boolean", default: false },
      "runtime-import": { type: "string" },
    },
  });
  if (values.watch && values.check) throw new UsageError("--watch and --check do not go together");
  if (values.poll && !values.watch) throw new UsageError("--poll needs --watch");
  if (values.watch) return runWatch(values);
  // The generator's own dependencies are dev dependencies of tcgen: load them only for this command.
  const [{ generate }, { SpecError, formatProblem }, { OutputError }] = await Promise.all([import("../generate.js"), import("../spec/problems.js"), import("../write.js")]).catch(
    (error: unknown) => {
      throw new CannotRunError(
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
    if (error instanceof OutputError) throw new CannotRunError(error.message);
    if (!(error instanceof SpecError)) throw error;
    console.error(error.message);
    console.error(`tcgen: ${error.problems.length} problem(s); nothing was written`);
    return 1;
  }
}

async function runDiffCommand(args: string[]): Promise<number> {
  // Like the generator, the diff reads specs with yaml, a dev dependency of tcgen.
  const { runDiff } = await import("../diff/run.js").catch((error: unknown) => {
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
