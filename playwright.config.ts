import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

/**
 * Browser tests run against a production build of the portal on a fresh, temporary embedded
 * database, with a standards-compliant OIDC provider beside it (test/oidc/server.ts).
 * Chromium comes from the system (Debian's package), never downloaded: CHROMIUM_PATH overrides.
 */

const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
const OIDC_PORT = Number(process.env.E2E_OIDC_PORT ?? 3199);
export const APP_URL = `http://localhost:${APP_PORT}`;
export const OIDC_ISSUER = `http://127.0.0.1:${OIDC_PORT}`;
export const E2E_TRINO_RULES_TOKEN = "e2e-trino-rules-token-0123456789abcdef";

// Evaluated by the runner and by each worker; only the runner starts the servers, so the
// directory the workers compute is never used.
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(path.join(tmpdir(), "canopy-e2e-"));
process.env.E2E_DATA_DIR = dataDir;

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: APP_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: [
    {
      command: "npx tsx test/oidc/server.ts",
      url: `${OIDC_ISSUER}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { OIDC_TEST_PORT: String(OIDC_PORT), OIDC_TEST_REDIRECT_URI: `${APP_URL}/api/auth/callback/oidc` },
      stdout: "pipe",
    },
    {
      command: "node scripts/start.mjs",
      url: `${APP_URL}/api/ready`,
      reuseExistingServer: false,
      timeout: 600_000,
      env: {
        PORT: String(APP_PORT),
        DATABASE_URL: "",
        CANOPY_DEMO_LOGIN: "",
        NODE_ENV: "production",
        NEXTAUTH_URL: APP_URL,
        CANOPY_DATA_DIR: dataDir,
        OIDC_ISSUER,
        OIDC_CLIENT_ID: "canopy-e2e",
        OIDC_CLIENT_SECRET: "canopy-e2e-secret-which-is-long-enough",
        OIDC_SCOPE: "openid email profile groups",
        OIDC_ROLE_MAPPING: "canopy-admins=platform_admin;customer-stewards=steward:customer",
        OIDC_DISPLAY_NAME: "Test identity provider",
        LOG_LEVEL: "warn",
        TRINO_RULES_TOKEN: E2E_TRINO_RULES_TOKEN,
        NEXT_TELEMETRY_DISABLED: "1",
      },
      stdout: "pipe",
    },
  ],
});
