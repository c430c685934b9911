/**
 * `tcgen generate --watch` as a child process on a copy of the mongodb spec: regenerates after each
 * save (also an editor's save by rename, and once for a burst of saves), keeps running after a bad
 * edit with the problems at file:line:col and generated/ untouched, and stops cleanly on SIGTERM.
 * Prints the time from each save to the regenerated files.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { cp, readFile, readdir, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, scratchDir } from "../support/helpers.js";

let dir: string;
let specFile: string;
let child: ChildProcessWithoutNullStreams;
let original: string;
const lines: { text: string; at: number; stream: "out" | "err" }[] = [];
const latencies: { measured: number; reported: number }[] = [];

/** Resolves with the first line after `from` matching `pattern`. */
async function nextLine(pattern: RegExp, from: number, timeoutMs = 60_000): Promise<{ text: string; at: number; stream: string; index: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const index = lines.findIndex((line, i) => i >= from && pattern.test(line.text));
    if (index >= 0) return { ...lines[index]!, index };
    if (Date.now() > deadline) throw new Error(`no line matching ${pattern} within ${timeoutMs} ms; got:\n${lines.slice(from).map((l) => l.text).join("\n")}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function snapshot(): Promise<Map<string, string>> {
  const out = path.join(dir, "generated", "mongodb");
  const files = new Map<string, string>();
  for (const name of (await readdir(out)).sort()) files.set(name, await readFile(path.join(out, name), "utf8"));
  return files;
}

/** Saves the spec with `edit` applied and waits for the regeneration it causes. */
async function saveAndWait(text: string): Promise<{ text: string; at: number; stream: string; index: number }> {
  const from = lines.length;
  await writeFile(specFile, text);
  const savedAt = (await stat(specFile)).mtimeMs;
  const line = await nextLine(/wrote \d+ files|problem\(s\)/, from);
  const reported = /(\d+) ms after the save/.exec(line.text);
  if (reported) latencies.push({ measured: line.at - savedAt, reported: Number(reported[1]) });
  return line;
}

beforeAll(async () => {
  dir = await scratchDir("watch");
  // The multi-file spec: the edits go to its backup part, and problems are reported in that file.
  await cp(path.join(repoRoot, "spec", "mongodb", "2019-07-25"), path.join(dir, "spec", "mongodb", "2019-07-25"), { recursive: true });
  specFile = path.join(dir, "spec", "mongodb", "2019-07-25", "backup.yaml");
  original = await readFile(specFile, "utf8");
  child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "scripts", "tcgen.ts"), "generate", "--spec", "spec", "--out", "generated", "--watch"], { cwd: dir });
  for (const [stream, name] of [[child.stdout, "out"], [child.stderr, "err"]] as const) {
    let buffered = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      buffered += chunk;
      const parts = buffered.split("\n");
      buffered = parts.pop()!;
      for (const text of parts) lines.push({ text, at: Date.now(), stream: name });
    });
  }
  await nextLine(/watching spec for changes/, 0, 120_000);
}, 180_000);

afterAll(() => {
  if (child.exitCode === null) child.kill("SIGKILL");
  const sorted = latencies.map((l) => l.measured).sort((a, b) => a - b);
  if (sorted.length > 0) {
    const median = sorted[Math.floor(sorted.length / 2)]!;
    console.log(
      `generate --watch on spec/mongodb: save → regenerated files ${latencies.map((l) => Math.round(l.measured)).join(", ")} ms ` +
        `(median ${Math.round(median)} ms over ${sorted.length} saves, 50 ms of it the debounce); the tool reported ${latencies.map((l) => l.reported).join(", ")} ms`,
    );
  }
});

describe("tcgen generate --watch", () => {
  it("generates at start, then regenerates after each save", async () => {
    expect(lines.some((l) => /wrote 11 files to generated\/ in \d+ ms/.test(l.text))).toBe(true);
    for (let i = 1; i <= 4; i++) {
      const line = await saveAndWait(original.replace("Query the list of instance backups", `Query the list of instance backups (edit ${i})`));
      expect(line.text).toMatch(/wrote 11 files to generated\/ in \d+ ms, \d+ ms after the save/);
      expect((await snapshot()).get("client.ts")).toContain(`Query the list of instance backups (edit ${i})`);
    }
  });

  it("keeps running after a bad edit: problems at file:line:col, generated/ left as it was", async () => {
    const before = await snapshot();
    const broken = original.replace("x-tc-rate-limit: 150", "x-tc-rate-limit: fast");
    const from = lines.length;
    await writeFile(specFile, broken);
    const summary = await nextLine(/problem\(s\); generated\/ left as it was, still watching/, from);
    expect(summary.stream).toBe("err");
    const line = broken.split("\n").findIndex((l) => l.includes("x-tc-rate-limit: fast")) + 1;
    expect(lines.slice(from).map((l) => l.text)).toContain(`spec/mongodb/2019-07-25/backup.yaml:${line}:24: "x-tc-rate-limit" must be a positive integer (requests per second), got "fast"`);
    expect(await snapshot()).toEqual(before);
    // YAML that does not parse is reported the same way.
    const from2 = lines.length;
    await writeFile(specFile, original.replace("x-tc-rate-limit: 150", "x-tc-rate-limit: [150"));
    await nextLine(/problem\(s\); generated\/ left as it was/, from2);
    expect(lines.slice(from2).some((l) => /^spec\/mongodb\/2019-07-25\/backup\.yaml:\d+:\d+: YAML: /.test(l.text))).toBe(true);
    expect(await snapshot()).toEqual(before);

    const fixed = await saveAndWait(original.replace("x-tc-rate-limit: 150", "x-tc-rate-limit: 120"));
    expect(fixed.text).toMatch(/wrote 11 files/);
    expect((await snapshot()).get("actions.ts")).toContain(`action: "DescribeDBBackups",\n  rateLimit: 120,`);
  });

  it("regenerates after a save by rename (as editors write files atomically)", async () => {
    const from = lines.length;
    const temp = `${specFile}.swp`;
    await writeFile(temp, original.replace("x-tc-rate-limit: 150", "x-tc-rate-limit: 140"));
    await rename(temp, specFile);
    await nextLine(/wrote 11 files/, from);
    expect((await snapshot()).get("actions.ts")).toContain(`action: "DescribeDBBackups",\n  rateLimit: 140,`);
  });

  it("regenerates once for a burst of saves, with the last one's content", async () => {
    const from = lines.length;
    for (const limit of [101, 102, 103]) await writeFile(specFile, original.replace("x-tc-rate-limit: 150", `x-tc-rate-limit: ${limit}`));
    await nextLine(/wrote 11 files/, from);
    await new Promise((r) => setTimeout(r, 1_000)); // a second run would have started by now
    expect(lines.slice(from).filter((l) => /wrote \d+ files/.test(l.text))).toHaveLength(1);
    expect((await snapshot()).get("actions.ts")).toContain(`action: "DescribeDBBackups",\n  rateLimit: 103,`);
  });

  it("stops on SIGTERM with exit code 0", async () => {
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
