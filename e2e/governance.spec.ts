import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { signInAs } from "./support";

/** Console errors and uncaught exceptions of a page (hydration mismatches, CSP refusals, crashes). */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

const POLICY_KEY = "refresh-schedule-stated";
const POLICY_TITLE = "Descriptions state the refresh schedule";
const REMEDIATION = "Add a line “Refresh schedule: …” to the description saying when new data arrives.";
const RULES = JSON.stringify({
  params: {},
  rules: [
    {
      assert: { matches: { path: "product.description", pattern: "refresh schedule:", ignoreCase: true } },
      message: "The description does not state the refresh schedule",
      path: "description",
    },
  ],
});

const stepHeading = (page: Page, n: number, label: string) => page.getByRole("heading", { name: `Step ${n} of 6: ${label}` });
const next = (page: Page) => page.getByRole("button", { name: /^Next: / }).click();

test.describe("federated governance", () => {
  test("a steward adds a domain policy; a new product in the domain fails it in the wizard, is fixed and published", async ({ page }) => {
    const consoleErrors = collectErrors(page);
    await signInAs(page, "steward", "/governance/policies");
    await expect(page.getByRole("heading", { name: "Policies", level: 1 })).toBeVisible();
    // The shipped global policies are listed with where they come from.
    await expect(page.getByRole("row", { name: /Personal data is classified and never public/ })).toContainText("Global");

    // A steward adds a policy for her own domain only: the form refuses a bad rule and keeps what she typed.
    await page.getByRole("link", { name: "Add a policy" }).click();
    await expect(page.getByRole("heading", { name: "Add a policy", level: 1 })).toBeVisible();
    const scope = page.getByLabel("Scope");
    await expect(scope.locator("option")).toHaveText(["Domain Customer"]);
    await page.getByLabel("Key").fill(POLICY_KEY);
    await page.getByLabel("Title").fill(POLICY_TITLE);
    await page.getByLabel("Rationale").fill("Consumers plan their pipelines around when customer data changes.");
    await page.getByLabel("Remediation").fill(REMEDIATION);
    await page.getByLabel("Severity").selectOption("blocking");
    await page.getByLabel("Rules (JSON)").fill('{ "rules": [ { "assert": { "sometimes": "product.description" }, "message": "x" } ] }');
    await page.getByLabel("Why this change?").fill("Customer consumers asked for refresh schedules");
    await page.getByRole("button", { name: "Add policy" }).click();
    const refused = page.getByRole("alert").filter({ hasText: "The policy was not saved" });
    await expect(refused).toBeFocused();
    await expect(refused).toContainText('Unknown operator "sometimes"');
    await expect(page.getByLabel("Rules (JSON)")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Title")).toHaveValue(POLICY_TITLE);
    await page.getByLabel("Rules (JSON)").fill(RULES);
    await page.getByRole("button", { name: "Add policy" }).click();

    // The policy page: where it came from, its definition, its history.
    await expect(page).toHaveURL(new RegExp(`/governance/policies/${POLICY_KEY}\\?domain=customer$`));
    await expect(page.getByRole("heading", { name: POLICY_TITLE, level: 1 })).toBeVisible();
    await expect(page.getByRole("region", { name: "Where it comes from" })).toContainText("Customer's own policy");
    await expect(page.getByLabel("Policy definition")).toContainText("refresh schedule:");
    await expect(page.getByRole("region", { name: "Version history" })).toContainText("v1");
    await expect(page.getByRole("region", { name: "Version history" })).toContainText("Customer consumers asked for refresh schedules");

    // In the wizard, a new Customer product without a refresh schedule fails it, with the remediation.
    await page.goto("/products/new?domain=customer");
    await page.getByLabel("Name", { exact: true }).fill("Consent Changes");
    await expect(page.getByLabel("Domain")).toHaveValue("customer");
    await page.getByLabel("Summary").fill("Every change of a customer's marketing consent, with channel and source");
    await page.getByLabel("Description", { exact: true }).fill("Each opt-in and opt-out recorded by the preference centre and the call centre, per customer and channel.");
    await next(page);
    await expect(stepHeading(page, 2, "Output ports")).toBeFocused();
    await page.getByRole("button", { name: "Add output port" }).click();
    await page.getByLabel("Port name").fill("changes");
    await page.getByRole("radio", { name: /^API/ }).check();
    await page.getByLabel("API URL").fill("https://api.example.com/customer/consent-changes/v1");
    await next(page);
    await expect(stepHeading(page, 3, "Contracts")).toBeFocused();
    await next(page);
    await expect(stepHeading(page, 4, "Inputs")).toBeFocused();
    await next(page);
    await expect(stepHeading(page, 5, "Checks")).toBeFocused();
    const policies = page.getByRole("region", { name: /^Governance policies/ });
    const failing = policies.getByRole("list", { name: "Failing policies" }).getByRole("listitem").filter({ hasText: POLICY_TITLE });
    await expect(failing).toBeVisible();
    await expect(failing).toContainText("blocking");
    await expect(failing).toContainText("Domain Customer");
    await expect(failing).toContainText("The description does not state the refresh schedule");
    await expect(failing).toContainText(`What to fix: ${REMEDIATION}`);

    // Publishing is not offered while it fails.
    await next(page);
    await expect(stepHeading(page, 6, "Review")).toBeFocused();
    await expect(page.getByRole("radio", { name: /^Publish now/ })).toBeDisabled();
    await expect(page.getByText(/Publishing needs every blocking policy to pass/)).toBeVisible();

    // Fixing the description clears it; the product is published.
    await page.getByRole("navigation", { name: "Wizard progress" }).getByRole("button", { name: /Checks/ }).click();
    await failing.getByRole("button", { name: /^Go to the field/ }).click();
    await expect(stepHeading(page, 1, "Basics")).toBeVisible();
    await expect(page.getByLabel("Description", { exact: true })).toBeFocused();
    await page
      .getByLabel("Description", { exact: true })
      .fill("Each opt-in and opt-out recorded by the preference centre and the call centre, per customer and channel.\n\nRefresh schedule: every hour, on the hour.");
    await page.getByRole("navigation", { name: "Wizard progress" }).getByRole("button", { name: /Checks/ }).click();
    await expect(stepHeading(page, 5, "Checks")).toBeVisible();
    await expect(policies.getByRole("status")).toContainText(/\(0 blocking\)|All \d+ policies pass/);
    await expect(policies.getByText(POLICY_TITLE)).toHaveCount(0);
    await next(page);
    await expect(page.getByRole("radio", { name: /^Publish now/ })).toBeEnabled();
    await page.getByRole("radio", { name: /^Publish now/ }).check();
    await page.getByRole("button", { name: "Create and publish" }).click();
    await expect(page).toHaveURL(/\/products\/consent-changes$/);
    await expect(page.getByText("v1.0.0", { exact: true })).toBeVisible();

    // The product page shows each policy's outcome and the score.
    const governance = page.getByRole("region", { name: /^Governance/ });
    await expect(governance.getByRole("list", { name: "Policy results" }).getByRole("listitem").filter({ hasText: POLICY_TITLE })).toContainText("pass");
    await expect(governance).toContainText(/\d+\/100/);
    await expect(governance.getByRole("note", { name: "Publishing blocked" })).toHaveCount(0);
    // Its owner can have it checked again at once; the outcome is announced.
    await governance.getByRole("button", { name: "Check again now" }).click();
    await expect(governance.getByRole("status")).toContainText(/Checked just now: score \d+\/100, no blocking policy fails/);
    expect(consoleErrors).toEqual([]);
  });

  test("a steward tightens a global policy for her domain; the dashboard shows it, filters in the URL and exports CSV; the change is audited", async ({ page, browser }) => {
    const consoleErrors = collectErrors(page);
    await signInAs(page, "steward", "/governance");
    await expect(page.getByRole("heading", { name: "Governance", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Mesh-wide compliance" })).toBeVisible();
    await expect(page.getByText("Compliant products", { exact: true })).toBeVisible();
    const domains = page.getByRole("region", { name: "Domains" });
    const customer = domains.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Customer" }) });
    await expect(customer).toContainText("Stewards: Sofia Steward");
    await expect(customer).toContainText(/\d+% compliant/);
    // The trend has a text alternative.
    await customer.getByText("Trend as a table").click();
    await expect(customer.getByRole("table", { name: "Compliant products in Customer, per day" })).toBeVisible();

    // She may tighten a global policy for her domain, never loosen it.
    await page.getByRole("link", { name: "Policies" }).click();
    await page.getByRole("link", { name: "Every product has an owner and a real description" }).click();
    await page.getByRole("link", { name: "Tighten for Customer" }).click();
    await expect(page.getByLabel("Global policy to tighten")).toHaveValue("owner-and-description");
    await page.getByLabel("Stricter parameters (JSON)").fill('{ "minDescriptionLength": 20 }');
    await page.getByLabel("Why this change?").fill("Shorter descriptions are fine for us");
    await page.getByRole("button", { name: "Add policy" }).click();
    const refused = page.getByRole("alert").filter({ hasText: "The policy was not saved" });
    await expect(refused).toContainText("Stewards may only tighten a global policy");
    await expect(page.getByLabel("Stricter parameters (JSON)")).toHaveAttribute("aria-invalid", "true");
    await page.getByLabel("Stricter parameters (JSON)").fill('{ "minDescriptionLength": 5000 }');
    await page.getByLabel("Why this change?").fill("Customer data needs a lot of context");
    await page.getByRole("button", { name: "Add policy" }).click();
    await expect(page).toHaveURL(/\/governance\/policies\/owner-and-description\?domain=customer$/);
    await expect(page.getByRole("region", { name: "Where it comes from" })).toContainText("Customer's tightening of the global policy");
    await expect(page.getByText("refines owner-and-description")).toBeVisible();

    // The domain's products are re-evaluated in the background; the dashboard, filtered, lists them.
    await page.goto("/governance");
    const filters = page.getByRole("search", { name: "Filter the scorecards" });
    await filters.getByLabel("Domain", { exact: true }).selectOption("customer");
    await filters.getByLabel("Policy", { exact: true }).selectOption("owner-and-description");
    await filters.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/\/governance\?domain=customer&severity=&policy=owner-and-description(&|$)/);
    await expect(page.getByRole("heading", { name: "Domain compliance" })).toBeVisible();
    await expect(domains.getByRole("heading", { level: 3 })).toHaveText(["Customer"]);
    const offenders = page.getByRole("table", { name: "Products failing the most policies, worst first" });
    // A product already failing a blocking policy is listed before its re-evaluation; wait for one the tightening fails.
    const failingTightened = offenders.getByRole("row").filter({ hasText: "Every product has an owner and a real description" });
    await expect(async () => {
      await page.reload();
      await expect(failingTightened.first()).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 60_000 });
    const firstOffender = failingTightened.first().getByRole("link").first();
    const offenderName = (await firstOffender.textContent())!;
    await firstOffender.click();
    await expect(page.getByRole("heading", { name: offenderName, level: 1 })).toBeVisible();
    const result = page.getByRole("list", { name: "Policy results" }).getByRole("listitem").filter({ hasText: "Every product has an owner and a real description" });
    await expect(result).toContainText("fail");
    await expect(result).toContainText("The description is shorter than 5000 characters");
    await page.goBack();

    // The export follows the filters.
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^canopy-governance-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await file.path())!, "utf8");
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("product_slug,product_name,domain,status,evaluated_at,score,compliant,policy_key,policy_title,severity,origin,outcome,findings,remediation");
    const cells = lines.slice(1).map((l) => l.split('","'));
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.every((c) => c[2] === "customer" && c[7] === "owner-and-description")).toBe(true);
    // Re-evaluated products carry the domain's tightened version (retired ones keep their last evaluation).
    expect(cells.some((c) => c[10] === "domain:customer" && c[11] === "fail")).toBe(true);

    // The same results as JSON.
    const api = await page.request.get("/api/v1/governance/results?domain=customer&policy=owner-and-description&outcome=fail");
    expect(api.status()).toBe(200);
    const body = (await api.json()) as { products: { domain: { slug: string }; compliant: boolean }[] };
    expect(body.products.length).toBe(cells.filter((c) => c[11] === "fail").length);
    expect(body.products.every((p) => p.domain.slug === "customer" && !p.compliant)).toBe(true);
    expect((await page.request.get("/api/v1/governance/results?severity=fatal")).status()).toBe(400);

    // Policy changes appear in the audit trail.
    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    await signInAs(admin, "admin", "/admin/audit?action=policy.");
    const rows = admin.getByRole("table", { name: "Audit events, newest first" }).getByRole("row");
    await expect(rows.filter({ hasText: "policy.created" }).filter({ hasText: "sofia.steward@canopy.demo" }).first()).toBeVisible();
    await adminContext.close();
    expect(consoleErrors).toEqual([]);
  });
});
