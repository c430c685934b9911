#!/usr/bin/env node
/** The `tcgen` executable: runs the CLI and turns its answer into the exit code. */
import { INTERNAL_ERROR_EXIT_CODE, main, reportInternalError } from "./cli/main.js";

// `tcgen mock` is the emulator's own command (mock/cli.ts): the generator's CLI never imports mock/,
// and mock/ is handed the generator only to read `--spec` (scripts/cli/mock-spec.ts).
const argv = process.argv.slice(2).filter((arg) => arg !== "--debug");
const loadSpecMock = async (spec: string, service: string | undefined) => (await import("./cli/mock-spec.js")).loadSpecMock(spec, service);
const run =
  argv[0] === "mock"
    ? import("../mock/cli.js").then(({ runMockCommand }) => runMockCommand(argv.slice(1), process.argv.includes("--debug"), loadSpecMock))
    : main(process.argv.slice(2));
run.then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    reportInternalError(error, process.argv.includes("--debug"));
    process.exitCode = INTERNAL_ERROR_EXIT_CODE;
  },
);
