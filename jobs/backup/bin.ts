/** The process around `tcgen-backup` (cli.ts): Ctrl-C stops cleanly, the exit code is the run's. */
import { main } from "./cli.js";

const controller = new AbortController();
const interrupt = () => controller.abort(new Error("interrupted"));
// The first Ctrl-C stops cleanly; a second one kills the process the usual way.
process.once("SIGINT", interrupt);
process.once("SIGTERM", interrupt);
process.exitCode = await main(process.argv.slice(2), { signal: controller.signal });
process.removeListener("SIGINT", interrupt);
process.removeListener("SIGTERM", interrupt);
