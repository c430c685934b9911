/**
 * `npm run build`, after `tsc -p tsconfig.build.json` has compiled dist/ as ES modules: dist/cjs/, a
 * CommonJS copy of the entry points' folders (runtime, generated, mock), so that
 * `require("tcgen/<service>")` works on every Node 20 (no `require(esm)` needed) and a TypeScript
 * `"type": "commonjs"` project reads CommonJS declarations. Each module is converted by esbuild on
 * its own (every import left external: one module per file, as in the ESM tree) to a `.cjs` file,
 * and its declarations copied beside it as `.d.cts`, relative specifiers renamed to match. The
 * files keep package.json's scope (no nested package.json: Node and TypeScript look `#` imports up
 * in the nearest one), so `#crypto`, `#transport` and `#files` resolve through the root `imports`,
 * whose `require` branches name the `.cjs` files. Dynamic `import()`s stay as they are: the
 * optional ES-module-only proxy packages load from CommonJS too.
 *
 * Then dist/esm/, the pre-bundled ES modules (bundleEsm), and every file package.json's `exports` and
 * `imports` name is checked to exist.
 *
 *   tsx scripts/package/build.ts
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { build, type Plugin } from "esbuild";
import { packageRoot } from "../lib/package-root.js";

/** The dist folders `exports` reaches; nothing in them imports scripts/ or jobs/. */
export const CJS_FOLDERS = ["runtime", "generated", "mock"] as const;

/** Conditions nest (`node` → `require` → target): every target of one entry of `imports` or `exports`. */
export function conditionTargets(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value === null || typeof value !== "object") return [];
  return Object.values(value).flatMap(conditionTargets);
}

/** The compiled modules and declarations under `dir` (tsc writes no folder with such a name). */
async function filesUnder(dir: string): Promise<string[]> {
  const names = await readdir(dir, { recursive: true });
  return names.filter((name) => name.endsWith(".js") || name.endsWith(".d.ts")).map((name) => path.join(dir, name));
}

/** `./x.js` → `./x.cjs`: a relative specifier of the ESM tree as the CommonJS tree names it. */
const RELATIVE_JS = /^(\.{1,2}\/.*)\.js$/;

/** A specifier in declarations: `from "…"` and `import("…")`. */
const DECLARATION_SPECIFIER = /(\bfrom\s+|\bimport\()(["'])([^"']+)\2/g;

/**
 * The CommonJS declarations name Node's platform modules instead of `#crypto`, `#transport`,
 * `#files`: TypeScript's `node10` resolution (the default of `module: commonjs`) knows no `imports`,
 * and the consumers of CommonJS declarations are Node programs. Relative specifiers get `.cjs`.
 */
function cjsDeclaration(text: string, file: string, nodeTargets: ReadonlyMap<string, string>): string {
  return text.replace(DECLARATION_SPECIFIER, (whole, before: string, quote: string, specifier: string) => {
    const platform = nodeTargets.get(specifier);
    if (platform !== undefined) {
      const relative = path.relative(path.dirname(file), platform).split(path.sep).join("/");
      return `${before}${quote}${relative.startsWith(".") ? relative : `./${relative}`}${quote}`;
    }
    const local = RELATIVE_JS.exec(specifier);
    return local ? `${before}${quote}${local[1]}.cjs${quote}` : whole;
  });
}

interface Manifest {
  readonly imports?: Readonly<Record<string, { readonly node?: { readonly require?: string } }>>;
  readonly exports?: unknown;
}

export async function buildPackage(root = packageRoot()): Promise<void> {
  const manifest = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as Manifest;
  const nodeTargets = new Map<string, string>();
  for (const [name, conditions] of Object.entries(manifest.imports ?? {})) {
    const target = conditions.node?.require;
    if (target === undefined) throw new Error(`package.json imports ${name}: no node → require target`);
    nodeTargets.set(name, path.join(root, target));
  }
  const dist = path.join(root, "dist");
  const cjs = path.join(dist, "cjs");
  await rm(cjs, { recursive: true, force: true });
  const files = (await Promise.all(CJS_FOLDERS.map((folder) => filesUnder(path.join(dist, folder))))).flat();
  const keepImports: Plugin = {
    name: "one-module-per-file",
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === "entry-point") return undefined;
        const relative = RELATIVE_JS.exec(args.path);
        return { path: relative ? `${relative[1]}.cjs` : args.path, external: true };
      });
    },
  };
  const result = await build({
    entryPoints: files.filter((file) => file.endsWith(".js")),
    outdir: cjs,
    outbase: dist,
    outExtension: { ".js": ".cjs" },
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    plugins: [keepImports],
    logLevel: "silent",
  });
  if (result.warnings.length > 0) throw new Error(`dist/cjs: ${result.warnings.map((w) => w.text).join("; ")}`);
  for (const file of files.filter((name) => name.endsWith(".d.ts"))) {
    const target = path.join(cjs, path.relative(dist, file)).replace(/\.d\.ts$/, ".d.cts");
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, cjsDeclaration(await readFile(file, "utf8"), target, nodeTargets));
  }

  await bundleEsm(root, manifest);

  const targets = [...conditionTargets(manifest.imports), ...conditionTargets(manifest.exports)].filter((target) => target.startsWith("./dist/"));
  const missing = targets.filter((target) => !existsSync(path.join(root, target)));
  if (missing.length > 0) throw new Error(`package.json names files the build did not write: ${missing.join(", ")}`);
}

/** Where the pre-bundled ES modules go: `exports` and `imports` name them for `import`. */
export const ESM_BUNDLE_DIR = "dist/esm";

/**
 * dist/esm/: the ES modules `exports` and `imports` name for `import`, pre-bundled by esbuild in one
 * build with code splitting, so that every entry point and platform module shares one copy of each
 * class (`instanceof TencentCloudApiError` holds across a generated client's entry and `tcgen/runtime`) while a
 * program loads a handful of modules instead of about sixty: Node's per-module cost was most of the
 * import time (`npm run bench -- --only=footprint`). The `#` imports stay imports, so each platform
 * still picks its own modules; packages stay external. Source maps are not shipped (the tsc tree
 * beside it keeps the per-file modules the declarations describe).
 */
async function bundleEsm(root: string, manifest: Manifest): Promise<void> {
  const out = path.join(root, ESM_BUNDLE_DIR);
  await rm(out, { recursive: true, force: true });
  const prefix = `./${ESM_BUNDLE_DIR}/`;
  const entries = [...conditionTargets(manifest.imports), ...conditionTargets(manifest.exports)].filter((target) => target.startsWith(prefix) && target.endsWith(".js"));
  if (entries.length === 0) throw new Error(`package.json names no module under ${prefix}`);
  const result = await build({
    // Relative to the package: the modules' path comments are the same wherever it is built.
    absWorkingDir: root,
    entryPoints: entries.map((target) => path.join(root, "dist", target.slice(prefix.length))),
    outdir: out,
    outbase: path.join(root, "dist"),
    entryNames: "[dir]/[name]",
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    packages: "external",
    external: ["node:*"],
    plugins: [
      {
        name: "platform-imports-stay-imports",
        setup(build) {
          build.onResolve({ filter: /^#/ }, (args) => ({ path: args.path, external: true }));
        },
      },
    ],
    logLevel: "silent",
  });
  if (result.warnings.length > 0) throw new Error(`${ESM_BUNDLE_DIR}: ${result.warnings.map((w) => w.text).join("; ")}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(packageRoot(), "scripts/package/build.ts")) {
  await buildPackage();
}
