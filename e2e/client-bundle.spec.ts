import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";

/**
 * The browser gets only what it needs: no database driver, no server configuration, no secret.
 * Checked on the production build the browser tests run against.
 */

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".js") ? [p] : [];
  });
}

const FORBIDDEN = [
  "pglite",
  "PrismaClient",
  "pg_advisory_lock",
  "_prisma_migrations",
  "NEXTAUTH_SECRET",
  "OIDC_CLIENT_SECRET",
  "auth-secret",
  "sanitize-html",
  "clientSecret",
];

test("client bundles contain no server-only code or secrets", () => {
  const staticDir = path.join(process.cwd(), ".next", "static");
  const bundle = files(staticDir);
  expect(bundle.length).toBeGreaterThan(0);
  for (const file of bundle) {
    const text = readFileSync(file, "utf8");
    for (const needle of FORBIDDEN) {
      expect(text.includes(needle), `${needle} in ${path.relative(staticDir, file)}`).toBe(false);
    }
  }
});

test("the embedded session key never appears in a page", async ({ page }) => {
  const secret = readFileSync(path.join(process.env.E2E_DATA_DIR!, "auth-secret"), "utf8").trim();
  expect(secret.length).toBeGreaterThanOrEqual(32);
  const res = await page.goto("/signin");
  expect(await res!.text()).not.toContain(secret);
});
