import { beforeAll, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/permissions";
import { seedDemoMesh } from "@/lib/demo/seed";
import { runOperation } from "@/lib/http/operation";
import { ensureTables } from "@/lib/lineage/assets";
import { impactReport } from "@/lib/lineage/impact";
import { impactOperation } from "@/lib/lineage/operations";
import type { ImpactReport } from "@/lib/lineage/types";
import { describeEachDatabase } from "@/test/support/db";
import { personaPrincipal, principalByEmail } from "@/test/support/seeded";

const MEI = "mei.chen@canopy.demo";

describeEachDatabase("impact analysis", (testDb) => {
  const db = () => testDb().prisma;
  let olivia: Principal;
  let mei: Principal;
  let admin: Principal;
  beforeAll(async () => {
    await seedDemoMesh(db());
    olivia = await personaPrincipal(db(), "owner");
    admin = await personaPrincipal(db(), "admin");
    mei = await principalByEmail(db(), MEI);
    // A report nobody serves as a product, built from the receivables ageing.
    const ids = await ensureTables(db(), [{ fqn: "iceberg.finance.ar_ageing_daily" }, { fqn: "reports.finance.dunning_letters" }]);
    await db().lineageEdge.create({ data: { fromId: ids.get("iceberg.finance.ar_ageing_daily")!, toId: ids.get("reports.finance.dunning_letters")!, source: "manual" } });
  }, 180_000);

  const entry = (r: ImpactReport, slug: string) => r.products.find((p) => p.product?.slug === slug);

  it("finds downstream products to any depth through both grains, with the consumers of each", async () => {
    const r = await impactReport(db(), olivia, { product: "sales-orders" });
    expect(entry(r, "sales-orders")).toMatchObject({
      depth: 0,
      via: [],
      consumers: [{ principalType: "user", principal: "Carlos Consumer", email: "carlos.consumer@canopy.demo", port: "orders" }],
    });
    expect(entry(r, "shipments")).toMatchObject({ depth: 1, via: ["input", "table"], team: "Logistics Operations Data" });
    expect(entry(r, "shipments")!.owners.map((o) => o.email)).toEqual(["hannah.okafor@canopy.demo", "lukas.weber@canopy.demo"]);
    expect(entry(r, "carrier-performance")).toMatchObject({ depth: 2, via: ["input", "table"], tables: ["iceberg.logistics.carrier_scorecard_weekly"] });
    expect(entry(r, "accounts-receivable-ageing")).toMatchObject({ depth: 2 });
    expect(entry(r, "churn-risk-scores")).toMatchObject({ depth: 2, via: ["input"] });
    expect(r.unownedAssets).toEqual([{ kind: "table", fqn: "reports.finance.dunning_letters", depth: 3 }]);
    // Owners to contact, grouped, with how many consumers their affected products have.
    const hannah = r.byOwner.find((o) => o.owner.email === "hannah.okafor@canopy.demo")!;
    expect(hannah.products.sort()).toEqual(["Carrier Performance", "Returns", "Shipments"]);
    expect(hannah.consumerCount).toBe(1);
    expect(r.truncated).toBe(false);
  });

  it("counts products the viewer may not read without naming them", async () => {
    const r = await impactReport(db(), olivia, { product: "sales-orders" });
    const hidden = r.products.filter((p) => p.product === null);
    // Delivery ETA (Fleet Telemetry's draft), Cost to Serve and Marketing Attribution (other teams' drafts).
    expect(r.restrictedCount).toBe(3);
    expect(hidden).toHaveLength(3);
    for (const h of hidden) expect(h).toMatchObject({ owners: [], team: null, consumers: [], tables: [] });
    const text = JSON.stringify(r);
    for (const secret of ["Delivery ETA", "delivery-eta", "eta_predictions", "cost-to-serve", "Cost to Serve", "marketing-attribution", "mei.chen"]) expect(text).not.toContain(secret);
    // A grant held by a product the viewer may not read names no product either.
    expect(entry(r, "shipments")!.consumers).toEqual([expect.objectContaining({ principalType: "product", principal: "Restricted product", email: null })]);
    // Mei owns Delivery ETA: she sees it, reached by descriptors and by her manual table lineage.
    const m = await impactReport(db(), mei, { product: "sales-orders" });
    expect(entry(m, "delivery-eta")).toMatchObject({ depth: 2, via: ["input", "table"], tables: ["iceberg.logistics.eta_predictions"] });
    // …while Sales' draft forecast, which Olivia sees, is hidden from her.
    expect(entry(m, "sales-forecast-v2")).toBeUndefined();
    expect(entry(r, "sales-forecast-v2")).toBeDefined();
    expect(m.restrictedCount).toBe(3);
    const all = await impactReport(db(), admin, { product: "sales-orders" });
    expect(all.restrictedCount).toBe(0);
    expect(entry(all, "cost-to-serve")).toBeDefined();
  });

  it("follows column lineage from a column, and counts only the focus port's consumers", async () => {
    const c = await impactReport(db(), olivia, { fqn: "iceberg.sales.orders.order_id" });
    expect(entry(c, "invoices")).toMatchObject({ depth: 1, via: ["column"], tables: ["iceberg.finance.invoices", "iceberg.finance.invoices.order_id"] });
    expect(entry(c, "shipments")).toMatchObject({ depth: 1, via: ["column"] });
    expect(entry(c, "sales-orders")).toMatchObject({ depth: 0, consumers: [expect.objectContaining({ port: "orders" })] });
    expect(entry(c, "daily-sales-kpis")).toBeUndefined();

    const exportPort = await db().outputPort.findFirstOrThrow({ where: { name: "orders-daily-export" }, select: { id: true } });
    const q = await impactReport(db(), olivia, `port:${exportPort.id}`);
    expect(q.products).toEqual([expect.objectContaining({ depth: 0, consumers: [] })]);
  });

  it("gives what lies beyond a product the nearer depth when the other grain reaches the product sooner", async () => {
    // FX Rates feeds Ad Spend, which feeds Campaign Performance (depth 2), which feeds the Sales forecast (depth 3).
    const before = await impactReport(db(), admin, { product: "fx-rates" });
    expect(entry(before, "campaign-performance")).toMatchObject({ depth: 2, via: ["input"] });
    expect(entry(before, "sales-forecast-v2")).toMatchObject({ depth: 3 });
    // A table edge straight from the FX table to Campaign Performance's table: one hop, so the forecast is two.
    const ids = await ensureTables(db(), [{ fqn: "iceberg.finance.fx_daily" }, { fqn: "iceberg.marketing.campaign_kpis" }]);
    const edge = await db().lineageEdge.create({
      data: { fromId: ids.get("iceberg.finance.fx_daily")!, toId: ids.get("iceberg.marketing.campaign_kpis")!, source: "manual" },
    });
    try {
      const after = await impactReport(db(), admin, { product: "fx-rates" });
      expect(entry(after, "campaign-performance")).toMatchObject({ depth: 1, via: ["input", "table"] });
      expect(entry(after, "sales-forecast-v2")).toMatchObject({ depth: 2 });
    } finally {
      await db().lineageEdge.delete({ where: { id: edge.id } });
    }
  });

  it("starts from a raw table no product serves", async () => {
    const r = await impactReport(db(), olivia, { fqn: "raw.webshop.orders" });
    expect(entry(r, "sales-orders")).toMatchObject({ depth: 1, via: ["table"] });
    expect(entry(r, "shipments")).toMatchObject({ depth: 2 });
    expect(r.products.every((p) => p.depth > 0)).toBe(true);
  });

  it("answers over the API with validation and not-found like the catalogue", async () => {
    const call = (input: Record<string, unknown>, user: Principal | null) => runOperation(impactOperation, input, { user, db: async () => db(), requestId: "req-impact" });
    expect(await call({ product: "sales-orders" }, olivia)).toMatchObject({ ok: true, data: { restrictedCount: 3 } });
    expect(await call({ product: "delivery-eta" }, olivia)).toMatchObject({ ok: false, status: 404 });
    expect(await call({ product: "sales-orders", fqn: "a.b.c" }, olivia)).toMatchObject({ ok: false, status: 400 });
    expect(await call({ node: "table:00000000-0000-0000-0000-000000000000" }, olivia)).toMatchObject({ ok: false, status: 404 });
    expect(await call({ product: "sales-orders" }, null)).toMatchObject({ ok: false, status: 401 });
  });
});
