/**
 * The corpus of bad and hostile specs (test/fixtures/corpus, README there): every refused case is
 * refused with exactly its expected problems at their expected line and column, writes nothing and
 * never crashes; every case generated with renamed schemas gives exactly its notes, and what it
 * generates type-checks. The accepted cases are generated, imported, run and type-checked by
 * spec-injection.test.ts.
 */
import { existsSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../scripts/generate.js";
import { SpecError, type SpecProblem } from "../../scripts/spec/problems.js";
import { corpusCases, corpusDir, type CorpusCase } from "../corpus.js";
import { runCli, scratchDir, typeCheckStrict } from "../support/helpers.js";

const cases = corpusCases();
let scratch: string;
beforeAll(async () => {
  scratch = await scratchDir("corpus");
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** Runs the generator on one case; the problems of a refusal (undefined when it generated) and its warnings. */
async function run(name: string, entry: CorpusCase): Promise<{ problems: readonly SpecProblem[] | undefined; warnings: readonly SpecProblem[]; out: string }> {
  const out = path.join(scratch, name);
  try {
    const { warnings } = await generate({ spec: path.join(corpusDir, entry.spec), out, cwd: path.join(corpusDir, name) });
    return { problems: undefined, warnings, out };
  } catch (error) {
    if (error instanceof SpecError) return { problems: error.problems, warnings: [], out };
    throw error;
  }
}

/** The problems (or notes) found are exactly the expected ones: the same positions, each message with the expected part. */
function expectAtPositions(found: readonly SpecProblem[], expected: readonly { line: number; col: number; message: string }[], file: string): void {
  expect(found.map((p) => `${p.file}:${p.line}:${p.col}`).sort()).toEqual(expected.map((p) => `${file}:${p.line}:${p.col}`).sort());
  for (const wanted of expected) {
    const here = found.filter((p) => p.line === wanted.line && p.col === wanted.col).map((p) => p.message);
    expect(here.some((message) => message.includes(wanted.message)), `at ${wanted.line}:${wanted.col}: ${here.join(" | ")}`).toBe(true);
  }
}

describe("the corpus", () => {
  it("has at least 100 cases of every kind, refused and accepted", () => {
    const kinds = new Map<string, number>();
    for (const [, entry] of cases) kinds.set(entry.kind, (kinds.get(entry.kind) ?? 0) + 1);
    expect(cases.length).toBeGreaterThanOrEqual(100);
    expect([...kinds.keys()].sort()).toEqual(["accepted", "injection", "names", "patterns", "servers", "structure", "utf8", "yaml"]);
    expect(cases.filter(([, c]) => c.problems).length).toBeGreaterThanOrEqual(100);
    expect(cases.filter(([, c]) => c.renamed).length).toBeGreaterThanOrEqual(10);
    expect(cases.filter(([, c]) => c.payload).length).toBeGreaterThanOrEqual(20);
  });
});

describe.each(cases.filter(([, c]) => c.problems !== undefined))("refused: %s", (name, entry) => {
  it(`${entry.note}: each problem at its line and column, nothing written`, async () => {
    const { problems, out } = await run(name, entry);
    expect(problems, "the spec was accepted").toBeDefined();
    expectAtPositions(problems!, entry.problems!, entry.spec.slice(name.length + 1));
    expect(existsSync(out)).toBe(false);
  });
});

describe("renamed", () => {
  const renamed = cases.filter(([, c]) => c.renamed !== undefined);
  const outputs: string[] = [];

  it.each(renamed)("%s: generated, a note at each renamed schema", async (name, entry) => {
    const { problems, warnings, out } = await run(name, entry);
    expect(problems, problems?.map((p) => p.message).join("\n")).toBeUndefined();
    expectAtPositions(warnings.filter((w) => w.message.startsWith("note: ")), entry.renamed!, entry.spec.slice(name.length + 1));
    outputs.push(path.join(out, entry.spec.slice(name.length + 1).split("/")[0]!, "index.ts"));
  });

  it("what they generate type-checks, all in one program", async () => {
    expect(outputs).toHaveLength(renamed.length);
    const entry = path.join(scratch, "renamed-all.ts");
    await writeFile(entry, outputs.map((file, i) => `export * as case${i} from "./${path.relative(scratch, file).split(path.sep).join("/").replace(/\.ts$/, ".js")}";`).join("\n"));
    const { diagnostics } = await typeCheckStrict(entry);
    expect(diagnostics).toEqual([]);
  }, 120_000);
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
