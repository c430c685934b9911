/**
 * Types agree with the diff: for every entry of the corpus (test/spec-changes-corpus.ts), a client is
 * generated from the changed spec and the consumer written against the base client
 * (test/fixtures/spec-changes/consumer.ts) is compiled against it (tsc, strict, all variants in one
 * program) and run (its requests and its behaviour probes, against a fake server); answers the
 * compiler cannot see are checked with both clients' validators. A change `tcgen diff` classifies as
 * breaking must break the consumer in one of those ways; an additive or neutral one must not.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { generate } from "../../scripts/generate.js";
import type { DiffResult } from "../../scripts/diff/change.js";
import { overall } from "../../scripts/diff/classify.js";
import { diffSpecs } from "../../scripts/diff/diff.js";
import { readSpecs, type SpecSide } from "../../scripts/diff/read.js";
import { repoRoot, scratchDir, strictCompilerOptions } from "../support/helpers.js";
import { CORPUS, type CorpusEntry } from "../spec-changes-corpus.js";

const FIXTURE = "test/fixtures/spec-changes";
const SPEC = "cbs/2024-01-01.yaml";

interface Variant {
  readonly id: string;
  readonly entry: CorpusEntry | undefined;
  readonly dir: string;
  readonly specText: string;
  readonly side: SpecSide;
}

interface Outcome {
  readonly diff: DiffResult;
  readonly typeErrors: string[];
  readonly failedProbes: string[];
  readonly answerRefused: string | undefined;
}

let scratch: string;
let base: Variant;
const variants: Variant[] = [];
const diagnosticsByDir = new Map<string, string[]>();
const outcomes = new Map<string, Outcome>();
const timings: Record<string, number> = {};

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

async function makeVariant(id: string, entry: CorpusEntry | undefined, baseText: string, consumer: string): Promise<Variant> {
  const doc = parseDocument(baseText);
  entry?.edit(doc);
  const specText = entry ? doc.toString() : baseText;
  const dir = path.join(scratch, id);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "spec.yaml"), specText);
  // Every variant is generated from the same path, so the files a change does not touch come out
  // identical to the base's (and the generator formats each distinct text once).
  const specFile = path.join(scratch, "spec", SPEC);
  await mkdir(path.dirname(specFile), { recursive: true });
  await writeFile(specFile, specText);
  await generate({ spec: path.relative(repoRoot, specFile), out: path.relative(repoRoot, dir), cwd: repoRoot });
  await writeFile(path.join(dir, "consumer.ts"), consumer);
  const displayPath = `${id}/${SPEC}`;
  const [side] = readSpecs([{ displayPath, layoutPath: SPEC, text: specText }]);
  return { id, entry, dir, specText, side: side! };
}

/**
 * One TypeScript program over every variant's consumer: the consumers' diagnostics by variant
 * directory. Only the consumers are checked (the generated code of each variant is read for its
 * types, never checked body by body): the base client is checked in full, the generator's own
 * tests check generated code in general.
 */
async function typeCheckAll(dirs: string[]): Promise<void> {
  const { default: ts } = await import("typescript");
  const program = ts.createProgram(
    dirs.map((dir) => path.join(dir, "consumer.ts")),
    strictCompilerOptions(ts),
  );
  const baseFiles = program.getSourceFiles().filter((f) => f.fileName.startsWith(dirs[0]! + path.sep));
  const consumers = dirs.slice(1).map((dir) => program.getSourceFile(path.join(dir, "consumer.ts"))!);
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...[...baseFiles, ...consumers].flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
  ];
  for (const d of diagnostics) {
    const file = d.file?.fileName ?? "";
    const dir = dirs.find((x) => file.startsWith(x + path.sep));
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    const text = `${path.relative(dir ?? repoRoot, file)}:${line}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
    const key = dir ?? "(outside the variants)";
    diagnosticsByDir.set(key, [...(diagnosticsByDir.get(key) ?? []), text]);
  }
}

async function runProbes(dir: string): Promise<string[]> {
  const failed: string[] = [];
  let probes: Record<string, () => Promise<void>>;
  try {
    ({ probes } = (await import(path.join(dir, "consumer.ts"))) as { probes: Record<string, () => Promise<void>> });
  } catch (error) {
    return [`the consumer does not load: ${(error as Error).message}`];
  }
  for (const [name, probe] of Object.entries(probes)) {
    try {
      await probe();
    } catch (error) {
      failed.push(`${name}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  return failed;
}

type Validators = Record<string, (value: unknown) => { ok: boolean }>;

async function answerValidators(dir: string): Promise<Validators> {
  return ((await import(path.join(dir, "cbs", "validators.ts"))) as { cbsResponseValidators: Validators }).cbsResponseValidators;
}

beforeAll(async () => {
  scratch = await scratchDir("spec-changes");
  const baseText = await readFile(path.join(repoRoot, FIXTURE, SPEC), "utf8");
  const consumer = (await readFile(path.join(repoRoot, FIXTURE, "consumer.ts"), "utf8")).replace(/^\/\/ @ts-nocheck.*\n\/\/.*\n/, "");
  let started = performance.now();
  base = await makeVariant("base", undefined, baseText, consumer);
  const ids = new Set<string>();
  for (const entry of CORPUS) {
    const id = slug(entry.name);
    if (ids.has(id)) throw new Error(`two corpus entries named like ${id}`);
    ids.add(id);
    variants.push(await makeVariant(id, entry, baseText, consumer));
  }
  timings["generate"] = performance.now() - started;
  started = performance.now();
  await typeCheckAll([base.dir, ...variants.map((v) => v.dir)]);
  timings["tsc"] = performance.now() - started;
  started = performance.now();
  const oldValidators = await answerValidators(base.dir);
  for (const variant of variants) {
    const diff = diffSpecs({ label: "base", sides: [base.side] }, { label: variant.id, sides: [variant.side] });
    const answer = variant.entry!.answer;
    let answerRefused: string | undefined;
    if (answer) {
      const newValidators = await answerValidators(variant.dir);
      if (newValidators[answer.action]!(answer.value).ok && !oldValidators[answer.action]!(answer.value).ok) {
        answerRefused = `the new client accepts a ${answer.action} answer the old one promised never to return`;
      }
    }
    outcomes.set(variant.id, { diff, typeErrors: diagnosticsByDir.get(variant.dir) ?? [], failedProbes: await runProbes(variant.dir), answerRefused });
  }
  timings["diff and run"] = performance.now() - started;
}, 900_000);

afterAll(() => {
  // The corpus results, for the README and the issue's closing note.
  const rows = variants.map((v) => {
    const o = outcomes.get(v.id);
    if (!o) return `  ${v.entry!.name}: not run`;
    const cls = overall(o.diff.changes.map((c) => c.class)) ?? "none";
    const evidence = [
      ...(o.typeErrors.length > 0 ? [`${o.typeErrors.length} type error(s)`] : []),
      ...o.failedProbes.map((p) => `probe ${p.split(":")[0]}`),
      ...(o.answerRefused ? ["answer beyond the old promise"] : []),
    ];
    return `  ${v.entry!.name.padEnd(64)} ${cls.padEnd(9)} ${evidence.length > 0 ? `breaks: ${evidence.join("; ")}` : "consumer compiles and runs"}`;
  });
  const ms = Object.entries(timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(", ");
  console.log(`spec-change corpus: ${variants.length} kinds (${ms})\n${rows.join("\n")}`);
});

describe("the base client and consumer", () => {
  it("compiles without errors, sends every request and passes every probe", async () => {
    expect(diagnosticsByDir.get(base.dir) ?? []).toEqual([]);
    expect(diagnosticsByDir.get("(outside the variants)") ?? []).toEqual([]);
    expect(await runProbes(base.dir)).toEqual([]);
  });

  it("has no changes against itself", () => {
    expect(diffSpecs({ label: "a", sides: [base.side] }, { label: "b", sides: [base.side] }).changes).toEqual([]);
  });

  it("covers at least 25 kinds of change, each breaking kind with a way to break", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(25);
    expect(new Set(CORPUS.map((e) => e.expect))).toEqual(new Set(["breaking", "additive", "neutral"]));
  });
});

describe.each(CORPUS.map((entry) => [entry.name, entry] as const))("%s", (_name, entry) => {
  const id = slug(entry.name);

  it(`is classified ${entry.expect}, reporting ${entry.kinds.join(", ")}`, () => {
    const { diff } = outcomes.get(id)!;
    expect(overall(diff.changes.map((c) => c.class))).toBe(entry.expect);
    const kinds = diff.changes.map((c) => c.kind);
    for (const kind of entry.kinds) expect(kinds).toContain(kind);
    for (const change of diff.changes) {
      expect(change.location.line).toBeGreaterThan(0);
      if (change.class !== "neutral") expect(change.affects.length).toBeGreaterThan(0);
    }
    if (entry.at !== undefined) {
      const change = diff.changes.find((c) => c.kind === entry.kinds[0])!;
      const variant = variants.find((v) => v.id === id)!;
      const text = change.location.file.startsWith("base/") ? base.specText : variant.specText;
      expect(text.split("\n")[change.location.line - 1]).toContain(entry.at);
    }
  });

  if (entry.expect === "breaking") {
    it("breaks the consumer: a type error, a refused request, a failed probe or an answer beyond the old promise", () => {
      const o = outcomes.get(id)!;
      const evidence = [...o.typeErrors, ...o.failedProbes, ...(o.answerRefused ? [o.answerRefused] : [])];
      expect(evidence, "classified breaking, but the consumer compiles and runs").not.toEqual([]);
    });
  } else {
    it("leaves the consumer compiling and running", () => {
      const o = outcomes.get(id)!;
      expect(o.typeErrors).toEqual([]);
      expect(o.failedProbes).toEqual([]);
    });
  }
});
