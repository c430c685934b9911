/**
 * An esbuild plugin for bundling the repository's sources for one platform: package.json's `#`
 * imports (`#crypto`, `#transport`, `#files`) resolve to the sources of that platform's modules
 * (`node` or `default` condition), as they resolve to dist/ in the published package. (tsconfig.json's
 * `paths`, which esbuild would otherwise apply, give Node's modules to every platform.)
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Plugin } from "esbuild";
import { ESM_BUNDLE_DIR } from "../../scripts/package/build.js";
import { repoRoot } from "./paths.js";

type Imports = Record<string, Record<"node" | "default", { default: string }>>;

export function platformSources(platform: "node" | "browser"): Plugin {
  const imports = (JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { imports: Imports }).imports;
  const condition = platform === "node" ? "node" : "default";
  return {
    name: "platform-sources",
    setup(build) {
      build.onResolve({ filter: /^#/ }, (args) => {
        const target = imports[args.path]?.[condition]?.default;
        if (target === undefined) return { errors: [{ text: `package.json imports has no ${args.path} (${condition})` }] };
        // ./dist/esm/runtime/x.js is bundled from ./runtime/x.ts (scripts/package/build.ts).
        const source = path.relative(ESM_BUNDLE_DIR, target).replace(/\.js$/, ".ts");
        if (source.startsWith("..")) return { errors: [{ text: `package.json imports ${args.path} (${condition}): ${target} is not under ${ESM_BUNDLE_DIR}` }] };
        return { path: path.join(repoRoot, source) };
      });
    },
  };
}
