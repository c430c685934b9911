/**
 * `npm run bench:load`: loading a 5 MB spec, tcgen's loader (scripts/spec/load.ts: yaml's parser, then
 * its own walk to JSON with a linear duplicate-key check) against what it replaced (yaml with
 * `uniqueKeys: true`, whose duplicate-key check compares every key of a mapping with every other,
 * then `document.toJS()`), side by side in one process, on two specs of about 5 MB:
 *
 * - "synthetic": the synthetic spec of bench/make-synthetic-spec.ts with enough actions (realistic
 *   mappings of a few thousand keys), also checked (stage 2) to show load + check;
 * - "wide": one mapping of 50,000 schemas, where the quadratic check shows.
 *
 * Each also gets a duplicate key near its end, which the new loader must still report at its line.
 * yaml's parser alone (`uniqueKeys` off, no conversion) is the floor both stand on.
 *
 *   npx tsx bench/load-spec.ts [--runs=3]
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { LineCounter, parseDocument } from "yaml";
import { checkSpec } from "../scripts/check/check-spec.js";
import { parseSpec } from "../scripts/spec/load.js";
import { SpecError } from "../scripts/spec/problems.js";
import { writeSyntheticSpec } from "./make-synthetic-spec.js";
import { outDir } from "./lib/paths.js";
import { median } from "./lib/stats.js";

const { values: args } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const RUNS = Number(args.runs);
const TARGET_BYTES = 5 * 1024 * 1024;

/** The loader before this change, as scripts/spec/load.ts had it. */
function loadWithUniqueKeys(text: string): unknown {
  const document = parseDocument(text, { lineCounter: new LineCounter(), prettyErrors: false, uniqueKeys: true, strict: true });
  if (document.errors.length > 0) return document.errors;
  return document.toJS({ maxAliasCount: 100 });
}

function time(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

async function syntheticSpec(): Promise<{ text: string; file: string }> {
  // About 3.8 KB per action.
  const file = await writeSyntheticSpec(Math.round(TARGET_BYTES / 3800), path.join(outDir, "load-spec"));
  return { text: await readFile(file, "utf8"), file };
}

function wideSpec(): string {
  const lines = ["openapi: 3.1.0", "components:", "  schemas:"];
  for (let i = 0, bytes = 0; bytes < TARGET_BYTES; i++) {
    const schema = [`    Schema${i}:`, "      type: object", `      description: Schema number ${i}, one of very many in one mapping.`, "      properties:", "        Name: { type: string }"];
    lines.push(...schema);
    bytes += schema.join("\n").length + 1;
  }
  return lines.join("\n") + "\n";
}

/** The text with schema `key` written a second time, as the last member of components.schemas (the last mapping of both specs). */
function withDuplicate(text: string, key: string): { text: string; line: number } {
  const changed = `${text}    ${key}: { type: string }\n`;
  return { text: changed, line: changed.split("\n").length - 1 };
}

async function main(): Promise<void> {
  await mkdir(path.join(outDir, "load-spec"), { recursive: true });
  const synthetic = await syntheticSpec();
  const specs = [
    { name: "synthetic", text: synthetic.text, file: synthetic.file, duplicate: "ErrorDetail" },
    { name: "wide", text: wideSpec(), file: path.join(outDir, "load-spec", "wide.yaml"), duplicate: "Schema7" },
  ];
  console.log(`loading a spec of about 5 MB, median of ${RUNS} runs each (the old loader once on "wide": it takes minutes)\n`);
  console.log("spec        size      old loader (uniqueKeys)   tcgen's loader   speed-up   yaml parse alone   tcgen load + check");
  for (const spec of specs) {
    await writeFile(spec.file, spec.text);
    const ours: number[] = [];
    const old: number[] = [];
    const checked: number[] = [];
    const floor: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      if (run === 0 || spec.name !== "wide") old.push(time(() => loadWithUniqueKeys(spec.text)));
      ours.push(time(() => parseSpec(spec.text, spec.name)));
      floor.push(time(() => parseDocument(spec.text, { lineCounter: new LineCounter(), prettyErrors: false, uniqueKeys: false, strict: true })));
      if (spec.name === "synthetic") {
        checked.push(time(() => checkSpec(parseSpec(spec.text, spec.name), spec.file)));
      }
    }
    const size = `${(Buffer.byteLength(spec.text) / 1024 / 1024).toFixed(1)} MB`;
    const ratio = median(old) / median(ours);
    const check = checked.length > 0 ? `${(median(checked) / 1000).toFixed(2)} s` : "-";
    console.log(`${spec.name.padEnd(12)}${size.padEnd(10)}${`${(median(old) / 1000).toFixed(2)} s`.padEnd(26)}${`${(median(ours) / 1000).toFixed(2)} s`.padEnd(17)}${`${ratio.toFixed(1)}x`.padEnd(11)}${`${(median(floor) / 1000).toFixed(2)} s`.padEnd(19)}${check}`);

    // Duplicate keys are still found, at their line.
    const { text, line } = withDuplicate(spec.text, spec.duplicate);
    try {
      parseSpec(text, spec.name);
      console.log(`  ${spec.name}: the duplicate key was NOT reported`);
      process.exitCode = 1;
    } catch (error) {
      const found = error instanceof SpecError ? error.problems.find((p) => p.message.includes("Map keys must be unique")) : undefined;
      console.log(`  ${spec.name}: duplicate "${spec.duplicate}" reported at line ${found?.line ?? "?"} (expected ${line})${found?.line === line ? "" : "  MISMATCH"}`);
      if (found?.line !== line) process.exitCode = 1;
    }
  }
}

await main();
