/**
 * How the command shows a run: on a terminal, a live block with one line per file being downloaded,
 * redrawn in place (at most 5 times a second), with finished work printed above it; off a terminal,
 * one plain line per event worth keeping (no progress spam); with `--json`, every event as one JSON
 * line. The summary table comes last, one row per instance.
 */
import type { BackupJobResult, JobEvent } from "./job.js";

export interface Display {
  event(event: JobEvent): void;
  /** A line of the run's own (the endpoint, the mode). */
  note(text: string): void;
  summary(result: BackupJobResult, exitCode: number): void;
  close(): void;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** The JSON form of an event: one line, a `type`, the time. */
export function jsonDisplay(out: NodeJS.WritableStream = process.stdout): Display {
  const line = (value: Record<string, unknown>) => out.write(`${JSON.stringify({ time: new Date().toISOString(), ...value })}\n`);
  let lastProgress = new Map<string, number>();
  return {
    event(event) {
      if (event.type === "file-progress") {
        // At most one progress line per file and percent.
        const key = `${event.instanceId}/${event.file}`;
        const percent = event.size ? Math.floor((event.written / event.size) * 100) : 100;
        if (lastProgress.get(key) === percent) return;
        lastProgress.set(key, percent);
      }
      line({ ...event });
    },
    note: (text) => line({ type: "note", text }),
    summary: (result, exitCode) => line({ type: "summary", exitCode, ...result }),
    close: () => (lastProgress = new Map()),
  };
}

export function humanDisplay(out: NodeJS.WriteStream = process.stdout): Display {
  const tty = out.isTTY === true;
  const active = new Map<string, { written: number; size: number; from: number; started: number }>();
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  const erase = () => {
    if (drawn > 0) out.write(`\x1b[${drawn}A\x1b[J`);
    drawn = 0;
  };
  const draw = () => {
    erase();
    const width = out.columns ?? 100;
    const lines = [...active].map(([key, f]) => {
      const percent = f.size ? (f.written / f.size) * 100 : 100;
      const seconds = (performance.now() - f.started) / 1000;
      const rate = seconds > 0 ? (f.written - f.from) / seconds : 0;
      const bar = "#".repeat(Math.round(percent / 5)).padEnd(20, ".");
      return `  ${key}  [${bar}] ${percent.toFixed(0).padStart(3)}%  ${formatBytes(f.written)} / ${formatBytes(f.size)}  ${formatBytes(rate)}/s`.slice(0, width - 1);
    });
    for (const text of lines) out.write(`${text}\n`);
    drawn = lines.length;
  };
  const print = (text: string) => {
    if (tty) erase();
    out.write(`${text}\n`);
    if (tty) draw();
  };
  if (tty) timer = setInterval(draw, 200);
  timer?.unref();
  return {
    note: print,
    event(event) {
      switch (event.type) {
        case "instances":
          return print(`instances: ${event.instances.map((i) => `${i.instanceId} (${i.region})`).join(", ") || "none"}`);
        case "backup":
          return print(`${event.instanceId}: backup ${event.backup.name} (${event.backup.how})`);
        case "skipped":
          return print(`${event.instanceId}: already complete (${event.reason}); nothing to download`);
        case "tasks":
          return print(`${event.instanceId}: ${event.files.length} file${event.files.length === 1 ? "" : "s"} ready: ${event.files.map((f) => `${f.name} ${formatBytes(f.size)}`).join(", ")}`);
        case "file-start":
          active.set(`${event.instanceId}/${event.file}`, { written: event.from, size: event.size, from: event.from, started: performance.now() });
          if (!tty) out.write(`${event.instanceId}/${event.file}: downloading ${formatBytes(event.size)}${event.from ? `, resuming at byte ${event.from}` : ""}\n`);
          return;
        case "file-progress": {
          const file = active.get(`${event.instanceId}/${event.file}`);
          if (file) file.written = event.written;
          return;
        }
        case "file-note":
          return print(`${event.instanceId}/${event.file}: ${event.note}`);
        case "file-done":
          active.delete(`${event.instanceId}/${event.file}`);
          return print(
            `${event.instanceId}/${event.file}: verified ${formatBytes(event.size)} (${event.crcVerified ? "CRC-64 matches COS's" : "no CRC from the server; size and SHA-256"}), fetched ${formatBytes(event.fetched)}${event.resumedFrom ? `, resumed at byte ${event.resumedFrom}` : ""}`,
          );
        case "file-failed":
          active.delete(`${event.instanceId}/${event.file}`);
          return print(`${event.instanceId}/${event.file}: FAILED: ${event.error}`);
        case "s3-copied":
          return print(`${event.instanceId}: copied to ${event.keyPrefix}${event.deleted.length ? `; retention deleted ${event.deleted.length} older cop${event.deleted.length === 1 ? "y" : "ies"}` : ""}`);
        case "instance-done":
          return print(`${event.outcome.instanceId}: ${event.outcome.status}${event.outcome.error ? `: ${event.outcome.error}` : ""}`);
      }
    },
    summary(result, exitCode) {
      if (tty) erase();
      out.write(`\n${summaryTable(result)}\n${result.status} (exit ${exitCode}): ${result.instances.filter((i) => i.status === "complete").length} of ${result.instances.length} instances complete, ${formatBytes(result.bytesFetched)} fetched in ${result.seconds.toFixed(1)} s\n`);
    },
    close() {
      if (timer) clearInterval(timer);
      if (tty) erase();
    },
  };
}

/** One row per instance: status, backup, files verified, bytes on disk, bytes fetched this run, time, error. */
export function summaryTable(result: BackupJobResult): string {
  const rows = [["instance", "status", "backup", "files", "size", "fetched", "time", "note"]];
  for (const i of result.instances) {
    const ok = i.files.filter((f) => f.outcome !== "failed").length;
    const size = i.files.reduce((sum, f) => sum + f.size, 0);
    const resumed = i.files.filter((f) => f.resumedFrom > 0).length;
    rows.push([
      i.instanceId,
      i.status,
      i.backupName ?? "-",
      i.files.length ? `${ok}/${i.files.length}` : "-",
      i.files.length ? formatBytes(size) : "-",
      formatBytes(i.bytesFetched),
      `${i.seconds.toFixed(1)} s`,
      i.error ?? (resumed ? `${resumed} resumed` : i.bytesFetched === 0 && i.status === "complete" ? "verified on disk" : ""),
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join("  ").trimEnd()).join("\n");
}
