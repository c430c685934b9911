/** Child processes of the benchmark: always bounded in time, killed by their own pid only. */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, in milliseconds. */
  wallMs: number;
  timedOut: boolean;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
}

/** Runs a program without a shell and resolves when it exits (never rejects). */
export function run(file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(file, [...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      killChild(child);
    }, options.timeoutMs);
    child.on("error", (error) => {
      stderr += `\n${error.message}`;
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, wallMs: Number(process.hrtime.bigint() - started) / 1e6, timedOut });
    });
  });
}

/** Synchronous variant for start-up timing: nothing else runs in this process meanwhile. */
export function runSync(file: string, args: readonly string[], options: RunOptions): RunResult {
  const started = process.hrtime.bigint();
  const result = spawnSync(file, [...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: "utf8",
    timeout: options.timeoutMs,
    killSignal: "SIGKILL",
    maxBuffer: 16 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  return {
    code: result.status,
    signal: result.signal,
    stdout: result.stdout ?? "",
    stderr: `${result.stderr ?? ""}${result.error ? `\n${result.error.message}` : ""}`,
    wallMs,
    timedOut: result.error !== undefined && (result.error as NodeJS.ErrnoException).code === "ETIMEDOUT",
  };
}

export function killChild(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

/** The last line of `stdout` that parses as JSON; throws with the output when there is none. */
export function lastJsonLine<T>(result: RunResult, what: string): T {
  const lines = result.stdout.trim().split("\n").reverse();
  for (const line of lines) {
    if (!line.startsWith("{")) continue;
    try {
      return JSON.parse(line) as T;
    } catch {
      // keep looking
    }
  }
  throw new Error(
    `${what} printed no JSON result (exit ${result.code}${result.signal ? `, ${result.signal}` : ""}${result.timedOut ? ", timed out" : ""})\n` +
      `--- stdout ---\n${result.stdout.slice(-2000)}\n--- stderr ---\n${result.stderr.slice(-4000)}`,
  );
}

/**
 * The environment for nested npm / node processes. Under `npm run bench`, npm exports its own
 * `npm_*` variables (package, lifecycle, prefix...) that would leak into nested npm commands; keep
 * only those that say where the cache and registry are and how to reach them.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const kept = new Set([
    "npm_config_cache",
    "npm_config_registry",
    "npm_config_userconfig",
    "npm_config_globalconfig",
    "npm_config_proxy",
    "npm_config_https_proxy",
    "npm_config_noproxy",
    "npm_config_strict_ssl",
    "npm_config_cafile",
  ]);
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.toLowerCase().startsWith("npm_") && !kept.has(name.toLowerCase())) continue;
    if (name === "INIT_CWD" || name === "NODE_OPTIONS") continue;
    env[name] = value;
  }
  return { ...env, NO_UPDATE_NOTIFIER: "1", npm_config_update_notifier: "false", ...extra };
}
