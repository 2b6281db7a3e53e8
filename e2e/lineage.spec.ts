import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { bigMesh } from "../components/lineage/fixture.test-support";
import { signInAs } from "./support";

/** A node of the graph by (part of) the description it is announced with. */
const graphNode = (page: Page, name: string | RegExp) => page.locator(".react-flow").getByRole("button", { name });
/** Brings a node into view the way a keyboard user does: focusing it pans the canvas to it. */
async function reveal(page: Page, name: string | RegExp) {
  const node = graphNode(page, name).first();
  await node.focus();
  await expect(node).toBeInViewport();
  return node;
}
/** "Centred on Sales Orders: 12 nodes, 14 edges." → 12 */
async function nodeCount(page: Page): Promise<number> {
  const text = await page.getByRole("status").filter({ hasText: /\d+ nodes?,/ }).innerText();
  return Number(/(\d+) nodes?/.exec(text)?.[1] ?? NaN);
}

test.describe("lineage", () => {
  test("a product's lineage opens from its page; a node expands; the layout runs in a worker", async ({ page }) => {
    await signInAs(page, "consumer", "/products/sales-orders");
    await page.getByRole("main").getByRole("link", { name: "Lineage", exact: true }).click();
    await expect(page).toHaveURL(/#lineage$/);
    const section = page.getByRole("region", { name: "Lineage" });
    await expect(section.getByRole("button", { name: /^Data product, Sales Orders, .*focus$/ })).toBeVisible();
    await section.getByRole("link", { name: "Open in the lineage explorer" }).click();
    await expect(page).toHaveURL(/\/lineage\?product=sales-orders$/);
    await expect(page.getByRole("heading", { name: "Lineage", level: 1 })).toBeVisible();

    // One hop each way, so the neighbours have more beyond them.
    await page.goto("/lineage?product=sales-orders&up=1&down=1");
    await expect(graphNode(page, /^Data product, Shipments, /)).toBeVisible();
    await expect(page.locator("[data-layout-thread]")).toHaveAttribute("data-layout-thread", "worker");
    await expect(graphNode(page, /Carrier Performance/)).toHaveCount(0);
    const before = await nodeCount(page);

    await reveal(page, /^Data product, Shipments, /);
    await page.getByRole("button", { name: "Expand neighbours of Shipments", exact: true }).click();
    await expect(graphNode(page, /^Data product, Carrier Performance, .*downstream$/)).toBeVisible();
    await expect.poll(() => nodeCount(page)).toBeGreaterThan(before);
    // the expanded node has nothing more to expand
    await expect(page.getByRole("button", { name: "Expand neighbours of Shipments", exact: true })).toHaveCount(0);
  });

  test("depth, level and view live in the URL; the keyboard moves between nodes and expands them", async ({ page }) => {
    await signInAs(page, "consumer", "/lineage?product=sales-orders&up=0&down=1");
    await expect(page.getByLabel("Upstream depth")).toHaveValue("0");
    await expect(page.getByLabel("Downstream depth")).toHaveValue("1");
    const focus = graphNode(page, /^Data product, Sales Orders, .*focus$/);
    await expect(focus).toBeVisible();

    await page.getByLabel("Downstream depth").selectOption("2");
    await expect(page).toHaveURL(/[?&]up=0(&|$)/);
    await expect(page).not.toHaveURL(/down=/);
    await expect(graphNode(page, /^Data product, Carrier Performance, /)).toBeVisible();

    // keyboard: from the focus, the right arrow goes downstream; Enter on a node with more expands it
    await focus.focus();
    await page.keyboard.press("ArrowRight");
    const moved = await page.evaluate(() => document.activeElement?.getAttribute("data-lineage-node"));
    expect(moved).toBeTruthy();
    expect(moved).not.toBe(await focus.getAttribute("data-lineage-node"));

    await page.getByLabel("Downstream depth").selectOption("1");
    const shipments = graphNode(page, /^Data product, Shipments, /);
    await shipments.focus();
    await page.keyboard.press("Enter");
    await expect(graphNode(page, /^Data product, Carrier Performance, /)).toBeVisible();

    // list view: a table screen readers can use, shareable like the graph
    await page.getByRole("button", { name: "List", exact: true }).click();
    await expect(page).toHaveURL(/[?&]view=list(&|$)/);
    const table = page.getByRole("table", { name: /Lineage as a list/ });
    await expect(table.getByRole("rowheader", { name: "Shipments", exact: true })).toBeVisible();
    await page.reload();
    await expect(page.getByRole("table", { name: /Lineage as a list/ })).toBeVisible();
    await page.getByRole("button", { name: "Graph", exact: true }).click();
    await expect(page).not.toHaveURL(/view=list/);
  });

  test("column level shows columns inside their tables, and the path between two nodes is highlighted", async ({ page }) => {
    await signInAs(page, "owner", "/lineage?product=sales-orders&up=1&down=1");
    await expect(graphNode(page, /^Data product, Sales Orders, /)).toBeVisible();
    await expect(page.locator('.react-flow [data-lineage-node^="column:"]')).toHaveCount(0);
    await page.getByLabel("Column level").check();
    await expect(page).toHaveURL(/[?&]columns=true(&|$)/);
    await expect(page.locator('.react-flow [data-lineage-node^="table:"]').first()).toBeVisible();
    await expect(page.locator('.react-flow [data-lineage-node^="column:"]').first()).toBeVisible();
    await page.getByLabel("Column level").uncheck();
    await expect(page.locator('.react-flow [data-lineage-node^="column:"]')).toHaveCount(0);

    // path: select one node, shift-click another
    await (await reveal(page, /^Data product, Sales Orders, /)).click();
    await (await reveal(page, /^Data product, Shipments, /)).click({ modifiers: ["Shift"] });
    await expect(page.getByRole("complementary", { name: "Selected node" }).getByRole("status")).toHaveText(/Path highlighted: \d+ steps? between Sales Orders and Shipments/);
  });

  test("impact analysis lists what depends on a product and whom to contact", async ({ page }) => {
    await signInAs(page, "consumer", "/lineage?product=sales-orders");
    await page.getByRole("button", { name: "What depends on this?" }).click();
    const impact = page.getByRole("region", { name: "What depends on Sales Orders?" });
    await expect(impact.getByRole("list", { name: "Downstream products" }).getByRole("link", { name: "Shipments", exact: true })).toBeVisible();
    // two hops away: Sales Orders → Shipments → Carrier Performance
    await expect(impact.getByRole("list", { name: "Downstream products" }).getByRole("link", { name: "Carrier Performance" })).toBeVisible();
    // the focus itself is not downstream of itself; its own consumers are listed apart
    await expect(impact.getByRole("list", { name: "Downstream products" }).getByRole("link", { name: "Sales Orders", exact: true })).toHaveCount(0);
    await expect(impact.getByRole("list", { name: "Consumers of Sales Orders" }).getByRole("link", { name: "Carlos Consumer" }).first()).toHaveAttribute("href", /^mailto:/);
    const owners = impact.getByRole("list", { name: "Owners to contact" });
    await expect(owners.getByRole("link").first()).toHaveAttribute("href", /^mailto:[^@]+@/);
    // another team's draft is counted, never named
    await expect(impact.getByText(/you may not see (is|are) counted but not named/)).toBeVisible();
    await expect(page.getByText("Sales Forecast v2")).toHaveCount(0);
  });

  test("a restricted node hides its name in the graph, the list and the details", async ({ page }) => {
    await signInAs(page, "consumer", "/lineage?product=sales-orders&up=0&down=1");
    const restricted = graphNode(page, /^Data product, Restricted product, /).first();
    await expect(restricted).toBeVisible();
    await (await reveal(page, /^Data product, Restricted product, /)).click();
    const details = page.getByRole("complementary", { name: "Selected node" });
    await expect(details.getByRole("heading", { name: "Restricted product" })).toBeVisible();
    await expect(details.getByRole("button", { name: "What depends on this?" })).toHaveCount(0);
    await page.getByRole("button", { name: "List", exact: true }).click();
    await expect(page.getByRole("rowheader", { name: "Restricted product" }).first()).toBeVisible();
    const html = await page.content();
    expect(html).not.toContain("Sales Forecast v2");
    expect(html).not.toContain("sales-forecast-v2");

    // the API answers the same way
    const res = await page.request.get("/api/v1/lineage/graph?product=sales-orders&up=0&down=1");
    expect(res.status()).toBe(200);
    const body = await res.text();
    expect(body).not.toContain("Sales Forecast v2");
    expect(body).toContain('"restricted":true');
  });

  test("the graph exports as PNG and as SVG", async ({ page }) => {
    await signInAs(page, "consumer", "/lineage?product=sales-orders&up=1&down=1");
    await expect(graphNode(page, /^Data product, Sales Orders, /)).toBeVisible();

    const [png] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export PNG" }).click()]);
    expect(png.suggestedFilename()).toBe("lineage-sales-orders.png");
    const pngBytes = readFileSync((await png.path())!);
    expect([...pngBytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(pngBytes.length).toBeGreaterThan(5_000);
    await png.saveAs(test.info().outputPath(png.suggestedFilename()));

    const [svg] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export SVG" }).click()]);
    expect(svg.suggestedFilename()).toBe("lineage-sales-orders.svg");
    const svgText = readFileSync((await svg.path())!, "utf8");
    expect(svgText.startsWith("<svg")).toBe(true);
    expect(svgText).toContain("Sales Orders");
    expect(svgText).toContain("Shipments");
    await expect(page.getByText("The image could not be made")).toHaveCount(0);
  });

  test("the lineage page without a focus offers a product picker", async ({ page }) => {
    await signInAs(page, "consumer", "/lineage");
    await expect(page.getByText("Choose a product or a table")).toBeVisible();
    const input = page.getByRole("combobox", { name: "Product or table" });
    const option = page.getByRole("option", { name: /^Shipments/ });
    // typed again if the page was still starting up when the first keys arrived
    await expect(async () => {
      await input.fill("shipm");
      await expect(option).toBeVisible({ timeout: 2_000 });
    }).toPass();
    await option.click();
    await expect(page).toHaveURL(/\/lineage\?product=shipments$/);
    await expect(graphNode(page, /^Data product, Shipments, .*focus$/)).toBeVisible();
    // Back returns to the empty page
    await page.goBack();
    await expect(page.getByText("Choose a product or a table")).toBeVisible();

    // an unknown product is a clear error, not a blank canvas
    await page.goto("/lineage?product=no-such-product");
    await expect(page.getByRole("alert").filter({ hasText: /no such data product/i })).toBeVisible();
  });

  test("a graph of 600 nodes is laid out in a worker and stays usable", async ({ page }) => {
    const mesh = bigMesh(12, 50);
    await page.route("**/api/v1/lineage/graph?*", (route) => route.fulfill({ json: mesh }));
    await page.addInitScript(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({ type: "longtask", buffered: true });
    });
    await signInAs(page, "consumer", "/lineage?product=p-0-0&up=0&down=5");
    await expect(page.getByRole("status").filter({ hasText: "600 nodes" })).toBeVisible();
    await expect(graphNode(page, /^Data product, p-0-0, .*focus$/)).toBeVisible({ timeout: 30_000 });
    await expect(page.locator("[data-layout-thread]")).toHaveAttribute("data-layout-thread", "worker");
    // the page answers at once: the list view, then back to the graph
    await page.getByRole("button", { name: "List", exact: true }).click();
    await expect(page.getByRole("table", { name: /Lineage as a list/ }).getByRole("row")).toHaveCount(601);
    await page.getByRole("button", { name: "Graph", exact: true }).click();
    await graphNode(page, /^Data product, p-0-0, .*focus$/).focus();
    await page.keyboard.press("ArrowRight");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-lineage-node"))).toMatch(/^product:p-1-/);
    const longest = await page.evaluate(() => Math.max(0, ...(window as unknown as { longTasks: number[] }).longTasks));
    test.info().annotations.push({ type: "longest main-thread task (ms)", description: String(Math.round(longest)) });
  });

  test("an owner adds a manual edge with a note and removes it; a consumer sees the notes but no edit controls", async ({ page }) => {
    // Olivia owns Sales Orders, which serves iceberg.sales.order_lines.
    await signInAs(page, "owner", "/lineage?fqn=iceberg.sales.order_lines&up=1&down=1");
    await (await reveal(page, /^Table, iceberg\.sales\.order_lines, .*focus$/)).click();
    const details = page.getByRole("complementary", { name: "Selected node" });
    const edges = details.getByRole("region", { name: "Manual edges" });
    const downstream = edges.getByRole("list", { name: "Downstream (read by)" });
    await expect(edges.getByText("None recorded by hand.").first()).toBeVisible();

    await edges.getByRole("button", { name: "Add downstream edge" }).click();
    const other = edges.getByLabel("Downstream table (catalog.schema.table)");
    await expect(other).toBeFocused();
    const note = edges.getByLabel("Note");
    // both fields are required; the first one in error gets focus
    await edges.getByRole("button", { name: "Add edge" }).click();
    await expect(other).toHaveAttribute("aria-invalid", "true");
    await expect(note).toHaveAttribute("aria-invalid", "true");
    await expect(other).toBeFocused();
    // the server's field errors are shown next to the field
    await other.fill('"iceberg".finance');
    await note.fill("The nightly reconciliation export reads order lines into invoicing.");
    const [refused] = await Promise.all([page.waitForResponse((r) => r.url().endsWith("/api/v1/lineage/edges") && r.request().method() === "POST"), edges.getByRole("button", { name: "Add edge" }).click()]);
    expect(refused.status()).toBe(400);
    await expect(other).toHaveAccessibleDescription("Name a table as catalog.schema.table");
    await expect(other).toBeFocused();

    await other.fill("iceberg.finance.invoices");
    await edges.getByRole("button", { name: "Add edge" }).click();
    await expect(edges.getByText("Edge added: iceberg.sales.order_lines → iceberg.finance.invoices.")).toBeVisible();
    await expect(edges.getByRole("button", { name: "Add downstream edge" })).toBeFocused();
    const item = downstream.getByRole("listitem").filter({ hasText: "iceberg.finance.invoices" });
    await expect(item).toContainText("The nightly reconciliation export reads order lines into invoicing.");
    await expect(graphNode(page, /^Table, iceberg\.finance\.invoices, .*1 downstream$/)).toBeVisible();

    // removing asks first, then the edge leaves the list and the graph
    await item.getByRole("button", { name: "Remove the edge iceberg.sales.order_lines → iceberg.finance.invoices" }).click();
    const dialog = page.getByRole("dialog", { name: "Remove this edge?" });
    await expect(dialog).toContainText("The nightly reconciliation export reads order lines into invoicing.");
    await dialog.getByRole("button", { name: "Remove edge" }).click();
    await expect(dialog).toHaveCount(0);
    await expect(edges.getByText("Edge removed: iceberg.sales.order_lines → iceberg.finance.invoices.")).toBeVisible();
    await expect(downstream).toHaveCount(0);
    await expect(graphNode(page, /^Table, iceberg\.finance\.invoices, /)).toHaveCount(0);
    await expect(edges.getByRole("heading", { name: "Manual edges" })).toBeFocused();

    // Carlos consumes Sales Orders: he reads the notes, without a way to change them
    await page.context().clearCookies();
    await signInAs(page, "consumer", "/lineage?fqn=iceberg.sales.orders&up=1&down=1");
    await (await reveal(page, /^Table, iceberg\.sales\.orders, .*focus$/)).click();
    const readOnly = page.getByRole("complementary", { name: "Selected node" }).getByRole("region", { name: "Manual edges" });
    await expect(readOnly.getByRole("list", { name: "Downstream (read by)" }).getByRole("listitem").filter({ hasText: "iceberg.logistics.shipments" })).toContainText("fulfilment job");
    await expect(readOnly.getByRole("button", { name: /^Remove/ })).toHaveCount(0);
    await expect(readOnly.getByRole("button", { name: /^Add (upstream|downstream) edge$/ })).toHaveCount(0);
  });
});
