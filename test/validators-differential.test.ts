/**
 * The generated validators against Ajv compiled from the same spec: for every schema of the mongodb
 * spec and of the catalog fixture (recursion, type lists, nullable, oneOf/anyOf/allOf, maps, an
 * `x-tc-field-patterns` rule), 10,000 fast-check inputs (values built to match, near misses made
 * from them, arbitrary JSON) must get the same verdict, and the same issues: the same (pointer,
 * keyword) pairs, as multisets. The answer validators are compared with Ajv on the spec without its
 * `additionalProperties: false`.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../scripts/generate.js";
import { MAX_ISSUES, type ValidationResult } from "../runtime/validation/validation.js";
import { compileSchema, createAjv, loadSpec, openSpec, referenceIssues, schemaNames } from "./support/ajv-reference.js";
import { repoRoot, scratchDir } from "./support/helpers.js";
import { arbitraries } from "./support/schema-arbitraries.js";

const INPUTS_PER_SCHEMA = 10_000;
/** Fixed, so a failure is reproducible; fast-check prints the counterexample. */
const SEED = 20240601;

type Validators = Record<string, unknown>;
type Validate = (value: unknown) => ValidationResult<unknown>;

interface Tally {
  spec: string;
  validator: string;
  inputs: number;
  valid: number;
  disagreements: number;
}
const tallies: Tally[] = [];
/** How often each keyword failed across all inputs: evidence that the near misses reach every keyword. */
const keywordCounts = new Map<string, number>();

const SPECS = [
  { service: "mongodb", file: "spec/mongodb/2019-07-25" },
  { service: "catalog", file: "test/fixtures/specs/catalog/2024-06-01.yaml" },
] as const;

let scratch: string;
const modules = new Map<string, Validators>();
beforeAll(async () => {
  // The committed mongodb output, and the fixture generated now, like a consumer would.
  modules.set("mongodb", (await import("../generated/mongodb/validators.js")) as Validators);
  scratch = await scratchDir("differential");
  await generate({ spec: SPECS[1].file, out: scratch, cwd: repoRoot });
  modules.set("catalog", (await import(pathToFileURL(path.join(scratch, "catalog", "validators.ts")).href)) as Validators);
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
  const rows = tallies.map((t) => `  ${`${t.spec} ${t.validator}`.padEnd(58)} ${String(t.inputs).padStart(6)} inputs, ${String(t.valid).padStart(5)} valid, ${t.disagreements} disagreements`);
  const total = tallies.reduce((sum, t) => sum + t.inputs, 0);
  const keywords = [...keywordCounts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => `${k} ${n}`).join(", ");
  console.log(
    `differential test against Ajv (seed ${SEED}):\n${rows.join("\n")}\n` +
      `  total: ${total} inputs compared, ${tallies.reduce((s, t) => s + t.disagreements, 0)} disagreements\n  issues by keyword: ${keywords}`,
  );
});

/** Runs the comparison; an input on which the two disagree fails the test with fast-check's counterexample. */
function compare(spec: string, validator: string, ours: Validate, reference: (value: unknown) => { ok: boolean; issues: string[] }, input: fc.Arbitrary<unknown>) {
  const tally: Tally = { spec, validator, inputs: 0, valid: 0, disagreements: 0 };
  tallies.push(tally);
  fc.assert(
    fc.property(input, (value) => {
      tally.inputs++;
      const expected = reference(value);
      const actual = ours(value);
      if (expected.ok) tally.valid++;
      for (const issue of expected.issues) {
        const keyword = issue.slice(issue.lastIndexOf(" ") + 1);
        keywordCounts.set(keyword, (keywordCounts.get(keyword) ?? 0) + 1);
      }
      const agree =
        actual.ok === expected.ok &&
        (actual.ok || actual.issues.length >= MAX_ISSUES || sameMultiset(actual.issues.map((i) => `${i.path} ${i.keyword}`), expected.issues));
      if (!agree) {
        tally.disagreements++;
        expect({ ok: actual.ok, issues: actual.ok ? [] : actual.issues.map((i) => `${i.path} ${i.keyword}`).sort() }).toEqual({
          ok: expected.ok,
          issues: [...expected.issues].sort(),
        });
      }
    }),
    { numRuns: INPUTS_PER_SCHEMA, seed: SEED },
  );
  expect(tally.inputs).toBeGreaterThanOrEqual(INPUTS_PER_SCHEMA);
  expect(tally.disagreements).toBe(0);
  // Both sides of the boundary are exercised.
  expect(tally.valid).toBeGreaterThan(INPUTS_PER_SCHEMA / 10);
  expect(tally.inputs - tally.valid).toBeGreaterThan(INPUTS_PER_SCHEMA / 10);
}

function sameMultiset(actual: string[], expected: string[]): boolean {
  if (actual.length !== expected.length) return false;
  const a = [...actual].sort();
  const b = [...expected].sort();
  return a.every((item, i) => item === b[i]);
}

for (const { service, file } of SPECS) {
  const spec = loadSpec(path.join(repoRoot, file));
  const ajv = createAjv(spec, { fieldPatterns: true });
  const openAjv = createAjv(openSpec(spec), { fieldPatterns: true });
  const { forSchema } = arbitraries(spec);
  const inputsOf = (name: string) => {
    const { matching, nearMiss, any } = forSchema(name);
    return fc.oneof({ arbitrary: matching, weight: 4 }, { arbitrary: nearMiss, weight: 5 }, { arbitrary: any, weight: 1 });
  };

  describe(`${service}: validate<Schema> agrees with Ajv`, () => {
    for (const name of schemaNames(spec)) {
      it(`validate${name}`, () => {
        const reference = compileSchema(ajv, name);
        const ours = modules.get(service)![`validate${name}`] as Validate;
        compare(service, `validate${name}`, ours, (value) => ({ ok: reference(value), issues: referenceIssues(reference.errors).map((i) => `${i.path} ${i.keyword}`) }), inputsOf(name));
      });
    }
  });

  describe(`${service}: the answer validators agree with Ajv on the spec without additionalProperties: false`, () => {
    const paths = spec["paths"] as Record<string, { post: { responses: Record<string, unknown> } }>;
    for (const [route, item] of Object.entries(paths)) {
      const action = route.slice(1);
      const envelope = (item.post.responses["200"] as { content: Record<string, { schema: { properties: { Response: { anyOf: { $ref: string }[] } } } }> }).content["application/json"]!;
      const responseSchema = envelope.schema.properties.Response.anyOf[0]!.$ref.split("/").at(-1)!;
      it(`${service}ResponseValidators.${action} (${responseSchema})`, () => {
        const reference = compileSchema(openAjv, responseSchema);
        const ours = (modules.get(service)![`${service}ResponseValidators`] as Record<string, Validate>)[action]!;
        compare(service, `${service}ResponseValidators.${action}`, ours, (value) => ({ ok: reference(value), issues: referenceIssues(reference.errors).map((i) => `${i.path} ${i.keyword}`) }), inputsOf(responseSchema));
      });
    }
  });
}
