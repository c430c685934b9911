/**
 * One generation run in a fresh process (so no module or JIT cache helps), bundled to a .mjs with
 * the generator inside and its packages external, run with plain node:
 *
 *   node generation-child.mjs generate <spec> <out>      # tcgen's generate(), writing <out>/<service>/
 *   node generation-child.mjs openapi-ts <spec>          # openapi-typescript alone: openapiTS + astToString
 *
 * Prints one JSON line: the time since process start when the work began (start-up and module
 * loading) and the time of the work itself, in ms.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { generate } from "../../scripts/generate.js";
import { loadSpecAt } from "../../scripts/spec/parts.js";

const [mode, spec, out] = process.argv.slice(2);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

async function main(): Promise<Record<string, unknown>> {
  const startupMs = performance.now();
  if (mode === "generate" && spec && out) {
    const started = performance.now();
    const result = await generate({ spec, out, cwd: repoRoot });
    return { mode, startupMs, ms: performance.now() - started, files: result.files.length };
  }
  if (mode === "openapi-ts" && spec) {
    // A spec file or a multi-file spec directory (spec/mongodb/2019-07-25/), read as the generator reads it.
    const value = (await loadSpecAt(spec, spec)).value as Parameters<typeof openapiTS>[0];
    const started = performance.now();
    const text = astToString(await openapiTS(value, { silent: true }));
    return { mode, startupMs, ms: performance.now() - started, bytes: text.length };
  }
  throw new Error("usage: generation-child.mjs generate <spec> <out> | openapi-ts <spec>");
}

main().then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
