/**
 * The generator: load → check → model → emit → write, for every spec given. All specs are loaded and
 * checked before anything is emitted, and everything is emitted before anything is written.
 */
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { checkSpec } from "./check/check-spec.js";
import { findNameClashes, takenNames, type NameClash } from "./check/emitted-names.js";
import { emitService } from "./emit/emit-service.js";
import { TEMPLATE_FILES, type Templates } from "./emit/files.js";
import type { LoadedSpec } from "./spec/load.js";
import { findSpecs, loadSpecAt } from "./spec/parts.js";
import { buildModel, type ServiceModel } from "./model/service-model.js";
import { schemaDerivedNames, schemaRenames } from "./model/names.js";
import { joinPointer, type Json } from "./lib/utils.js";
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
  /**
   * `x-tc-review` markers (`warning: to review: …`): facts the spec states on a default, to be
   * checked by a person (`strict` refuses them); and a `note: …` at each schema whose TypeScript
   * name differs from its name in the spec because that would clash (scripts/model/names.ts).
   */
  readonly warnings: readonly SpecProblem[];
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const cwd = options.cwd ?? process.cwd();
  const specPath = path.resolve(cwd, options.spec);
  const outDir = path.resolve(cwd, options.out);
  const specFiles = await findSpecFiles(specPath, cwd);

  const problems: SpecProblem[] = [];
  const warnings: SpecProblem[] = [];
  const loaded: { model: ServiceModel; spec: LoadedSpec; operations: OperationIndex }[] = [];
  for (const file of specFiles) {
    const displayPath = path.relative(cwd, file).split(path.sep).join("/");
    try {
      const spec = await loadSpecAt(file, displayPath);
      const operations = checkSpec(spec, file);
      const markers = reviewMarkers(spec);
      problems.push(...markers.problems, ...(options.strict ? markers.warnings : []));
      warnings.push(...markers.warnings);
      loaded.push({ model: buildModel(spec, operations), spec, operations });
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
  for (const { model, spec, operations } of loaded) {
    const runtimeImport = options.runtimeImport ?? defaultRuntimeImport(path.join(outDir, model.service));
    const emitted = await emitNamed(model, spec, operations, templates, runtimeImport);
    problems.push(...emitted.problems);
    warnings.push(...emitted.notes);
    for (const [name, text] of emitted.files) files.set(name, text);
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
  const emitted = await emitNamed(buildModel(spec, operations), spec, operations, await loadTemplates(), "tcgen/runtime");
  return emitted.problems;
}

/**
 * Emits one service with its names checked. When a schema's name, or a name derived from it, would
 * clash in the emitted code, the schema is renamed (scripts/model/names.ts: `Error` → `ErrorStructure`)
 * and the service emitted again with the new names, each rename a note at the schema. The clashes
 * left are problems where the spec gives the names.
 */
async function emitNamed(
  model: ServiceModel,
  spec: LoadedSpec,
  operations: OperationIndex,
  templates: Templates,
  runtimeImport: string,
): Promise<{ files: Map<string, string>; problems: SpecProblem[]; notes: SpecProblem[] }> {
  const files = await emitService(model, spec.value, templates, { runtimeImport });
  const clashes = findNameClashes(files, model.origins, runtimeImport);
  const schemas = ((spec.value as Json)["components"] as Json)["schemas"] as Json;
  const renames = clashes.some((c) => c.renamable && c.pointers.length > 0) ? schemaRenames(clashes, schemas, model.typeNames, takenNames(files)) : new Map<string, string>();
  if (renames.size === 0) return { files, problems: nameClashProblems(clashes, spec), notes: [] };

  const notes = [...renames].map(([schema, type]) => {
    const clash = clashes.find((c) => c.renamable && schemaDerivedNames(schema, schemas[schema]).includes(c.name))!;
    const derived = schemaDerivedNames(type, schemas[schema]).slice(1).join(", ");
    const message = `note: schema "${schema}" is named ${type} in the generated code (${derived}), since "${clash.name}" ${clash.reason}; its name in the spec and on the wire stays "${schema}"`;
    return { ...spec.positionOf(joinPointer("components", "schemas", schema)), message };
  });
  const renamed = buildModel(spec, operations, renames);
  const again = await emitService(renamed, spec.value, templates, { runtimeImport });
  return { files: again, problems: nameClashProblems(findNameClashes(again, renamed.origins, runtimeImport), spec), notes };
}

/**
 * Names the spec gives that clash in the emitted code, as problems where the spec gives them. A
 * clash of tcgen's own names alone is a bug of tcgen, thrown as such.
 */
function nameClashProblems(clashes: readonly NameClash[], spec: LoadedSpec): SpecProblem[] {
  const problems = new Map<string, SpecProblem>();
  for (const clash of clashes) {
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
