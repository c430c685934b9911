import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** tsconfig.json's `paths` (package.json's `#` imports in source mode: Node's sources), as aliases. */
function sourceAliases(): Record<string, string> {
  const text = readFileSync(new URL("./tsconfig.json", import.meta.url), "utf8").replace(/^\s*\/\/.*$/gm, "");
  const paths = (JSON.parse(text) as { compilerOptions: { paths: Record<string, [string]> } }).compilerOptions.paths;
  return Object.fromEntries(Object.entries(paths).map(([name, [target]]) => [name, fileURLToPath(new URL(target, import.meta.url))]));
}

export default defineConfig({
  resolve: { alias: sourceAliases() },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
