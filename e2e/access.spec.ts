import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { evaluateTableAccess, type TrinoRules } from "@/lib/access/trino-rules";
import { E2E_TRINO_RULES_TOKEN } from "../playwright.config";
import { signInAs, type PersonaKey } from "./support";

/**
 * Access requests in the browser: a consumer asks for access from the product page, the owner
 * decides in the inbox, the grant becomes active and reaches Trino's rules, and the owner revokes it.
 * Also a two-step approval with a named second approver, a rejection the requester can read, and
 * deciding with the keyboard only (including a bulk decision).
 */

const RULES = "/api/v1/integrations/trino/access-rules";
const CARLOS = "carlos.consumer@canopy.demo";

async function trinoAllows(request: APIRequestContext, user: string, table: { catalog: string; schema: string; table: string }) {
  const res = await request.get(RULES, { headers: { Authorization: `Bearer ${E2E_TRINO_RULES_TOKEN}` } });
  expect(res.status()).toBe(200);
  return evaluateTableAccess((await res.json()) as TrinoRules, { user }, table);
}

/** A second signed-in person, in a browser context of their own. */
async function as(browser: Browser, who: PersonaKey, target: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, who, target);
  return page;
}

/** Carlos fills in and sends the request form for a port on the product page; answers the request's page path. */
async function requestAccess(page: Page, product: string, port: string, purpose: string, opts: { twoSteps?: boolean } = {}) {
  await page.goto(`/products/${product}`);
  const access = page.getByRole("region", { name: "Access", exact: true });
  await access.getByRole("button", { name: `Request access to ${port}`, exact: true }).click();
  const dialog = page.getByRole("dialog", { name: new RegExp(`^Request access to .* / ${port}$`) });
  await expect(dialog).toBeVisible();
  if (opts.twoSteps) await expect(dialog).toContainText("This port needs two approvals");
  await dialog.getByRole("textbox", { name: "Purpose (required)" }).fill(purpose);
  await dialog.getByLabel("Purpose category (optional)").selectOption("reporting");
  await dialog.getByRole("radio", { name: "90 days" }).check();
  await expect(dialog.getByRole("region", { name: "Terms of use of this port" })).toBeVisible();
  await dialog.getByRole("checkbox", { name: "I accept the terms of use" }).check();
  await dialog.getByRole("button", { name: "Send request" }).click();
  await expect(dialog).toBeHidden();
  const row = access.getByRole("listitem").filter({ hasText: port });
  const sent = row.getByRole("status");
  await expect(sent).toHaveText("Request sent.");
  await expect(sent).toBeFocused();
  await expect(row).toContainText("Request pending");
  const href = (await row.getByRole("link", { name: `view for ${port}`, exact: true }).getAttribute("href"))!;
  expect(href).toMatch(/^\/access\/requests\/[0-9a-f-]{36}$/);
  return href;
}

test.describe("access requests", () => {
  test("request, approve in the inbox, enforced in Trino's rules, revoke", async ({ page, browser, request }) => {
    const table = { catalog: "iceberg", schema: "sales", table: "daily_kpis" };
    expect((await trinoAllows(request, CARLOS, table)).allowed).toBe(false);

    await signInAs(page, "consumer", "/products/daily-sales-kpis");
    // The terms must be accepted: the form says so and sends nothing.
    const access = page.getByRole("region", { name: "Access", exact: true });
    await access.getByRole("button", { name: "Request access to daily-kpis", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Request access to Daily Sales KPIs / daily-kpis" });
    await dialog.getByRole("textbox", { name: "Purpose (required)" }).fill("Monthly revenue bridge for the finance close pack");
    await dialog.getByRole("button", { name: "Send request" }).click();
    const summary = dialog.getByRole("alert");
    await expect(summary).toBeFocused();
    await expect(summary).toContainText("Accept the terms of use to request access");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();

    const requestPath = await requestAccess(page, "daily-sales-kpis", "daily-kpis", "Monthly revenue bridge for the finance close pack");

    // A second request for the same port is refused with a link to the first.
    const id = requestPath.split("/").pop()!;
    const dup = await page.request.post("/api/v1/access/requests", {
      data: { product: "daily-sales-kpis", port: "daily-kpis", purpose: "The same again, by mistake", durationDays: 30, acceptTerms: true },
    });
    expect(dup.status()).toBe(409);
    expect(((await dup.json()) as { error: string }).error).toContain(`/access/requests/${id}`);

    // Olivia approves from her inbox.
    const olivia = await as(browser, "owner", "/access");
    await expect(olivia.getByRole("tab", { name: /^Waiting on me/ })).toHaveAttribute("aria-selected", "true");
    const row = olivia.getByRole("row").filter({ hasText: "Carlos Consumer" }).filter({ hasText: "daily-kpis" });
    await expect(row).toContainText("Monthly revenue bridge");
    await expect(row).toContainText("Regulatory or financial reporting");
    await expect(row).toContainText("90 days");
    await row.getByRole("button", { name: /^Approve/ }).click();
    const approve = olivia.getByRole("dialog", { name: "Approve Carlos Consumer's request?" });
    await approve.getByLabel(/^Note to the requester/).fill("Fine for the close pack.");
    await approve.getByRole("button", { name: "Approve", exact: true }).click();
    await expect(olivia.getByRole("status").filter({ hasText: "Approved Carlos Consumer's request for Daily Sales KPIs / daily-kpis." })).toBeVisible();
    await expect(row).toHaveCount(0);

    // The grant job runs in the background; the request page updates itself until the grant is active.
    await page.goto(requestPath);
    await expect(page.getByRole("note", { name: "Status" })).toContainText("Access is active until", { timeout: 30_000 });
    const timeline = page.getByRole("region", { name: "Timeline" });
    await expect(timeline).toContainText("Requested access");
    await expect(timeline).toContainText("Fine for the close pack.");
    await expect(page.getByRole("region", { name: "Request", exact: true })).toContainText("Terms accepted");

    // Trino's rules now let Carlos read the table, with nothing to mask on this port.
    const granted = await trinoAllows(request, CARLOS, table);
    expect(granted.allowed).toBe(true);
    expect(granted.rule?.description).toContain(`grant ${id}`);

    // Carlos sees it on the product page and in "My access".
    await page.goto("/products/daily-sales-kpis");
    await expect(access.getByRole("listitem").filter({ hasText: "daily-kpis" })).toContainText("You have access until");
    await page.goto("/access/mine");
    const grants = page.getByRole("region", { name: /^Active access/ });
    await expect(grants.getByRole("listitem").filter({ hasText: "daily-kpis" })).toBeVisible();

    // Olivia revokes from the product page; the rules no longer allow it.
    await olivia.goto("/products/daily-sales-kpis");
    const who = olivia.getByRole("region", { name: "Who has access" });
    await who.getByRole("button", { name: "Revoke Carlos Consumer's access to daily-kpis" }).click();
    const revoke = olivia.getByRole("dialog", { name: "Revoke access of Carlos Consumer?" });
    await revoke.getByLabel(/^Note to Carlos Consumer/).fill("The close is done.");
    await revoke.getByRole("button", { name: "Revoke access" }).click();
    await expect(olivia.getByRole("status").filter({ hasText: "Access of Carlos Consumer to daily-kpis revoked." })).toBeVisible();
    await expect(who.getByRole("row").filter({ hasText: "Carlos Consumer" })).toHaveCount(0);
    expect((await trinoAllows(request, CARLOS, table)).allowed).toBe(false);

    await page.goto(requestPath);
    await expect(page.getByRole("note", { name: "Status" })).toContainText("Access was revoked by Olivia Owner");
    await olivia.context().close();
  });

  test("two approval steps: the owner first, then the approver the contract names", async ({ page, browser, request }) => {
    // Olivia names Sofia as the second-step approver of stage-history, through the descriptor API.
    const olivia = await as(browser, "owner", "/products/sales-pipeline");
    const bundle = await olivia.request.get("/api/v1/products/sales-pipeline/descriptor?bundle=1&format=json");
    expect(bundle.status()).toBe(200);
    const docs = (await bundle.json()) as { product: { outputPorts: { name: string; contractId: string }[] }; contracts: Record<string, unknown>[] };
    const contractId = docs.product.outputPorts.find((p) => p.name === "stage-history")!.contractId;
    const contract = docs.contracts.find((c) => c.id === contractId)!;
    contract.roles = [...((contract.roles as unknown[]) ?? []), { role: "access-approvers", access: "read", secondLevelApprovers: "sofia.steward@canopy.demo" }];
    const put = await olivia.request.put("/api/v1/products/sales-pipeline/descriptor?changelog=Second%20approval%20step%20for%20stage%20history", { data: docs });
    expect(put.status(), await put.text()).toBe(200);

    await signInAs(page, "consumer");
    const requestPath = await requestAccess(page, "sales-pipeline", "stage-history", "Funnel velocity per quarter for the revenue forecast", { twoSteps: true });

    // Step 1: Olivia, as owner.
    await olivia.goto("/access?tab=waiting&product=sales-pipeline");
    const row = olivia.getByRole("row").filter({ hasText: "Carlos Consumer" }).filter({ hasText: "stage-history" });
    await expect(row).toContainText("step 1 of 2");
    await row.getByRole("button", { name: /^Approve/ }).click();
    const dialog = olivia.getByRole("dialog", { name: "Approve Carlos Consumer's request?" });
    await expect(dialog).toContainText("This request needs a second approval");
    await dialog.getByRole("button", { name: "Approve", exact: true }).click();
    await expect(row).toHaveCount(0);

    await page.goto(requestPath);
    await expect(page.getByRole("note", { name: "Status" })).toContainText("Waiting for step 2 of 2 from Sofia Steward");
    const steps = page.getByRole("region", { name: /^Approval steps/ });
    await expect(steps.getByRole("listitem").first()).toContainText("Approved by Olivia Owner");

    // Olivia cannot decide step 2 as well; Sofia, named for it, can.
    await olivia.goto(requestPath);
    await expect(olivia.getByRole("button", { name: /^Approve/ })).toHaveCount(0);
    const sofia = await as(browser, "steward", "/access");
    const sofiaRow = sofia.getByRole("row").filter({ hasText: "Carlos Consumer" }).filter({ hasText: "stage-history" });
    await expect(sofiaRow).toContainText("step 2 of 2");
    await sofiaRow.getByRole("link", { name: /Sales Pipeline/ }).click();
    await sofia.getByRole("button", { name: "Approve step 2 of 2" }).click();
    await sofia.getByRole("dialog").getByRole("button", { name: "Approve", exact: true }).click();
    await expect(sofia.getByRole("status").filter({ hasText: "Approved." })).toBeVisible();

    await page.reload();
    await expect(page.getByRole("note", { name: "Status" })).toContainText("Access is active until", { timeout: 30_000 });
    await expect(page.getByRole("region", { name: "Timeline" })).toContainText("Approved step 1 of 2");
    const granted = await trinoAllows(request, CARLOS, { catalog: "iceberg", schema: "sales", table: "opportunity_stage_history" });
    expect(granted.allowed).toBe(true);
    // Personal data stays masked for a reporting purpose.
    expect(granted.masked).toContain("changed_by_email");
    await olivia.context().close();
    await sofia.context().close();
  });

  test("a rejection reaches the requester with its note", async ({ page, browser }) => {
    await signInAs(page, "consumer");
    const requestPath = await requestAccess(page, "sales-pipeline", "opportunities", "Pipeline coverage ratio for the board pack outlook");

    const olivia = await as(browser, "owner", "/access?product=sales-pipeline");
    const row = olivia.getByRole("row").filter({ hasText: "Carlos Consumer" }).filter({ hasText: "opportunities" });
    await row.getByRole("button", { name: /^Reject/ }).click();
    const dialog = olivia.getByRole("dialog", { name: "Reject Carlos Consumer's request?" });
    // A rejection needs a note for the requester.
    await dialog.getByRole("button", { name: "Reject", exact: true }).click();
    await expect(dialog.getByText("Tell the requester why: the note is required when rejecting")).toBeVisible();
    await dialog.getByLabel(/^Note to the requester/).fill("Use Daily Sales KPIs: it has the coverage ratio without rep e-mails.");
    await dialog.getByRole("button", { name: "Reject", exact: true }).click();
    await expect(olivia.getByRole("status").filter({ hasText: "Rejected Carlos Consumer's request" })).toBeVisible();

    // The decided tab lists it.
    await olivia.getByRole("tab", { name: "Decided" }).click();
    await expect(olivia).toHaveURL(/tab=decided/);
    await expect(olivia.getByRole("row").filter({ hasText: "opportunities" }).filter({ hasText: "Carlos Consumer" }).first()).toContainText("Rejected");

    // Carlos is notified and reads the note.
    await page.goto("/products");
    const bell = page.getByRole("button", { name: /^Notifications, [1-9]\d* unread$/ });
    await bell.click();
    const popover = page.getByRole("dialog", { name: "Notifications" });
    const note = popover.getByRole("link").filter({ hasText: "Access to Sales Pipeline / opportunities rejected" }).first();
    await expect(note).toBeVisible();
    await note.click();
    await expect(page).toHaveURL(new RegExp(`${requestPath}$`));
    await expect(page.getByRole("note", { name: "Status" })).toContainText("Rejected by Olivia Owner");
    await expect(page.getByRole("note", { name: "Status" })).toContainText("Use Daily Sales KPIs: it has the coverage ratio without rep e-mails.");

    await page.getByRole("button", { name: /^Notifications/ }).click();
    await page.getByRole("dialog", { name: "Notifications" }).getByRole("button", { name: "Mark all read" }).click();
    await expect(page.getByRole("button", { name: "Notifications, 0 unread" })).toBeVisible();
    await olivia.context().close();
  });

  test("deciding with the keyboard only: shortcuts, one request and a bulk approval", async ({ page, browser }) => {
    await signInAs(page, "consumer");
    await requestAccess(page, "sales-orders", "order-lines", "Order line margins for the monthly finance review");
    await requestAccess(page, "daily-sales-kpis", "kpi-api", "Dashboard tiles in the finance cockpit, read through the API");
    await requestAccess(page, "sales-orders", "orders-daily-export", "Parquet snapshots for the audit sample, read from the bucket");

    const olivia = await as(browser, "owner", "/access?tab=waiting&requester=carlos&sort=oldest");
    await expect(olivia.getByRole("row").filter({ hasText: "Carlos Consumer" })).toHaveCount(3);

    // The shortcuts are documented: "?" shows them (once the page runs in the browser).
    await expect(olivia.getByRole("button", { name: "Keyboard shortcuts (?)" })).toBeVisible();
    await olivia.keyboard.press("?");
    const help = olivia.getByRole("dialog", { name: "Keyboard shortcuts" });
    await expect(help).toContainText("Approve the selected requests");
    await olivia.keyboard.press("Escape");
    await expect(help).toBeHidden();

    // j moves to the first request; a opens the decision; Tab reaches the buttons.
    await olivia.keyboard.press("j");
    await expect(olivia.getByRole("link", { name: /Sales Orders \/ order-lines/ })).toBeFocused();
    await olivia.keyboard.press("a");
    const dialog = olivia.getByRole("dialog", { name: "Approve Carlos Consumer's request?" });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel(/^Note to the requester/)).toBeFocused();
    // Typing in the note does not trigger shortcuts.
    await olivia.keyboard.type("ok for the review, j and k");
    await olivia.keyboard.press("Tab");
    await olivia.keyboard.press("Tab");
    await expect(dialog.getByRole("button", { name: "Approve", exact: true })).toBeFocused();
    await olivia.keyboard.press("Enter");
    await expect(olivia.getByRole("status").filter({ hasText: "Approved Carlos Consumer's request for Sales Orders / order-lines." })).toBeVisible();
    await expect(olivia.getByRole("row").filter({ hasText: "Carlos Consumer" })).toHaveCount(2);

    // The next request takes the decided one's place and the focus: x selects it, j moves on, x
    // selects the next; a approves both after confirming.
    await expect(olivia.getByRole("link", { name: /Daily Sales KPIs \/ kpi-api/ })).toBeFocused();
    await olivia.keyboard.press("x");
    await olivia.keyboard.press("j");
    await olivia.keyboard.press("x");
    await expect(olivia.getByRole("toolbar", { name: "Bulk decisions" })).toContainText("2 selected");
    await olivia.keyboard.press("a");
    const bulk = olivia.getByRole("dialog", { name: "Approve 2 requests?" });
    await expect(bulk.getByRole("list", { name: "Requests to decide" }).getByRole("listitem")).toHaveCount(2);
    await olivia.keyboard.press("Tab");
    await olivia.keyboard.press("Tab");
    await expect(bulk.getByRole("button", { name: "Approve 2 requests" })).toBeFocused();
    await olivia.keyboard.press("Enter");
    await expect(olivia.getByRole("status").filter({ hasText: "Approved 2 requests." })).toBeVisible();
    await expect(olivia.getByRole("row").filter({ hasText: "Carlos Consumer" })).toHaveCount(0);
    await expect(olivia.getByText("Nothing waiting on you")).toBeVisible();

    // Tabs follow the arrow keys and keep the choice in the address.
    await olivia.getByRole("tab", { name: /^Waiting on me/ }).focus();
    await olivia.keyboard.press("ArrowRight");
    await expect(olivia.getByRole("tab", { name: "My requests" })).toBeFocused();
    await expect(olivia.getByRole("tab", { name: "My requests" })).toHaveAttribute("aria-selected", "true");
    await expect(olivia).toHaveURL(/tab=mine/);
    await olivia.context().close();
  });
});
