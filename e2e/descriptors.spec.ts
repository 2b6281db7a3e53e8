import { expect, test } from "@playwright/test";
import YAML from "yaml";
import { signInAs } from "./support";

/**
 * Descriptors as code in the browser: an owner exports her product, removes a column, previews the
 * import, sees that the change is breaking and who it affects, publishes it deliberately as a new
 * major version, and reads the difference in the version history.
 */
test.describe("descriptor import and the breaking-change guard", () => {
  test("an owner publishes a breaking change only after seeing who it affects", async ({ page }) => {
    await signInAs(page, "owner", "/products/sales-orders");
    const version = (await page.getByText(/^v\d+\.\d+\.\d+$/).first().textContent())!.slice(1);
    const major = `${Number(version.split(".")[0]) + 1}.0.0`;

    const bundle = await page.request.get("/api/v1/products/sales-orders/descriptor?bundle=1", { headers: { Accept: "application/yaml" } });
    expect(bundle.status()).toBe(200);
    const contract = await page.request.get("/api/v1/products/sales-orders/ports/orders/contract", { headers: { Accept: "application/json" } });
    const contractId = ((await contract.json()) as { id: string }).id;
    const docs = YAML.parseAllDocuments(await bundle.text()).map((d) => d.toJS() as Record<string, unknown>);
    const orders = docs.find((d) => d.kind === "DataContract" && d.id === contractId) as { schema: { properties: { name: string }[] }[] };
    expect(orders.schema[0]!.properties.some((p) => p.name === "promo_code")).toBe(true);
    orders.schema[0]!.properties = orders.schema[0]!.properties.filter((p) => p.name !== "promo_code");
    const edited = docs.map((d) => YAML.stringify(d)).join("---\n");

    await page.goto("/products/import?product=sales-orders");
    await page.getByRole("textbox", { name: "Descriptor (YAML or JSON)" }).fill(edited);
    await page.getByRole("button", { name: "Preview changes" }).click();
    await expect(page.getByRole("heading", { name: "Preview" })).toBeVisible();
    await expect(page.getByText("Column promo_code removed")).toBeVisible();
    const affected = page.getByRole("region", { name: "Who this breaking change affects", exact: true });
    await expect(affected).toContainText("carlos.consumer@canopy.demo");
    await expect(affected).toContainText("Daily Sales KPIs");

    const apply = page.getByRole("button", { name: "Apply changes" });
    await expect(apply).toBeDisabled();
    await expect(page.getByLabel("Version")).toHaveValue(major);
    await page.getByLabel("Changelog").fill("promo_code moves to order lines");
    await page.getByRole("checkbox", { name: "I have reviewed who is affected and want to publish this breaking change" }).check();
    await apply.click();
    await expect(page.getByRole("heading", { name: `Published version ${major} of sales-orders` })).toBeVisible();

    await page.getByRole("link", { name: "Open the product page" }).click();
    await expect(page.getByText(`v${major}`, { exact: true })).toBeVisible();
    await page.getByRole("link", { name: "Version history" }).click();
    await expect(page.getByRole("heading", { name: "Version history of Sales Orders" })).toBeVisible();
    await expect(page.getByText("promo_code moves to order lines")).toBeVisible();
    const compare = page.getByRole("region", { name: "Compare versions", exact: true });
    await expect(compare).toContainText(`What changed from ${version} to ${major}`);
    await expect(compare).toContainText("Column promo_code removed");
    await expect(compare.getByRole("figure").filter({ hasText: "Contract of orders (ODCS)" })).toContainText("removed: ");
  });

  test("an invalid descriptor is explained and changes nothing", async ({ page }) => {
    await signInAs(page, "owner", "/products/import?product=daily-sales-kpis");
    await page.getByRole("textbox", { name: "Descriptor (YAML or JSON)" }).fill("apiVersion: v1.0.0\nkind: DataProduct\nid: 42\nstatus: sparkling\n");
    await page.getByRole("button", { name: "Preview changes" }).click();
    const alert = page.getByRole("alert").filter({ hasText: /The descriptor/ });
    await expect(alert).toBeFocused();
    await expect(alert).toContainText("id must be text (found 42)");
    const after = await page.request.get("/api/v1/products/daily-sales-kpis/versions");
    expect(((await after.json()) as { items: unknown[] }).items).toHaveLength(1);
  });

  test("a consumer cannot import into someone else's product", async ({ page }) => {
    await signInAs(page, "consumer", "/products/import?product=sales-orders");
    await expect(page.getByText(/may not change|cannot change|not allowed/i).first()).toBeVisible();
  });
});
