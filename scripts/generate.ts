/**
 * The generator: load → check → model → emit → write, for every spec given. All specs are loaded and
 * checked before anything is emitted, and everything is emitted before anything is written.
 */
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { checkSpec } from "./check/check-spec.js";
import { findNameClashes } from "./check/emitted-names.js";
import { emitService } from "./emit/emit-service.js";
import { TEMPLATE_FILES, type Templates } from "./emit/files.js";
import type { LoadedSpec } from "./spec/load.js";
import { findSpecs, loadSpecAt } from "./spec/parts.js";
import { buildModel, type ServiceModel } from "./model/service-model.js";
import type { OperationIndex } from "./spec/operations.js";
import { SpecError, type SpecProblem } from "./spec/problems.js";
import { packageRoot } from "./lib/package-root.js";
import { findStaleFiles, writeAtomically } from "./write.js";
import { reviewMarkers } from "./verify/review-markers.js";

export interface GenerateOptions {
  /** A spec file, or a directory searched recursively for `*.yaml` / `*.yml`. */
  readonly spec: string;
  /** The output directory; each service gets `<out>/<service>/`. */
  readonly out: string;
  /** Compare with the files on disk instead of writing. */
  readonly check?: boolean;
  /** Paths in messages and headers are relative to this directory. */
  readonly cwd?: string;
  /** Override the runtime's module specifier in generated imports. */
  readonly runtimeImport?: string;
  /** Fail on warnings (x-tc-review markers) as on errors. */
  readonly strict?: boolean;
}

export interface GenerateResult {
  /** `<service>/<file>` of every generated file. */
  readonly files: readonly string[];
  /** With `check`: the out-of-date files (empty when up to date). */
  readonly stale: readonly { file: string; reason: string }[];
  /** `x-tc-review` markers: facts the spec states on a default, to be checked by a person. */
  readonly warnings: readonly SpecProblem[];
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const cwd = options.cwd ?? process.cwd();
  const specPath = path.resolve(cwd, options.spec);
  const outDir = path.resolve(cwd, options.out);
  const specFiles = await findSpecFiles(specPath, cwd);

  const problems: SpecProblem[] = [];
  const warnings: SpecProblem[] = [];
  const loaded: { model: ServiceModel; spec: LoadedSpec }[] = [];
  for (const file of specFiles) {
    const displayPath = path.relative(cwd, file).split(path.sep).join("/");
    try {
      const spec = await loadSpecAt(file, displayPath);
      const operations = checkSpec(spec, file);
      const markers = reviewMarkers(spec);
      problems.push(...markers.problems, ...(options.strict ? markers.warnings : []));
      warnings.push(...markers.warnings);
      loaded.push({ model: buildModel(spec, operations), spec });
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      problems.push(...error.problems);
    }
  }
  const services = new Map<string, string>();
  for (const { model } of loaded) {
    const other = services.get(model.service);
    if (other !== undefined) {
      problems.push({ file: model.specPath, line: 1, col: 1, message: `service "${model.service}" is also defined by ${other}; one version per service can be generated` });
    }
    services.set(model.service, model.specPath);
  }
  if (problems.length > 0) throw new SpecError(problems);

  const templates = await loadTemplates();
  const files = new Map<string, string>();
  for (const { model, spec } of loaded) {
    const runtimeImport = options.runtimeImport ?? defaultRuntimeImport(path.join(outDir, model.service));
    const emitted = await emitService(model, spec.value, templates, { runtimeImport });
    problems.push(...nameClashProblems(emitted, model, spec, runtimeImport));
    for (const [name, text] of emitted) files.set(name, text);
  }
  if (problems.length > 0) throw new SpecError(problems);

  if (options.check) return { files: [...files.keys()], stale: await findStaleFiles(outDir, files), warnings };
  await writeAtomically(outDir, files);
  return { files: [...files.keys()], stale: [], warnings };
}

/**
 * Every problem `generate` would report for one spec (checks, then the names of what it emits),
 * without writing anything: for tools that produce specs, such as `tcgen import`.
 */
export async function specProblems(spec: LoadedSpec, file: string): Promise<SpecProblem[]> {
  let operations: OperationIndex;
  try {
    operations = checkSpec(spec, file);
  } catch (error) {
    if (error instanceof SpecError) return [...error.problems];
    throw error;
  }
  const model = buildModel(spec, operations);
  const runtimeImport = "tcgen/runtime";
  const emitted = await emitService(model, spec.value, await loadTemplates(), { runtimeImport });
  return nameClashProblems(emitted, model, spec, runtimeImport);
}

/**
 * Names the spec gives that clash in the emitted code, as problems where the spec gives them. A
 * clash of tcgen's own names alone is a bug of tcgen, thrown as such.
 */
function nameClashProblems(files: ReadonlyMap<string, string>, model: ServiceModel, spec: LoadedSpec, runtimeImport: string): SpecProblem[] {
  const problems = new Map<string, SpecProblem>();
  for (const clash of findNameClashes(files, model.origins, runtimeImport)) {
    if (clash.pointers.length === 0) throw new Error(`"${clash.name}", a name of tcgen's own, ${clash.reason}`);
    for (const pointer of clash.pointers) {
      const key = `${pointer}\0${clash.name}`;
      if (problems.has(key)) continue;
      const { file, line, col } = spec.positionOf(pointer);
      const others = clash.pointers.filter((p) => p !== pointer).map((p) => {
        const at = spec.positionOf(p);
        return at.file === file ? `${at.line}:${at.col}` : `${at.file}:${at.line}:${at.col}`;
      });
      const message = `"${clash.name}", a name tcgen derives from here, ${clash.reason}${others.length > 0 ? ` (the spec also gives it at ${others.join(", ")})` : ""}; rename it`;
      problems.set(key, { file, line, col, message });
    }
  }
  return [...problems.values()];
}

async function findSpecFiles(specPath: string, cwd: string): Promise<string[]> {
  const info = await stat(specPath).catch(() => undefined);
  const shown = path.relative(cwd, specPath) || ".";
  if (!info) throw new SpecError([{ file: shown, line: 1, col: 1, message: "no such spec file or directory" }]);
  const found = await findSpecs(specPath).catch((error: Error) => {
    throw new SpecError([{ file: shown, line: 1, col: 1, message: `cannot read the spec directory: ${error.message}` }]);
  });
  if (found.length === 0) throw new SpecError([{ file: shown, line: 1, col: 1, message: "no *.yaml spec files in this directory" }]);
  return found;
}

async function loadTemplates(): Promise<Templates> {
  const dir = path.join(packageRoot(), "templates");
  const templates: Record<string, string> = {};
  for (const name of ["header", ...TEMPLATE_FILES]) templates[name] = await readFile(path.join(dir, `${name}.hbs`), "utf8");
  return templates;
}

/**
 * Inside tcgen's own source tree the generated code imports the runtime by relative path (so it
 * compiles alongside it into dist/); anywhere else it imports the published package.
 */
function defaultRuntimeImport(serviceDir: string): string {
  const root = packageRoot();
  const runtimeSource = path.join(root, "runtime", "index.ts");
  if (!serviceDir.startsWith(root + path.sep) || !existsSync(runtimeSource)) return "tcgen/runtime";
  const relative = path.relative(serviceDir, path.join(root, "runtime", "index.js")).split(path.sep).join("/");
  return relative.startsWith(".") ? relative : `./${relative}`;
}
