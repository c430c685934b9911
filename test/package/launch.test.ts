/**
 * bin/launch.js, which both published commands start through: a reader that goes away (`tcgen mock |
 * head -1`) does not crash the command with an unhandled EPIPE; it runs to its end.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";
import { repoRoot } from "../support/helpers.js";

const launcher = pathToFileURL(path.join(repoRoot, "bin/launch.js")).href;
const program = pathToFileURL(path.join(repoRoot, "test/fixtures/launch/prints-lines.mjs")).href;
const launchArgs = ["--input-type=module", "-e", `import(${JSON.stringify(launcher)}).then((m) => m.launch("tcgen", ${JSON.stringify(program)}))`];

it("stdout closed by its reader after the first line: the program goes on to its end and exits 0", async () => {
  const child = spawn(process.execPath, launchArgs, { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const [first] = (await once(child.stdout, "data")) as [Buffer];
  expect(first.toString()).toMatch(/^line 0\n/);
  child.stdout.destroy();
  const [code] = await once(child, "exit");
  expect(stderr).not.toContain("EPIPE");
  expect(stderr).toContain("finished");
  expect(code).toBe(0);
});

it("stdout and stderr on one pipe (2>&1) closed after the first line: both streams' EPIPE ignored, the program ends and exits 0", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "tcgen-launch-"));
  const finished = path.join(dir, "finished");
  const exitCode = path.join(dir, "exit-code");
  // The subshell records node's own exit code (a pipeline's is head's).
  const script = `('${process.execPath}' "$@" 2>&1; echo $? > '${exitCode}') | head -1 >/dev/null`;
  const child = spawn("sh", ["-c", script, "sh", ...launchArgs], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, ALSO_STDERR: "1", FINISHED_FILE: finished },
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const [code] = await once(child, "exit");
  expect(stderr).toBe("");
  expect(code).toBe(0);
  expect((await readFile(exitCode, "utf8")).trim()).toBe("0");
  expect(await readFile(finished, "utf8")).toBe("finished");
});
