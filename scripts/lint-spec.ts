/**
 * `npm run lint:spec`: Redocly's lint over every spec under `spec/`. A single-file spec is linted as
 * it is; a multi-file spec (spec/parts.ts) as its merged document, written to
 * `.tcgen-lint/<service>/<version>.yaml`, since Redocly lints one document at a time and a part
 * file alone is not one. tcgen's own checks (`tcgen generate`) report in the part files.
 */
import { spawnSync } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import { packageRoot } from "./lib/package-root.js";
import { findSpecs, isSpecDirectory, loadSpecAt } from "./spec/parts.js";
import { formatProblem, SpecError } from "./spec/problems.js";

const root = packageRoot();
const out = path.join(root, ".tcgen-lint");
await rm(out, { recursive: true, force: true });
const targets: string[] = [];
try {
  for (const spec of await findSpecs(path.join(root, "spec"))) {
    if (!(await isSpecDirectory(spec))) {
      targets.push(path.relative(root, spec));
      continue;
    }
    const shown = path.relative(root, spec).split(path.sep).join("/");
    const merged = await loadSpecAt(spec, shown);
    const file = path.join(out, path.basename(path.dirname(spec)), `${path.basename(spec)}.yaml`);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `# The merged document of ${shown}/ (scripts/lint-spec.ts), for Redocly. Do not edit.\n${stringify(merged.value, { lineWidth: 0, aliasDuplicateObjects: false })}`);
    targets.push(path.relative(root, file));
  }
} catch (error) {
  if (!(error instanceof SpecError)) throw error;
  for (const problem of error.problems) console.error(formatProblem(problem));
  process.exit(1);
}
const redocly = path.join(root, "node_modules", ".bin", "redocly");
const result = spawnSync(redocly, ["lint", "--config", path.join(root, "redocly.yaml"), ...targets], { cwd: root, stdio: "inherit" });
process.exit(result.status ?? 1);
