import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/** tcgen's own package directory, found from this file whether it runs from source or from dist/. */
export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "tcgen") {
      return (cached = dir);
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("cannot find tcgen's package.json above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}
