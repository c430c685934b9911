/**
 * The backup manifest (validated with JSON pointers, written atomically) and downloadBackupSet's
 * reruns against the COS emulator: a failed shard leaves the set incomplete, a rerun fetches only
 * what is missing, a rerun after success fetches 0 bytes.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downloadBackupSet, JOURNAL_FILE, type BackupSetFile } from "../../jobs/backup/backup-set.js";
import { hashFile, MANIFEST_FILE, readManifest, validateManifest, verifyAgainstManifest, writeManifest, type BackupManifest } from "../../jobs/backup/manifest.js";
import { startCosServer, type RunningCosServer } from "../../mock/cos/index.js";

const MiB = 1024 * 1024;
let cos: RunningCosServer;
let root: string;

beforeAll(async () => {
  cos = await startCosServer();
  root = await mkdtemp(path.join(os.tmpdir(), "tcgen-manifest-"));
});
afterAll(async () => {
  await cos.close();
  await rm(root, { recursive: true, force: true });
});

const entry = (name: string, extra: object = {}) => ({
  name,
  size: 3,
  crc64: "11051210869376104954",
  crcVerified: true,
  sha256: "a".repeat(64),
  source: { replicaSetId: "cmgo-p8vnipr5_0" },
  startedAt: "2026-12-02T01:00:00.000Z",
  finishedAt: "2026-12-02T01:00:01.000Z",
  ...extra,
});
const manifest = (files: object[]): BackupManifest =>
  ({ schema: 1, instanceId: "cmgo-p8vnipr5", backupName: "cmgo-p8vnipr5_2021-03-25 03:00", startedAt: "2026-12-02T01:00:00Z", finishedAt: "2026-12-02T01:00:02Z", files }) as BackupManifest;

describe("validateManifest", () => {
  it("accepts a valid manifest", () => {
    expect(validateManifest(manifest([entry("a.tar"), entry("b.tar")]))).toEqual([]);
  });

  it("names every problem by JSON pointer", () => {
    const bad = { ...manifest([entry("a.tar"), entry("a.tar", { sha256: "XYZ", size: -1, source: {} }), entry("../x")]), schema: 2, instanceId: undefined };
    expect(validateManifest(bad)).toEqual([
      { pointer: "/schema", message: "must be 1, got 2" },
      { pointer: "/instanceId", message: "is missing" },
      { pointer: "/files/1/name", message: "repeats /files/0/name" },
      { pointer: "/files/1/size", message: "must be a whole number of bytes" },
      { pointer: "/files/1/sha256", message: 'must be 64 lower-case hex digits, got "XYZ"' },
      { pointer: "/files/1/source/replicaSetId", message: "is missing" },
      { pointer: "/files/2/name", message: 'must be a plain file name (no directories), got "../x"' },
    ]);
    expect(validateManifest([])).toEqual([{ pointer: "", message: "must be a JSON object" }]);
    expect(validateManifest(manifest([entry("a", { crc64: "18446744073709551616" })]))).toEqual([{ pointer: "/files/0/crc64", message: "is larger than 64 bits" }]);
  });
});

describe("readManifest / writeManifest", () => {
  it("reads back what it wrote, leaving no temporary file; a missing one is incomplete", async () => {
    const dir = await mkdtemp(path.join(root, "rw-"));
    expect(await readManifest(dir)).toMatchObject({ status: "incomplete" });
    const written = manifest([entry("a.tar")]);
    await writeManifest(dir, written);
    expect(await readManifest(dir)).toEqual({ status: "complete", manifest: written, file: path.join(dir, MANIFEST_FILE) });
    expect(await readdir(dir)).toEqual([MANIFEST_FILE]);
  });

  it("refuses to write an invalid manifest, and reports a broken one read back", async () => {
    const dir = await mkdtemp(path.join(root, "bad-"));
    await expect(writeManifest(dir, manifest([entry("a.tar", { sha256: "nope" })]))).rejects.toThrow(/\/files\/0\/sha256 must be 64 lower-case hex digits/);
    expect(existsSync(path.join(dir, MANIFEST_FILE))).toBe(false);
    await writeFile(path.join(dir, MANIFEST_FILE), '{"schema": 1,');
    expect(await readManifest(dir)).toMatchObject({ status: "invalid", problems: [{ pointer: "", message: expect.stringMatching(/^is not JSON/) }] });
  });
});

describe("verifyAgainstManifest", () => {
  it("tells verified, missing, wrong-size and wrong-content files apart", async () => {
    const dir = await mkdtemp(path.join(root, "verify-"));
    await writeFile(path.join(dir, "good"), "123456789");
    await writeFile(path.join(dir, "short"), "12345678");
    await writeFile(path.join(dir, "changed"), "123456780");
    const { sha256, crc64 } = await hashFile(path.join(dir, "good"));
    expect(crc64).toBe("11051210869376104954");
    const files = ["good", "short", "changed", "gone"].map((name) => entry(name, { size: 9, sha256, crc64 }));
    expect(await verifyAgainstManifest(dir, files)).toEqual([
      { name: "good", status: "verified" },
      { name: "short", status: "size-mismatch", actualSize: 8 },
      { name: "changed", status: "hash-mismatch", hash: "sha256" },
      { name: "gone", status: "missing" },
    ]);
    expect((await verifyAgainstManifest(dir, files, { level: "size" }))[2]).toEqual({ name: "changed", status: "verified" });
  });
});

describe("downloadBackupSet", () => {
  const sizes = [3 * MiB, 2 * MiB + 5, 4 * MiB];
  const shardFiles = (prefix: string): BackupSetFile[] =>
    sizes.map((size, i) => {
      const key = `${prefix}/cmgo-p8vnipr5_${i}.tar`;
      return { name: `cmgo-p8vnipr5_${i}.tar`, replicaSetId: `cmgo-p8vnipr5_${i}`, taskId: `task-${i}`, url: cos.presign(key), expectedSize: size, getFreshUrl: async () => cos.presign(key) };
    });
  const base = { instanceId: "cmgo-p8vnipr5", region: "ap-guangzhou", backupName: "cmgo-p8vnipr5_2021-03-25 03:00", download: { backoff: () => 0, maxAttempts: 2 } };

  it("a failed shard leaves the set incomplete; a rerun fetches only that shard; another rerun fetches 0 bytes", async () => {
    const prefix = "set-a";
    sizes.forEach((size, i) => cos.put({ key: `${prefix}/cmgo-p8vnipr5_${i}.tar`, size }));
    cos.inject(`${prefix}/cmgo-p8vnipr5_1.tar`, { kind: "drop", atByte: MiB, times: 2 });
    const directory = path.join(root, "set-a");

    const first = await downloadBackupSet({ ...base, directory, files: shardFiles(prefix), concurrency: 2 });
    expect(first.status).toBe("incomplete");
    expect(first.files.map((f) => f.outcome)).toEqual(["downloaded", "failed", "downloaded"]);
    expect((await readManifest(directory)).status).toBe("incomplete");
    const journal = JSON.parse(await readFile(path.join(directory, JOURNAL_FILE), "utf8")) as { files: { name: string }[] };
    expect(journal.files.map((f) => f.name).sort()).toEqual(["cmgo-p8vnipr5_0.tar", "cmgo-p8vnipr5_2.tar"]);
    expect(existsSync(path.join(directory, "cmgo-p8vnipr5_1.tar.part"))).toBe(true);

    const second = await downloadBackupSet({ ...base, directory, files: shardFiles(prefix) });
    expect(second.status).toBe("complete");
    expect(second.files.map((f) => f.outcome)).toEqual(["verified", "downloaded", "verified"]);
    expect(second.bytesFetched).toBe(sizes[1]! - MiB); // resumed from the cut
    const read = await readManifest(directory);
    expect(read.status).toBe("complete");
    if (read.status !== "complete") return;
    expect(read.manifest.files.map((f) => [f.name, f.size, f.crcVerified, f.source.taskId])).toEqual(sizes.map((size, i) => [`cmgo-p8vnipr5_${i}.tar`, size, true, `task-${i}`]));
    for (const [i, f] of read.manifest.files.entries()) expect(f.crc64).toBe((await cos.crc(`${prefix}/cmgo-p8vnipr5_${i}.tar`)).toString());
    expect((await readdir(directory)).sort()).toEqual([...sizes.map((_, i) => `cmgo-p8vnipr5_${i}.tar`), MANIFEST_FILE]);

    const requests = cos.log.length;
    const third = await downloadBackupSet({ ...base, directory, files: shardFiles(prefix) });
    expect(third).toMatchObject({ status: "complete", bytesFetched: 0 });
    expect(third.files.every((f) => f.outcome === "verified")).toBe(true);
    expect(cos.log.length).toBe(requests); // not one request
    expect(third.manifest).toEqual(read.manifest);
  });

  it("a file damaged on disk after a complete run is fetched again, and only that one", async () => {
    const prefix = "set-b";
    sizes.forEach((size, i) => cos.put({ key: `${prefix}/cmgo-p8vnipr5_${i}.tar`, size }));
    const directory = path.join(root, "set-b");
    expect((await downloadBackupSet({ ...base, directory, files: shardFiles(prefix) })).status).toBe("complete");
    const damaged = path.join(directory, "cmgo-p8vnipr5_2.tar");
    const bytes = await readFile(damaged);
    bytes[100] = bytes[100]! ^ 1;
    await writeFile(damaged, bytes);
    const events: string[] = [];
    const rerun = await downloadBackupSet({ ...base, directory, files: shardFiles(prefix), onEvent: (e) => e.type === "checked" && events.push(`${e.check.name} ${e.check.status}`) });
    expect(events).toEqual(["cmgo-p8vnipr5_0.tar verified", "cmgo-p8vnipr5_1.tar verified", "cmgo-p8vnipr5_2.tar hash-mismatch"]);
    expect(rerun.files.map((f) => f.outcome)).toEqual(["verified", "verified", "downloaded"]);
    expect(rerun.bytesFetched).toBe(sizes[2]);
    expect((await readManifest(directory)).status).toBe("complete");
  });
});
