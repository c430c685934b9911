#!/usr/bin/env node
/** The `tcgen` executable: runs the CLI and turns its answer into the exit code. */
import { INTERNAL_ERROR_EXIT_CODE, main, reportInternalError } from "./cli/main.js";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    reportInternalError(error, process.argv.includes("--debug"));
    process.exitCode = INTERNAL_ERROR_EXIT_CODE;
  },
);
