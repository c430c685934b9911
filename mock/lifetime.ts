/**
 * How long `tcgen mock` lives: until a signal (SIGINT, SIGTERM, SIGHUP), until the processes that
 * launched it are gone, or, when asked, until its stdin closes.
 *
 * Signals alone are not enough. `npx tcgen mock` runs as npm → `sh -c` → node: npm forwards SIGINT
 * and SIGTERM to the shell only, which dies without passing them on, and does not forward SIGHUP at
 * all, so the server would outlive the npm process a user or a test runner stopped. So the emulator
 * also watches its launchers: its parent, and on Linux every ancestor up to the npm/npx process that
 * started it (found through /proc), polled twice a second; when one is gone (or a zombie), it stops.
 * Elsewhere it watches its parent only (whether that process still exists).
 */
import { readFileSync } from "node:fs";

export type StopReason = "SIGINT" | "SIGTERM" | "SIGHUP" | "parent-exited" | "stdin-closed";

export interface LifetimeOptions {
  /** Also stop when stdin ends (a supervisor holding a pipe to it closed it, or exited). */
  readonly stdin?: boolean;
  /** How often the launchers are checked, in ms. Default 500. */
  readonly pollMs?: number;
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Resolves with the first reason to stop; every listener and timer is removed by then. */
export function untilStopped(options: LifetimeOptions = {}): Promise<StopReason> {
  return new Promise((resolve) => {
    const cleanups: (() => void)[] = [];
    const stop = (reason: StopReason) => {
      for (const cleanup of cleanups.splice(0)) cleanup();
      resolve(reason);
    };
    for (const signal of SIGNALS) {
      const onSignal = () => stop(signal);
      process.once(signal, onSignal);
      cleanups.push(() => process.removeListener(signal, onSignal));
    }
    if (options.stdin) {
      const onEnd = () => stop("stdin-closed");
      process.stdin.on("end", onEnd).on("close", onEnd).resume();
      cleanups.push(() => {
        process.stdin.removeListener("end", onEnd).removeListener("close", onEnd);
        process.stdin.pause();
      });
    }
    // `process.ppid` is read once at startup; /proc tells the current parent (a reparented process has a new one).
    const ppid = process.ppid;
    const launchers = launcherPids(ppid);
    const timer = setInterval(() => {
      const parent = procInfo(process.pid)?.ppid ?? ppid;
      if (parent !== ppid || launchers.some((pid) => !isAlive(pid))) stop("parent-exited");
    }, options.pollMs ?? 500);
    // The server keeps the process alive; the watch alone must not.
    timer.unref();
    cleanups.push(() => clearInterval(timer));
  });
}

/**
 * The processes whose exit stops the emulator: its parent and, when an npm or npx process is among
 * its ancestors (Linux), every ancestor up to and including that one (the shell npm ran it through,
 * tsx's launcher…). Anything above npm (the user's shell, a CI runner) is not watched.
 */
export function launcherPids(ppid: number): number[] {
  const chain: number[] = [];
  for (let pid = ppid, depth = 0; pid > 1 && depth < 8; depth++) {
    const info = procInfo(pid);
    if (info === undefined) break;
    chain.push(pid);
    if (/\bnpm(-cli\.js)?\b|\bnpx(-cli\.js)?\b|npm exec|npm-cli|npx-cli/.test(info.command)) return chain;
    pid = info.ppid;
  }
  return [ppid];
}

/** A process's parent and command line from /proc (Linux only; undefined elsewhere or once gone). */
function procInfo(pid: number): { ppid: number; command: string; state: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
    const [state, parent] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
    return { ppid: Number(parent), command, state: state ?? "" };
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // A zombie has exited and waits for its own parent to collect it.
  return procInfo(pid)?.state !== "Z";
}
