/**
 * Copies to an S3-compatible bucket: a real multipart upload (AWS SDK v3 + lib-storage) against
 * s3rver on loopback, the manifest last, and retention of the copies, both the pure plan and its
 * deletions in the bucket.
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashFile, MANIFEST_FILE, type BackupManifest } from "../../jobs/backup/manifest.js";
import { isoWeek, planRetention } from "../../jobs/backup/retention.js";
import { applyRetention, backupFolder, createS3Client, folderDate, listCopies, uploadBackup, type S3Target } from "../../jobs/backup/s3-upload.js";

const MiB = 1024 * 1024;

/** s3rver (no types of its own): the part of its API the tests use. */
interface S3rver {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
const S3rverClass = createRequire(import.meta.url)("s3rver") as new (options: object) => S3rver;

let server: S3rver;
let client: S3Client;
let target: S3Target;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tcgen-s3-"));
  server = new S3rverClass({ address: "127.0.0.1", port: 0, silent: true, directory: path.join(dir, "s3rver") });
  const { port } = await server.run();
  target = { endpoint: `http://127.0.0.1:${port}`, region: "ap-guangzhou", bucket: "backups", prefix: "mongodb/", forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } };
  client = await createS3Client(target);
  await client.send(new CreateBucketCommand({ Bucket: target.bucket }));
});
afterAll(async () => {
  client?.destroy();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("planRetention", () => {
  const day = (iso: string, id = iso) => ({ id, date: new Date(iso) });

  it("keeps the newest of each of the last N days and M ISO weeks, removes the rest", () => {
    const backups = [
      day("2026-12-02T03:00:00Z"),
      day("2026-12-02T01:00:00Z"), // same day, older: not the daily one
      day("2026-12-01T03:00:00Z"),
      day("2026-11-30T03:00:00Z"), // Monday of week 49
      day("2026-11-29T03:00:00Z"), // Sunday: week 48's newest
      day("2026-11-25T03:00:00Z"),
      day("2026-11-22T03:00:00Z"), // week 47's newest
      day("2026-11-10T03:00:00Z"), // week 46
    ];
    const plan = planRetention(backups, { keepDaily: 3, keepWeekly: 3 });
    expect(plan.keep.map((k) => [k.backup.id.slice(0, 13), k.reasons])).toEqual([
      ["2026-12-02T03", ["daily 2026-12-02", "weekly 2026-W49"]],
      ["2026-12-01T03", ["daily 2026-12-01"]],
      ["2026-11-30T03", ["daily 2026-11-30"]],
      ["2026-11-29T03", ["weekly 2026-W48"]],
      ["2026-11-22T03", ["weekly 2026-W47"]],
    ]);
    expect(plan.remove.map((b) => b.id.slice(0, 13))).toEqual(["2026-12-02T01", "2026-11-25T03", "2026-11-10T03"]);
  });

  it("keeps nothing with a zero policy, and refuses a bad one", () => {
    expect(planRetention([day("2026-12-02T03:00:00Z")], { keepDaily: 0, keepWeekly: 0 }).remove).toHaveLength(1);
    expect(() => planRetention([], { keepDaily: -1, keepWeekly: 0 })).toThrow(/keepDaily must be a whole number/);
  });

  it("names ISO weeks across a year boundary", () => {
    expect(isoWeek(new Date("2026-12-31T00:00:00Z"))).toBe("2026-W53");
    expect(isoWeek(new Date("2027-01-03T00:00:00Z"))).toBe("2026-W53");
    expect(isoWeek(new Date("2027-01-04T00:00:00Z"))).toBe("2027-W01");
    expect(isoWeek(new Date("2025-12-29T00:00:00Z"))).toBe("2026-W01");
  });

  it("dates folders by the backup's start time, and reads the date back", () => {
    const folder = backupFolder(new Date("2021-03-25T03:00:00Z"), "cmgo-p8vnipr5_2021-03-25 03:00");
    expect(folder).toBe("2021-03-25T03-00-00Z_cmgo-p8vnipr5_2021-03-25_03-00");
    expect(folderDate(folder)?.toISOString()).toBe("2021-03-25T03:00:00.000Z");
    expect(folderDate("not-a-backup")).toBeUndefined();
  });
});

describe("uploadBackup", () => {
  it("streams each file with a multipart upload, then the manifest", async () => {
    const directory = path.join(dir, "backup");
    await rm(directory, { recursive: true, force: true });
    const { mkdir } = await import("node:fs/promises");
    await mkdir(directory);
    const big = Buffer.alloc(12 * MiB + 123);
    for (let i = 0; i < big.length; i += 4096) big[i] = (i / 4096) & 0xff;
    await writeFile(path.join(directory, "cmgo-p8vnipr5_0.tar"), big);
    await writeFile(path.join(directory, "cmgo-p8vnipr5_1.tar"), "small shard");
    const entries = await Promise.all(
      ["cmgo-p8vnipr5_0.tar", "cmgo-p8vnipr5_1.tar"].map(async (name, i) => ({
        name,
        size: i === 0 ? big.length : 11,
        ...(await hashFile(path.join(directory, name))),
        crcVerified: true,
        source: { replicaSetId: `cmgo-p8vnipr5_${i}` },
        startedAt: "2026-12-02T03:00:00.000Z",
        finishedAt: "2026-12-02T03:01:00.000Z",
      })),
    );
    const manifest: BackupManifest = { schema: 1, instanceId: "cmgo-p8vnipr5", backupName: "cmgo-p8vnipr5_2026-12-02 03:00", startedAt: "2026-12-02T03:00:00.000Z", finishedAt: "2026-12-02T03:01:00.000Z", files: entries };
    const progress: number[] = [];
    const uploaded = await uploadBackup({ client, target, directory, manifest, partSize: 5 * MiB, queueSize: 2, onProgress: (p) => p.part && progress.push(p.part) });
    expect(uploaded.keyPrefix).toBe("mongodb/cmgo-p8vnipr5/2026-12-02T03-00-00Z_cmgo-p8vnipr5_2026-12-02_03-00/");
    expect(uploaded.files.map((f) => [f.key.split("/").at(-1), f.size, f.parts])).toEqual([
      ["cmgo-p8vnipr5_0.tar", big.length, 3],
      ["cmgo-p8vnipr5_1.tar", 11, 1],
    ]);
    const object = await client.send(new GetObjectCommand({ Bucket: target.bucket, Key: uploaded.files[0]!.key }));
    const body = Buffer.from(await object.Body!.transformToByteArray());
    expect(createHash("sha256").update(body).digest("hex")).toBe(entries[0]!.sha256);
    expect(object.Metadata).toMatchObject({ sha256: entries[0]!.sha256, crc64: entries[0]!.crc64 });
    const head = await client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: `${uploaded.keyPrefix}${MANIFEST_FILE}` }));
    expect(head.ContentType).toBe("application/json");
  });

  it("refuses a file whose size is not the manifest's", async () => {
    const directory = path.join(dir, "mismatch");
    const { mkdir } = await import("node:fs/promises");
    await mkdir(directory, { recursive: true });
    await writeFile(path.join(directory, "a.tar"), "abc");
    const manifest = { schema: 1, instanceId: "i", backupName: "b", startedAt: "2026-12-02T03:00:00Z", finishedAt: "2026-12-02T03:00:00Z", files: [{ name: "a.tar", size: 4, crc64: "1", crcVerified: true, sha256: "0".repeat(64), source: { replicaSetId: "r" }, startedAt: "2026-12-02T03:00:00Z", finishedAt: "2026-12-02T03:00:00Z" }] } as const;
    await expect(uploadBackup({ client, target, directory, manifest })).rejects.toThrow(/has 3 bytes, but the manifest says 4/);
  });
});

describe("applyRetention", () => {
  it("deletes the copies the policy does not keep, every object of them, and leaves incomplete ones", async () => {
    const instance = "cmgo-retain";
    const put = (key: string) => client.send(new PutObjectCommand({ Bucket: target.bucket, Key: `${target.prefix}${instance}/${key}`, Body: "x" }));
    const dates = ["2026-12-02T03:00:00Z", "2026-12-01T03:00:00Z", "2026-11-30T03:00:00Z", "2026-11-29T03:00:00Z", "2026-11-20T03:00:00Z", "2026-11-10T03:00:00Z"];
    for (const iso of dates) {
      const folder = backupFolder(new Date(iso), `${instance}_${iso.slice(0, 10)}`);
      await put(`${folder}/${instance}_0.tar`);
      await put(`${folder}/${instance}_1.tar`);
      await put(`${folder}/${MANIFEST_FILE}`);
    }
    const unfinished = backupFolder(new Date("2026-11-01T03:00:00Z"), `${instance}_old`);
    await put(`${unfinished}/${instance}_0.tar`); // no manifest: an incomplete copy

    const dry = await applyRetention(client, target, instance, { keepDaily: 2, keepWeekly: 2 }, { dryRun: true });
    expect(dry.deleted).toEqual([]);
    expect(dry.plan.keep.map((k) => k.backup.date.toISOString().slice(0, 10))).toEqual(["2026-12-02", "2026-12-01", "2026-11-29"]);

    const applied = await applyRetention(client, target, instance, { keepDaily: 2, keepWeekly: 2 });
    expect(applied.deleted).toHaveLength(3 * 3);
    expect(applied.deleted.filter((k) => k.endsWith(MANIFEST_FILE))).toHaveLength(3);
    const left = await listCopies(client, target, instance);
    expect(left.map((c) => [c.date.toISOString().slice(0, 10), c.complete]).sort()).toEqual([
      ["2026-11-01", false],
      ["2026-11-29", true],
      ["2026-12-01", true],
      ["2026-12-02", true],
    ]);
  });
});
