/**
 * The emulator under clients that push it: keep-alive connections survive a refused oversized
 * request (the emulator says `Connection: close` for a body it stopped reading), and `tcgen mock`
 * stops with whatever started it: a signal (SIGINT, SIGTERM, SIGHUP), its launcher exiting, or stdin
 * closing when asked. (`npx tcgen mock` from an installed package: test/runtime/package-consumer.test.ts.)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { Agent, request as httpRequest } from "node:http";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createMongodbClient } from "../../generated/mongodb/index.js";
import { startMongodbMock, type RunningMongodbMock } from "../../mock/services/mongodb/index.js";
import { MAX_POST_BYTES } from "../../mock/server.js";
import { repoRoot } from "../support/helpers.js";

const running: RunningMongodbMock[] = [];
afterEach(async () => {
  for (const mock of running.splice(0)) await mock.close();
});

const input = { InstanceId: "cmgo-dygv1rnp", BackupName: "cmgo-dygv1rnp_2021-03-26 10:44", BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }] };
const oversized = JSON.stringify({ InstanceId: "cmgo-dygv1rnp", Padding: "x".repeat(MAX_POST_BYTES + 1024) });

describe("keep-alive clients and an oversized request", () => {
  it("Node's fetch: RequestSizeLimitExceeded with Connection: close, then the next requests succeed (five rounds)", async () => {
    const mock = await startMongodbMock();
    running.push(mock);
    const mongodb = createMongodbClient({ endpoint: mock.url, credentials: mock.credentials, fetch: (request) => fetch(request) });
    for (let round = 0; round < 5; round++) {
      const refused = await fetch(mock.url, { method: "POST", headers: { "Content-Type": "application/json", "X-TC-Action": "DescribeDBBackups" }, body: oversized });
      expect(refused.headers.get("connection")).toBe("close");
      expect(((await refused.json()) as { Response: { Error: { Code: string } } }).Response.Error.Code).toBe("RequestSizeLimitExceeded");
      await expect(mongodb.createBackupDownloadTask(input)).resolves.toHaveProperty("RequestId");
    }
  });

  it("node:http with a keep-alive agent: the refused connection is closed, the agent's next request goes out on a new one", async () => {
    const mock = await startMongodbMock();
    running.push(mock);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const post = (body: string) =>
      new Promise<{ status: number; connection: string | undefined; text: string; reused: boolean }>((resolve, reject) => {
        const req = httpRequest(`${mock.url}/`, { method: "POST", agent, headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) } }, (res) => {
          let text = "";
          res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
          res.on("end", () => resolve({ status: res.statusCode!, connection: res.headers.connection, text, reused: req.reusedSocket }));
        });
        req.on("error", reject);
        req.end(body);
      });
    try {
      const small = await post("{}");
      expect(small.connection).toBe("keep-alive");
      const refused = await post(oversized);
      expect(refused.reused).toBe(true);
      expect(refused.connection).toBe("close");
      expect(refused.text).toContain("RequestSizeLimitExceeded");
      const after = await post("{}");
      expect(after.status).toBe(200);
      expect(after.reused).toBe(false);
    } finally {
      agent.destroy();
    }
  });
});

/** `tcgen mock` from source, optionally through a shell (as npm runs it: `sh -c`). */
function startCli(args: string[], options: { shell?: boolean; stdin?: "pipe" | "ignore" } = {}) {
  const entry = ["--import", "tsx", path.join(repoRoot, "scripts/tcgen.ts"), "mock", "--port", "0", ...args];
  const child: ChildProcess = options.shell
    ? // `; echo` after the command keeps dash from exec'ing node in its place: the shell stays its parent.
      spawn("sh", ["-c", `${[process.execPath, ...entry].map((a) => `'${a}'`).join(" ")}; echo "shell done"`], { cwd: repoRoot, stdio: [options.stdin ?? "ignore", "pipe", "inherit"] })
    : spawn(process.execPath, entry, { cwd: repoRoot, stdio: [options.stdin ?? "ignore", "pipe", "inherit"] });
  let stdout = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", () => {
      const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url && /secret key: .*\n/.test(stdout)) resolve(url);
    });
    child.once("exit", (code) => reject(new Error(`tcgen mock exited early with ${code}: ${stdout}`)));
  });
  return { child, ready, output: () => stdout };
}

/** Resolves once nothing listens at `url` any more; rejects after `ms`. */
async function stopsListening(url: string, ms: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const refused = await fetch(url, { signal: AbortSignal.timeout(500) }).then(
      () => false,
      () => true,
    );
    if (refused) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`${url} still answers after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("tcgen mock stops with what started it", () => {
  it("SIGHUP stops it cleanly", async () => {
    const { child, ready, output } = startCli([]);
    await ready;
    child.kill("SIGHUP");
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
    expect(output()).toContain("tcgen mock: stopped (SIGHUP)");
  });

  it("--exit-on-stdin-close: stops when its stdin closes", async () => {
    const { child, ready, output } = startCli(["--exit-on-stdin-close"], { stdin: "pipe" });
    const url = await ready;
    child.stdin!.end();
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
    expect(output()).toContain("tcgen mock: stopped (stdin closed)");
    await stopsListening(url, 1_000);
  });

  it("its launching shell killed outright (SIGKILL, no signal passed on): it notices and stops within a second", async () => {
    const { child: shell, ready, output } = startCli([], { shell: true });
    const url = await ready;
    shell.kill("SIGKILL");
    await once(shell, "exit");
    const ms = await stopsListening(url, 3_000);
    console.log(`tcgen mock: stopped ${ms} ms after its launching shell was killed`);
    expect(output()).not.toContain("shell done");
  });
});
