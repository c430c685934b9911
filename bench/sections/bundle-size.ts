/**
 * Bundle size of a one-call program, both forms side by side, in one run: esbuild `--bundle
 * --minify`, platform node, gzip level 9 (node:zlib). Services: mongodb (generated/, the whole service) and
 * two synthetic services of the same action shape, 3 and 100 actions (bench/make-synthetic-spec.ts),
 * generated here into bench/.out/bundle with the repository's runtime. The tree-shakable form
 * (`create<Svc>Core` + one standalone function) should not grow with the number of actions; the
 * convenient form (`create<Svc>Client`) carries every action.
 *
 * For mongodb's tree-shakable program also: the same with code splitting (`--splitting`, what a
 * program given credentials loads for its call: the entry and the chunks it imports statically;
 * the default credential chain, the fetch transport and the proxy routing are chunks loaded only
 * when used), the browser bundle (`--platform=browser`: package.json's `default` platform modules,
 * Web Crypto and fetch), and a browser program that only imports one validator. Every `#` import
 * resolves to the sources of the platform's module (bench/lib/platform-sources.ts).
 *
 *   npm run bench:bundle
 */
import { mongodbMock } from "../../generated/mongodb/mock.js";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { generate } from "../../scripts/generate.js";
import { outDir, repoRoot } from "../lib/paths.js";
import { minifiedBundle } from "../lib/bundle-options.js";
import { platformSources } from "../lib/platform-sources.js";
import { renderTable } from "../lib/table.js";
import { writeSyntheticSpec } from "../make-synthetic-spec.js";

/** The actions of the generated mongodb client (the whole service: 86). */
const MONGODB_ACTIONS = Object.keys(mongodbMock.actions).length;
const KB = 1024;
/** Targets of issue 12. */
export const TREE_SHAKABLE_TARGET_BYTES = 8 * KB;
export const GROWTH_TARGET_BYTES = 0.5 * KB;

/** How a program is bundled: one file for Node (the targets' measure), split for Node, one file for browsers. */
export type BundleVariant = "node" | "node, split" | "browser";

export interface BundleRow {
  readonly service: string;
  readonly actions: number;
  readonly form: "tree-shakable" | "convenient" | "validator only";
  readonly variant: BundleVariant;
  /** Split: what the call loads (the entry and its static chunks); `allBytes` counts every chunk. */
  readonly bytes: number;
  /** Split: each loaded chunk gzipped on its own, summed. */
  readonly gzipBytes: number;
  readonly allBytes?: number;
}

interface Program {
  readonly service: string;
  readonly actions: number;
  /** Module to import, absolute. */
  readonly entry: string;
  readonly pascal: string;
  readonly method: string;
  readonly input: string;
}

const CREDENTIALS = `{ secretId: "AKIDEXAMPLE", secretKey: "example" }`;

function programs(program: Program): Record<"tree-shakable" | "convenient", string> {
  const from = JSON.stringify(program.entry);
  const options = `{ credentials: ${CREDENTIALS}, region: "ap-guangzhou", endpoint: "http://127.0.0.1:9000" }`;
  return {
    "tree-shakable": `import { create${program.pascal}Core, ${program.method} } from ${from};
const core = create${program.pascal}Core(${options});
console.log(await ${program.method}(core, ${program.input}));
`,
    convenient: `import { create${program.pascal}Client } from ${from};
const client = create${program.pascal}Client(${options});
console.log(await client.${program.method}(${program.input}));
`,
  };
}

async function bundleSize(source: string, dir: string, name: string, variant: BundleVariant): Promise<Pick<BundleRow, "bytes" | "gzipBytes" | "allBytes">> {
  const entry = path.join(dir, `${name}.ts`);
  await writeFile(entry, source);
  const platform = variant === "browser" ? "browser" : "node";
  const split = variant === "node, split";
  const result = await build({
    ...minifiedBundle(entry, platform),
    plugins: [platformSources(platform)],
    ...(split ? { splitting: true, outdir: path.join(dir, `${name}-split`), metafile: true } : {}),
  });
  if (!split) {
    const contents = result.outputFiles[0]!.contents;
    return { bytes: contents.byteLength, gzipBytes: gzipSync(contents, { level: 9 }).byteLength };
  }
  // The entry chunk and, transitively, the chunks it imports statically: what runs before the call returns.
  const outputs = result.metafile!.outputs;
  const byPath = new Map(result.outputFiles.map((file) => [path.relative(process.cwd(), file.path), file.contents]));
  const loaded = new Set<string>();
  const visit = (output: string) => {
    if (loaded.has(output)) return;
    loaded.add(output);
    for (const imported of outputs[output]!.imports) if (imported.kind === "import-statement" && !imported.external) visit(imported.path);
  };
  visit(Object.keys(outputs).find((output) => outputs[output]!.entryPoint !== undefined)!);
  const sizes = [...loaded].map((output) => byPath.get(output)!);
  return {
    bytes: sizes.reduce((sum, contents) => sum + contents.byteLength, 0),
    gzipBytes: sizes.reduce((sum, contents) => sum + gzipSync(contents, { level: 9 }).byteLength, 0),
    allBytes: [...byPath.values()].reduce((sum, contents) => sum + contents.byteLength, 0),
  };
}

export async function runBundleSize(log: (line: string) => void = () => {}): Promise<BundleRow[]> {
  const dir = path.join(outDir, "bundle");
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const list: Program[] = [
    {
      service: "mongodb",
      actions: MONGODB_ACTIONS,
      entry: path.join(repoRoot, "generated", "mongodb", "index.ts"),
      pascal: "Mongodb",
      method: "createBackupDownloadTask",
      input: `{ InstanceId: "cmgo-dygv1rnp", BackupName: "cmgo-dygv1rnp_2021-03-26 10:44", BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }] }`,
    },
  ];
  for (const actions of [3, 100]) {
    log(`bundle-size: generating the ${actions}-action synthetic service…`);
    const spec = await writeSyntheticSpec(actions, path.join(dir, "specs"));
    await generate({ spec, out: path.join(dir, "generated"), cwd: repoRoot });
    const width = String(actions).length;
    list.push({
      service: `synth${actions}`,
      actions,
      entry: path.join(dir, "generated", `synth${actions}`, "index.ts"),
      pascal: `Synth${actions}`,
      method: `describeWidget${"1".padStart(width, "0")}`,
      input: `{ InstanceId: "ins-00000001", Limit: 10, Mode: "FULL" }`,
    });
  }
  const rows: BundleRow[] = [];
  for (const program of list) {
    for (const [form, source] of Object.entries(programs(program)) as ["tree-shakable" | "convenient", string][]) {
      rows.push({ service: program.service, actions: program.actions, form, variant: "node", ...(await bundleSize(source, dir, `${program.service}-${form}`, "node")) });
    }
  }
  const mongodb = list[0]!;
  const oneCall = programs(mongodb)["tree-shakable"];
  for (const variant of ["node, split", "browser"] as const) {
    rows.push({ service: mongodb.service, actions: mongodb.actions, form: "tree-shakable", variant, ...(await bundleSize(oneCall, dir, `mongodb-${variant.replace(/\W+/g, "-")}`, variant)) });
  }
  const validatorOnly = `import { validateCreateBackupDownloadTaskResponse } from ${JSON.stringify(mongodb.entry)};
console.log(validateCreateBackupDownloadTaskResponse(JSON.parse(${JSON.stringify(`{"Tasks":[],"RequestId":"r"}`)})));
`;
  rows.push({ service: mongodb.service, actions: mongodb.actions, form: "validator only", variant: "browser", ...(await bundleSize(validatorOnly, dir, "mongodb-validator", "browser")) });
  return rows;
}

export function renderBundleSize(rows: readonly BundleRow[]): string {
  const find = (service: string, form: BundleRow["form"], variant: BundleVariant = "node") => rows.find((r) => r.service === service && r.form === form && r.variant === variant)!;
  const kb = (bytes: number) => `${(bytes / KB).toFixed(2)} KB`;
  const table = renderTable(
    ["service", "actions", "form", "bundle", "minified", "gzip"],
    rows.map((r) => [r.service, String(r.actions), r.form, r.variant, `${kb(r.bytes)}${r.allBytes === undefined ? "" : ` (all chunks ${kb(r.allBytes)})`}`, kb(r.gzipBytes)]),
    { left: [2, 3] },
  );
  const mongodb = find("mongodb", "tree-shakable").gzipBytes;
  const growth = find("synth100", "tree-shakable").gzipBytes - find("synth3", "tree-shakable").gzipBytes;
  const growthVsMongodb = find("synth100", "tree-shakable").gzipBytes - mongodb;
  const mongodbVs3 = mongodb - find("synth3", "tree-shakable").gzipBytes;
  const verdict = (ok: boolean) => (ok ? "✓" : "✗");
  return [
    table,
    `${verdict(mongodb <= TREE_SHAKABLE_TARGET_BYTES)} mongodb one call, tree-shakable: ${kb(mongodb)} gz (target ≤ ${kb(TREE_SHAKABLE_TARGET_BYTES)}); split, what the call loads: ${kb(find("mongodb", "tree-shakable", "node, split").gzipBytes)} gz`,
    `✓ mongodb one call, browser bundle builds: ${kb(find("mongodb", "tree-shakable", "browser").gzipBytes)} gz; a validator alone: ${kb(find("mongodb", "validator only", "browser").gzipBytes)} gz`,
    `${verdict(Math.abs(growth) <= GROWTH_TARGET_BYTES)} 100 actions vs 3 (same action shape), tree-shakable: ${growth >= 0 ? "+" : ""}${growth} B gz (target within ${GROWTH_TARGET_BYTES} B)`,
    `${verdict(Math.abs(growthVsMongodb) <= GROWTH_TARGET_BYTES)} 100-action synthetic vs mongodb (${MONGODB_ACTIONS} actions), tree-shakable: ${growthVsMongodb >= 0 ? "+" : ""}${growthVsMongodb} B gz`,
    `${verdict(Math.abs(mongodbVs3) <= GROWTH_TARGET_BYTES)} mongodb (${MONGODB_ACTIONS} actions) vs the 3-action synthetic service, tree-shakable: ${mongodbVs3 >= 0 ? "+" : ""}${mongodbVs3} B gz (target within ${GROWTH_TARGET_BYTES} B)`,
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const rows = await runBundleSize((line) => console.error(line));
  console.log(renderBundleSize(rows));
}
