/**
 * What both published commands share before any of tcgen loads: the Node.js they need and the built
 * program they run, each missing piece reported in one line instead of a stack trace.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The oldest Node.js that package.json's `engines` admits. */
const MINIMUM_NODE = [20, 3, 0];

/** An internal error of tcgen, as the CLI exits with it (`EX_SOFTWARE`). */
const INTERNAL_ERROR_EXIT_CODE = 70;

function fail(command, message, exitCode = 1) {
  console.error(`${command}: ${message}`);
  process.exitCode = exitCode;
}

function atLeast(version, minimum) {
  for (let i = 0; i < minimum.length; i++) {
    if ((version[i] ?? 0) !== minimum[i]) return (version[i] ?? 0) > minimum[i];
  }
  return true;
}

/** Runs `program` (relative to bin/) as `command`, or says in one line why it cannot. */
export function launch(command, program) {
  if (!atLeast(process.versions.node.split(".").map(Number), MINIMUM_NODE)) {
    return fail(command, `needs Node.js ${MINIMUM_NODE.join(".")} or later; this is Node.js ${process.version}`);
  }
  // A reader that goes away (`tcgen mock 2>&1 | head -1`) must not crash a server or a backup with an
  // unhandled EPIPE: the command goes on, its further output dropped, as with output to /dev/null.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error) => {
      if (error?.code !== "EPIPE") throw error;
    });
  }
  const file = new URL(program, import.meta.url);
  if (!existsSync(file)) {
    return fail(
      command,
      `${fileURLToPath(file)} is missing: this copy of tcgen was not built. ` +
        "Install tcgen from its package (npm install tcgen, or the tarball of npm pack); in a clone of tcgen, run npm run build.",
    );
  }
  import(file.href).catch((error) => {
    // A package the program imports is not installed next to tcgen (e.g. `npm install --omit=…`, or a
    // node_modules copied without it): name it. Anything else while loading is a bug of tcgen.
    if (error?.code === "ERR_MODULE_NOT_FOUND") {
      return fail(command, `${error.message}. Reinstall tcgen with its dependencies (npm install tcgen).`);
    }
    const debug = process.argv.includes("--debug");
    fail(command, `internal error while loading: ${error?.message ?? error}; this is a bug in tcgen, please report it${debug ? `\n${error?.stack ?? ""}` : " (--debug shows the stack trace)"}`, INTERNAL_ERROR_EXIT_CODE);
  });
}
