/** `tcgen mock` as a user runs it: prints where it listens and its key, serves the client, stops on signals. */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { createMongodbClient } from "../../generated/mongodb/index.js";
import { MOCK_CREDENTIALS } from "../../mock/server.js";
import { TCGEN_VERSION } from "../../runtime/version.js";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { generate } from "../../scripts/generate.js";
import { repoRoot, runCli, scratchDir } from "../support/helpers.js";

function startCli(args: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "scripts/tcgen.ts"), "mock", ...args], { cwd: repoRoot });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", () => {
      // Ready once the whole banner (URL, then the key pair) has been printed.
      const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url && /secret key: .*\n/.test(stdout)) resolve(url);
    });
    child.once("exit", (code) => reject(new Error(`tcgen mock exited early with ${code}: ${stdout}`)));
  });
  return { child, ready, output: () => stdout };
}

describe("tcgen mock", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("serves the generated client on a free port and stops cleanly on %s", async (signal) => {
    const { child, ready, output } = startCli(["--port", "0"]);
    const url = await ready;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(output()).toContain(`secret id:  ${MOCK_CREDENTIALS.secretId}`);
    expect(output()).toContain(`secret key: ${MOCK_CREDENTIALS.secretKey}`);

    const mongodb = createMongodbClient({ endpoint: url, credentials: MOCK_CREDENTIALS });
    const { Tasks } = await mongodb.createBackupDownloadTask({
      InstanceId: "cmgo-dygv1rnp",
      BackupName: "cmgo-dygv1rnp_2021-03-26 10:44",
      BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }],
    });
    expect(Tasks).toEqual([{ ReplicaSetId: "cmgo-dygv1rnp_0", Status: 0 }]);

    child.kill(signal);
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
    expect(output()).toContain("tcgen mock: stopped");
  });

  it("takes its key pair from --secret-id/--secret-key and does not print the key back", async () => {
    const { child, ready, output } = startCli(["--secret-id", "AKIDcustom", "--secret-key", "custom-key-not-printed"]);
    const url = await ready;
    expect(output()).not.toContain("custom-key-not-printed");
    const good = createMongodbClient({ endpoint: url, credentials: { secretId: "AKIDcustom", secretKey: "custom-key-not-printed" } });
    const input = { InstanceId: "cmgo-dygv1rnp", BackupName: "cmgo-dygv1rnp_2021-03-26 10:44", BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }] };
    await expect(good.createBackupDownloadTask(input)).resolves.toHaveProperty("RequestId");
    const other = createMongodbClient({ endpoint: url, credentials: MOCK_CREDENTIALS });
    await expect(other.createBackupDownloadTask(input)).rejects.toMatchObject({ code: "AuthFailure.SecretIdNotFound" });
    child.kill("SIGTERM");
    await once(child, "exit");
  });

  it("serves download files of --file-bytes, ready after --task-ms", async () => {
    const { child, ready } = startCli(["--task-ms", "40", "--file-bytes", "1000"]);
    const mongodb = createMongodbClient({ endpoint: await ready, credentials: MOCK_CREDENTIALS });
    const backup = { InstanceId: "cmgo-dygv1rnp", BackupName: "cmgo-dygv1rnp_2021-03-26 10:44" };
    await mongodb.createBackupDownloadTask({ ...backup, BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }] });
    const [task] = await mongodb.waitForBackupDownloadTasks({ ...backup, ReplicaSetIds: ["cmgo-dygv1rnp_0"] }, { minDelayMs: 50 });
    expect(task!.BackupSize).toBe(1000);
    expect((await (await fetch(task!.Url)).arrayBuffer()).byteLength).toBe(1000);
    child.kill("SIGTERM");
    await once(child, "exit");
  });

  it("refuses wrong usage with exit 2", async () => {
    expect((await runCli(["mock", "--file-bytes", "1.5"])).code).toBe(2);
    expect((await runCli(["mock", "--port", "99999"])).code).toBe(2);
    expect((await runCli(["mock", "--secret-id", "x"])).code).toBe(2);
    expect((await runCli(["mock", "--service", "nope"])).code).toBe(2);
    expect((await runCli(["frobnicate"])).code).toBe(2);
    expect((await runCli(["generate", "--bogus"])).code).toBe(2);
  });
});

describe("tcgen mock --spec", () => {
  const cvmSpec = "test/fixtures/specs/cvm/2017-03-12.yaml";
  type Client = Record<string, (input: unknown) => Promise<Record<string, unknown>>>;

  it("serves the service of any spec: its example answers, requests checked against its validators", async () => {
    const scratch = await scratchDir("mock-spec");
    try {
      await generate({ spec: cvmSpec, out: scratch, cwd: repoRoot });
      const { createCvmClient } = (await import(pathToFileURL(path.join(scratch, "cvm", "index.ts")).href)) as { createCvmClient: (options: object) => Client };
      const { child, ready, output } = startCli(["--spec", cvmSpec]);
      const endpoint = await ready;
      expect(output()).toContain("cvm 2017-03-12");
      const cvm = createCvmClient({ endpoint, credentials: MOCK_CREDENTIALS });
      const answer = await cvm["describeInstances"]!({ Limit: 1, Filters: [{ Name: "instance-name", Values: ["web"] }] });
      expect(answer["InstanceSet"]).toEqual([{ InstanceId: "ins-xxxxxxxx", InstanceState: "RUNNING" }]);
      // The emulator checks what the client did not: Limit above the spec's maximum of 100.
      const unchecked = createCvmClient({ endpoint, credentials: MOCK_CREDENTIALS, validate: { request: false } });
      await expect(unchecked["describeInstances"]!({ Limit: 500 })).rejects.toMatchObject({ code: expect.stringMatching(/^InvalidParameter/) });
      child.kill("SIGTERM");
      expect((await once(child, "exit"))[0]).toBe(0);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });

  it("loads every spec of the hostile corpus the generator accepts, its payloads executing nowhere", async () => {
    const expected = JSON.parse(readFileSync(path.join(repoRoot, "test/fixtures/corpus/expected.json"), "utf8")) as Record<string, { spec: string; problems?: unknown[] }>;
    const specs = Object.values(expected)
      .filter((entry) => !entry.problems?.length)
      .map((entry) => path.join(repoRoot, "test/fixtures/corpus", entry.spec));
    expect(specs.length).toBeGreaterThan(40);
    const child = path.join(repoRoot, "test/mock/mock-spec-corpus-child.ts");
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", child, ...specs], { cwd: repoRoot, maxBuffer: 1 << 20 });
    const seen = JSON.parse(stdout) as { served: { spec: string; actions: number }[]; injected: unknown };
    expect(seen.served.map((s) => s.spec)).toEqual(specs);
    for (const { actions } of seen.served) expect(actions).toBeGreaterThan(0);
    // The corpus' payloads set this global if any of them ever runs.
    expect(seen.injected).toBeNull();
  }, 180_000);

  it("reports a bad spec at its file:line:col, a missing service by name, and a typo in a flag before reading the spec", async () => {
    const scratch = await scratchDir("mock-spec-bad");
    try {
      await mkdir(path.join(scratch, "spec"));
      const good = readFileSync(path.join(repoRoot, cvmSpec), "utf8");
      await writeFile(path.join(scratch, "spec", "cvm.yaml"), good.replace("operationId: StartInstances", "operationId: 12"));
      const bad = await runCli(["mock", "--spec", path.join(scratch, "spec")]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/cvm\.yaml:\d+:\d+: /);
      const missing = await runCli(["mock", "--spec", cvmSpec, "--service", "cbs"]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('does not describe "cbs" (it describes cvm)');
      const typo = await runCli(["mock", "--spec", cvmSpec, "--prot", "1"]);
      expect(typo.code).toBe(2);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});

describe("package", () => {
  it("X-TC-RequestClient carries package.json's version", () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string };
    expect(TCGEN_VERSION).toBe(manifest.version);
  });
});
