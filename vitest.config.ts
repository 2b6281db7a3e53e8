import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\/(.*)$/, replacement: path.resolve(import.meta.dirname, "$1") },
      // `server-only` refuses to load outside React's server build; in tests it is a no-op.
      { find: /^server-only$/, replacement: path.resolve(import.meta.dirname, "test/support/empty.ts") },
    ],
  },
  test: {
    include: ["lib/**/*.test.ts", "test/**/*.test.ts", "app/**/*.test.ts", "components/**/*.test.ts"],
    exclude: ["e2e/**", "node_modules/**", ".next/**"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    env: { LOG_LEVEL: "silent", NEXT_TELEMETRY_DISABLED: "1" },
  },
});
