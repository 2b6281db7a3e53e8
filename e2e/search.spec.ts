import { expect, test, type Locator, type Page } from "@playwright/test";
import { signInAs } from "./support";

/** The product hits on the search page, in order. */
const hits = (page: Page) => page.getByRole("list", { name: "Matching data products" }).getByRole("listitem");
const hitNames = (page: Page) => hits(page).getByRole("heading", { level: 3 }).allInnerTexts();
/** "24 data products for …" → 24 */
async function total(page: Page): Promise<number> {
  const text = await page.getByRole("status").filter({ hasText: /data products?/ }).innerText();
  return Number(/^([\d,]+)/.exec(text)?.[1]?.replace(/,/g, "") ?? NaN);
}
const facet = (page: Page, group: string, value: string | RegExp) =>
  page.getByRole("group", { name: group, exact: true }).getByRole("checkbox", { name: typeof value === "string" ? new RegExp(`^${value} `) : value });
/** The count printed beside a facet value. */
async function facetCount(box: Locator): Promise<number> {
  const label = await box.evaluate((el) => el.closest("label")?.textContent ?? "");
  return Number(/(\d[\d,]*)\s*$/.exec(label)?.[1]?.replace(/,/g, "") ?? NaN);
}

test.describe("search", () => {
  test("a misspelt query finds the intended product, which opens", async ({ page }) => {
    await signInAs(page, "consumer", "/search");
    await expect(page.getByRole("heading", { name: "Search", level: 1 })).toBeVisible();
    await page.getByLabel("Search for").fill("shipmnts");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await expect(page).toHaveURL(/\/search\?q=shipmnts$/);
    await expect(hits(page).first().getByRole("heading", { level: 3 })).toHaveText("Shipments");
    // the words that matched are marked
    await expect(hits(page).first().locator("mark").first()).toBeVisible();

    await hits(page).first().getByRole("link", { name: "Shipments", exact: true }).click();
    await expect(page).toHaveURL(/\/products\/shipments$/);
    await expect(page.getByRole("heading", { name: "Shipments", level: 1 })).toBeVisible();
  });

  test("a column name finds its product and says why", async ({ page }) => {
    await signInAs(page, "consumer", "/search?q=predicted_net_revenue");
    // a draft of another team has this column: never shown to the consumer
    await expect(page.getByText("Sales Forecast v2")).toHaveCount(0);
    await page.goto("/search?q=weight_kg");
    const first = hits(page).first();
    await expect(first.getByRole("heading", { level: 3 })).toHaveText("Shipments");
    await expect(first.getByRole("list", { name: "Why Shipments matched" })).toContainText(/column.*weight_kg/i);
  });

  test("two facets narrow the results and their counts; the URL is shareable and Back restores", async ({ page, browser }) => {
    await signInAs(page, "consumer", "/search");
    await expect(page.getByRole("heading", { name: "Browse by domain" })).toBeVisible();
    const all = await total(page);
    expect(all).toBeGreaterThanOrEqual(20);
    const publishedEverywhere = await facetCount(facet(page, "Lifecycle status", "published"));

    await facet(page, "Domain", "Sales").check();
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/[?&]domain=sales(&|$)/);
    await expect.poll(() => total(page)).toBeLessThan(all);
    const sales = await total(page);
    const publishedInSales = await facetCount(facet(page, "Lifecycle status", "published"));
    expect(publishedInSales).toBeLessThan(publishedEverywhere);

    await facet(page, "Lifecycle status", "published").check();
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/[?&]status=published(&|$)/);
    await expect.poll(() => total(page)).toBe(publishedInSales);
    expect(publishedInSales).toBeLessThan(sales);
    for (const item of await hits(page).all()) {
      await expect(item.getByText("Sales", { exact: true })).toBeVisible();
      await expect(item.getByText("published", { exact: true })).toBeVisible();
    }
    const names = await hitNames(page);
    expect(names).toContain("Sales Orders");
    expect(names).not.toContain("Sales Orders CSV Export"); // deprecated
    const chips = page.getByRole("group", { name: "Active filters" });
    await expect(chips.getByRole("link", { name: "Remove filter Domain: Sales" })).toBeVisible();
    await expect(chips.getByRole("link", { name: "Remove filter Lifecycle status: published" })).toBeVisible();

    // share: the same URL in another browser shows the same results
    const shared = page.url();
    const other = await browser.newContext();
    const colleague = await other.newPage();
    await signInAs(colleague, "consumer", new URL(shared).pathname + new URL(shared).search);
    await expect(colleague).toHaveURL(shared);
    // The results arrive after the page: wait for them rather than read the list once.
    await expect(hits(colleague).getByRole("heading", { level: 3 })).toHaveText(names);
    await expect(facet(colleague, "Domain", "Sales")).toBeChecked();
    await expect(facet(colleague, "Lifecycle status", "published")).toBeChecked();
    await other.close();

    // open a result, come back: same search
    await hits(page).getByRole("link", { name: "Sales Orders", exact: true }).click();
    await expect(page).toHaveURL(/\/products\/sales-orders$/);
    await page.goBack();
    await expect(page).toHaveURL(shared);
    await expect(facet(page, "Lifecycle status", "published")).toBeChecked();
    await expect(hits(page).getByRole("heading", { level: 3 })).toHaveText(names);

    // back once more: the status filter is gone again
    await page.goBack();
    await expect(page).toHaveURL(/[?&]domain=sales$/);
    await expect(facet(page, "Lifecycle status", "published")).not.toBeChecked();
    await expect.poll(() => total(page)).toBe(sales);

    // a chip removes its filter
    await page.getByRole("link", { name: "Remove filter Domain: Sales" }).click();
    await expect(page).toHaveURL(/\/search$/);
    await expect.poll(() => total(page)).toBe(all);
  });

  test("More results pages on with the cursor in the URL", async ({ page }) => {
    await signInAs(page, "consumer", "/search?limit=5");
    await expect(hits(page)).toHaveCount(5);
    const first = await hitNames(page);
    await page.getByRole("navigation", { name: "More results" }).getByRole("link", { name: "More results" }).click();
    await expect(page).toHaveURL(/[?&]limit=5&cursor=[\w-]+$/);
    await expect(page.getByRole("link", { name: "Back to the first results" })).toBeVisible();
    await expect(hits(page)).toHaveCount(5);
    const second = await hitNames(page);
    expect(second.filter((n) => first.includes(n))).toEqual([]);
    await page.goBack();
    await expect.poll(() => hitNames(page)).toEqual(first);
    // a cursor that was tampered with is refused with a way back, not a crash
    await page.goto("/search?q=orders&cursor=not-a-cursor");
    await expect(page.getByRole("alert").filter({ hasText: "cursor" })).toContainText("not valid for this search");
    await page.getByRole("link", { name: "Start this search again" }).click();
    await expect(page).toHaveURL(/\/search\?q=orders$/);
    await expect(hits(page).first()).toBeVisible();
  });

  test("a search with no results suggests a correction and popular tags", async ({ page }) => {
    await signInAs(page, "consumer", "/search?q=zzqxv");
    await expect(page.getByText("No results for “zzqxv”")).toBeVisible();
    await expect(page.getByRole("list", { name: "Popular tags" }).getByRole("link").first()).toBeVisible();
    // nonsense options are named, not fatal
    await page.goto("/search?q=orders&access=everyone&limit=9999");
    const problems = page.getByRole("alert").filter({ hasText: "Some search options were not understood" });
    await expect(problems).toContainText("Access:");
    await expect(problems).toContainText("limit:");
    await expect(hits(page).first()).toBeVisible();
  });

  test("typeahead works with the keyboard alone", async ({ page }) => {
    await signInAs(page, "consumer");
    const box = page.getByRole("combobox", { name: "Quick find" });
    await box.focus();
    await page.keyboard.type("wareh", { delay: 40 });
    const listbox = page.getByRole("listbox", { name: "Suggestions" });
    const wanted = listbox.getByRole("option", { name: /Warehouse Inventory.*Data product/ });
    await expect(wanted).toBeVisible();
    await expect(box).toHaveAttribute("aria-expanded", "true");

    // Escape closes the list, ArrowDown opens it again on the first suggestion
    await page.keyboard.press("Escape");
    await expect(listbox).toBeHidden();
    await page.keyboard.press("ArrowDown");
    await expect(listbox).toBeVisible();
    for (let i = 0; i < 10 && (await wanted.getAttribute("aria-selected")) !== "true"; i++) await page.keyboard.press("ArrowDown");
    await expect(wanted).toHaveAttribute("aria-selected", "true");
    await expect(box).toHaveAttribute("aria-activedescendant", (await wanted.getAttribute("id"))!);
    await expect(box).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/products\/warehouse-inventory$/);
    await expect(page.getByRole("heading", { name: "Warehouse Inventory", level: 1 })).toBeVisible();

    // Enter with nothing highlighted runs the search
    await box.focus();
    await page.keyboard.type("fx rates");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/search\?q=fx\+rates$/);
    await expect(hits(page).first().getByRole("heading", { level: 3 })).toHaveText("FX Rates");
  });

  test("typeahead asks after the second character and only once typing pauses", async ({ page }) => {
    await signInAs(page, "consumer");
    const asked: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/v1/search/suggest")) asked.push(new URL(r.url()).searchParams.get("q") ?? "");
    });
    const box = page.getByRole("combobox", { name: "Quick find" });
    await box.focus();
    await page.keyboard.type("c");
    await page.waitForTimeout(400);
    expect(asked).toEqual([]);
    // Keystrokes as fast as a quick typist (a loaded test machine can stall between Playwright's own
    // key presses for longer than the debounce).
    await box.evaluate((el, text) => {
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
      for (let i = 2; i <= text.length; i++) {
        setValue.call(el, text.slice(0, i));
        el.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }, "customer ma");
    await expect(page.getByRole("listbox", { name: "Suggestions" }).getByRole("option", { name: /Customer Master.*Data product/ })).toBeVisible();
    // one request for what was there when typing stopped, not one per key
    expect(asked).toEqual(["customer ma"]);
  });

  test("a typeahead request that is no longer wanted is cancelled", async ({ page }) => {
    await signInAs(page, "consumer");
    // a slow server, so the first request is still running when the query changes
    await page.route("**/api/v1/search/suggest?**", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue().catch(() => undefined);
    });
    const cancelled: string[] = [];
    page.on("requestfailed", (r) => {
      if (r.url().includes("/api/v1/search/suggest")) cancelled.push(new URL(r.url()).searchParams.get("q") ?? "");
    });
    const box = page.getByRole("combobox", { name: "Quick find" });
    await box.focus();
    const firstAsked = page.waitForRequest((r) => r.url().includes("/api/v1/search/suggest?q=cust"));
    await page.keyboard.type("cust");
    await firstAsked;
    await page.keyboard.type("omer mas");
    await expect(page.getByRole("option", { name: /Customer Master.*Data product/ })).toBeVisible();
    expect(cancelled).toEqual(["cust"]);
  });

  test("Ctrl-K opens the command palette; Escape closes it and gives focus back", async ({ page }) => {
    await signInAs(page, "consumer");
    const catalogueLink = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Catalogue" });
    await catalogueLink.focus();
    await page.keyboard.press("Control+k");
    const palette = page.getByRole("dialog", { name: "Command palette" });
    await expect(palette).toBeVisible();
    const field = palette.getByRole("combobox", { name: "Find in the catalogue" });
    await expect(field).toBeFocused();
    await expect(palette.getByRole("navigation", { name: "Quick links" }).getByRole("link", { name: "Governance" })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(palette).toBeHidden();
    await expect(catalogueLink).toBeFocused();

    await page.keyboard.press("Control+k");
    await expect(field).toBeFocused();
    await page.keyboard.type("general led");
    const option = palette.getByRole("option", { name: /General Ledger.*Data product/ });
    await expect(option).toBeVisible();
    for (let i = 0; i < 10 && (await option.getAttribute("aria-selected")) !== "true"; i++) await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/products\/general-ledger$/);
    await expect(palette).toBeHidden();

    // the quick links are reachable with Tab
    await page.keyboard.press("Control+k");
    await expect(field).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(palette.getByRole("link", { name: "Catalogue" })).toBeFocused();
  });

  test("another team's draft never appears for a consumer, but does for its owner", async ({ page, browser }) => {
    await signInAs(page, "consumer", "/search?q=sales+forecast");
    await expect(page.getByRole("status").filter({ hasText: /data products?/ })).toBeVisible();
    await expect(page.getByText("Sales Forecast v2")).toHaveCount(0);
    await page.goto("/search?status=draft");
    await expect(page.getByText("No data products match these filters")).toBeVisible();

    const box = page.getByRole("combobox", { name: "Quick find" });
    const answered = page.waitForResponse((r) => r.url().includes("/api/v1/search/suggest"));
    await box.fill("sales forec");
    expect((await answered).status()).toBe(200);
    await expect(page.getByRole("listbox", { name: "Suggestions" })).toBeVisible();
    await page.waitForTimeout(300);
    await expect(page.getByRole("option", { name: /Sales Forecast v2/ })).toHaveCount(0);

    const api = await (await page.request.get("/api/v1/search?q=forecast")).text();
    expect(api).not.toContain("sales-forecast-v2");
    expect(api).not.toContain("Sales Forecast v2");
    const suggest = await (await page.request.get("/api/v1/search/suggest?q=sales+forec")).text();
    expect(suggest).not.toContain("Sales Forecast v2");
    // nor do the tags only drafts carry ("experimental", "forecasting")
    const tagged = (await (await page.request.get("/api/v1/search?q=experimental")).json()) as { total: number; others: { tag: unknown[] } };
    expect(tagged.total).toBe(0);
    expect(tagged.others.tag).toEqual([]);
    expect(await (await page.request.get("/api/v1/search/suggest?q=forec")).text()).not.toContain("forecasting");

    const ownerContext = await browser.newContext();
    const owner = await ownerContext.newPage();
    await signInAs(owner, "owner", "/search?q=sales+forecast");
    await expect(hits(owner).getByRole("link", { name: "Sales Forecast v2", exact: true })).toBeVisible();
    await ownerContext.close();
  });

  test("a text query in the catalogue filter goes to search", async ({ page }) => {
    await signInAs(page, "consumer", "/products?q=invoices&domain=finance");
    await expect(page).toHaveURL(/\/search\?q=invoices&domain=finance$/);
    await expect(hits(page).getByRole("link", { name: "Customer Invoices", exact: true })).toBeVisible();
  });
});
