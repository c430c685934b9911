/**
 * `tcgen mock --spec <file|dir>`: the emulator of any service a spec describes, for consumers who
 * generate their own services. The spec is generated as `tcgen generate` would (same checks, same
 * problems), into a scratch directory, with imports pointing at this tcgen's runtime; the emitted
 * `validators.ts` and `mock.ts` are transpiled to JavaScript (TypeScript's `transpileModule`: types
 * erased, nothing checked) and loaded, and their definition is what `startMock` serves: every
 * action's example answer, requests checked against the spec's validators.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { MockServiceDefinition } from "../../mock/definition.js";
import { generate } from "../generate.js";
import { packageRoot } from "../lib/package-root.js";

export interface SpecMock {
  readonly label: string;
  readonly definition: MockServiceDefinition;
}

/** Thrown for a spec that names no such service, or several without `--service`. */
export class SpecServiceError extends Error {}

/** The emulator's definition of the service in `spec` (a file, or a directory of specs: `service` picks one). */
export async function loadSpecMock(spec: string, service: string | undefined, cwd = process.cwd()): Promise<SpecMock> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), "tcgen-mock-"));
  try {
    const result = await generate({ spec, out: scratch, cwd, runtimeImport: pathToFileURL(runtimeEntry()).href });
    const services = [...new Set(result.files.map((file) => file.split("/")[0]!))].sort();
    const chosen = service ?? (services.length === 1 ? services[0]! : undefined);
    if (chosen === undefined) throw new SpecServiceError(`${spec} describes ${services.length} services (${services.join(", ")}); pick one with --service`);
    if (!services.includes(chosen)) throw new SpecServiceError(`--service: ${spec} does not describe "${chosen}" (it describes ${services.join(", ")})`);
    // mock.ts imports the validators; nothing else of the service is needed to serve it. The
    // JavaScript goes to an ES module folder of its own: tsx would resolve `./mock.js` to a `mock.ts` beside it.
    const js = await mkdtemp(path.join(scratch, "js-"));
    await writeFile(path.join(js, "package.json"), '{ "type": "module" }\n');
    for (const name of ["validators", "mock"]) await writeFile(path.join(js, `${name}.js`), await transpile(path.join(scratch, chosen, `${name}.ts`)));
    const loaded = (await import(pathToFileURL(path.join(js, "mock.js")).href)) as Record<string, unknown>;
    const definition = Object.values(loaded).find(isDefinition);
    if (definition === undefined) throw new Error(`the generated mock.ts of ${chosen} exports no emulator definition`);
    return { label: `${definition.service} ${definition.version} (from ${spec}; example answers)`, definition };
  } finally {
    // Loaded modules stay in memory: the files are no longer needed.
    await rm(scratch, { recursive: true, force: true });
  }
}

/** This tcgen's public runtime entry: the source when run from the source tree, else the compiled one. */
function runtimeEntry(): string {
  const root = packageRoot();
  const fromSource = path.join(root, "runtime", "index.ts");
  // From source (tsx), the `.js` specifier resolves to the `.ts` file beside it.
  return existsSync(fromSource) && !import.meta.url.includes("/dist/") ? path.join(root, "runtime", "index.js") : path.join(root, "dist", "runtime", "index.js");
}

async function transpile(file: string): Promise<string> {
  const { default: ts } = await import("typescript");
  const source = await readFile(file, "utf8");
  return ts.transpileModule(source, { fileName: file, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true } }).outputText;
}

function isDefinition(value: unknown): value is MockServiceDefinition {
  return typeof value === "object" && value !== null && typeof (value as { service?: unknown }).service === "string" && typeof (value as { actions?: unknown }).actions === "object";
}
