import { defineConfig } from "vitest/config";
import { sourcePaths } from "./test/support/source-paths.js";

export default defineConfig({
  // package.json's `#` imports resolve to Node's sources, as tsconfig.json's `paths` say.
  resolve: { alias: sourcePaths() },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
