/**
 * Progress output for examples/download-backup.ts: a redrawn bar (bytes, rate, ETA) when stdout is a
 * terminal, one plain line per file when it is not (CI logs, pipes, tests).
 */
import type { WriteStream } from "node:tty";

const BAR_WIDTH = 24;
/** Redraws at most this often; the final state is always drawn. */
const REDRAW_MS = 100;

export interface FileProgress {
  /** Called with each chunk's size. */
  add(bytes: number): void;
  /** Draws the final state and ends the line. */
  finish(note: string): void;
  /** Ends the line after a failure, without claiming success. */
  fail(note: string): void;
}

export function fileProgress(label: string, totalBytes: number, out: NodeJS.WriteStream = process.stdout, now = () => performance.now()): FileProgress {
  const tty = out.isTTY === true;
  const started = now();
  let received = 0;
  let drawn = -Infinity;
  const line = () => {
    const elapsedS = Math.max((now() - started) / 1000, 1e-3);
    const rate = received / elapsedS;
    const share = totalBytes > 0 ? Math.min(1, received / totalBytes) : 1;
    const filled = Math.round(share * BAR_WIDTH);
    const eta = rate > 0 ? (totalBytes - received) / rate : Infinity;
    return `${label}  [${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%  ${formatBytes(received)} / ${formatBytes(totalBytes)}  ${formatBytes(rate)}/s  ETA ${formatSeconds(eta)}`;
  };
  const draw = (force: boolean) => {
    if (!tty || (!force && now() - drawn < REDRAW_MS)) return;
    drawn = now();
    (out as WriteStream).clearLine?.(0);
    out.write(`\r${line()}`);
  };
  return {
    add(bytes) {
      received += bytes;
      draw(false);
    },
    finish(note) {
      const seconds = (now() - started) / 1000;
      if (tty) {
        draw(true);
        out.write(`  ${note}\n`);
      } else {
        out.write(`${label}  ${formatBytes(received)} in ${seconds.toFixed(2)} s (${formatBytes(received / Math.max(seconds, 1e-3))}/s)  ${note}\n`);
      }
    },
    fail(note) {
      if (tty) out.write("\n");
      out.write(`${label}  stopped after ${formatBytes(received)} of ${formatBytes(totalBytes)}: ${note}\n`);
    },
  };
}

/** `4.0 MiB`, `512 B`: binary units, as file sizes are usually read. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return "--";
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, "0")}s`;
}
