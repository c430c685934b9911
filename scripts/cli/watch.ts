/**
 * `tcgen generate --watch`: generate, then regenerate whenever a spec under `--spec` changes. Saves
 * are debounced (an editor's save is often several file-system events), a save during a run queues
 * one more run, and a bad edit prints its positioned problems and leaves the output as it was (the
 * generator writes nothing unless every spec is valid). chokidar watches rather than `fs.watch`:
 * editors that save by renaming a new file over the old one end an `fs.watch` of that file, and
 * Node 20's recursive `fs.watch` on Linux misses directories created after it starts.
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { watch } from "chokidar";
import { generate, type GenerateOptions } from "../generate.js";
import { formatProblem, SpecError } from "../spec/problems.js";

export interface WatchOptions extends GenerateOptions {
  /** Quiet time after the last event before regenerating. */
  readonly debounceMs?: number;
  /** Poll the file system instead of inotify (network file systems, some containers). */
  readonly poll?: boolean;
  /** Stops watching; the promise resolves once the watcher is closed. */
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
  readonly logError?: (line: string) => void;
}

const SPEC_FILE = /\.ya?ml$/;

export async function watchGenerate(options: WatchOptions): Promise<void> {
  const cwd = options.cwd ?? process.cwd();
  const log = options.log ?? ((line) => console.log(line));
  const logError = options.logError ?? ((line) => console.error(line));
  const debounceMs = options.debounceMs ?? 50;
  const specPath = path.resolve(cwd, options.spec);
  const shownOut = path.relative(cwd, path.resolve(cwd, options.out)) || ".";

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let changed = new Set<string>();

  const regenerate = async (files: string[]) => {
    const started = performance.now();
    // The save's own time: how long the user waited is measured from it, debounce included.
    const savedAt = Math.max(0, ...(await Promise.all(files.map((f) => stat(f).then((s) => s.mtimeMs, () => 0)))));
    try {
      const result = await generate({ spec: options.spec, out: options.out, cwd, ...(options.runtimeImport ? { runtimeImport: options.runtimeImport } : {}) });
      const took = Math.round(performance.now() - started);
      const sinceSave = savedAt > 0 ? `, ${Math.max(0, Math.round(Date.now() - savedAt))} ms after the save` : "";
      log(`tcgen: wrote ${result.files.length} files to ${shownOut}/ in ${took} ms${sinceSave}`);
    } catch (error) {
      if (error instanceof SpecError) {
        logError(error.problems.map(formatProblem).join("\n"));
        logError(`tcgen: ${error.problems.length} problem(s); ${shownOut}/ left as it was, still watching`);
      } else {
        // A generator bug must not end the session either; say it is ours.
        logError(`tcgen: the generator failed (a bug in tcgen, not in the spec): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        logError(`tcgen: ${shownOut}/ left as it was, still watching`);
      }
    }
  };

  const flush = () => {
    timer = undefined;
    if (running) return; // the run in progress schedules the next one when it ends
    const files = [...changed];
    changed = new Set();
    running = regenerate(files).finally(() => {
      running = undefined;
      if (changed.size > 0) schedule();
    });
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
  };

  await regenerate([]);
  const watcher = watch(specPath, {
    ignoreInitial: true,
    usePolling: options.poll ?? false,
    interval: 100,
    ignored: (file, stats) => stats?.isFile() === true && !SPEC_FILE.test(file),
  });
  watcher.on("all", (event, file) => {
    if (!SPEC_FILE.test(file) && event !== "unlinkDir" && event !== "addDir") return;
    changed.add(file);
    schedule();
  });
  watcher.on("error", (error) => logError(`tcgen: watching ${options.spec}: ${String(error)}`));
  await new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  log(`tcgen: watching ${path.relative(cwd, specPath) || "."} for changes (Ctrl-C to stop)`);

  await new Promise<void>((resolve) => {
    if (options.signal?.aborted) return resolve();
    options.signal?.addEventListener("abort", () => resolve(), { once: true });
  });
  if (timer) clearTimeout(timer);
  await watcher.close();
  await running;
}
