/** The esbuild options of every one-call bundle the benchmarks measure: `--bundle --minify`, ESM, in memory. */
import type { BuildOptions } from "esbuild";

export function minifiedBundle(entry: string, platform: "node" | "browser"): BuildOptions & { write: false } {
  return { entryPoints: [entry], bundle: true, minify: true, platform, format: "esm", target: platform === "node" ? "node20" : "es2022", write: false, logLevel: "silent" };
}
