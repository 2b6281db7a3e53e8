import { test, expect, type Page } from "@playwright/test";
import { TEST_ACCOUNTS, type TestAccount } from "../test/oidc/accounts";

/**
 * Sign-in through a real OpenID Provider (test/oidc/server.ts, started by playwright.config.ts):
 * the browser goes to the provider, passes its login and consent screens, and comes back to the
 * portal, which maps the groups of the ID token to roles (OIDC_ROLE_MAPPING in playwright.config.ts).
 * Every test has a fresh browser context, so a fresh session both at the portal and at the provider.
 */

const PROVIDER_BUTTON = "Sign in with Test identity provider";
const PROVIDER_ORIGIN = /^http:\/\/127\.0\.0\.1:\d+\//;

/** From the portal's sign-in page (already open) through the provider and back. */
async function signInAtProvider(page: Page, account: Pick<TestAccount, "id">) {
  await page.getByRole("button", { name: PROVIDER_BUTTON }).click();

  await page.waitForURL(PROVIDER_ORIGIN);
  await expect(page.getByRole("heading", { name: "Sign-in" })).toBeVisible();
  await page.getByPlaceholder("Enter any login").fill(account.id);
  await page.getByPlaceholder("and password").fill("any password will do");
  await page.getByRole("button", { name: "Sign-in" }).click();

  await expect(page.getByRole("heading", { name: "Authorize" })).toBeVisible();
  await page.getByRole("button", { name: "Continue" }).click();

  await page.waitForURL((url) => !PROVIDER_ORIGIN.test(url.href) && !url.pathname.startsWith("/api/auth/"));
}

async function signIn(page: Page, account: TestAccount) {
  await page.goto("/signin");
  await signInAtProvider(page, account);
  await expect(page).toHaveURL(/\/products$/);
  await expect(page.getByTestId("current-user")).toHaveText(account.name);
}

const mainNav = (page: Page) => page.getByRole("navigation", { name: "Main" });
const roleLabel = (page: Page, label: string) => page.getByRole("banner").getByText(label, { exact: true });

test("a platform admin signs in through the identity provider and sees the admin area", async ({ page }) => {
  const alice = TEST_ACCOUNTS.alice;
  await signIn(page, alice);

  await expect(roleLabel(page, "Platform admin")).toBeVisible();
  for (const name of ["Catalogue", "Access", "Lineage", "Governance", "Admin"]) {
    await expect(mainNav(page).getByRole("link", { name, exact: true })).toBeVisible();
  }

  await mainNav(page).getByRole("link", { name: "Admin", exact: true }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("heading", { name: "Admin", level: 1 })).toBeVisible();
  const row = page.getByRole("table", { name: "Users and their roles" }).getByRole("row").filter({ hasText: alice.email });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(alice.name);
  await expect(row).toContainText("oidc");
  await expect(row).toContainText("platform admin");
});

test("a Keycloak-style group path maps to domain steward, without admin access", async ({ page }) => {
  await signIn(page, TEST_ACCOUNTS.sam);

  await expect(roleLabel(page, "Domain steward")).toBeVisible();
  await expect(mainNav(page).getByRole("link", { name: "Catalogue", exact: true })).toBeVisible();
  await expect(mainNav(page).getByRole("link", { name: "Admin", exact: true })).toHaveCount(0);

  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Users and their roles" })).toHaveCount(0);
});

test("a user without groups is a consumer", async ({ page }) => {
  await signIn(page, TEST_ACCOUNTS.nina);

  await expect(roleLabel(page, "Consumer")).toBeVisible();
  await expect(mainNav(page).getByRole("link", { name: "Catalogue", exact: true })).toBeVisible();
  await expect(mainNav(page).getByRole("link", { name: "Admin", exact: true })).toHaveCount(0);
});

test("signing out ends the portal session", async ({ page }) => {
  await signIn(page, TEST_ACCOUNTS.nina);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByRole("button", { name: PROVIDER_BUTTON })).toBeVisible();

  await page.goto("/products");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fproducts$/);
  await expect(page.getByRole("button", { name: PROVIDER_BUTTON })).toBeVisible();
  await expect(page.getByTestId("current-user")).toHaveCount(0);
});

test("signing in from a protected deep link returns there after the round trip", async ({ page }) => {
  await page.goto("/products?domain=sales");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fproducts%3Fdomain%3Dsales$/);

  await signInAtProvider(page, TEST_ACCOUNTS.sam);

  await expect(page).toHaveURL(/\/products\?domain=sales$/);
  await expect(page.getByTestId("current-user")).toHaveText(TEST_ACCOUNTS.sam.name);
  await expect(page.getByRole("heading", { name: "Catalogue", level: 1 })).toBeVisible();
});

test("the identity provider refuses an unknown login", async ({ page }) => {
  await page.goto("/signin");
  await page.getByRole("button", { name: PROVIDER_BUTTON }).click();
  await page.waitForURL(PROVIDER_ORIGIN);

  await page.getByPlaceholder("Enter any login").fill("mallory");
  await page.getByPlaceholder("and password").fill("whatever");
  await page.getByRole("button", { name: "Sign-in" }).click();

  await expect(page.getByRole("alert")).toContainText("Unknown login");
  await expect(page).toHaveURL(PROVIDER_ORIGIN);
  await expect(page.getByPlaceholder("Enter any login")).toBeVisible();
});
