/**
 * `tcgen-backup` (jobs/backup/bin.ts, the bin's source) run as a process against the emulator, whose
 * task files come from the COS emulator (presigned expiring URLs, Range, ETag, CRC-64 headers, faults).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, rm, stat } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { createRequire } from "node:module";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createS3Client, listCopies } from "../../jobs/backup/s3-upload.js";
import type { BackupJobResult } from "../../jobs/backup/job.js";
import type { CosFault } from "../../mock/cos/index.js";
import { startMongodbMock, type DownloadTask, type RunningMongodbMock, type StartMongodbMockOptions } from "../../mock/services/mongodb/index.js";
import { repoRoot, scratchDir } from "../support/helpers.js";
import { describeRedis, startRedis, type RunningRedis } from "../support/redis.js";

const MiB = 1024 * 1024;
const BIN = path.join(repoRoot, "jobs/backup/bin.ts");
const created: string[] = [];
const running: RunningMongodbMock[] = [];
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const mock of running.splice(0)) await mock.close();
  for (const close of closers.splice(0)) await close();
});
afterAll(async () => {
  for (const dir of created) await rm(dir, { recursive: true, force: true });
});

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>;
}

function runBin(args: string[], env: Record<string, string | undefined> = {}): Run {
  const { TENCENTCLOUD_SECRET_ID: _id, TENCENTCLOUD_SECRET_KEY: _key, TENCENTCLOUD_SESSION_TOKEN: _token, ...inherited } = process.env;
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", BIN, ...args], { cwd: repoRoot, env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr, ms: performance.now() - started })),
  );
  return { child, done };
}

async function emulator(options: StartMongodbMockOptions = {}): Promise<RunningMongodbMock> {
  const mock = await startMongodbMock({ ...options, world: { taskQueuedMs: 50, taskRunningMs: 150, fileBytes: 2 * MiB, ...options.world } });
  running.push(mock);
  return mock;
}
const credentialsOf = (mock: RunningMongodbMock) => ({ TENCENTCLOUD_SECRET_ID: mock.credentials.secretId, TENCENTCLOUD_SECRET_KEY: mock.credentials.secretKey, HOME: "/nonexistent" });
const against = (mock: RunningMongodbMock, out: string, ...args: string[]) => runBin(["--endpoint", mock.url, "--out", out, ...args], credentialsOf(mock));

async function out(prefix: string): Promise<string> {
  const dir = await scratchDir(prefix);
  created.push(dir);
  return path.join(dir, "backups");
}
async function filesIn(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}
/** The JSON lines of a --json run; every line must parse. */
function events(stdout: string): { type: string; [key: string]: unknown }[] {
  return stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { type: string });
}
const summaryOf = (stdout: string) => events(stdout).at(-1) as unknown as BackupJobResult & { type: string; exitCode: number };
const replicaSet = (id: string) => ({ InstanceId: id, ClusterType: "replicaset" as const, Region: "ap-guangzhou", Backups: [{ BackupName: `${id}_2021-03-27 03:00`, StartTime: "2021-03-27 03:00:00", EndTime: "2021-03-27 03:02:00", BackupSize: 2048 }] });
const backupDir = (root: string, id: string) => path.join(root, id, `${id}_2021-03-27_03-00`);
const faultsOf = (faults: Record<string, CosFault[]>) => (task: DownloadTask) => faults[task.ReplicaSetId] ?? [];

describe("tcgen-backup", () => {
  it("--help prints the usage and the exit codes, exit 0; usage errors exit 2 before any request", async () => {
    const help = await runBin(["--help"]).done;
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("usage: tcgen-backup (--instance [REGION/]ID ... | --region REGION ...) [options]");
    expect(help.stdout).toMatch(/^ {2}3 {2}partial: /m);
    const mock = await emulator();
    const dir = await out("fleet-usage");
    const cases: [string[], string][] = [
      [[], "say what to back up"],
      [["--instance", "cmgo-p8vnipr5", "--backup", "x", "--on-demand"], "--backup and --on-demand exclude each other"],
      [["--instance", "cmgo-p8vnipr5", "--concurrency", "0"], "--concurrency must be a positive whole number"],
      [["--instance", "not an id"], "--instance must be [REGION/]ID"],
      [["--instance", "cmgo-p8vnipr5", "--fleet"], "--fleet needs --redis URL"],
      [["--instance", "cmgo-p8vnipr5", "--keep-daily", "3"], "need --s3-bucket"],
      [["--instance", "cmgo-p8vnipr5", "--bogus"], "Unknown option '--bogus'"],
    ];
    for (const [args, message] of cases) {
      const run = await against(mock, dir, ...args).done;
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toContain(message);
    }
    expect(mock.requests.filter((r) => r.action === "CreateBackupDownloadTask")).toHaveLength(0);
    expect(await filesIn(dir)).toEqual([]);
  });

  it("--region backs up every instance DescribeDBInstances lists, its shards read from the listing (no probing)", async () => {
    const mock = await emulator();
    const dir = await out("region");
    const run = await against(mock, dir, "--region", "ap-guangzhou", "--json").done;
    expect(run.code, run.stderr).toBe(0);
    const instances = [...mock.world.instances.keys()];
    expect(instances.length).toBeGreaterThan(1);
    // One task request per instance, every one accepted: the shards came from DescribeDBInstances.
    const tasks = mock.requests.filter((r) => r.action === "CreateBackupDownloadTask");
    expect(tasks).toHaveLength(instances.length);
    expect(mock.requests.some((r) => r.action === "DescribeDBInstances")).toBe(true);
    for (const id of instances) expect((await filesIn(path.join(dir, id))).some((f) => f.endsWith("manifest.json") || f.includes("manifest"))).toBe(true);
  });

  it("--on-demand creates a backup (CreateBackupDBInstance), waits for it and downloads it", async () => {
    const mock = await emulator({ world: { backupMs: 300 } });
    const dir = await out("on-demand");
    const run = await against(mock, dir, "--instance", "cmgo-p8vnipr5", "--on-demand", "--json").done;
    expect(run.code, run.stderr).toBe(0);
    expect(mock.requests.filter((r) => r.action === "CreateBackupDBInstance")).toHaveLength(1);
    expect(mock.requests.some((r) => r.action === "DescribeAsyncRequestInfo")).toBe(true);
    expect(run.stdout).toContain("on demand");
  });

  it("two instances, 4 files in parallel, --json events that parse; a rerun fetches 0 bytes and creates no task", async () => {
    const mock = await emulator();
    const dir = await out("fleet-json");
    const first = await against(mock, dir, "--instance", "cmgo-p8vnipr5", "--instance", "cmgo-dygv1rnp", "--json", "--concurrency", "4").done;
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const log = events(first.stdout);
    expect(log[0]).toMatchObject({ type: "note" });
    expect(new Set(log.map((e) => e.type))).toEqual(new Set(["note", "instances", "backup", "tasks", "file-start", "file-progress", "file-done", "instance-done", "summary"]));
    const summary = summaryOf(first.stdout);
    expect(summary).toMatchObject({ type: "summary", exitCode: 0, status: "complete", bytesFetched: 4 * 2 * MiB });
    expect(summary.instances.map((i) => [i.instanceId, i.status, i.files.length])).toEqual([
      ["cmgo-p8vnipr5", "complete", 3],
      ["cmgo-dygv1rnp", "complete", 1],
    ]);
    expect(log.filter((e) => e.type === "file-done").every((e) => e["crcVerified"] === true)).toBe(true);
    expect(await filesIn(backupDir(dir, "cmgo-dygv1rnp"))).toEqual(["cmgo-dygv1rnp_0.tar", "manifest.json"]);

    const tasksBefore = mock.requests.filter((r) => r.action === "CreateBackupDownloadTask").length;
    const getsBefore = mock.files.cos.log.length;
    const second = await against(mock, dir, "--instance", "cmgo-p8vnipr5", "--instance", "cmgo-dygv1rnp", "--json").done;
    expect(second.code).toBe(0);
    expect(summaryOf(second.stdout)).toMatchObject({ status: "complete", bytesFetched: 0 });
    expect(events(second.stdout).filter((e) => e.type === "skipped")).toHaveLength(2);
    expect(mock.requests.filter((r) => r.action === "CreateBackupDownloadTask").length).toBe(tasksBefore);
    expect(mock.files.cos.log.length).toBe(getsBefore);
    // Plain lines off a terminal: the summary table.
    const plain = await against(mock, dir, "--instance", "cmgo-dygv1rnp").done;
    expect(plain.stdout).toMatch(/^cmgo-dygv1rnp {2}complete {2}cmgo-dygv1rnp_2021-03-27 03:00 {2}1\/1 {4}2\.00 MiB {2}0 B {6}[\d.]+ s +verified on disk$/m);
    expect(plain.stdout).toContain("complete (exit 0): 1 of 1 instances complete, 0 B fetched");
  });

  it("a download cut at 90 % (the process killed) resumes there on the rerun: 10 % fetched", async () => {
    const size = 64 * MiB;
    const at = Math.floor(size * 0.9);
    // The first response stalls at 90 % (until the client goes away): the process is killed there.
    const mock = await emulator({ world: { instances: [replicaSet("cmgo-resume01")], fileBytes: size }, files: { faults: faultsOf({ "cmgo-resume01_0": [{ kind: "stall", atByte: at }] }) } });
    const dir = await out("fleet-resume");
    const part = path.join(backupDir(dir, "cmgo-resume01"), "cmgo-resume01_0.tar.part");
    const first = against(mock, dir, "--instance", "cmgo-resume01", "--json");
    // Writes are batched by 1 MiB: wait until the partial file stands still within 1 MiB of the stall.
    const sizeOfPart = async () => (existsSync(part) ? (await stat(part)).size : 0);
    for (let last = -1, now = 0; !(now >= at - MiB && now === last); await new Promise((resolve) => setTimeout(resolve, 300))) [last, now] = [now, await sizeOfPart()];
    first.child.kill("SIGKILL");
    await first.done;
    const kept = await sizeOfPart();
    expect(kept).toBeGreaterThan(at - MiB);
    expect(kept).toBeLessThanOrEqual(at);

    const second = await against(mock, dir, "--instance", "cmgo-resume01", "--json").done;
    expect(second.code).toBe(0);
    const file = summaryOf(second.stdout).instances[0]!.files[0]!;
    expect(file).toMatchObject({ outcome: "downloaded", resumedFrom: kept, bytesFetched: size - kept });
    const resumed = mock.files.cos.log.at(-1)!;
    expect(resumed).toMatchObject({ range: `bytes=${kept}-`, status: 206, bytesSent: size - kept });
    expect(resumed.ifRange).toBe(mock.files.cos.etag(mock.files.keyOf(mock.world.tasks[0]!)));
    expect(await filesIn(backupDir(dir, "cmgo-resume01"))).toEqual(["cmgo-resume01_0.tar", "manifest.json"]);
    console.log(`resume at 90 %: the rerun fetched ${file.bytesFetched} of ${size} bytes (${((file.bytesFetched / size) * 100).toFixed(1)} %)`);
  });

  it("an expired URL is refreshed through DescribeBackupDownloadTask and the download resumes", async () => {
    const size = 8 * MiB;
    // URLs valid for 1 s; the first response stalls at half for longer than --stall-seconds.
    const mock = await emulator({
      world: { instances: [replicaSet("cmgo-expire01")], fileBytes: size },
      files: { urlExpiresSeconds: 1, faults: faultsOf({ "cmgo-expire01_0": [{ kind: "stall", atByte: size / 2 }] }) },
    });
    const dir = await out("fleet-expire");
    const run = await against(mock, dir, "--instance", "cmgo-expire01", "--json", "--stall-seconds", "2.5").done;
    expect(run.code).toBe(0);
    const notes = events(run.stdout).filter((e) => e.type === "file-note").map((e) => String(e["note"]));
    expect(notes.some((n) => n.startsWith("fresh URL: ") && n.includes("expired"))).toBe(true);
    const gets = mock.files.cos.log.filter((entry) => entry.method === "GET");
    expect(gets.map((g) => [g.status, g.range])).toEqual([
      [200, undefined],
      [206, `bytes=${size / 2}-`],
    ]);
    expect(summaryOf(run.stdout).instances[0]!.files[0]).toMatchObject({ outcome: "downloaded", bytesFetched: size });
  });

  it("a corrupted byte fails the CRC check: the file is not kept, no manifest, exit 3 (partial) beside a good instance", async () => {
    const mock = await emulator({
      world: { instances: [replicaSet("cmgo-corrupt1"), replicaSet("cmgo-fine0001")] },
      files: { faults: faultsOf({ "cmgo-corrupt1_0": [{ kind: "corrupt", atByte: 12_345, times: Infinity }] }) },
    });
    const dir = await out("fleet-corrupt");
    const run = await against(mock, dir, "--instance", "cmgo-corrupt1", "--instance", "cmgo-fine0001").done;
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/^cmgo-corrupt1 {2}incomplete .*CRC-64/m);
    expect(run.stdout).toContain("partial (exit 3): 1 of 2 instances complete");
    // Only the (empty) journal of the unfinished set: no file under its name, no .part, no manifest.
    expect(await filesIn(backupDir(dir, "cmgo-corrupt1"))).toEqual([".manifest.partial.json"]);
    expect(await filesIn(backupDir(dir, "cmgo-fine0001"))).toEqual(["cmgo-fine0001_0.tar", "manifest.json"]);
  });

  it("an endless URL stops at BackupSize: nothing kept, exit 1", async () => {
    const size = 4 * MiB;
    const mock = await emulator({ world: { instances: [replicaSet("cmgo-endless1")], fileBytes: size }, files: { faults: faultsOf({ "cmgo-endless1_0": [{ kind: "endless", times: Infinity }] }) } });
    const dir = await out("fleet-endless");
    const run = against(mock, dir, "--instance", "cmgo-endless1", "--json");
    let largest = 0;
    const part = path.join(backupDir(dir, "cmgo-endless1"), "cmgo-endless1_0.tar.part");
    const watch = setInterval(() => void stat(part).then((s) => (largest = Math.max(largest, s.size)), () => {}), 5);
    const result = await run.done;
    clearInterval(watch);
    expect(result.code).toBe(1);
    expect(summaryOf(result.stdout).instances[0]!.error).toContain("sent more than the expected 4194304 bytes");
    expect(largest).toBeLessThanOrEqual(size);
    expect(await filesIn(backupDir(dir, "cmgo-endless1"))).toEqual([".manifest.partial.json"]);
  });

  it("a silent API endpoint ends with a clear error within --call-timeout-seconds, exit 1", async () => {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => void sockets.add(socket)); // accepts, never answers
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    });
    const { port } = server.address() as net.AddressInfo;
    const dir = await out("fleet-silent");
    const run = await runBin(["--endpoint", `http://127.0.0.1:${port}`, "--out", dir, "--instance", "cmgo-p8vnipr5", "--call-timeout-seconds", "1"], {
      TENCENTCLOUD_SECRET_ID: "AKIDsilent",
      TENCENTCLOUD_SECRET_KEY: "silent",
      HOME: "/nonexistent",
    }).done;
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^cmgo-p8vnipr5 {2}failed .*(timed out|deadline|timeout)/im);
    expect(run.ms).toBeLessThan(8_000);
    console.log(`silent endpoint: exit ${run.code} after ${(run.ms / 1000).toFixed(1)} s: ${run.stdout.split("\n").find((l) => l.startsWith("cmgo-p8vnipr5  failed"))}`);
  });
});

describe("tcgen-backup --s3-bucket", () => {
  it("copies each verified backup to the bucket (the manifest last), with --keep-daily retention", async () => {
    const S3rver = createRequire(import.meta.url)("s3rver") as new (options: object) => { run(): Promise<{ port: number }>; close(): Promise<void> };
    const dir = await out("fleet-s3");
    const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: path.join(dir, "..", "s3rver") });
    const { port } = await server.run();
    closers.push(() => server.close());
    const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
    const target = { endpoint: `http://127.0.0.1:${port}`, region: "ap-guangzhou", bucket: "backups", prefix: "mongodb/", forcePathStyle: true, credentials };
    const client = await createS3Client(target);
    closers.push(() => client.destroy());
    await client.send(new CreateBucketCommand({ Bucket: "backups" }));
    const mock = await emulator({ world: { fileBytes: 6 * MiB } });
    const run = runBin(["--endpoint", mock.url, "--out", dir, "--instance", "cmgo-p8vnipr5", "--json", "--s3-bucket", "backups", "--s3-endpoint", target.endpoint, "--s3-prefix", "mongodb/", "--keep-daily", "1"], {
      ...credentialsOf(mock),
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
    });
    const result = await run.done;
    expect(result.code, result.stderr).toBe(0);
    const copied = events(result.stdout).find((e) => e.type === "s3-copied")!;
    expect(copied["keyPrefix"]).toMatch(/^mongodb\/cmgo-p8vnipr5\/.*cmgo-p8vnipr5_2021-03-25_03-00\/$/);
    const copies = await listCopies(client, target, "cmgo-p8vnipr5");
    expect(copies.map((c) => c.complete)).toEqual([true]);
  });
});

describeRedis("tcgen-backup --fleet", () => {
  let redis: RunningRedis;
  it("--enqueue fills tonight's queue once; two worker processes back up every instance exactly once, under the shared limiter", async () => {
    redis = await startRedis();
    closers.push(() => redis.stop());
    const ids = Array.from({ length: 6 }, (_, n) => `cmgo-fleet${String(n).padStart(3, "0")}`);
    const mock = await emulator({ world: { instances: ids.map(replicaSet), fileBytes: 1 * MiB } });
    const dir = await out("fleet-queue");
    const night = "2026-12-02";
    const instanceArgs = ids.flatMap((id) => ["--instance", id]);
    for (let n = 0; n < 2; n++) {
      const enqueue = await against(mock, dir, ...instanceArgs, "--redis", redis.url, "--enqueue", "--night", night).done;
      expect(enqueue.code, enqueue.stderr).toBe(0);
      expect(enqueue.stdout).toContain(`queued 6 instances for ${night}`);
    }
    const workers = [0, 1].map(() => against(mock, dir, "--redis", redis.url, "--fleet", "--night", night, "--json", "--concurrency", "2"));
    const results = await Promise.all(workers.map((w) => w.done));
    for (const result of results) {
      expect(result.code, result.stderr).toBe(0);
      expect(summaryOf(result.stdout)).toMatchObject({ status: "complete" });
      expect(summaryOf(result.stdout).instances).toHaveLength(6);
    }
    // Each instance was backed up by one worker, once.
    const done = results.flatMap((r) => events(r.stdout).filter((e) => e.type === "instance-done").map((e) => (e["outcome"] as { instanceId: string }).instanceId));
    expect(done.sort()).toEqual(ids);
    expect(mock.requests.filter((r) => r.errorCode === "RequestLimitExceeded")).toHaveLength(0);
    for (const id of ids) expect(await filesIn(backupDir(dir, id))).toEqual([`${id}_0.tar`, "manifest.json"]);
  });
});
