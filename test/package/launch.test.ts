/**
 * bin/launch.js, which both published commands start through: a reader that goes away (`tcgen mock |
 * head -1`) does not crash the command with an unhandled EPIPE; it runs to its end.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";
import { repoRoot } from "../support/helpers.js";

it("stdout closed by its reader after the first line: the program goes on to its end and exits 0", async () => {
  const launcher = pathToFileURL(path.join(repoRoot, "bin/launch.js")).href;
  const program = pathToFileURL(path.join(repoRoot, "test/fixtures/launch/prints-lines.mjs")).href;
  const child = spawn(process.execPath, ["--input-type=module", "-e", `import(${JSON.stringify(launcher)}).then((m) => m.launch("tcgen", ${JSON.stringify(program)}))`], {
    stdio: ["ignore", "pipe", "pipe"],
  });
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
