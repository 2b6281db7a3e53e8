// Asset-level lineage of the demo mesh: the tables behind the Trino ports, the raw tables they are
// built from, and a few column-level edges. Part comes from the analytics team's dbt project, part was
// recorded by hand (jobs dbt does not know: the warehouse system's exports, the ETA model's features).
//
// What it lets the demo show: a chain of four products (Sales Orders → Shipments → Carrier
// Performance → Delivery ETA), a dbt chain in Finance (orders → invoices → receivables ageing), tables
// no product serves (the raw sources), and lineage reaching another team's draft (Delivery ETA, the
// Fleet Telemetry team's), which Sales and Finance people see as "restricted".

import type { Tx } from "@/lib/db/client";
import { ensureColumns, ensureTables, syncEdges, type EdgeInput } from "@/lib/lineage/assets";

export const DEMO_DBT_PROJECT = "canopy_analytics";

const model = (name: string) => ({ unique_id: `model.${DEMO_DBT_PROJECT}.${name}` });
const source = (schema: string, name: string) => ({ unique_id: `source.${DEMO_DBT_PROJECT}.${schema}.${name}` });

/** Edges the dbt project declares (models' `depends_on`, and column lineage from its docs). */
export const DEMO_DBT_EDGES: readonly EdgeInput[] = [
  { kind: "table", from: "raw.webshop.orders", to: "iceberg.sales.orders", details: { ...model("orders"), upstream: source("webshop", "orders") } },
  { kind: "table", from: "raw.marketplace.orders", to: "iceberg.sales.orders", details: { ...model("orders"), upstream: source("marketplace", "orders") } },
  { kind: "table", from: "raw.webshop.order_items", to: "iceberg.sales.order_lines", details: { ...model("order_lines"), upstream: source("webshop", "order_items") } },
  { kind: "table", from: "iceberg.sales.orders", to: "iceberg.sales.daily_kpis", details: model("daily_kpis") },
  { kind: "table", from: "iceberg.sales.order_lines", to: "iceberg.sales.daily_kpis", details: model("daily_kpis") },
  { kind: "table", from: "iceberg.finance.fx_daily", to: "iceberg.sales.daily_kpis", details: model("daily_kpis") },
  { kind: "table", from: "iceberg.sales.orders", to: "iceberg.finance.invoices", details: model("invoices") },
  { kind: "table", from: "iceberg.customer.customers", to: "iceberg.finance.invoices", details: model("invoices") },
  { kind: "table", from: "iceberg.finance.invoices", to: "iceberg.finance.ar_ageing_daily", details: model("ar_ageing_daily") },
  { kind: "table", from: "iceberg.sales.orders", to: "iceberg.finance.recognised_revenue", details: model("recognised_revenue") },
  { kind: "table", from: "iceberg.logistics.shipments", to: "iceberg.finance.recognised_revenue", details: model("recognised_revenue") },
  { kind: "table", from: "iceberg.finance.gl_entries", to: "iceberg.finance.recognised_revenue", details: model("recognised_revenue") },
  { kind: "table", from: "iceberg.finance.recognised_revenue", to: "iceberg.finance.management_pack_figures", details: model("management_pack_figures") },
  { kind: "column", from: "raw.webshop.orders.id", to: "iceberg.sales.orders.order_id", details: model("orders") },
  { kind: "column", from: "raw.webshop.orders.total_net", to: "iceberg.sales.orders.net_amount", details: model("orders") },
  { kind: "column", from: "iceberg.sales.orders.order_id", to: "iceberg.finance.invoices.order_id", details: model("invoices") },
  { kind: "column", from: "iceberg.sales.orders.net_amount", to: "iceberg.sales.daily_kpis.net_revenue_eur", details: model("daily_kpis") },
  { kind: "column", from: "iceberg.finance.fx_daily.rate", to: "iceberg.sales.daily_kpis.net_revenue_eur", details: model("daily_kpis") },
  { kind: "column", from: "iceberg.finance.invoices.gross_amount_eur", to: "iceberg.finance.ar_ageing_daily.open_amount_eur", details: model("ar_ageing_daily") },
];

type ManualEdge = { kind: "table" | "column"; from: string; to: string; note: string; by: string };

const HANNAH = "hannah.okafor@canopy.demo";
const MEI = "mei.chen@canopy.demo";

/** Edges recorded by hand in Canopy, with the reason each was written down. */
export const DEMO_MANUAL_EDGES: readonly ManualEdge[] = [
  { kind: "table", from: "iceberg.sales.orders", to: "iceberg.logistics.shipments", note: "The warehouse system's fulfilment job reads paid orders every 15 minutes; it is not part of the dbt project.", by: HANNAH },
  { kind: "table", from: "raw.wms.scan_events", to: "iceberg.logistics.shipment_events", note: "Carrier scans land in the WMS export bucket and are loaded by the ingestion service.", by: HANNAH },
  { kind: "table", from: "iceberg.logistics.shipments", to: "iceberg.logistics.carrier_scorecard_weekly", note: "Monday batch job in Airflow (carrier_scorecard DAG).", by: HANNAH },
  { kind: "table", from: "iceberg.logistics.shipment_events", to: "iceberg.logistics.carrier_scorecard_weekly", note: "Failed first attempts come from the scan events.", by: HANNAH },
  { kind: "table", from: "iceberg.logistics.shipments", to: "iceberg.logistics.eta_predictions", note: "Feature pipeline of the ETA model (open shipments).", by: MEI },
  { kind: "table", from: "iceberg.logistics.carrier_scorecard_weekly", to: "iceberg.logistics.eta_predictions", note: "Lane reliability features.", by: MEI },
  { kind: "table", from: "iceberg.logistics.vehicle_positions_hourly", to: "iceberg.logistics.eta_predictions", note: "Live van positions for own-fleet shipments.", by: MEI },
  { kind: "column", from: "iceberg.sales.orders.order_id", to: "iceberg.logistics.shipments.order_id", note: "Copied by the fulfilment job.", by: HANNAH },
  { kind: "column", from: "iceberg.logistics.shipments.delivered_at", to: "iceberg.logistics.carrier_scorecard_weekly.on_time_rate", note: "On time = delivered_at on or before the promised date.", by: HANNAH },
  { kind: "column", from: "iceberg.logistics.shipments.shipment_id", to: "iceberg.logistics.eta_predictions.shipment_id", note: "Key of the prediction.", by: MEI },
];

const lastDot = (fqn: string) => fqn.lastIndexOf(".");

/** Writes the demo lineage inside the seed's transaction. */
export async function seedDemoLineage(tx: Tx, opts: { now?: Date } = {}) {
  await syncEdges(tx, { source: "dbt", scope: { project: DEMO_DBT_PROJECT }, edges: [...DEMO_DBT_EDGES] });
  const users = await tx.user.findMany({ where: { email: { in: [...new Set(DEMO_MANUAL_EDGES.map((e) => e.by))] } }, select: { id: true, email: true } });
  const userId = new Map(users.map((u) => [u.email, u.id]));
  const tables = DEMO_MANUAL_EDGES.filter((e) => e.kind === "table").flatMap((e) => [e.from, e.to]);
  const columns = DEMO_MANUAL_EDGES.filter((e) => e.kind === "column").flatMap((e) => [e.from, e.to]);
  const tableIds = await ensureTables(tx, [...new Set(tables)].map((fqn) => ({ fqn })));
  const columnIds = await ensureColumns(
    tx,
    [...new Set(columns)].map((fqn) => ({ tableFqn: fqn.slice(0, lastDot(fqn)), name: fqn.slice(lastDot(fqn) + 1) })),
  );
  const at = opts.now ?? new Date();
  await tx.lineageEdge.createMany({
    data: DEMO_MANUAL_EDGES.map((e) => ({
      fromId: (e.kind === "table" ? tableIds : columnIds).get(e.from)!,
      toId: (e.kind === "table" ? tableIds : columnIds).get(e.to)!,
      source: "manual",
      note: e.note,
      createdById: userId.get(e.by) ?? null,
      createdAt: at,
      updatedAt: at,
    })),
    skipDuplicates: true,
  });
}
