import { defineConfig } from "vitest/config";
import { sourcePaths } from "./test/support/source-paths.js";

export default defineConfig({
  // package.json's `#` imports resolve to Node's sources, as tsconfig.json's `paths` say. (Only
  // those: an alias also matches longer specifiers, and `tcgen/mock` would catch `tcgen/mock/mongodb`.)
  resolve: { alias: Object.fromEntries(Object.entries(sourcePaths()).filter(([name]) => name.startsWith("#"))) },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
