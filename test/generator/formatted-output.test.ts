/**
 * The generator writes its code already formatted (scripts/emit/layout.ts) instead of running
 * Prettier on every generation: here Prettier, with the repository's configuration
 * (.prettierrc.json), runs over freshly generated output and must change nothing. The specs: the
 * real mongodb spec (86 actions, multi-file), the fixture services, and every spec of the hostile
 * corpus the generator accepts (odd names, quotes, line breaks and comment markers in spec text).
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { generate } from "../../scripts/generate.js";
import { repoRoot } from "../support/helpers.js";
import { scratchDirs } from "../support/import-support.js";

const scratch = scratchDirs();

interface CorpusEntry {
  readonly spec: string;
  readonly problems?: readonly unknown[];
}

const corpus = JSON.parse(await readFile(path.join(repoRoot, "test/fixtures/corpus/expected.json"), "utf8")) as Record<string, CorpusEntry>;
const accepted = Object.entries(corpus).filter(([, entry]) => (entry.problems ?? []).length === 0);

const specs: [string, string][] = [
  ["mongodb (spec/)", "spec/mongodb/2019-07-25"],
  ...["cvm/2017-03-12", "cbs/2017-03-12", "billing/2018-07-09", "catalog/2024-06-01"].map((spec): [string, string] => [spec, `test/fixtures/specs/${spec}.yaml`]),
  ...accepted.map(([name, entry]): [string, string] => [`corpus ${name}`, `test/fixtures/corpus/${entry.spec}`]),
];

const options = { ...(await prettier.resolveConfig(path.join(repoRoot, "generated/x.ts"), { editorconfig: false })), parser: "typescript" };

describe("generated code is formatted as Prettier formats it", () => {
  it("reads the repository's Prettier configuration", () => {
    expect(options).toMatchObject({ printWidth: 110, trailingComma: "all" });
  });

  it.each(specs)("%s", async (_name, spec) => {
    const out = await scratch("formatted");
    const result = await generate({ spec: path.join(repoRoot, spec), out, cwd: repoRoot });
    expect(result.files.length).toBeGreaterThan(0);
    const unchanged: string[] = [];
    const changed: string[] = [];
    for (const file of result.files) {
      const text = await readFile(path.join(out, file), "utf8");
      const formatted = await prettier.format(text, options);
      if (formatted === text) unchanged.push(file);
      else changed.push(`${file}: first difference at line ${firstDifferentLine(text, formatted)}`);
    }
    expect(changed).toEqual([]);
    expect(unchanged.length).toBe((await readdir(path.join(out, result.files[0]!.split("/")[0]!))).length);
  }, 120_000);
});

function firstDifferentLine(a: string, b: string): string {
  const left = a.split("\n");
  const right = b.split("\n");
  let i = 0;
  while (left[i] === right[i]) i++;
  return `${i + 1}:\n  generated: ${left[i]}\n  Prettier:  ${right[i]}`;
}
