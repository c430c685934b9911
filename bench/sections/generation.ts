/**
 * Generation speed: `generate()` on the real spec and on synthetic specs of 10, 100 and 1,000 actions,
 * and openapi-typescript alone (openapiTS + astToString) on the same specs, each run in a fresh
 * process (bench/.out/generation-child.mjs), alternating the two, medians per spec.
 */
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { writeSyntheticSpec } from "../make-synthetic-spec.js";
import { childEnv, lastJsonLine, run } from "../lib/proc.js";
import { outDir, repoRoot } from "../lib/paths.js";
import { median } from "../lib/stats.js";

/** Targets (issue 13 item 4): generate() ms per action, and the 1,000-action spec as a whole `tcgen generate` process. */
export const MS_PER_ACTION_TARGET = 2;
export const BIG_SPEC_PROCESS_TARGET_MS = 3_000;

/** Time allowed per spec for its repeated runs, so `npm run bench` stays within a few minutes. */
const SPEC_BUDGET_MS = 80_000;

export interface GenerationRow {
  name: string;
  actions: number;
  spec: string;
  runs: number;
  /** generate() itself, in the child, per run. */
  generateMs: number[];
  /** The child's whole life (start-up, module loading, generate, exit), per run. */
  generateProcessMs: number[];
  /** Time from process start to the first line of main (start-up and module loading), per run. */
  generateStartupMs: number[];
  openapiTsMs: number[];
  openapiTsProcessMs: number[];
  median: { generateMs: number; generateProcessMs: number; msPerAction: number; openapiTsMs: number; openapiTsProcessMs: number };
}

export interface GenerationResult {
  rows: GenerationRow[];
  /** Marginal generate() ms per added action between consecutive synthetic sizes. */
  marginalMsPerAction: { from: number; to: number; ms: number }[];
}

export async function runGeneration(options: { sizes: number[]; runs: (actions: number) => number; log: (line: string) => void }): Promise<GenerationResult> {
  const child = path.join(outDir, "generation-child.mjs");
  const mongodb = path.join(repoRoot, "spec", "mongodb", "2019-07-25");
  const specs: { name: string; actions: number; spec: string }[] = [{ name: "mongodb (our spec)", actions: await countActions(mongodb), spec: mongodb }];
  for (const n of options.sizes) {
    specs.push({ name: `synthetic ${n}`, actions: n, spec: await writeSyntheticSpec(n, path.join(outDir, "specs")) });
  }
  const rows: GenerationRow[] = [];
  const env = childEnv();
  for (const { name, actions, spec } of specs) {
    const runs = options.runs(actions);
    options.log(`generation: ${name}, ${runs} run(s) each of generate() and openapi-typescript…`);
    const out = path.join(outDir, "gen", path.basename(path.dirname(spec)));
    const row: GenerationRow = {
      name, actions, spec: path.relative(repoRoot, spec), runs,
      generateMs: [], generateProcessMs: [], generateStartupMs: [], openapiTsMs: [], openapiTsProcessMs: [],
      median: { generateMs: 0, generateProcessMs: 0, msPerAction: 0, openapiTsMs: 0, openapiTsProcessMs: 0 },
    };
    const specStarted = performance.now();
    for (let i = 0; i < runs; i++) {
      // Bounded: no further run of a spec whose runs so far would take the spec past SPEC_BUDGET_MS.
      const spent = performance.now() - specStarted;
      if (i > 0 && spent + spent / i > SPEC_BUDGET_MS) {
        options.log(`generation: ${name}: stopping after ${i} run(s), ${(spent / 1000).toFixed(0)} s spent (budget ${SPEC_BUDGET_MS / 1000} s per spec)`);
        break;
      }
      const order = i % 2 === 0 ? (["generate", "openapi-ts"] as const) : (["openapi-ts", "generate"] as const);
      for (const mode of order) {
        const args = mode === "generate" ? [child, mode, spec, out] : [child, mode, spec];
        const result = await run(process.execPath, args, { cwd: repoRoot, env, timeoutMs: 240_000 });
        const parsed = lastJsonLine<{ ms: number; startupMs: number }>(result, `${mode} on ${name}`);
        if (mode === "generate") {
          row.generateMs.push(parsed.ms);
          row.generateProcessMs.push(result.wallMs);
          row.generateStartupMs.push(parsed.startupMs);
        } else {
          row.openapiTsMs.push(parsed.ms);
          row.openapiTsProcessMs.push(result.wallMs);
        }
      }
    }
    row.runs = row.generateMs.length;
    row.median = {
      generateMs: median(row.generateMs),
      generateProcessMs: median(row.generateProcessMs),
      msPerAction: median(row.generateMs) / actions,
      openapiTsMs: median(row.openapiTsMs),
      openapiTsProcessMs: median(row.openapiTsProcessMs),
    };
    rows.push(row);
  }
  await rm(path.join(outDir, "gen"), { recursive: true, force: true });
  const synthetic = rows.filter((r) => r.name.startsWith("synthetic"));
  const marginalMsPerAction = synthetic.slice(1).map((row, i) => {
    const previous = synthetic[i]!;
    return { from: previous.actions, to: row.actions, ms: (row.median.generateMs - previous.median.generateMs) / (row.actions - previous.actions) };
  });
  return { rows, marginalMsPerAction };
}

/** The actions of a multi-file spec directory: its `x-tc-action` lines. */
async function countActions(dir: string): Promise<number> {
  let count = 0;
  for (const file of (await readdir(dir)).filter((f) => f.endsWith(".yaml"))) count += (await readFile(path.join(dir, file), "utf8")).match(/^\s+x-tc-action:/gm)?.length ?? 0;
  return count;
}

/** The generation targets as measured by this run: figure and whether it is met. */
export function generationTargets(result: GenerationResult): { target: string; measured: string; met: boolean }[] {
  const targets: { target: string; measured: string; met: boolean }[] = [];
  const big = result.rows.find((r) => r.actions === 1000);
  if (big) {
    targets.push({
      target: `generation ≤ ${MS_PER_ACTION_TARGET} ms per action (generate() on the 1,000-action spec)`,
      measured: `${big.median.msPerAction.toFixed(2)} ms`,
      met: big.median.msPerAction <= MS_PER_ACTION_TARGET,
    });
    targets.push({
      target: `1,000-action spec ≤ ${BIG_SPEC_PROCESS_TARGET_MS / 1000} s (tcgen generate, whole process)`,
      measured: `${(big.median.generateProcessMs / 1000).toFixed(1)} s`,
      met: big.median.generateProcessMs <= BIG_SPEC_PROCESS_TARGET_MS,
    });
  }
  const m = result.marginalMsPerAction;
  if (m.length >= 2) {
    const growth = m[m.length - 1]!.ms / m[0]!.ms;
    targets.push({
      target: "time per action not growing (marginal ms/action 100→1000 ≤ 1.25× 10→100)",
      measured: `${m[0]!.ms.toFixed(2)} → ${m[m.length - 1]!.ms.toFixed(2)} ms (${growth.toFixed(2)}×)`,
      met: growth <= 1.25,
    });
  }
  return targets;
}
