/**
 * The corpus of bad and hostile specs (test/fixtures/corpus, README there): every refused case is
 * refused with exactly its expected problems at their expected line and column, writes nothing and
 * never crashes. The accepted cases are generated, imported, run and type-checked by
 * spec-injection.test.ts.
 */
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../scripts/generate.js";
import { SpecError, type SpecProblem } from "../../scripts/spec/problems.js";
import { corpusCases, corpusDir, type CorpusCase } from "../corpus.js";
import { runCli, scratchDir } from "../support/helpers.js";

const cases = corpusCases();
let scratch: string;
beforeAll(async () => {
  scratch = await scratchDir("corpus");
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** Runs the generator on one case; the problems of a refusal, or undefined when it generated. */
async function run(name: string, entry: CorpusCase): Promise<{ problems: readonly SpecProblem[] | undefined; out: string }> {
  const out = path.join(scratch, name);
  try {
    await generate({ spec: path.join(corpusDir, entry.spec), out, cwd: path.join(corpusDir, name) });
    return { problems: undefined, out };
  } catch (error) {
    if (error instanceof SpecError) return { problems: error.problems, out };
    throw error;
  }
}

describe("the corpus", () => {
  it("has at least 100 cases of every kind, refused and accepted", () => {
    const kinds = new Map<string, number>();
    for (const [, entry] of cases) kinds.set(entry.kind, (kinds.get(entry.kind) ?? 0) + 1);
    expect(cases.length).toBeGreaterThanOrEqual(100);
    expect([...kinds.keys()].sort()).toEqual(["accepted", "injection", "names", "patterns", "servers", "structure", "utf8", "yaml"]);
    expect(cases.filter(([, c]) => c.problems).length).toBeGreaterThanOrEqual(100);
    expect(cases.filter(([, c]) => c.payload).length).toBeGreaterThanOrEqual(20);
  });
});

describe.each(cases.filter(([, c]) => c.problems !== undefined))("refused: %s", (name, entry) => {
  it(`${entry.note}: each problem at its line and column, nothing written`, async () => {
    const { problems, out } = await run(name, entry);
    expect(problems, "the spec was accepted").toBeDefined();
    const file = entry.spec.slice(name.length + 1);
    const actual = problems!.map((p) => `${p.file}:${p.line}:${p.col}`);
    // The same positions, and each message saying what the case expects there.
    expect(actual.sort()).toEqual(entry.problems!.map((p) => `${file}:${p.line}:${p.col}`).sort());
    for (const expected of entry.problems!) {
      const here = problems!.filter((p) => p.line === expected.line && p.col === expected.col).map((p) => p.message);
      expect(here.some((message) => message.includes(expected.message)), `at ${expected.line}:${expected.col}: ${here.join(" | ")}`).toBe(true);
    }
    expect(existsSync(out)).toBe(false);
  });
});

describe("through the command line", () => {
  it("a refused case exits 1 with file:line:col problems and no stack trace", async () => {
    const name = "yaml-alias-bomb";
    const result = await runCli(["generate", "--spec", ".", "--out", path.relative(path.join(corpusDir, name), path.join(scratch, "cli-out"))], path.join(corpusDir, name));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^cvm\/2017-03-12\.yaml:24:38: YAML: aliases expand this document/m);
    expect(result.stderr).toContain("tcgen: 1 problem(s); nothing was written");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
