import { expect, test } from "@playwright/test";
import { PERSONAS, signInAs, type PersonaKey } from "./support";

test.describe("signed out", () => {
  test("every page sends you to sign-in and brings you back afterwards", async ({ page }) => {
    await page.goto("/products?domain=sales");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fproducts%3Fdomain%3Dsales$/);
    await expect(page.getByRole("heading", { name: "Sign in to Canopy" })).toBeVisible();
    await page.getByRole("button", { name: /^Sign in as Carlos Consumer/ }).click();
    await expect(page).toHaveURL(/\/products\?domain=sales$/);
    await expect(page.getByLabel("Domain")).toHaveValue("sales");
  });

  test("pages deeper in the app redirect too", async ({ page }) => {
    for (const path of ["/", "/access", "/lineage", "/governance", "/admin", "/products/sales-orders"]) {
      await page.goto(path);
      await expect(page, path).toHaveURL(/\/signin\?callbackUrl=/);
    }
  });

  test("API calls answer 401", async ({ request }) => {
    for (const path of ["/api/v1/products", "/api/v1/products/sales-orders", "/api/v1/me"]) {
      const res = await request.get(path);
      expect(res.status(), path).toBe(401);
      expect(await res.json()).toEqual({ error: "Sign in to continue", code: "unauthenticated" });
    }
    expect((await request.get("/api/health")).status()).toBe(200);
    expect(await (await request.get("/api/ready")).json()).toMatchObject({ status: "ready" });
  });
});

test.describe("demo personas", () => {
  for (const key of Object.keys(PERSONAS) as PersonaKey[]) {
    test(`${PERSONAS[key].name} signs in and sees the shell for their role`, async ({ page }) => {
      await signInAs(page, key);
      await expect(page.getByText(PERSONAS[key].role, { exact: true })).toBeVisible();
      const nav = page.getByRole("navigation", { name: "Main" });
      for (const item of ["Catalogue", "Access", "Lineage", "Governance"]) {
        await expect(nav.getByRole("link", { name: item })).toBeVisible();
      }
      await expect(nav.getByRole("link", { name: "Admin" })).toHaveCount(key === "admin" ? 1 : 0);
      await expect(nav.getByRole("link", { name: "Catalogue" })).toHaveAttribute("aria-current", "page");
    });
  }

  test("only an admin reaches the admin page", async ({ page }) => {
    await signInAs(page, "steward");
    await page.goto("/admin");
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });

  test("the admin page shows users, roles and a live readiness check", async ({ page }) => {
    await signInAs(page, "admin", "/admin");
    await expect(page.getByRole("heading", { name: "Admin" })).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: "Ready" })).toBeVisible();
    const row = page.getByRole("row").filter({ hasText: "Sofia Steward" });
    await expect(row.getByText(/steward · Customer/)).toBeVisible();
  });
});

test.describe("catalogue", () => {
  test("browse, filter and open a product", async ({ page }) => {
    await signInAs(page, "consumer");
    await expect(page.getByRole("heading", { name: "Catalogue", level: 1 })).toBeVisible();
    const list = page.getByRole("list", { name: "Data products" });
    const total = await list.getByRole("listitem").count();
    expect(total).toBeGreaterThanOrEqual(24);

    await page.getByLabel("Domain").selectOption("logistics");
    await page.getByLabel("Status").selectOption("published");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/domain=logistics/);
    await expect(page).toHaveURL(/status=published/);
    const filtered = await list.getByRole("listitem").count();
    expect(filtered).toBeGreaterThan(0);
    expect(filtered).toBeLessThan(total);
    for (const item of await list.getByRole("listitem").all()) {
      await expect(item.getByText("Domain")).toBeVisible();
      await expect(item.getByText("Logistics", { exact: true })).toBeVisible();
      await expect(item.getByText("published", { exact: true })).toBeVisible();
    }

    await page.getByRole("link", { name: "Clear" }).click();
    await expect(page).toHaveURL(/\/products$/);
    await expect(page.getByLabel("Domain")).toHaveValue("");
    await expect(page.getByLabel("Status")).toHaveValue("");
    await page.getByLabel("Search").fill("sales orders");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.getByRole("link", { name: "Sales Orders", exact: true }).click();

    await expect(page).toHaveURL(/\/products\/sales-orders$/);
    await expect(page.getByRole("heading", { name: "Sales Orders", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    const ordersPort = page.getByRole("region", { name: "orders" });
    await expect(ordersPort.getByText("iceberg.sales.orders")).toBeVisible();
    const schema = ordersPort.getByRole("table", { name: "Schema of orders" });
    await expect(schema.getByRole("rowheader", { name: /order_id/ })).toBeVisible();
    await expect(schema.getByRole("columnheader", { name: "Classification" })).toBeVisible();
    const owners = page.getByRole("complementary", { name: "About this product" });
    await expect(owners.getByRole("link", { name: "Olivia Owner" })).toHaveAttribute("href", "mailto:olivia.owner@canopy.demo");
    await expect(page.getByRole("heading", { name: "Downstream — read by" })).toBeVisible();
    // another team's draft that reads this product is listed, but never named
    await expect(page.getByText("Restricted product").first()).toBeVisible();
    await expect(page.getByText("Sales Forecast v2")).toHaveCount(0);
  });

  test("markdown descriptions are rendered, not shown as source", async ({ page }) => {
    await signInAs(page, "consumer", "/products/sales-orders");
    const overview = page.getByRole("region", { name: "Overview" });
    await expect(overview.locator("strong").first()).toBeVisible();
    await expect(overview.getByText("**")).toHaveCount(0);
  });

  test("a product that does not exist shows a helpful not-found page", async ({ page }) => {
    await signInAs(page, "consumer");
    const res = await page.goto("/products/no-such-product");
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Data product not found" })).toBeVisible();
    await page.getByRole("link", { name: "Back to the catalogue" }).click();
    await expect(page).toHaveURL(/\/products$/);
  });

  test("another team's draft is not found for a consumer but visible to its owner", async ({ page, browser }) => {
    await signInAs(page, "consumer");
    const res = await page.goto("/products/sales-forecast-v2");
    expect(res?.status()).toBe(404);
    const apiRes = await page.request.get("/api/v1/products/sales-forecast-v2");
    expect(apiRes.status()).toBe(404);

    const ownerContext = await browser.newContext();
    const ownerPage = await ownerContext.newPage();
    await signInAs(ownerPage, "owner", "/products/sales-forecast-v2");
    await expect(ownerPage.getByRole("heading", { name: "Sales Forecast v2", level: 1 })).toBeVisible();
    await expect(ownerPage.getByRole("note")).toContainText("Draft");
    await ownerContext.close();
  });

  test("the API answers with the same catalogue the user sees", async ({ page }) => {
    await signInAs(page, "consumer");
    const res = await page.request.get("/api/v1/products?domain=sales");
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { items: { slug: string; status: string; domain: { slug: string } }[] };
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items.every((p) => p.domain.slug === "sales" && p.status !== "draft")).toBe(true);
    const bad = await page.request.get("/api/v1/products?status=bogus");
    expect(bad.status()).toBe(400);
    expect((await bad.json()).fieldErrors.status[0]).toMatch(/status must be one of/);
  });

  test("signing out ends the session", async ({ page }) => {
    await signInAs(page, "owner");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin/);
    await page.goto("/products");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fproducts$/);
    expect((await page.request.get("/api/v1/me")).status()).toBe(401);
  });

  test("security headers are set on every page", async ({ page }) => {
    const res = await page.goto("/signin");
    const headers = res!.headers();
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-request-id"]).toBeTruthy();
  });

  test("session cookie is HttpOnly and SameSite", async ({ page, context }) => {
    await signInAs(page, "consumer");
    const cookie = (await context.cookies()).find((c) => c.name.endsWith("next-auth.session-token"));
    expect(cookie).toBeDefined();
    expect(cookie!.httpOnly).toBe(true);
    expect(cookie!.sameSite).toBe("Lax");
  });

  test("screenshot of the catalogue for the README", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await signInAs(page, "owner");
    await expect(page.getByRole("list", { name: "Data products" })).toBeVisible();
    await page.screenshot({ path: "docs/images/catalogue.png" });
  });
});

test.describe("audit trail", () => {
  test("an admin filters the trail and exports it; others cannot", async ({ page }) => {
    await signInAs(page, "admin", "/admin/audit");
    await expect(page.getByRole("heading", { name: "Audit trail", level: 1 })).toBeVisible();
    await page.getByLabel("Action (prefix)").fill("auth.sign_in");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/action=auth.sign_in/);
    const rows = page.getByRole("table", { name: "Audit events, newest first" }).getByRole("row");
    await expect(rows.nth(1)).toContainText("auth.sign_in");
    await expect(rows.filter({ hasText: "arjun.admin@canopy.demo" }).first()).toBeVisible();

    const csv = await page.request.get("/api/v1/audit?format=csv&action=auth.sign_in");
    expect(csv.headers()["content-type"]).toContain("text/csv");
    const text = await csv.text();
    expect(text.split("\r\n")[0]).toBe("id,at,actor,action,target_type,target_id,before,after,request_id");
    expect(text).toContain("auth.sign_in");

    await page.context().clearCookies();
    await signInAs(page, "steward");
    expect((await page.request.get("/api/v1/audit")).status()).toBe(403);
    await page.goto("/admin/audit");
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });

  test("a product's owners see its history on the product page; consumers do not", async ({ page }) => {
    await signInAs(page, "owner", "/products/sales-pipeline");
    await page.getByRole("region", { name: "Infrastructure" }).getByRole("button", { name: "Provision now" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Provisioning queued." })).toBeVisible();
    await page.reload();
    const history = page.getByRole("region", { name: "History", exact: true });
    await expect(history.getByRole("listitem").filter({ hasText: "product.provision_requested" })).toContainText("by olivia.owner@canopy.demo");

    await page.context().clearCookies();
    await signInAs(page, "consumer", "/products/sales-pipeline");
    await expect(page.getByRole("heading", { name: "Sales Pipeline", level: 1 })).toBeVisible();
    await expect(page.getByRole("region", { name: "History", exact: true })).toHaveCount(0);
  });
});
