import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    ".data/**",
    "node_modules/**",
    "lib/db/generated/**",
    "test-results/**",
    "playwright-report/**",
    "next-env.d.ts",
  ]),
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Configuration is read in lib/config.ts only.
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through lib/config.ts." },
      ],
    },
  },
  {
    files: ["lib/config.ts", "instrumentation.ts", "scripts/**", "e2e/**", "test/**", "playwright.config.ts", "prisma.config.ts", "**/*.test.ts", "bench/**"],
    rules: { "no-restricted-properties": "off" },
  },
  {
    // Components render; they never reach the database or external systems.
    files: ["components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@/lib/db/*", "@/lib/integrations/*"], message: "Components never import the database or integrations." }] },
      ],
    },
  },
]);
