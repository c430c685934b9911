/**
 * A real `redis-server` for the tests (Debian's package; `.ci/run` installs it): 127.0.0.1 at a free
 * port, no persistence (no RDB, no AOF), its working directory a fresh temporary one, removed on stop.
 *
 * Tests that need it use `redisTest` / `describeRedis`: without a redis-server on PATH they are
 * skipped with a message saying so, except under CI (`CI` set), where its absence is a failure.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe } from "vitest";

export const REDIS_SERVER = process.env["REDIS_SERVER"] ?? "redis-server";

/** Whether `redis-server` runs here (`redis-server --version`). */
export const redisServerPresent: boolean = spawnSync(REDIS_SERVER, ["--version"], { stdio: "ignore" }).status === 0;

const MISSING = `redis-server is not installed (apt-get install redis-server); the Redis tests are skipped`;

/** `describe`, skipped with a message when redis-server is absent outside CI; in CI its absence fails. */
export function describeRedis(name: string, body: () => void): void {
  if (redisServerPresent) {
    describe(name, body);
    return;
  }
  if (process.env["CI"]) {
    describe(name, () => {
      throw new Error(`${MISSING.replace("; the Redis tests are skipped", "")}, and CI is set: CI must install it (.ci/run)`);
    });
    return;
  }
  console.warn(`${name}: ${MISSING}`);
  describe.skip(`${name} (skipped: redis-server is not installed)`, body);
}

export interface RunningRedis {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly process: ChildProcess;
  /** Stops the server (SIGTERM, then SIGKILL after 3 s) and removes its directory. */
  stop(): Promise<void>;
}

/** A port that was free a moment ago (redis-server cannot be told to pick one itself). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Starts a redis-server and resolves once it accepts connections; retries with another port if the one picked was taken meanwhile. */
export async function startRedis(): Promise<RunningRedis> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const dir = await mkdtemp(join(tmpdir(), "tcgen-redis-"));
    const port = await freePort();
    try {
      return await launch(dir, port);
    } catch (error) {
      lastError = error;
      await rm(dir, { recursive: true, force: true });
    }
  }
  throw lastError;
}

async function launch(dir: string, port: number): Promise<RunningRedis> {
  const child = spawn(
    REDIS_SERVER,
    ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no", "--loglevel", "notice"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`redis-server did not start within 10 s:\n${output}`)), 10_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("error", (error) => fail(error));
    child.once("exit", (code) => fail(new Error(`redis-server exited with ${code} before it was ready:\n${output}`)));
  });
  child.removeAllListeners("exit");
  child.stdout!.removeAllListeners("data").resume();
  child.stderr!.removeAllListeners("data").resume();
  let stopped: Promise<void> | undefined;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    process: child,
    stop: () =>
      (stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
          child.kill("SIGTERM");
          const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
          await exited;
          clearTimeout(timer);
        }
        await rm(dir, { recursive: true, force: true });
      })()),
  };
}
