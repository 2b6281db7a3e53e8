import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signInAs } from "./support";

const FIXTURE = path.resolve(import.meta.dirname, "../test/fixtures/dbt/manifest.json");

/** A one-model manifest on tables no port serves, so importing it leaves the demo mesh's ports alone. */
function tinyManifest() {
  const full = JSON.parse(readFileSync(FIXTURE, "utf8"));
  const model = structuredClone(full.nodes["model.sales_analytics.stg_orders"]);
  const source = structuredClone(full.sources["source.sales_analytics.shop.orders"]);
  model.schema = "e2e_staging";
  model.relation_name = '"iceberg"."e2e_staging"."stg_orders"';
  source.schema = "e2e_raw";
  source.relation_name = '"iceberg"."e2e_raw"."orders"';
  return JSON.stringify({
    ...full,
    metadata: { ...full.metadata, project_name: "e2e_import" },
    nodes: { [model.unique_id]: model },
    sources: { [source.unique_id]: source },
    parent_map: {},
    child_map: {},
  });
}

test.describe("dbt manifest import", () => {
  test("an owner checks the fixture, sees what would change, then imports a manifest", async ({ page }) => {
    await signInAs(page, "owner", "/lineage/import");
    await expect(page.getByRole("heading", { name: "Import a dbt manifest" })).toBeVisible();

    // A manifest of an unsupported schema: refused with the reason, nothing changed.
    await page.getByLabel("manifest.json").setInputFiles({
      name: "manifest.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify({ metadata: { dbt_schema_version: "https://schemas.getdbt.com/dbt/manifest/v5.json" }, nodes: {} })),
    });
    await page.getByRole("button", { name: "Check what would change" }).click();
    const problem = page.getByRole("alert").filter({ hasText: "The manifest cannot be imported" });
    await expect(problem).toContainText("v5 is not supported");
    await expect(problem).toBeFocused();

    // The fixture: a dry run report, with the finance port Olivia may not change listed as skipped.
    await page.getByLabel("manifest.json").setInputFiles(FIXTURE);
    await page.getByRole("button", { name: "Check what would change" }).click();
    const report = page.getByRole("region", { name: /What importing sales_analytics would change/ });
    await expect(report).toBeVisible();
    await expect(report.getByText("Table lineage")).toBeVisible();
    await expect(report.getByText(/fx-rates \/ fx-daily/)).toBeVisible();
    await report.getByText(/^Edges added/).click();
    await expect(report.getByText("iceberg.staging.stg_orders", { exact: true }).first()).toBeVisible();
    await report.getByRole("button", { name: "Cancel" }).click();
    await expect(report).toBeHidden();

    // A real import, of a manifest that touches no port.
    await page.getByLabel("manifest.json").setInputFiles({ name: "manifest.json", mimeType: "application/json", buffer: Buffer.from(tinyManifest()) });
    await page.getByRole("button", { name: "Check what would change" }).click();
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Imported dbt project e2e_import" })).toBeFocused();
    await expect(page.getByRole("region", { name: "Latest imports" })).toContainText("e2e_import: 1 edge added");
  });

  test("someone who owns and stewards nothing is told who imports", async ({ page }) => {
    await signInAs(page, "consumer", "/lineage/import");
    await expect(page.getByRole("alert").filter({ hasText: "Only product owners, domain stewards and admins import lineage." })).toBeVisible();
  });
});
