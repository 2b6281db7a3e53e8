import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/permissions";
import type { Db } from "@/lib/db/client";
import { seedDemoMesh } from "@/lib/demo/seed";
import { ForbiddenError } from "@/lib/errors";
import { syncEdges } from "@/lib/lineage/assets";
import { runOperation } from "@/lib/http/operation";
import { importDbtOperation } from "@/lib/lineage/dbt/http";
import { importDbtManifest } from "@/lib/lineage/dbt/import";
import { DbtManifestError, MAX_MANIFEST_BYTES, parseManifest } from "@/lib/lineage/dbt/manifest";
import { ruleFor } from "@/lib/lineage/dbt/rules";
import { contractSpec } from "@/lib/products/spec";
import { describeEachDatabase } from "@/test/support/db";
import { actorOf, refusal } from "@/test/support/outcomes";
import { personaPrincipal, principalByEmail } from "@/test/support/seeded";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/dbt");
const V12 = readFileSync(path.join(FIXTURES, "manifest.json"), "utf8");
const V7 = readFileSync(path.join(FIXTURES, "manifest-v7.json"), "utf8");
const fresh = () => JSON.parse(V12) as { metadata: Record<string, unknown>; nodes: Record<string, Record<string, unknown>>; sources: Record<string, Record<string, unknown>> };

const NOAH = "noah.fischer@canopy.demo"; // owns fx-rates (finance)
const P = "sales_analytics";
const TABLE_EDGES = [
  "iceberg.finance.fx_daily>iceberg.sales.daily_kpis",
  "iceberg.raw_shop.order_lines>iceberg.staging.stg_order_lines",
  "iceberg.raw_shop.orders>iceberg.snapshots.orders_snapshot",
  "iceberg.raw_shop.orders>iceberg.staging.stg_orders",
  "iceberg.sales.order_lines>iceberg.sales.daily_kpis",
  "iceberg.sales.orders>iceberg.sales.daily_kpis",
  "iceberg.sales_ref.channel_regions>iceberg.sales.daily_kpis",
  "iceberg.staging.stg_order_lines>iceberg.sales.order_lines",
  // Through the ephemeral int_order_totals, which is a CTE and not a table.
  "iceberg.staging.stg_order_lines>iceberg.sales.orders",
  "iceberg.staging.stg_orders>iceberg.sales.orders",
];
// The demo mesh's own dbt project (canopy_analytics) recorded these already: they stay that project's.
const SHARED = [
  "iceberg.finance.fx_daily>iceberg.sales.daily_kpis",
  "iceberg.sales.order_lines>iceberg.sales.daily_kpis",
  "iceberg.sales.orders>iceberg.sales.daily_kpis",
];
const OWN = TABLE_EDGES.filter((e) => !SHARED.includes(e));

describe("reading dbt manifests", () => {
  it("reads the v12 fixture: tables, edges through ephemeral models, supported and unsupported tests", () => {
    const m = parseManifest(V12);
    expect(m).toMatchObject({ project: P, schemaVersion: 12, dbtVersion: "1.8.7", adapter: "trino" });
    expect(m.counts).toEqual({ models: 6, seeds: 1, snapshots: 1, sources: 3, tests: 11 });
    expect(m.tables.map((t) => t.fqn)).toEqual([
      "iceberg.finance.fx_daily",
      "iceberg.raw_shop.order_lines",
      "iceberg.raw_shop.orders",
      "iceberg.sales.daily_kpis",
      "iceberg.sales.order_lines",
      "iceberg.sales.orders",
      "iceberg.sales_ref.channel_regions",
      "iceberg.snapshots.orders_snapshot",
      "iceberg.staging.stg_order_lines",
      "iceberg.staging.stg_orders",
    ]);
    expect(m.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual(TABLE_EDGES);
    expect(m.edges.find((e) => e.to === "iceberg.sales.daily_kpis" && e.from === "iceberg.finance.fx_daily")).toMatchObject({
      fromId: "source.sales_analytics.finance.fx_daily",
      toId: "model.sales_analytics.daily_kpis",
    });
    expect(m.tests.map((t) => `${t.kind}:${t.tableFqn}.${t.column}`).sort()).toEqual([
      "accepted_values:iceberg.sales.orders.channel",
      "not_null:iceberg.finance.fx_daily.rate_date",
      "not_null:iceberg.sales.daily_kpis.kpi_date",
      "not_null:iceberg.sales.orders.customer_id",
      "not_null:iceberg.sales.orders.order_id",
      "not_null:iceberg.staging.stg_orders.order_id",
      "relationships:iceberg.sales.order_lines.order_id",
      "unique:iceberg.sales.orders.order_id",
      "unique:iceberg.sales.orders.order_ref",
    ]);
    expect(m.tests.find((t) => t.kind === "relationships")).toMatchObject({ toFqn: "iceberg.sales.orders", toField: "order_id" });
    expect(m.tests.find((t) => t.tableFqn === "iceberg.sales.daily_kpis")?.severity).toBe("warn");
    expect(m.unsupportedTests.map((u) => u.uniqueId)).toEqual([
      "test.sales_analytics.assert_net_amount_not_negative",
      "test.sales_analytics.dbt_utils_expression_is_true_order_lines_quantity_0.4c3b2a1908",
    ]);
  });

  it("reads the v7 fixture to the same result, finding the project from its hashed id", () => {
    const v7 = parseManifest(V7);
    const v12 = parseManifest(V12);
    expect(v7.schemaVersion).toBe(7);
    expect(v7.project).toBe(P);
    expect(v7.tables).toEqual(v12.tables);
    expect(v7.edges).toEqual(v12.edges);
    // v7 has no attached_node: the tested table comes from the test's model argument.
    expect(v7.tests).toEqual(v12.tests);
  });

  it("turns tests into quality rules the product spec accepts", () => {
    const m = parseManifest(V12);
    const rules = m.tests.map((t) => ruleFor(t, t.column, P)).flatMap((o) => (o.ok ? [o.rule] : []));
    expect(rules).toHaveLength(m.tests.length);
    const parsed = contractSpec.parse({ quality: rules });
    expect(parsed.quality.map((r) => r.metric).sort()).toEqual(["duplicateValues", "duplicateValues", "nullValues", "nullValues", "nullValues", "nullValues", "nullValues", "sql", "sql"]);
    const accepted = rules.find((r) => r.column === "channel")!;
    expect(accepted.query).toBe(`SELECT count(*) FROM {object} WHERE "channel" NOT IN ('webshop', 'field_sales', 'marketplace_amazon', 'marketplace_zalando')`);
    const rel = rules.find((r) => r.dbt.test.includes("relationships"))!;
    expect(rel.query).toContain(`NOT EXISTS (SELECT 1 FROM "iceberg"."sales"."orders" AS parent WHERE parent."order_id" = child."order_id")`);
    const where = ruleFor({ ...m.tests[0]!, kind: "not_null", where: "ordered_at > date '2024-01-01'", errorIf: "> 10" }, "order_id", P);
    expect(where).toMatchObject({ ok: true, rule: { metric: "sql", operator: "mustBeLessOrEqualTo", threshold: 10 } });
    expect(ruleFor({ ...m.tests[0]!, errorIf: "< 3" }, "order_id", P)).toMatchObject({ ok: false });
  });

  it("refuses what is not a supported manifest, saying what is wrong", () => {
    const expectError = (input: unknown, pattern: RegExp, status = 400) => {
      try {
        parseManifest(input);
      } catch (e) {
        expect(e).toBeInstanceOf(DbtManifestError);
        expect((e as DbtManifestError).message).toMatch(pattern);
        expect((e as DbtManifestError).status).toBe(status);
        return e as DbtManifestError;
      }
      throw new Error("expected a refusal");
    };
    expectError("{ not json", /not valid JSON/);
    expectError("", /empty/);
    expectError("[1,2]", /JSON object/);
    expectError(JSON.stringify({ results: [] }), /metadata is missing/);
    expectError(JSON.stringify({ metadata: { dbt_schema_version: "https://schemas.getdbt.com/dbt/run-results/v6.json" }, nodes: {} }), /not a dbt manifest/);
    const v6 = fresh();
    v6.metadata.dbt_schema_version = "https://schemas.getdbt.com/dbt/manifest/v6.json";
    expectError(v6, /manifest schema v6 is not supported: Canopy reads v7 \(dbt 1\.3\) to v12/);
    const v13 = fresh();
    v13.metadata.dbt_schema_version = "https://schemas.getdbt.com/dbt/manifest/v13.json";
    expectError(v13, /v13 is not supported/);
    const badDeps = fresh();
    badDeps.nodes["model.sales_analytics.orders"]!.depends_on = { nodes: "model.sales_analytics.stg_orders" };
    const err = expectError(badDeps, /shape of a dbt v12 manifest: nodes\["model\.sales_analytics\.orders"\]\.depends_on\.nodes/);
    expect(err.details?.issues).toEqual([expect.stringContaining('nodes["model.sales_analytics.orders"].depends_on.nodes')]);
    const noNodes = fresh() as Record<string, unknown>;
    delete noNodes.nodes;
    expectError(noNodes, /nodes/);
    expectError(" ".repeat(MAX_MANIFEST_BYTES + 1), /limit is 50 MB/, 413);
  });
});

describeEachDatabase("importing a dbt manifest", (testDb) => {
  let olivia: Principal;
  let noah: Principal;
  let carlos: Principal;
  const db = () => testDb().prisma;
  const ctx = (user: Principal) => ({ user, actor: actorOf(user) });
  const port = (slug: string, name: string) =>
    db().outputPort.findFirstOrThrow({ where: { name, product: { slug } }, select: { id: true, contract: true, fields: { select: { name: true, description: true } } } });
  const dbtEdges = async (project = P) =>
    (await db().lineageEdge.findMany({ where: { source: "dbt", details: { path: ["project"], equals: project } }, select: { from: { select: { fqn: true } }, to: { select: { fqn: true } } } }))
      .map((e) => `${e.from.fqn}>${e.to.fqn}`)
      .sort();
  const rulesOf = (contract: unknown) => ((contract as { quality?: Array<Record<string, unknown>> }).quality ?? []);

  /** Everything an import may touch, to show that a refused one touched nothing. */
  const state = async (d: Db) => ({
    assets: await d.lineageAsset.count(),
    edges: await d.lineageEdge.findMany({ orderBy: { id: "asc" }, select: { id: true, details: true, updatedAt: true } }),
    audit: await d.auditEvent.count(),
    contracts: await d.outputPort.findMany({ orderBy: { id: "asc" }, select: { id: true, contract: true } }),
    fields: await d.schemaField.findMany({ orderBy: { id: "asc" }, select: { id: true, description: true } }),
    succeeded: await d.lineageImport.count({ where: { status: "succeeded" } }),
  });

  beforeAll(async () => {
    await seedDemoMesh(db());
    olivia = await personaPrincipal(db(), "owner");
    carlos = await personaPrincipal(db(), "consumer");
    noah = await principalByEmail(db(), NOAH);
    // A column an owner has not described yet: dbt's description fills it.
    const orders = await port("sales-orders", "orders");
    await db().schemaField.updateMany({ where: { portId: orders.id, name: "promo_code" }, data: { description: "" } });
    // Another team's draft that serves one of the manifest's tables: Olivia may not see it.
    const draft = await port("delivery-eta", "eta-predictions");
    await db().outputPort.update({ where: { id: draft.id }, data: { location: "iceberg.staging.stg_orders" } });
    await db().schemaField.create({ data: { portId: draft.id, name: "order_id", type: "bigint", position: 99, description: "" } });
    // Edges from other sources on the same tables, which no dbt import may touch.
    await db().$transaction((tx) =>
      syncEdges(tx, { source: "openmetadata", scope: { assetIds: [] }, edges: [{ kind: "table", from: "iceberg.sales.orders", to: "iceberg.sales.daily_kpis" }] }),
    );
    const [a, b] = await Promise.all(
      ["iceberg.sales.orders", "iceberg.sales.order_lines"].map((fqn) => db().lineageAsset.findUniqueOrThrow({ where: { kind_fqn: { kind: "table", fqn } } }).catch(() => null)),
    );
    const from = a ?? (await db().lineageAsset.create({ data: { kind: "table", fqn: "iceberg.sales.orders", name: "orders" } }));
    const to = b ?? (await db().lineageAsset.create({ data: { kind: "table", fqn: "iceberg.sales.order_lines", name: "order_lines" } }));
    await db().lineageEdge.create({ data: { fromId: from.id, toId: to.id, source: "manual", note: "order lines are split from orders by hand" } });
  }, 120_000);

  it("refuses people who own and steward nothing", async () => {
    const e = await refusal(importDbtManifest(db(), ctx(carlos), V12));
    expect(e).toBeInstanceOf(ForbiddenError);
    expect(await db().lineageImport.count()).toBe(0);
  });

  it("refuses a malformed manifest and changes nothing", async () => {
    const before = await state(db());
    const broken = fresh();
    broken.nodes["model.sales_analytics.daily_kpis"]!.columns = [{ name: "kpi_date" }];
    for (const input of ["{ nope", JSON.stringify({ ...fresh(), metadata: { dbt_schema_version: "https://schemas.getdbt.com/dbt/manifest/v5.json" } }), broken]) {
      const e = await refusal(importDbtManifest(db(), ctx(olivia), input));
      expect(e).toBeInstanceOf(DbtManifestError);
      expect(e.status).toBe(400);
    }
    expect(await state(db())).toEqual(before);
    const failures = await db().lineageImport.findMany({ where: { status: "failed" }, orderBy: { createdAt: "asc" } });
    expect(failures.map((f) => f.error)).toEqual([
      expect.stringMatching(/not valid JSON/),
      expect.stringMatching(/v5 is not supported/),
      expect.stringMatching(/nodes\["model\.sales_analytics\.daily_kpis"\]\.columns/),
    ]);
  });

  it("a dry run reports what the import would do and changes nothing", async () => {
    const before = await state(db());
    const report = await importDbtManifest(db(), ctx(olivia), V12, { dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.importId).toBeNull();
    expect(report.edges).toMatchObject({ added: OWN.length, otherProjects: SHARED.length });
    expect(report.rules.added.length).toBe(4);
    expect(await state(db())).toEqual(before);
  });

  it("imports the fixture: table lineage, docs and quality rules where the importer may, skips the rest", async () => {
    const report = await importDbtManifest(db(), ctx(olivia), V12);
    expect(report).toMatchObject({ dryRun: false, project: P, schemaVersion: 12, tables: { total: 10, served: 5 } });
    expect(report.edges).toMatchObject({ added: OWN.length, removed: 0, unchanged: 0, otherProjects: SHARED.length });
    expect(report.edges.addedList.map((e) => `${e.from}>${e.to}`)).toEqual(OWN);
    expect(await dbtEdges()).toEqual(OWN);
    const demoEdges = await dbtEdges("canopy_analytics");
    expect(demoEdges).toEqual(expect.arrayContaining(SHARED));
    const edge = await db().lineageEdge.findFirstOrThrow({ where: { source: "dbt", from: { fqn: "iceberg.staging.stg_orders" } } });
    expect(edge.details).toEqual({ from: "model.sales_analytics.stg_orders", to: "model.sales_analytics.orders", project: P });
    expect(edge.createdById).toBe(olivia.id);

    expect(report.ports.changed).toEqual([
      { product: "daily-sales-kpis", port: "daily-kpis" },
      { product: "sales-orders", port: "order-lines" },
      { product: "sales-orders", port: "orders" },
    ]);
    expect(report.ports.skipped).toEqual([{ product: "fx-rates", port: "fx-daily", reason: expect.stringMatching(/owners/) }]);
    // The draft of another team is counted, never named.
    expect(report.ports.restricted).toBe(1);
    expect(JSON.stringify(report)).not.toMatch(/delivery-eta|eta-predictions/);

    expect(report.rules.added.map((r) => `${r.product}/${r.port}.${r.column}:${r.check}`).sort()).toEqual([
      "daily-sales-kpis/daily-kpis.kpi_date:nullValues",
      "sales-orders/order-lines.order_id:sql",
      "sales-orders/orders.channel:sql",
      "sales-orders/orders.customer_id:nullValues",
    ]);
    // The seeded contract already checks the key for nulls and duplicates: not added twice.
    expect(report.rules.covered).toBe(2);
    expect(report.rules.notApplied).toEqual([
      { product: "sales-orders", port: "orders", test: expect.stringContaining("unique_orders_order_ref"), reason: 'the port has no column "order_ref"' },
    ]);
    expect(report.rules.withoutPort).toBe(0);
    expect(report.rules.unsupported).toHaveLength(2);

    expect(report.docs.updated).toEqual([{ product: "sales-orders", port: "orders", column: "promo_code" }]);
    expect(report.docs.kept).toBeGreaterThan(5);
    const orders = await port("sales-orders", "orders");
    expect(orders.fields.find((f) => f.name === "promo_code")?.description).toBe("Promotion code redeemed on the order; null when none was used.");
    // The owner's own description stays.
    expect(orders.fields.find((f) => f.name === "order_id")?.description).toBe("Surrogate order key, stable across order edits.");
    const rules = rulesOf(orders.contract);
    expect(rules.filter((r) => r.source === "dbt").map((r) => r.column).sort()).toEqual(["channel", "customer_id"]);
    expect(rules.filter((r) => r.source !== "dbt")).toHaveLength(3);
    // What the import wrote is still a contract the product service accepts.
    expect(contractSpec.safeParse(orders.contract).success).toBe(true);
    // The finance port was not the importer's to change.
    expect(rulesOf((await port("fx-rates", "fx-daily")).contract).some((r) => r.source === "dbt")).toBe(false);

    // Assets: every table, with dbt's description; columns of documented tables.
    const table = await db().lineageAsset.findUniqueOrThrow({ where: { kind_fqn: { kind: "table", fqn: "iceberg.sales.daily_kpis" } } });
    expect(table.description).toBe("One row per day, channel and sales region.");
    expect(await db().lineageAsset.count({ where: { tableId: table.id } })).toBe(4);

    // Recorded and audited.
    const run = await db().lineageImport.findUniqueOrThrow({ where: { id: report.importId! } });
    expect(run).toMatchObject({ source: "dbt", status: "succeeded", actorId: olivia.id });
    expect((run.summary as { edges: { added: number } }).edges.added).toBe(OWN.length);
    const audits = await db().auditEvent.findMany({ where: { action: { in: ["lineage.dbt_imported", "product.dbt_imported"] } }, orderBy: { id: "asc" } });
    expect(audits.map((a) => a.action)).toEqual(["product.dbt_imported", "product.dbt_imported", "lineage.dbt_imported"]);
    expect(audits.every((a) => a.actorId === olivia.id)).toBe(true);

    // Manual and OpenMetadata edges on the same tables are untouched.
    expect(await db().lineageEdge.count({ where: { source: "manual", note: "order lines are split from orders by hand" } })).toBe(1);
    expect(await db().lineageEdge.count({ where: { source: "openmetadata" } })).toBe(1);
  });

  it("re-importing the same manifest changes nothing and says so; the v7 manifest of the same project too", async () => {
    const before = await state(db());
    for (const manifest of [V12, V7]) {
      const again = await importDbtManifest(db(), ctx(olivia), manifest);
      expect(again.edges).toMatchObject({ added: 0, removed: 0, updated: 0, unchanged: OWN.length, otherProjects: SHARED.length });
      expect(again.rules).toMatchObject({ added: [], removed: [], unchanged: 4, covered: 2 });
      expect(again.docs.updated).toEqual([]);
      expect(again.ports.changed).toEqual([]);
      // Still reported: the import would change the finance port if it could.
      expect(again.ports.skipped.map((s) => s.product)).toEqual(["fx-rates"]);
    }
    const after = await state(db());
    expect(after.edges).toEqual(before.edges);
    expect(after.contracts).toEqual(before.contracts);
    expect(after.fields).toEqual(before.fields);
    expect(after.succeeded).toBe(before.succeeded + 2);
  });

  it("a changed manifest replaces the project's edges and rules, and never an owner's text", async () => {
    const next = fresh();
    // daily_kpis no longer reads the region seed, the channel test is gone, promo_code's description changed.
    const kpis = next.nodes["model.sales_analytics.daily_kpis"]!;
    kpis.depends_on = { macros: [], nodes: ["model.sales_analytics.orders", "model.sales_analytics.order_lines", "source.sales_analytics.finance.fx_daily"] };
    delete next.nodes["test.sales_analytics.accepted_values_orders_channel__webshop__field_sales__marketplace_amazon__marketplace_zalando.be6c5b14b0"];
    const ordersModel = next.nodes["model.sales_analytics.orders"]! as { columns: Record<string, { description: string }> };
    ordersModel.columns.promo_code!.description = "Promotion code used at checkout.";
    const report = await importDbtManifest(db(), ctx(olivia), JSON.stringify(next));
    expect(report.edges).toMatchObject({ added: 0, removed: 1, unchanged: OWN.length - 1 });
    expect(report.edges.removedList).toEqual([{ kind: "table", from: "iceberg.sales_ref.channel_regions", to: "iceberg.sales.daily_kpis" }]);
    expect(report.rules.removed.map((r) => `${r.port}.${r.column}`)).toEqual(["orders.channel"]);
    // dbt wrote that description: dbt may update it.
    expect(report.docs.updated).toEqual([{ product: "sales-orders", port: "orders", column: "promo_code" }]);
    expect(await dbtEdges()).not.toContain("iceberg.sales_ref.channel_regions>iceberg.sales.daily_kpis");

    // The owner rewrites it: from now on it is theirs.
    const orders = await port("sales-orders", "orders");
    await db().schemaField.updateMany({ where: { portId: orders.id, name: "promo_code" }, data: { description: "Campaign code (see Marketing's campaign list)." } });
    ordersModel.columns.promo_code!.description = "Yet another text from dbt.";
    const third = await importDbtManifest(db(), ctx(olivia), JSON.stringify(next));
    expect(third.docs.updated).toEqual([]);
    expect((await port("sales-orders", "orders")).fields.find((f) => f.name === "promo_code")?.description).toBe("Campaign code (see Marketing's campaign list).");
  });

  it("an owner of the other products imports the rest; an empty project removes only its own edges and rules", async () => {
    const demoEdges = await dbtEdges("canopy_analytics");
    const report = await importDbtManifest(db(), ctx(noah), V12);
    expect(report.ports.changed).toEqual([{ product: "fx-rates", port: "fx-daily" }]);
    expect(report.ports.skipped.map((s) => s.product).sort()).toEqual(["sales-orders"]);
    expect(rulesOf((await port("fx-rates", "fx-daily")).contract).filter((r) => r.source === "dbt").map((r) => r.column)).toEqual(["rate_date"]);

    // Another project (a manifest with nothing in it) leaves sales_analytics alone.
    const other = fresh();
    other.metadata.project_name = "finance_models";
    other.nodes = {};
    other.sources = {};
    const empty = await importDbtManifest(db(), ctx(olivia), other);
    expect(empty.edges).toMatchObject({ added: 0, removed: 0 });
    expect(await dbtEdges()).toEqual(OWN);

    // The same project, now empty: its edges go, and its rules on the ports Olivia may change.
    const gone = fresh();
    gone.nodes = {};
    gone.sources = {};
    const cleared = await importDbtManifest(db(), ctx(olivia), gone);
    expect(cleared.edges.removed).toBe(OWN.length);
    expect(cleared.rules.removed.map((r) => `${r.product}/${r.port}.${r.column}`).sort()).toEqual([
      "daily-sales-kpis/daily-kpis.kpi_date",
      "sales-orders/order-lines.order_id",
      "sales-orders/orders.customer_id",
    ]);
    expect(cleared.ports.skipped).toEqual([{ product: "fx-rates", port: "fx-daily", reason: expect.any(String) }]);
    expect(await dbtEdges()).toEqual([]);
    expect(await dbtEdges("canopy_analytics")).toEqual(demoEdges);
    expect(await db().lineageEdge.count({ where: { source: "manual", note: "order lines are split from orders by hand" } })).toBe(1);
    expect(await db().lineageEdge.count({ where: { source: "openmetadata" } })).toBe(1);
  });
});

describeEachDatabase("POST /api/v1/lineage/dbt", (testDb) => {
  let olivia: Principal;
  let carlos: Principal;
  const db = () => testDb().prisma;
  const call = (user: Principal, input: Record<string, unknown>) => runOperation(importDbtOperation, input, { user, db: async () => db() });
  const bytes = (s: string) => new TextEncoder().encode(s);

  beforeAll(async () => {
    await seedDemoMesh(db());
    olivia = await personaPrincipal(db(), "owner");
    carlos = await personaPrincipal(db(), "consumer");
  }, 120_000);

  it("with an API token: lineage:write records lineage; changing ports also needs products:write", async () => {
    const lineageOnly = { ...olivia, tokenScopes: ["lineage:write"] };
    const skipped = await call(lineageOnly, { body: bytes(V12), contentType: "application/json", dryRun: "true" });
    if (!skipped.ok) throw new Error(skipped.error);
    expect(skipped.data.ports.changed).toEqual([]);
    expect(skipped.data.ports.skipped.map((s) => `${s.product}: ${s.reason}`).sort()).toEqual([
      "daily-sales-kpis: the API token does not have the products:write scope",
      expect.stringMatching(/^fx-rates: only the product's owners/),
      "sales-orders: the API token does not have the products:write scope",
      "sales-orders: the API token does not have the products:write scope",
    ]);
    const both = await call({ ...olivia, tokenScopes: ["lineage:write", "products:write"] }, { body: bytes(V12), contentType: "application/json", dryRun: "true" });
    if (!both.ok) throw new Error(both.error);
    expect(both.data.ports.skipped.map((s) => s.product)).toEqual(["fx-rates"]);
    const readOnly = await call({ ...olivia, tokenScopes: ["catalog:read"] }, { body: bytes(V12), contentType: "application/json" });
    expect(readOnly).toMatchObject({ ok: false, status: 403, code: "insufficient_scope" });
  });

  it("takes the manifest as the JSON body, as a wrapper object, or as a multipart upload", async () => {
    const dry = await call(olivia, { body: bytes(V12), contentType: "application/json", dryRun: "true" });
    expect(dry).toMatchObject({ ok: true, data: { dryRun: true, importId: null, project: P } });

    const wrapped = await call(olivia, { body: bytes(JSON.stringify({ manifest: JSON.parse(V7), dryRun: true, project: "renamed" })), contentType: "application/json" });
    expect(wrapped).toMatchObject({ ok: true, data: { dryRun: true, project: "renamed", schemaVersion: 7 } });

    const form = new FormData();
    form.set("manifest", new Blob([V12], { type: "application/json" }), "manifest.json");
    const req = new Request("http://local/", { method: "POST", body: form });
    const body = new Uint8Array(await req.arrayBuffer());
    const uploaded = await call(olivia, { body, contentType: req.headers.get("content-type")! });
    expect(uploaded).toMatchObject({ ok: true, data: { dryRun: false, project: P } });
    if (!uploaded.ok) throw new Error("import failed");
    expect(uploaded.data.ports.changed.length).toBe(3);
    expect(await db().lineageImport.count({ where: { status: "succeeded" } })).toBe(1);
  });

  it("answers a malformed manifest with 400 and the reason, and refuses those who may not import", async () => {
    const bad = await call(olivia, { body: bytes('{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v4.json"}, "nodes": {}}'), contentType: "application/json" });
    expect(bad).toMatchObject({ ok: false, status: 400, code: "invalid_manifest", error: expect.stringMatching(/v4 is not supported/) });
    const notJson = await call(olivia, { body: bytes("nodes: []"), contentType: "application/json" });
    expect(notJson).toMatchObject({ ok: false, status: 400, code: "invalid_manifest", error: expect.stringMatching(/not valid JSON/) });
    const noFile = new FormData();
    noFile.set("dryRun", "true");
    const req = new Request("http://local/", { method: "POST", body: noFile });
    const missing = await call(olivia, { body: new Uint8Array(await req.arrayBuffer()), contentType: req.headers.get("content-type")! });
    expect(missing).toMatchObject({ ok: false, status: 400, error: expect.stringMatching(/"manifest" field/) });
    expect(await call(carlos, { body: bytes(V12), contentType: "application/json" })).toMatchObject({ ok: false, status: 403 });
  });

});
