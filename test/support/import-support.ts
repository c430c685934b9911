/** Shared by the tests of `tcgen import` and `tcgen verify`: the vendored definitions, scratch projects, text edits. */
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll } from "vitest";
import { repoRoot, scratchDir } from "./helpers.js";

/** Tencent's definitions vendored for the tests (test/fixtures/definitions/README.md). */
export const definitionsDir = path.join(repoRoot, "test/fixtures/definitions");

/** A scratch-directory maker for one test file; the directories are removed after its tests. */
export function scratchDirs(): (prefix: string) => Promise<string> {
  const created: string[] = [];
  afterAll(async () => {
    for (const dir of created) await rm(dir, { recursive: true, force: true });
  });
  return async (prefix) => {
    const dir = await scratchDir(prefix);
    created.push(dir);
    return dir;
  };
}

/** `text` with each [from, to] replaced once, literally; a `from` that is not there fails the test. */
export function edit(text: string, ...edits: [string, string][]): string {
  return edits.reduce((t, [from, to]) => {
    if (!t.includes(from)) throw new Error(`the test's edit does not apply: ${JSON.stringify(from.slice(0, 80))}`);
    return t.replace(from, () => to);
  }, text);
}
