/**
 * The importer and the generator at scale: every service version of Tencent's definitions is
 * imported (`tcgen import`'s buildSpec + emitSpec), generated (`generate()`, the generator's checks
 * included) and type-checked (one TypeScript program per batch of services, as strict as this
 * repository's code). Prints how many succeed at each step, the time of each step, the schemas the
 * generator renamed (scripts/model/names.ts) and every failure's cause; writes every figure to
 * bench/.out/import-corpus.json. Not a test.
 *
 *   npx tsx bench/import-corpus.ts [--defs <dir>] [--only svc,svc/v20190725] [--jobs N]
 *                                  [--batch N] [--no-typecheck] [--keep]
 *
 * --defs defaults to ../shared/reference/tencent-definitions. --jobs runs that many worker
 * processes (default 1: the machine is shared); --batch sets how many services one type-check
 * program holds (default 8); --keep keeps the imported specs and generated code in
 * bench/.out/corpus/<run>/. Each completed service version is printed as it finishes.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildSpec } from "../scripts/import/build-spec.js";
import { readDefinitions } from "../scripts/import/read-definitions.js";
import { DefinitionsError } from "../scripts/import/shared.js";
import { emitSpec } from "../scripts/import/yaml-emit.js";
import { generate } from "../scripts/generate.js";
import { formatProblem, SpecError } from "../scripts/spec/problems.js";
import { outDir, repoRoot } from "./lib/paths.js";
import { childEnv } from "./lib/proc.js";
import { typeCheckStrict } from "../test/support/helpers.js";

interface ServiceResult {
  /** `mongodb/v20190725`: the directory of the definitions. */
  readonly key: string;
  readonly service?: string;
  readonly actions?: number;
  readonly structures?: number;
  readonly specBytes?: number;
  readonly reviews?: number;
  readonly warnings?: number;
  /** The schemas the generator renamed, its notes (scripts/model/names.ts). */
  readonly renamed?: readonly string[];
  readonly imported: boolean;
  readonly generated: boolean;
  /** `undefined` when type-checking was not run for it. */
  typeChecked?: boolean;
  readonly importMs: number;
  readonly generateMs: number;
  typeCheckMs?: number;
  failure?: { phase: "import" | "generate" | "typecheck"; cause: string };
}

const { values } = parseArgs({
  options: {
    defs: { type: "string", default: path.resolve(repoRoot, "..", "shared", "reference", "tencent-definitions") },
    only: { type: "string" },
    jobs: { type: "string", default: "1" },
    batch: { type: "string", default: "8" },
    "no-typecheck": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    worker: { type: "string" },
    dir: { type: "string" },
  },
});
/** This run's own directory, so that runs side by side do not remove each other's files. */
const corpusDir = values.dir ?? path.join(outDir, "corpus", `${Date.now()}-${process.pid}`);

if (values.worker !== undefined) {
  await worker(values.worker.split(","), Number(values.batch), !values["no-typecheck"], values.keep);
} else {
  await main();
}

async function main(): Promise<void> {
  const all = versionDirs(values.defs);
  const only = values.only?.split(",");
  const keys = only ? all.filter((k) => only.some((o) => k === o || k.startsWith(`${o}/`))) : all;
  const jobs = Math.max(1, Number(values.jobs));
  console.log(`import + generate${values["no-typecheck"] ? "" : " + type-check"} of ${keys.length} service versions from ${path.relative(repoRoot, values.defs)} (${jobs} worker(s), ${os.cpus().length} CPUs)`);

  // Largest first, dealt round-robin, so the workers finish together.
  const size = (k: string) => statSync(path.join(values.defs, k, "api.json")).size;
  const sorted = [...keys].sort((a, b) => size(b) - size(a));
  const shards: string[][] = Array.from({ length: jobs }, () => []);
  sorted.forEach((k, i) => shards[i % jobs]!.push(k));

  const started = performance.now();
  const args = (shard: string[]) => [
    "--import", "tsx", path.join(repoRoot, "bench", "import-corpus.ts"), "--defs", values.defs, "--dir", corpusDir, "--worker", shard.join(","), "--batch", values.batch,
    ...(values["no-typecheck"] ? ["--no-typecheck"] : []), ...(values.keep ? ["--keep"] : []),
  ];
  const results: ServiceResult[] = [];
  await Promise.all(shards.filter((s) => s.length > 0).map((shard) => runWorker(args(shard), (r) => {
    results.push(r);
    const status = r.failure ? `FAILED at ${r.failure.phase}` : "ok";
    process.stderr.write(`[${results.length}/${keys.length}] ${r.key}: ${status} (${r.actions ?? 0} actions; import ${(r.importMs / 1000).toFixed(1)} s, generate ${(r.generateMs / 1000).toFixed(1)} s)\n`);
  })));
  const wallMs = performance.now() - started;
  if (!values.keep) await rm(corpusDir, { recursive: true, force: true });
  const missing = keys.filter((k) => !results.some((r) => r.key === k));
  for (const key of missing) results.push({ key, imported: false, generated: false, importMs: 0, generateMs: 0, failure: { phase: "import", cause: "the worker ended before reporting it" } });
  results.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  report(results, wallMs, keys.length);
}

/** A worker process; each JSON line it prints is a service's result, handed over as it arrives. */
function runWorker(args: string[], onResult: (r: ServiceResult) => void): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, env: childEnv({ NODE_OPTIONS: "--max-old-space-size=8192" }), stdio: ["ignore", "pipe", "pipe"] });
    let pending = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) if (line.startsWith("{")) onResult(JSON.parse(line) as ServiceResult);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("close", (code, signal) => {
      if (code !== 0) console.error(`a worker failed (exit ${code}${signal ? `, ${signal}` : ""}):\n${stderr.slice(-3000)}`);
      else if (stderr.trim() !== "") console.error(stderr.trim());
      resolve();
    });
  });
}

function report(results: ServiceResult[], wallMs: number, total: number): void {
  const sum = (f: (r: ServiceResult) => number | undefined) => results.reduce((s, r) => s + (f(r) ?? 0), 0);
  const imported = results.filter((r) => r.imported);
  const generated = results.filter((r) => r.generated);
  const checked = results.filter((r) => r.typeChecked === true);
  const typeCheckRun = results.some((r) => r.typeChecked !== undefined);
  const actions = sum((r) => r.actions);
  const generatedActions = generated.reduce((s, r) => s + (r.actions ?? 0), 0);
  const figures = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    jobs: Number(values.jobs),
    defs: path.relative(repoRoot, values.defs),
    serviceVersions: total,
    imported: imported.length,
    generated: generated.length,
    typeChecked: typeCheckRun ? checked.length : null,
    actions,
    structures: sum((r) => r.structures),
    reviewMarkers: sum((r) => r.reviews),
    specMegabytes: Number((sum((r) => r.specBytes) / 1e6).toFixed(1)),
    wallSeconds: Number((wallMs / 1000).toFixed(1)),
    importSeconds: Number((sum((r) => r.importMs) / 1000).toFixed(1)),
    generateSeconds: Number((sum((r) => r.generateMs) / 1000).toFixed(1)),
    typeCheckSeconds: typeCheckRun ? Number((sum((r) => r.typeCheckMs) / 1000).toFixed(1)) : null,
    importMsPerAction: Number((sum((r) => r.importMs) / Math.max(1, actions)).toFixed(2)),
    generateMsPerAction: Number((sum((r) => r.generateMs) / Math.max(1, generatedActions)).toFixed(2)),
    renamed: results.filter((r) => (r.renamed ?? []).length > 0).map((r) => ({ key: r.key, schemas: r.renamed })),
    failures: results.filter((r) => r.failure).map((r) => ({ key: r.key, ...r.failure })),
    services: results,
  };
  console.log("");
  console.log(`service versions      ${total}`);
  console.log(`imported              ${imported.length} of ${total}   (${actions} actions, ${figures.structures} structures, ${figures.specMegabytes} MB of YAML, ${figures.reviewMarkers} x-tc-review entries)`);
  console.log(`generated             ${generated.length} of ${total}`);
  const renamedCount = figures.renamed.reduce((n, r) => n + r.schemas!.length, 0);
  console.log(`  renamed schemas     ${renamedCount} in ${figures.renamed.length} service versions${figures.renamed.length > 0 ? `: ${figures.renamed.map((r) => `${r.key} (${r.schemas!.join(", ")})`).join("; ")}` : ""}`);
  console.log(`type-checked          ${typeCheckRun ? `${checked.length} of ${total}` : "not run (--no-typecheck)"}`);
  console.log(`wall time             ${figures.wallSeconds} s`);
  console.log(`  import              ${figures.importSeconds} s (${figures.importMsPerAction} ms per action: read, build, emit YAML)`);
  console.log(`  generate            ${figures.generateSeconds} s (${figures.generateMsPerAction} ms per action: load, check, model, emit, Prettier, write)`);
  if (typeCheckRun) console.log(`  type-check          ${figures.typeCheckSeconds} s`);
  console.log(`failures              ${figures.failures.length}`);
  for (const f of figures.failures) console.log(`  ${f.key} (${f.phase}): ${f.cause}`);
  const file = path.join(outDir, "import-corpus.json");
  void mkdir(outDir, { recursive: true }).then(() => writeFile(file, `${JSON.stringify(figures, (_, v: unknown) => v, 2)}\n`)).then(() => console.log(`\nevery figure: ${path.relative(repoRoot, file)}`));
}

function versionDirs(defs: string): string[] {
  if (!existsSync(defs)) throw new Error(`no definitions at ${defs} (pass --defs)`);
  const keys: string[] = [];
  for (const service of readdirSync(defs).sort()) {
    const dir = path.join(defs, service);
    if (!statSync(dir).isDirectory()) continue;
    for (const version of readdirSync(dir).sort()) if (existsSync(path.join(dir, version, "api.json"))) keys.push(`${service}/${version}`);
  }
  return keys;
}

/** Imports and generates each service version, type-checking them in batches; one JSON line per service. */
async function worker(keys: string[], batchSize: number, typeCheck: boolean, keep: boolean): Promise<void> {
  const batch: { result: ServiceResult; entry: string; dir: string }[] = [];
  const flush = async () => {
    if (typeCheck && batch.length > 0) await typeCheckBatch(batch);
    for (const { result, dir } of batch) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      if (!keep) await rm(dir, { recursive: true, force: true });
    }
    batch.length = 0;
  };
  for (const key of keys) {
    const dir = path.join(corpusDir, key.replace("/", "-"));
    const { result, entry } = await importAndGenerate(key, dir);
    if (entry === undefined) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      if (!keep) await rm(dir, { recursive: true, force: true });
      continue;
    }
    batch.push({ result, entry, dir });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
}

async function importAndGenerate(key: string, dir: string): Promise<{ result: ServiceResult; entry?: string }> {
  const t0 = performance.now();
  let text: string;
  let service: string;
  let version: string;
  let counts: Pick<ServiceResult, "actions" | "structures" | "specBytes" | "reviews">;
  try {
    const definitions = await readDefinitions({ defs: path.join(values.defs, key) });
    const imported = buildSpec(definitions);
    text = emitSpec(imported, [`${key}, imported by bench/import-corpus.ts`]);
    ({ service, version } = definitions.api);
    counts = { actions: imported.actions.length, structures: definitions.api.structures.size, specBytes: Buffer.byteLength(text), reviews: (text.match(/^\s*- fact: /gm) ?? []).length };
  } catch (error) {
    return { result: { key, imported: false, generated: false, importMs: performance.now() - t0, generateMs: 0, failure: { phase: "import", cause: causeOf(error) } } };
  }
  const importMs = performance.now() - t0;
  const specFile = path.join(dir, "spec", service, `${version}.yaml`);
  await mkdir(path.dirname(specFile), { recursive: true });
  await writeFile(specFile, text);
  const t1 = performance.now();
  try {
    const generated = await generate({ spec: specFile, out: path.join(dir, "generated"), cwd: repoRoot });
    const generateMs = performance.now() - t1;
    return {
      result: { key, service, ...counts, imported: true, generated: true, warnings: generated.warnings.length, renamed: renamedSchemas(generated.warnings), importMs, generateMs },
      entry: path.join(dir, "generated", service, "index.ts"),
    };
  } catch (error) {
    return { result: { key, service, ...counts, imported: true, generated: false, importMs, generateMs: performance.now() - t1, failure: { phase: "generate", cause: causeOf(error) } } };
  }
}

/** One strict program over the batch (test/helpers.ts's settings, those of this repository's code), errors told apart by service. */
async function typeCheckBatch(batch: { result: ServiceResult; entry: string; dir: string }[]): Promise<void> {
  const entry = path.join(corpusDir, `batch-${process.pid}.ts`);
  // "./": a bare specifier would be looked up as a package, and not found.
  await writeFile(entry, batch.map((b) => `export * as s${batch.indexOf(b)} from "./${path.relative(corpusDir, b.entry).split(path.sep).join("/").replace(/\.ts$/, ".js")}";`).join("\n"));
  const started = performance.now();
  const { diagnostics } = await typeCheckStrict(entry);
  const ms = performance.now() - started;
  await rm(entry, { force: true });
  const generatedActions = batch.reduce((s, b) => s + (b.result.actions ?? 0), 0);
  const owner = (line: string) => batch.find((b) => line.startsWith(`${path.relative(repoRoot, path.dirname(b.entry))}/`));
  // A diagnostic outside the generated code (the batch's entry not finding a module) means the
  // program did not check what it should: every service of the batch fails rather than passes.
  const stray = diagnostics.filter((d) => owner(d) === undefined);
  for (const b of batch) {
    const own = [...diagnostics.filter((d) => owner(d) === b), ...stray];
    b.result.typeChecked = own.length === 0;
    // The batch's time, shared by actions.
    b.result.typeCheckMs = (ms * (b.result.actions ?? 0)) / Math.max(1, generatedActions);
    if (own.length > 0) b.result.failure = { phase: "typecheck", cause: `${own.length} TypeScript error(s), first ${own[0]!.slice(0, 400)}` };
  }
  if (stray.length > 0) process.stderr.write(`type-check: ${stray.length} diagnostic(s) outside the generated code, e.g. ${stray[0]}\n`);
}

/** `Error → ErrorStructure` for each rename note among the generator's warnings. */
function renamedSchemas(warnings: readonly { message: string }[]): string[] {
  return warnings.flatMap((w) => {
    const found = /^note: schema "([^"]+)" is named (\S+) in the generated code/.exec(w.message);
    return found ? [`${found[1]} → ${found[2]}`] : [];
  });
}

function causeOf(error: unknown): string {
  if (error instanceof SpecError) {
    const shown = error.problems.slice(0, 3).map((p) => formatProblem({ ...p, file: path.basename(p.file) }));
    return `${error.problems.length} problem(s) from the generator's checker: ${shown.join("; ")}`;
  }
  if (error instanceof DefinitionsError) return `bad definitions: ${error.problems.slice(0, 3).map((p) => p.message).join("; ")}`;
  return `bug? ${error instanceof Error ? (error.stack ?? error.message).split("\n").slice(0, 4).join(" | ") : String(error)}`;
}
