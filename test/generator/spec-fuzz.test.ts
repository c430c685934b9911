/**
 * A seeded fuzz of the generator: thousands of mutations of the three fixture specs (values deleted,
 * replaced, renamed, swapped and duplicated in the parsed document; bytes, YAML syntax and tags
 * thrown into the text), each run through the real generator. Every mutation must either generate or
 * be refused with problems that all have a position inside the file; anything else thrown is a
 * crash. The counts are printed; `TCGEN_FUZZ_RUNS` and `TCGEN_FUZZ_SEED` change them.
 */
import { readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { generate } from "../../scripts/generate.js";
import { parseSpec } from "../../scripts/spec/load.js";
import { SpecError } from "../../scripts/spec/problems.js";
import { seededRandom } from "../../mock/faults.js";
import { repoRoot, scratchDir } from "../support/helpers.js";

const RUNS = Number(process.env["TCGEN_FUZZ_RUNS"] ?? 2000);
const SEED = Number(process.env["TCGEN_FUZZ_SEED"] ?? 20261101);

const BASES = ["cvm/2017-03-12.yaml", "cbs/2017-03-12.yaml", "catalog/2024-06-01.yaml"].map((file) => {
  const text = readFileSync(path.join(repoRoot, "test/fixtures/specs", file), "utf8");
  return { file, text, value: parseSpec(text, file).value };
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

const HOSTILE_TEXT = [
  "", " ", "*/ globalThis.__tcgenInjected = 1; /*", "a\nb", "a\rb", "a\u2028b", "a\u2029b", '"', "\\", "`${1}`", "</script>", "@deprecated",
  "__proto__", "constructor", "toString", "then", "toJSON", "Then", "ToJSON", "class", "string", "Promise", "a-b", "1st", "Instance-State",
  "#/components/schemas/constructor", "#/components/schemas/__proto__", "#/components/schemas/Filter", "#/paths", "^[/*]+$", "(", "\uD800", "云",
  "https://x.tencentcloudapi.com", "https://x?y", "https://u@x", "ftp://x", "3.1.0", "3.0.3", "2017-03-12", "object", "array", "integer", "number",
  "boolean", "null", "application/json", "text/plain", "Limit", "Offset", "TotalCount", "RequestId", "Error", "items", "pages",
];
const NAMES = ["__proto__", "constructor", "then", "toJSON", "a-b", "*/x", "", "Then", "x-tc-unknown", "$ref", "type", "enum", "required", "200", "post", "get", "Limit", "Zone-Name", "createCvmClient", "TimeoutError"];

function randomValue(rng: Rng, depth = 0): Json {
  switch (Math.floor(rng() * (depth > 2 ? 5 : 8))) {
    case 0: return pick(rng, HOSTILE_TEXT);
    case 1: return pick(rng, [0, -1, 1, 1.5, 100, 1e21, -0, 2 ** 53 + 2, Number.MAX_VALUE]);
    case 2: return pick(rng, [true, false]);
    case 3: return null;
    case 4: return pick(rng, [{}, [], { $ref: "#/components/schemas/ErrorResponse" }, { $ref: null }, { type: "string" }, { type: "object", properties: {} }]) as Json;
    case 5: return Array.from({ length: Math.floor(rng() * 3) }, () => randomValue(rng, depth + 1));
    default: return Object.fromEntries(Array.from({ length: Math.floor(rng() * 3) }, () => [pick(rng, NAMES), randomValue(rng, depth + 1)]));
  }
}

/** Every container in the document with a key or index in it, to mutate. */
function slots(root: Json): { parent: Json[] | Record<string, Json>; key: string | number }[] {
  const found: { parent: Json[] | Record<string, Json>; key: string | number }[] = [];
  const visit = (node: Json) => {
    if (Array.isArray(node)) node.forEach((item, i) => (found.push({ parent: node, key: i }), visit(item)));
    else if (node !== null && typeof node === "object") for (const key of Object.keys(node)) found.push({ parent: node, key }), visit(node[key]!);
  };
  visit(root);
  return found;
}

function setMember(parent: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
}

function mutateValue(rng: Rng, root: Json): void {
  const all = slots(root);
  const slot = pick(rng, all);
  const current = (slot.parent as Record<string | number, Json>)[slot.key]!;
  switch (Math.floor(rng() * 6)) {
    case 0: // delete
      if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
      else delete slot.parent[slot.key as string];
      return;
    case 1: // replace with a random value
      if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = randomValue(rng);
      else setMember(slot.parent, slot.key as string, randomValue(rng));
      return;
    case 2: { // rename a key
      if (Array.isArray(slot.parent)) return;
      const name = pick(rng, [...NAMES, ...Object.keys(slot.parent)]);
      delete slot.parent[slot.key as string];
      setMember(slot.parent, name, current);
      return;
    }
    case 3: { // copy another subtree here
      const other = pick(rng, all);
      const copy = structuredClone((other.parent as Record<string | number, Json>)[other.key]!);
      if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = copy;
      else setMember(slot.parent, slot.key as string, copy);
      return;
    }
    case 4: { // swap with another node
      const other = pick(rng, all);
      const theirs = (other.parent as Record<string | number, Json>)[other.key]!;
      (other.parent as Record<string | number, Json>)[other.key] = current;
      (slot.parent as Record<string | number, Json>)[slot.key] = theirs;
      return;
    }
    default: { // change the type of a scalar
      const changed: Json = typeof current === "string" ? (Number(current) || current.length) : typeof current === "number" ? String(current) : typeof current === "boolean" ? String(current) : current === null ? "null" : [current];
      if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = changed;
      else setMember(slot.parent, slot.key as string, changed);
    }
  }
}

const YAML_SNIPPETS = ["&a ", "*a", "*nope", "!!binary ", "!!set ", "!thing ", "? ", "\t", "{", "}", "[", "]", '"', "'", "- ", ": ", "#", "|\n", ">-\n", "~", ".nan", "-.inf", "<<: *a\n", "---\n", "%YAML 1.1\n", "\u0000", "\uFEFF", "\u2028"];

function mutateText(rng: Rng, bytes: Buffer): Buffer {
  const at = Math.floor(rng() * (bytes.length + 1));
  switch (Math.floor(rng() * 5)) {
    case 0: // a byte, perhaps not UTF-8
      return Buffer.concat([bytes.subarray(0, at), Buffer.from([Math.floor(rng() * 256)]), bytes.subarray(at)]);
    case 1: // delete a few bytes
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1 + Math.floor(rng() * 8))]);
    case 2: // truncate
      return bytes.subarray(0, at);
    case 3: { // duplicate the line around `at`
      const start = bytes.lastIndexOf(0x0a, Math.max(0, at - 1)) + 1;
      const end = bytes.indexOf(0x0a, at);
      const line = bytes.subarray(start, end < 0 ? bytes.length : end + 1);
      return Buffer.concat([bytes.subarray(0, start), line, line, bytes.subarray(start + line.length)]);
    }
    default: // YAML syntax, tags, aliases
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(pick(rng, YAML_SNIPPETS)), bytes.subarray(at)]);
  }
}

interface Outcome {
  readonly kind: "generated" | "refused" | "crash";
  readonly detail?: string;
}

let scratch: string;
beforeAll(async () => {
  scratch = await scratchDir("fuzz");
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function runOne(index: number): Promise<Outcome> {
  const rng = seededRandom(SEED + index * 7919);
  const base = BASES[index % BASES.length]!;
  let bytes: Buffer;
  if (rng() < 0.7) {
    const value = structuredClone(base.value) as Json;
    for (let n = 1 + Math.floor(rng() * 3); n > 0; n--) mutateValue(rng, value);
    // Half as YAML, half as JSON (which is YAML too, and much cheaper to write).
    bytes = Buffer.from(rng() < 0.5 ? stringify(value, { aliasDuplicateObjects: false, lineWidth: 0 }) : JSON.stringify(value, null, 1));
  } else {
    bytes = Buffer.from(base.text);
    for (let n = 1 + Math.floor(rng() * 2); n > 0; n--) bytes = mutateText(rng, bytes);
  }
  const dir = path.join(scratch, String(index % 8));
  const file = path.join(dir, base.file);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, bytes);
  const lines = bytes.toString().split("\n").length;
  try {
    await generate({ spec: file, out: path.join(dir, "out"), cwd: dir, check: true });
    return { kind: "generated" };
  } catch (error) {
    if (!(error instanceof SpecError)) return { kind: "crash", detail: `${(error as Error).stack ?? String(error)}` };
    const unpositioned = error.problems.filter((p) => p.file !== base.file || !(p.line >= 1 && p.line <= lines + 1) || !(p.col >= 1) || p.message === "");
    if (error.problems.length === 0 || unpositioned.length > 0) return { kind: "crash", detail: `problems without a position: ${JSON.stringify(unpositioned)}` };
    return { kind: "refused" };
  }
}

describe(`fuzz: ${RUNS} mutations of the fixture specs (seed ${SEED})`, () => {
  it("every mutation generates or is refused with positioned problems; none crashes", async () => {
    const counts = { generated: 0, refused: 0, crash: 0 };
    const crashes: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const outcome = await runOne(i);
      counts[outcome.kind]++;
      if (outcome.kind === "crash") crashes.push(`mutation ${i} (TCGEN_FUZZ_SEED=${SEED}): ${outcome.detail}`);
    }
    console.log(`fuzz: ${RUNS} mutations, seed ${SEED}: ${counts.generated} generated, ${counts.refused} refused with positioned problems, ${counts.crash} crashes`);
    expect(crashes.slice(0, 5)).toEqual([]);
    // Both outcomes are explored, not only one.
    expect(counts.generated).toBeGreaterThan(RUNS * 0.05);
    expect(counts.refused).toBeGreaterThan(RUNS * 0.3);
  }, 900_000);
});
