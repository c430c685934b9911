/**
 * The accepted cases of the corpus (test/fixtures/corpus), among them every spec carrying hostile
 * text: `*\/`, line breaks of every kind, U+2028, quotes, `${…}`, backticks and `</script>` in
 * descriptions, names, enum values, error texts, examples and x-tc-field-patterns messages, plus a
 * spec directory whose name holds a line break. Each is generated, then its code is imported and run
 * (every validator, every client method against a fake fetch answering with the spec's examples,
 * paginators, waiters, error guards), and nothing the spec wrote may run: each payload would set
 * `globalThis.__tcgenInjected`. Finally every output, and that of the four fixture specs of the other
 * suites, is type-checked, all in one program.
 */
import { cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../scripts/generate.js";
import { loadSpec } from "../../scripts/spec/load.js";
import { buildModel, type ServiceModel } from "../../scripts/model/service-model.js";
import { corpusCases, corpusDir } from "../corpus.js";
import { repoRoot, scratchDir, typeCheckStrict } from "../support/helpers.js";

declare global {
  var __tcgenInjected: unknown;
}

interface Generated {
  readonly name: string;
  readonly payload: boolean;
  /** `<out>/<service>`. */
  readonly dir: string;
  readonly model: ServiceModel;
}

const accepted = corpusCases().filter(([, c]) => c.accepted);
const generated: Generated[] = [];
let scratch: string;

/** A spec directory whose name would end the header's `//` comment if it were written as it is. */
const HOSTILE_DIRECTORY = 'spec\n*/ globalThis.__tcgenInjected = "directory"; /*\u2028x';

beforeAll(async () => {
  scratch = await scratchDir("injection");
  for (const [name, entry] of accepted) {
    const spec = path.join(corpusDir, entry.spec);
    const out = path.join(scratch, name);
    await generate({ spec, out, cwd: path.join(corpusDir, name) });
    const loaded = await loadSpec(spec, entry.spec);
    const model = buildModel(loaded);
    generated.push({ name, payload: entry.payload === true, dir: path.join(out, model.service), model });
  }
  // The fixture specs of the other suites, so that every fixture's output is type-checked here.
  for (const file of ["cvm/2017-03-12.yaml", "cbs/2017-03-12.yaml", "catalog/2024-06-01.yaml", "billing/2018-07-09.yaml"]) {
    const spec = path.join(repoRoot, "test/fixtures/specs", file);
    const out = path.join(scratch, "fixtures");
    await generate({ spec, out, cwd: repoRoot });
    const model = buildModel(await loadSpec(spec, file));
    generated.push({ name: `fixture ${file}`, payload: false, dir: path.join(out, model.service), model });
  }
  // The spec's path is written into every file's header comment.
  const specDir = path.join(scratch, "hostile-dir", HOSTILE_DIRECTORY, "cvm");
  await mkdir(specDir, { recursive: true });
  await cp(path.join(repoRoot, "test/fixtures/specs/cvm/2017-03-12.yaml"), path.join(specDir, "2017-03-12.yaml"));
  await generate({ spec: HOSTILE_DIRECTORY, out: "out", cwd: path.join(scratch, "hostile-dir") });
  const loaded = await loadSpec(path.join(specDir, "2017-03-12.yaml"), `${HOSTILE_DIRECTORY}/cvm/2017-03-12.yaml`);
  generated.push({ name: "spec-directory-with-line-break", payload: true, dir: path.join(scratch, "hostile-dir", "out", "cvm"), model: buildModel(loaded) });
}, 300_000);
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function filesOf(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of await readdir(dir)) files[name] = await readFile(path.join(dir, name), "utf8");
  return files;
}

/** An answer of the fake fetch: the action's first example answer, else the least the spec allows. */
function answerFor(model: ServiceModel, action: string | null): unknown {
  const example = model.actions.find((a) => a.action === action)?.examples[0];
  return example?.response ?? { Response: { RequestId: "00000000-0000-0000-0000-000000000000" } };
}

/** Runs everything a generated module exports; returns how many calls were made. */
async function exercise(generatedCase: Generated): Promise<number> {
  const { dir, model } = generatedCase;
  const index = (await import(pathToFileURL(path.join(dir, "index.ts")).href)) as Record<string, unknown>;
  const mock = (await import(pathToFileURL(path.join(dir, "mock.ts")).href)) as Record<string, { actions: Record<string, { validateRequest?: (v: unknown) => unknown }> }>;
  let calls = 0;
  const samples: unknown[] = [undefined, null, {}, [], "x", 1, { RequestId: "r" }, ...model.actions.flatMap((a) => a.examples.flatMap((e) => [e.request, e.response]))];

  for (const [name, value] of Object.entries(index)) {
    if (typeof value === "function" && name.startsWith("validate")) {
      for (const sample of samples) (value as (v: unknown) => unknown)(sample), calls++;
    } else if (typeof value === "function" && /^is[A-Z].*Error$/.test(name)) {
      (value as (e: unknown) => boolean)(new Error("x"));
      calls++;
    } else if (typeof value === "object" && value !== null && "~standard" in value) {
      for (const sample of samples) (value as { "~standard": { validate: (v: unknown) => unknown } })["~standard"].validate(sample), calls++;
    } else if (typeof value === "object" && value !== null && /Validators$/.test(name)) {
      for (const validate of Object.values(value as Record<string, (v: unknown) => unknown>)) for (const sample of samples) validate(sample), calls++;
    } else if (typeof value === "object" && value !== null) {
      // Enums, error descriptions, the service descriptor: read every member.
      JSON.stringify(value);
    }
  }
  for (const action of Object.values(mock[model.names.mock]!.actions)) for (const sample of samples) action.validateRequest?.(sample), calls++;

  const fetch = async (request: Request) => new Response(JSON.stringify(answerFor(model, request.headers.get("X-TC-Action"))), { status: 200, headers: { "Content-Type": "application/json" } });
  const createClient = index[model.names.clientFactory] as (options: object) => Record<string, (...args: unknown[]) => unknown>;
  for (const validate of [{ request: false, response: "off" }, { request: true, response: "strict" }]) {
    const client = createClient({ credentials: { secretId: "id", secretKey: "key" }, fetch, retry: { maxAttempts: 1 }, rateLimit: false, validate });
    expect(typeof client["then"]).toBe("undefined");
    expect(typeof client["toJSON"]).toBe("undefined");
    JSON.stringify(client);
    for (const action of model.actions) {
      await Promise.resolve(client[action.methodName]!(action.examples[0]?.request ?? {})).catch(() => undefined);
      calls++;
    }
    for (const paginator of model.paginators) {
      try {
        let items = 0;
        for await (const _item of client[paginator.methodName]!({}) as AsyncIterable<unknown>) if (++items > 3) break;
      } catch {
        // Validation and pagination errors are expected of made-up answers; only injected code matters.
      }
      calls++;
    }
    for (const waiter of model.waiters) {
      let clock = 0;
      const input = { ...Object.fromEntries(waiter.request.map((member) => [member, "v"])), [waiter.keys]: ["k"] };
      const options = { timeoutMs: 20, minDelayMs: 1, now: () => (clock += 5), sleep: async () => undefined, random: () => 0.5 };
      await Promise.resolve(client[waiter.method]!(input, options)).catch(() => undefined);
      calls++;
    }
  }
  return calls;
}

describe("accepted hostile specs: nothing the spec wrote runs", () => {
  it("every accepted case of the corpus generated", () => {
    expect(generated.length).toBe(accepted.length + 5);
    expect(generated.filter((g) => g.payload).length).toBeGreaterThanOrEqual(20);
  });

  it("each payload reached the generated files, inert (inside a literal or a comment)", async () => {
    for (const { name, dir, payload } of generated) {
      if (!payload) continue;
      const text = Object.values(await filesOf(dir)).join("\n");
      expect(text, name).toContain("__tcgenInjected");
    }
  });

  it("importing and calling the generated code of every case executes no injected statement", async () => {
    globalThis.__tcgenInjected = undefined;
    let calls = 0;
    for (const g of generated) {
      calls += await exercise(g);
      expect(globalThis.__tcgenInjected, g.name).toBeUndefined();
    }
    expect(Object.prototype).not.toHaveProperty("polluted");
    expect(calls).toBeGreaterThan(5000);
  }, 120_000);

  it("the check is live: a payload that escapes its comment does run", async () => {
    const file = path.join(scratch, "control.ts");
    await writeFile(file, '/* a comment */ globalThis.__tcgenInjected = "control"; /* */\nexport {};\n');
    await import(pathToFileURL(file).href);
    expect(globalThis.__tcgenInjected).toBe("control");
    globalThis.__tcgenInjected = undefined;
  });

  it("the output of every accepted case type-checks strictly, in one program", async () => {
    const entry = path.join(scratch, "all.ts");
    const lines = generated.map((g, i) => `import * as s${i} from ${JSON.stringify(`./${path.relative(scratch, path.join(g.dir, "index.js")).split(path.sep).join("/")}`)};`);
    lines.push(`export const factories = [${generated.map((g, i) => `s${i}.${g.model.names.clientFactory}`).join(", ")}];`);
    await writeFile(entry, lines.join("\n") + "\n");
    const { diagnostics, files } = await typeCheckStrict(entry);
    expect(diagnostics).toEqual([]);
    expect(files.filter((f) => f.endsWith("/validators.ts") && f.startsWith(scratch)).length).toBe(generated.length);
  }, 180_000);
});
