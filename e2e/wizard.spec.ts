import { expect, test, type Page } from "@playwright/test";
import { signInAs } from "./support";

const SAVED = /^Saved at \d{1,2}:\d{2}( [AP]M)?$/;

/** Console errors and uncaught exceptions of a page (hydration mismatches, CSP refusals, crashes). */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

const stepHeading = (page: Page, n: number, label: string) => page.getByRole("heading", { name: `Step ${n} of 6: ${label}` });
const next = (page: Page) => page.getByRole("button", { name: /^Next: / }).click();

test.describe("onboarding wizard", () => {
  test("a product owner creates and publishes a product with a table imported from Trino", async ({ page }) => {
    const consoleErrors = collectErrors(page);
    await signInAs(page, "owner", "/products/new");
    await expect(page.getByRole("heading", { name: "New data product", level: 1 })).toBeVisible();
    const progress = page.getByRole("navigation", { name: "Wizard progress" });
    await expect(progress.getByRole("listitem").first()).toHaveAttribute("aria-current", "step");

    // Step 1: the slug follows the name; an empty summary is refused with the error next to the field.
    await page.getByLabel("Name", { exact: true }).fill("Sales Returns");
    await expect(page.getByLabel("Slug")).toHaveValue("sales-returns");
    await expect(page.getByLabel("Domain")).toHaveValue("sales");
    await page.getByLabel("Description", { exact: true }).fill("Every **return** registered in the returns portal, refreshed hourly from the staging lakehouse.");
    await page.getByRole("tab", { name: "Preview" }).click();
    await expect(page.getByRole("tabpanel", { name: "Preview" }).locator("strong")).toHaveText("return");
    await page.getByRole("tab", { name: "Write" }).click();
    await next(page);
    const summary = page.getByRole("alert").filter({ hasText: "There is a problem" });
    await expect(summary).toBeFocused();
    await expect(summary).toContainText("Summary: Write a one-line summary");
    await expect(page.getByLabel("Summary")).toHaveAttribute("aria-invalid", "true");
    await summary.getByRole("button", { name: /^Summary/ }).click();
    await expect(page.getByLabel("Summary")).toBeFocused();
    await page.getByLabel("Summary").fill("Every customer return with reason, refund and warehouse receipt");
    await expect(summary).toHaveCount(0);
    await page.getByLabel("Tags (optional)").fill("returns, refunds");
    await next(page);

    // Step 2: a port whose name breaks the rules, a table browsed in Trino and its columns imported.
    await expect(stepHeading(page, 2, "Output ports")).toBeFocused();
    await expect(progress.getByRole("listitem").nth(1)).toHaveAttribute("aria-current", "step");
    await page.getByRole("button", { name: "Add output port" }).click();
    await page.getByLabel("Port name").fill("Returns Port");
    await page.getByLabel("Catalog").selectOption("lakehouse");
    await page.getByLabel("Schema").selectOption("sales_staging");
    await page.getByLabel("Table", { exact: true }).selectOption("returns");
    await page.getByRole("button", { name: /^Import columns/ }).click();
    await expect(page.getByRole("status").filter({ hasText: "Imported 13 columns from lakehouse.sales_staging.returns." })).toBeVisible();
    await expect(page.getByLabel("Served table")).toHaveValue("lakehouse.sales_staging.returns");
    await next(page);
    await expect(page.getByRole("alert").filter({ hasText: "There is a problem" })).toBeFocused();
    await expect(page.getByLabel("Port name")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText("Port names use lower-case letters, digits, _ and -").first()).toBeVisible();
    await page.getByLabel("Port name").fill("returns");
    await next(page);

    // Step 3: the contract — imported columns with Trino's types and comments, then the owner's additions.
    await expect(stepHeading(page, 3, "Contracts")).toBeFocused();
    await expect(page.getByLabel("Physical type of return_id")).toHaveValue("bigint");
    await expect(page.getByLabel("Logical type of return_id")).toHaveValue("integer");
    await expect(page.getByLabel("Logical type of requested_at")).toHaveValue("timestamp");
    await expect(page.getByLabel("return_id is required (never null)")).toBeChecked();
    await expect(page.getByLabel("refund_amount is required (never null)")).not.toBeChecked();
    await expect(page.getByLabel("Description of return_id")).toHaveValue("Return identifier assigned by the returns portal");
    await page.getByLabel("return_id is part of the primary key").check();
    await page.getByLabel("customer_email is personal data (PII)").check();
    await expect(page.getByLabel("Classification of customer_email")).toHaveValue("confidential");
    await page.getByRole("button", { name: "Add quality check" }).click();
    await page.getByLabel("Column", { exact: true }).selectOption("return_id");
    await page.getByRole("button", { name: "Add service level" }).click();
    await page.getByLabel("Value", { exact: true }).fill("2");
    await page.getByLabel("Purpose").fill("Returns analysis, refund controlling and warehouse planning.");
    await next(page);

    // Step 4: lineage — the orders the returns refer to.
    await expect(stepHeading(page, 4, "Inputs")).toBeFocused();
    await page.getByLabel("Search the catalogue").fill("Sales Orders");
    await page.getByRole("button", { name: "Add Sales Orders / orders as an input" }).click();
    await expect(page.getByRole("heading", { name: "Inputs of this product (1)" })).toBeVisible();
    await next(page);

    // Step 5: checks, with what to fix.
    await expect(stepHeading(page, 5, "Checks")).toBeFocused();
    await expect(page.getByRole("region", { name: "Errors", exact: true })).toContainText("No errors.");
    await expect(page.getByRole("region", { name: "Warnings", exact: true }).getByText("What to fix:").first()).toBeVisible();
    await next(page);

    // Step 6: what will be stored and provisioned; publish.
    await expect(stepHeading(page, 6, "Review")).toBeFocused();
    await expect(page.getByLabel("ODPS descriptor")).toContainText("Sales Returns");
    const plan = page.getByRole("table", { name: "Kubernetes resources to provision" });
    await expect(plan).toContainText("dp-sales-returns");
    await expect(plan.getByRole("row", { name: /^Namespace — dp-sales-returns/ })).toBeVisible();
    await page.getByRole("radio", { name: /^Publish now/ }).check();
    await page.getByRole("button", { name: "Create and publish" }).click();

    await expect(page).toHaveURL(/\/products\/sales-returns$/);
    await expect(page.getByRole("heading", { name: "Sales Returns", level: 1 })).toBeVisible();
    await expect(page.getByText("v1.0.0", { exact: true })).toBeVisible();
    await expect(page.getByRole("region", { name: "Infrastructure" })).toBeVisible();
    await expect(page.getByRole("region", { name: "returns" })).toContainText("customer_email");

    // The draft became the product: it is gone from My drafts.
    await page.goto("/products/drafts");
    await expect(page.getByRole("cell", { name: "Sales Returns" })).toHaveCount(0);
    expect(consoleErrors).toEqual([]);
  });

  test("a draft is saved as the owner types and resumes where she left off", async ({ page }) => {
    const consoleErrors = collectErrors(page);
    await signInAs(page, "owner", "/products/new");
    await page.getByLabel("Name", { exact: true }).fill("Visit Reports");
    await page.getByLabel("Summary").fill("Field-sales visits with outcome and follow-up, per account");
    await page.getByLabel("Additional owners (optional)").fill("priya.patel@canopy.demo");
    await expect(page.getByTestId("draft-save-status")).toHaveText(SAVED);
    await expect(page).toHaveURL(/\/products\/new\?draft=[0-9a-f-]{36}$/);

    // Leave, then come back through My drafts.
    await page.goto("/products");
    await page.goto("/products/drafts");
    const row = page.getByRole("row").filter({ hasText: "Visit Reports" });
    await expect(row).toContainText("Basics");
    await row.getByRole("link", { name: "Resume Visit Reports" }).click();
    await expect(page.getByRole("heading", { name: "Continue: Visit Reports", level: 1 })).toBeVisible();
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Visit Reports");
    await expect(page.getByLabel("Slug")).toHaveValue("visit-reports");
    await expect(page.getByLabel("Summary")).toHaveValue("Field-sales visits with outcome and follow-up, per account");
    await expect(page.getByLabel("Additional owners (optional)")).toHaveValue("priya.patel@canopy.demo");
    await expect(page.getByTestId("draft-save-status")).toHaveText(SAVED);

    // Moving on saves the step too: resuming opens the step she was on.
    await next(page);
    await expect(stepHeading(page, 2, "Output ports")).toBeFocused();
    await expect(page.getByTestId("draft-save-status")).toHaveText(SAVED);
    await page.goto("/products/drafts");
    await expect(page.getByRole("row").filter({ hasText: "Visit Reports" })).toContainText("Output ports");

    // Discarding asks first.
    await page.getByRole("button", { name: "Discard Visit Reports" }).click();
    const dialog = page.getByRole("dialog", { name: "Discard this draft?" });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Keep it" }).click();
    await expect(page.getByRole("row").filter({ hasText: "Visit Reports" })).toBeVisible();
    await page.getByRole("button", { name: "Discard Visit Reports" }).click();
    await dialog.getByRole("button", { name: "Discard draft" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Draft “Visit Reports” discarded." })).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: "Visit Reports" })).toHaveCount(0);
    expect(consoleErrors).toEqual([]);
  });

  test("a consumer who belongs to no domain gets an explanation instead of the wizard", async ({ page }) => {
    await signInAs(page, "consumer", "/products/new?domain=sales");
    await expect(page.getByRole("heading", { name: "You are not a member of any domain" })).toBeVisible();
    await expect(page.getByText(/that includes the domain “sales” you asked for/)).toBeVisible();
    await expect(page.getByRole("link", { name: /Marcus/ })).toHaveAttribute("href", /^mailto:/);
    await expect(page.getByLabel("Name", { exact: true })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Next/ })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Create/ })).toHaveCount(0);
    await page.goto("/products/drafts");
    await expect(page.getByText("You are not a member of any domain, so you cannot create data products yet.")).toBeVisible();
    await expect(page.getByRole("link", { name: "New data product" })).toHaveCount(0);
    // The browse API answers everyone, but only with what Trino lets them see: not the domains' staging tables.
    const catalogs = await page.request.get("/api/v1/trino/catalogs");
    expect(catalogs.status()).toBe(200);
    expect(((await catalogs.json()) as { catalogs: string[] }).catalogs).toContain("iceberg");
    expect((await page.request.get("/api/v1/trino/catalogs/lakehouse/schemas/logistics_staging/tables")).status()).toBe(404);
    const visits = await page.request.get("/api/v1/trino/catalogs/lakehouse/schemas/sales_staging/tables/customer_visits/columns");
    expect(visits.status()).toBe(404);
    expect((await page.request.get("/api/v1/trino/catalogs/iceberg/schemas/sales/tables/orders%22--/columns")).status()).toBe(400);
  });

  test("a domain the owner may not publish in cannot be chosen", async ({ page }) => {
    await signInAs(page, "owner", "/products/new?domain=finance");
    await expect(page.getByRole("alert").filter({ hasText: "You cannot publish data products in the domain “finance”" })).toBeVisible();
    // Her only domain is chosen instead; Finance is not offered.
    const domain = page.getByLabel("Domain");
    await expect(domain).toHaveValue("sales");
    await expect(domain.locator("option")).toHaveText(["Choose a domain…", "Sales"]);
  });

  test("drafts are private: another user's draft is not found", async ({ page, browser }) => {
    await signInAs(page, "owner", "/products/new");
    await page.getByLabel("Name", { exact: true }).fill("Olivia's private draft");
    await expect(page.getByTestId("draft-save-status")).toHaveText(SAVED);
    const url = page.url();
    const other = await browser.newContext();
    const sofia = await other.newPage();
    await signInAs(sofia, "steward", "/products/drafts");
    await sofia.goto(url);
    await expect(sofia.getByRole("heading", { name: "Draft not found" })).toBeVisible();
    await other.close();
  });

  test("a stale tab is told to reload instead of overwriting a newer save", async ({ page, context }) => {
    await signInAs(page, "owner", "/products/new");
    await page.getByLabel("Name", { exact: true }).fill("Two Tabs");
    await expect(page.getByTestId("draft-save-status")).toHaveText(SAVED);
    const second = await context.newPage();
    await second.goto(page.url());
    await second.getByLabel("Summary").fill("Saved from the second tab, which is newer");
    await expect(second.getByTestId("draft-save-status")).toHaveText(SAVED);

    await page.getByLabel("Summary").fill("Typed in the first, stale tab");
    const conflict = page.getByRole("alert").filter({ hasText: "Not saved: this draft changed elsewhere." });
    await expect(conflict).toContainText("another tab or window");
    await conflict.getByRole("button", { name: "Reload the latest version" }).click();
    await expect(page.getByLabel("Summary")).toHaveValue("Saved from the second tab, which is newer");
    await second.close();
  });
});
