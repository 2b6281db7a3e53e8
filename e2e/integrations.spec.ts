import { expect, test } from "@playwright/test";
import { evaluateTableAccess, type TrinoRules } from "@/lib/access/trino-rules";
import { E2E_TRINO_RULES_TOKEN } from "../playwright.config";
import { signInAs } from "./support";

const RULES = "/api/v1/integrations/trino/access-rules";

test.describe("Trino access rules", () => {
  test("Trino reads the rules with its token; others are refused", async ({ request }) => {
    expect((await request.get(RULES)).status()).toBe(401);
    expect((await request.get(RULES, { headers: { Authorization: "Bearer not-the-token" } })).status()).toBe(401);
    const res = await request.get(RULES, { headers: { Authorization: `Bearer ${E2E_TRINO_RULES_TOKEN}` } });
    expect(res.status()).toBe(200);
    const rules = (await res.json()) as TrinoRules;
    // Carlos holds an active grant on the Sales Orders table: he reads it.
    const orders = { catalog: "iceberg", schema: "sales", table: "orders" };
    const carlos = evaluateTableAccess(rules, { user: "carlos.consumer@canopy.demo" }, orders);
    expect(carlos.allowed).toBe(true);
    // Its owners read everything; a stranger reads nothing.
    expect(evaluateTableAccess(rules, { user: "olivia.owner@canopy.demo" }, orders)).toMatchObject({ allowed: true, masked: [] });
    expect(evaluateTableAccess(rules, { user: "stranger@example.test" }, orders).allowed).toBe(false);
  });

  test("only platform admins can read them with a session", async ({ page }) => {
    await signInAs(page, "consumer");
    expect((await page.request.get(RULES)).status()).toBe(404);
    await page.context().clearCookies();
    await signInAs(page, "admin");
    const res = await page.request.get(RULES);
    expect(res.status()).toBe(200);
    expect(((await res.json()) as TrinoRules).tables.length).toBeGreaterThan(0);
  });
});

test.describe("provisioning and integrations", () => {
  test("an owner provisions a product: with Kubernetes not connected the plan is recorded, not applied", async ({ page }) => {
    await signInAs(page, "owner", "/products/sales-orders");
    const panel = page.getByRole("region", { name: "Infrastructure" });
    await expect(panel.getByText("Kubernetes is not connected")).toBeVisible();
    await panel.getByRole("button", { name: "Provision now" }).click();
    await expect(panel.getByRole("status").filter({ hasText: "Provisioning queued." })).toBeVisible();
    // The in-process worker runs the job; the panel refreshes by itself.
    const table = panel.getByRole("table", { name: "Kubernetes resources of this product" });
    await expect(table.getByRole("row").filter({ hasText: "Namespace" })).toContainText("dp-sales-orders");
    await expect(table.getByText("planned, not applied").first()).toBeVisible();
    await expect(table.getByRole("row").filter({ hasText: "ObjectBucketClaim" })).toBeVisible();
    await expect(panel.getByRole("list", { name: "Recent provisioning jobs" }).getByText("succeeded").first()).toBeVisible();
  });

  test("a consumer sees no infrastructure panel and cannot read provisioning", async ({ page }) => {
    await signInAs(page, "consumer", "/products/sales-orders");
    await expect(page.getByRole("heading", { name: "Sales Orders", level: 1 })).toBeVisible();
    await expect(page.getByRole("region", { name: "Infrastructure" })).toHaveCount(0);
    expect((await page.request.get("/api/v1/products/sales-orders/provisioning")).status()).toBe(403);
  });

  test("Admin → Integrations shows every system and the recent jobs", async ({ page }) => {
    await signInAs(page, "admin", "/admin/integrations");
    await expect(page.getByRole("heading", { name: "Integrations", level: 1 })).toBeVisible();
    for (const system of ["Trino", "Kubernetes", "Fybrik", "OpenMetadata", "Open Policy Agent"]) {
      await expect(page.getByRole("listitem", { name: system })).toBeVisible();
    }
    await expect(page.getByRole("listitem", { name: "Kubernetes" }).getByText("embedded")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Recent jobs" })).toBeVisible();
  });

  test("Admin → Integrations is not found for others", async ({ page }) => {
    await signInAs(page, "steward");
    await page.goto("/admin/integrations");
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });
});

test.describe("data preview", () => {
  test("a consumer with a grant previews rows; without one, the preview says to request access", async ({ page }) => {
    await signInAs(page, "consumer", "/products/sales-orders");
    const orders = page.getByRole("region", { name: "orders" });
    await orders.getByRole("button", { name: "Preview data" }).click();
    const preview = orders.getByRole("table", { name: /Preview of orders/ });
    await expect(preview).toBeVisible();
    await expect(preview.getByRole("columnheader", { name: "order_id" })).toBeVisible();
    expect(await preview.getByRole("row").count()).toBeGreaterThan(1);

    // Customer Master is another domain's product; Carlos's request for it was rejected.
    await page.goto("/products/customer-master");
    const customers = page.getByRole("region", { name: "customers", exact: true });
    await customers.getByRole("button", { name: "Preview data" }).click();
    await expect(customers.getByRole("alert")).toContainText("Request access");
  });
});
