/**
 * The backup download job end to end: examples/download-backup.ts run as a child process, the way a
 * user runs it, against the emulator (in this process, so the test can shape its world), resolving
 * `tcgen/*` to the sources. Covers the sharded cluster, the embedded emulator of `npm start`, a failed
 * task, and downloads cut short by Ctrl-C or by the server: never a file under its final name unless
 * complete and verified.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, rm, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import net, { type AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { mongodbHandlers } from "../../mock/services/mongodb/handlers.js";
import { startMongodbMock, type RunningMongodbMock, type StartMongodbMockOptions } from "../../mock/services/mongodb/index.js";
import { bytesOf } from "../../mock/cos/index.js";
import { repoRoot, scratchDir } from "../support/helpers.js";

const FILE_BYTES = 3 * 1024 * 1024 + 7;
const created: string[] = [];
const running: RunningMongodbMock[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const mock of running.splice(0)) await mock.close();
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve).closeAllConnections());
});
afterAll(async () => {
  for (const dir of created) await rm(dir, { recursive: true, force: true });
});

interface Run {
  child: ChildProcess;
  /** Resolves when the program has exited. */
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Runs the example with `args`; `env` replaces the credentials and HOME of this process's environment. */
function runJob(args: string[], env: Record<string, string | undefined>): Run {
  const { TENCENTCLOUD_SECRET_ID: _id, TENCENTCLOUD_SECRET_KEY: _key, TENCENTCLOUD_SESSION_TOKEN: _token, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "examples/download-backup.ts"), ...args], {
    cwd: repoRoot,
    env: { ...inherited, TSX_TSCONFIG_PATH: path.join(repoRoot, "test/fixtures/tsconfig.source-paths.json"), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

async function emulator(options: StartMongodbMockOptions = {}) {
  const mock = await startMongodbMock({ world: { taskQueuedMs: 100, taskRunningMs: 300, fileBytes: FILE_BYTES }, ...options });
  running.push(mock);
  return mock;
}
const against = (mock: RunningMongodbMock, out: string, ...args: string[]) =>
  runJob(["--endpoint", mock.url, "--out", out, ...args], { TENCENTCLOUD_SECRET_ID: mock.credentials.secretId, TENCENTCLOUD_SECRET_KEY: mock.credentials.secretKey });

/** Every file under `dir`, relative, sorted. */
async function filesIn(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}
async function out(prefix: string): Promise<string> {
  const dir = await scratchDir(prefix);
  created.push(dir);
  return path.join(dir, "backups");
}

describe("the download job", () => {
  it("downloads the newest successful backup of a 3-shard cluster, every file verified byte for byte", async () => {
    const mock = await emulator();
    const dir = await out("job-sharded");
    const { code, stdout, stderr } = await against(mock, dir, "--instance", "cmgo-p8vnipr5").done;
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("backup:   cmgo-p8vnipr5_2021-03-25 03:00  (newest successful of 2; physical, automatic");
    expect(stdout).toContain("tasks:    created for 3 shards: cmgo-p8vnipr5_0, cmgo-p8vnipr5_1, cmgo-p8vnipr5_2");
    expect(stdout).toMatch(/waiting: {2}3\/3 ready/);
    expect(stdout).toContain(`done:     3 files, 9.0 MiB, every size verified against BackupSize`);
    // Not a terminal: one plain line per file.
    expect(stdout).toMatch(/^cmgo-p8vnipr5_1\.tar {2}3\.0 MiB in [\d.]+ s \([\d.]+ \w+\/s\) {2}verified: 3145735 bytes = BackupSize$/m);
    const folder = "cmgo-p8vnipr5_2021-03-25_03-00";
    expect(await filesIn(dir)).toEqual([0, 1, 2].map((n) => `${folder}/cmgo-p8vnipr5_${n}.tar`));
    for (const task of mock.world.tasks) {
      const bytes = await readFile(path.join(dir, folder, `${task.ReplicaSetId}.tar`));
      expect(bytes.equals(bytesOf(mock.files.cos.content(mock.files.keyOf(task)))), task.ReplicaSetId).toBe(true);
    }
    // The shards were listed by DescribeDBInstances, not probed: one CreateBackupDownloadTask for all three.
    expect(mock.requests.filter((r) => r.action === "DescribeDBInstances").map((r) => JSON.parse(r.body))).toEqual([{ InstanceIds: ["cmgo-p8vnipr5"], Limit: 100, Offset: 0 }]);
    expect(mock.requests.filter((r) => r.action === "CreateBackupDownloadTask").map((r) => r.errorCode ?? "ok")).toEqual(["ok"]);
    expect(JSON.parse(mock.requests.find((r) => r.action === "CreateBackupDownloadTask")!.body).BackupSets).toEqual([0, 1, 2].map((n) => ({ ReplicaSetId: `cmgo-p8vnipr5_${n}` })));
  });

  it("takes a named backup and --shards, and tells a missing backup by name", async () => {
    const mock = await emulator();
    const dir = await out("job-named");
    const named = await against(mock, dir, "--instance", "cmgo-dygv1rnp", "--backup", "cmgo-dygv1rnp_2021-03-26 10:44", "--shards", "1").done;
    expect(named.stderr).toBe("");
    expect(named.code).toBe(0);
    expect(await filesIn(dir)).toEqual(["cmgo-dygv1rnp_2021-03-26_10-44/cmgo-dygv1rnp_0.tar"]);
    expect(mock.requests.filter((r) => r.action === "CreateBackupDownloadTask")).toHaveLength(1);
    const missing = await against(mock, dir, "--instance", "cmgo-dygv1rnp", "--backup", "cmgo-dygv1rnp_1999-01-01 00:00").done;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('usage: no backup named "cmgo-dygv1rnp_1999-01-01 00:00"; the instance has: cmgo-dygv1rnp_2021-03-26 10:44, cmgo-dygv1rnp_2021-03-27 03:00');
  });

  it("runs against the embedded emulator when given no endpoint and no credentials (what npm start does)", async () => {
    const dir = await out("job-embedded");
    const home = path.dirname(dir);
    const { code, stdout, stderr } = await runJob(["--instance", "cmgo-dygv1rnp", "--out", dir], { HOME: home, USERPROFILE: home }).done;
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^emulator: mongodb 2019-07-25 on http:\/\/127\.0\.0\.1:\d+ \(embedded; no cloud account needed\)$/m);
    const files = await filesIn(dir);
    expect(files).toEqual(["cmgo-dygv1rnp_2021-03-27_03-00/cmgo-dygv1rnp_0.tar"]);
    expect((await stat(path.join(dir, files[0]!))).size).toBe(4 * 1024 * 1024);
  });

  it("names the shard whose task failed, exits 1 and downloads nothing", async () => {
    const mock = await emulator();
    mock.world.onTaskCreated = (task) => {
      if (task.ReplicaSetId === "cmgo-p8vnipr5_1") task.forcedStatus = 3;
    };
    const dir = await out("job-failed");
    const { code, stderr } = await against(mock, dir, "--instance", "cmgo-p8vnipr5", "--shards", "3").done;
    expect(code).toBe(1);
    expect(stderr).toContain("failed:   Tencent Cloud could not prepare the files of cmgo-p8vnipr5_1");
    expect(await filesIn(dir)).toEqual([]);
  });
});

describe("a download cut short leaves no file under its final name", () => {
  /**
   * The emulator, with each finished task's Url pointing at a file server that sends half the file
   * and then either stalls (`hang`) or drops the connection (`drop`). `halfSent` resolves once the
   * first half has gone out.
   */
  async function cutShort(mode: "hang" | "drop") {
    let halfSent!: () => void;
    const sent = new Promise<void>((resolve) => (halfSent = resolve));
    const mock = await servingFiles((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": String(FILE_BYTES) });
      res.write(Buffer.alloc(Math.floor(FILE_BYTES / 2), 1), () => {
        halfSent();
        if (mode === "drop") res.destroy();
      });
    });
    return { mock, halfSent: sent };
  }

  /** The emulator, with each finished task's Url pointing at a file server of its own, answering with `serve`. */
  async function servingFiles(serve: (req: IncomingMessage, res: ServerResponse) => void) {
    const files = createServer(serve);
    servers.push(files);
    await new Promise<void>((resolve) => files.listen(0, "127.0.0.1", resolve));
    const filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    let world: RunningMongodbMock["world"] | undefined;
    const mock = await emulator({
      handlers: {
        async DescribeBackupDownloadTask(call) {
          const answer = await mongodbHandlers(world!).DescribeBackupDownloadTask!(call);
          if (!("response" in answer)) return answer;
          const tasks = answer.response["Tasks"] as { Url: string }[];
          return { response: { ...answer.response, Tasks: tasks.map((t) => ({ ...t, Url: t.Url && `${filesUrl}/file.tar` })) } };
        },
      },
    });
    world = mock.world;
    return mock;
  }

  it("Ctrl-C in the middle of a file: exit 130, the .part file removed, nothing else written", async () => {
    const { mock, halfSent } = await cutShort("hang");
    const dir = await out("job-interrupted");
    const run = against(mock, dir, "--instance", "cmgo-dygv1rnp", "--shards", "1");
    await halfSent;
    // The first half has left the server; wait until it is on disk as the .part file, then interrupt.
    const part = path.join(dir, "cmgo-dygv1rnp_2021-03-27_03-00", "cmgo-dygv1rnp_0.tar.part");
    while (!existsSync(part) || (await stat(part)).size === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    run.child.kill("SIGINT");
    const { code, stdout, stderr } = await run.done;
    expect(code).toBe(130);
    expect(stdout).toMatch(/cmgo-dygv1rnp_0\.tar {2}stopped after [\d.]+ \w+ of 3\.0 MiB: interrupted; partial file removed/);
    expect(stderr).toContain("interrupted: stopped; no file was left under its final name");
    expect(await filesIn(dir)).toEqual([]);
  });

  it("a connection dropped half way: exit 1, the .part file removed", async () => {
    const { mock } = await cutShort("drop");
    const dir = await out("job-dropped");
    const { code, stdout, stderr } = await against(mock, dir, "--instance", "cmgo-dygv1rnp", "--shards", "1").done;
    expect(code).toBe(1);
    expect(stdout).toMatch(/cmgo-dygv1rnp_0\.tar {2}stopped after .* partial file removed/);
    expect(stderr).toMatch(/^error: {4}downloading cmgo-dygv1rnp_0\.tar failed: \S/m);
    expect(await filesIn(dir)).toEqual([]);
  });

  it("a stalled body: given up after --stall-seconds, exit 1, the .part file removed", async () => {
    const { mock } = await cutShort("hang");
    const dir = await out("job-stalled");
    const started = Date.now();
    const { code, stdout, stderr } = await against(mock, dir, "--instance", "cmgo-dygv1rnp", "--shards", "1", "--stall-seconds", "0.5").done;
    expect(code).toBe(1);
    expect(stdout).toMatch(/cmgo-dygv1rnp_0\.tar {2}stopped after .*no data for 0\.5 s \(--stall-seconds\); partial file removed/);
    expect(stderr).toContain("downloading cmgo-dygv1rnp_0.tar failed: no data for 0.5 s (--stall-seconds)");
    expect(await filesIn(dir)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("a file longer than BackupSize (an endless Url): never more than BackupSize bytes written, exit 1, nothing kept", async () => {
    // No Content-Length, so only the bytes themselves can tell: the server would send forever.
    let sentBytes = 0;
    const mock = await servingFiles((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/octet-stream" });
      const chunk = Buffer.alloc(256 * 1024, 7);
      const pump = () => {
        while (!res.destroyed) {
          sentBytes += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
      };
      pump();
    });
    const dir = await out("job-endless");
    const part = path.join(dir, "cmgo-dygv1rnp_2021-03-27_03-00", "cmgo-dygv1rnp_0.tar.part");
    const run = against(mock, dir, "--instance", "cmgo-dygv1rnp", "--shards", "1");
    // Watch the .part file while the job runs: its size must never pass BackupSize.
    let largest = 0;
    let finished = false;
    const watching = (async () => {
      while (!finished) {
        largest = Math.max(largest, await stat(part).then((s) => s.size, () => 0));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    const { code, stdout, stderr } = await run.done;
    finished = true;
    await watching;
    expect(code).toBe(1);
    expect(stderr).toContain(`sent more than the task's BackupSize of ${FILE_BYTES} bytes; stopped before writing past it`);
    expect(stdout).toMatch(/partial file removed/);
    expect(largest).toBeLessThanOrEqual(FILE_BYTES);
    expect(await filesIn(dir)).toEqual([]);
    console.log(`endless Url: the job stopped; the .part file peaked at ${largest} bytes (BackupSize ${FILE_BYTES}); the server had sent ${sentBytes} bytes`);
  });

  it("an API gateway that never answers: each call ends at --call-timeout-seconds, exit 1", async () => {
    const silent = net.createServer((socket) => socket.on("error", () => {}));
    const sockets: net.Socket[] = [];
    silent.on("connection", (socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const dir = await out("job-silent");
      const started = Date.now();
      const { code, stderr } = await runJob(["--endpoint", `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, "--out", dir, "--instance", "cmgo-dygv1rnp", "--call-timeout-seconds", "0.5"], {
        TENCENTCLOUD_SECRET_ID: "AKIDjob",
        TENCENTCLOUD_SECRET_KEY: "job-secret",
      }).done;
      const elapsed = Date.now() - started;
      console.log(`download job against a silent gateway: exit ${code} after ${elapsed} ms (--call-timeout-seconds 0.5)`);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^error: {4}DescribeDBBackups: no answer within 500 ms \(timeoutMs; 1 attempt\)/m);
      expect(elapsed).toBeLessThan(15_000);
      expect(await filesIn(dir)).toEqual([]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("a usage error exits 2 before any request", async () => {
    const mock = await emulator();
    const { code, stderr } = await against(mock, await out("job-usage")).done;
    expect(code).toBe(2);
    expect(stderr).toContain("usage: --instance is required");
    expect(mock.requests).toEqual([]);
  });
});
