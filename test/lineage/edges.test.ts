import { beforeAll, expect, it } from "vitest";
import type { ZodType } from "zod";
import type { Principal } from "@/lib/auth/permissions";
import { DEMO_DBT_PROJECT } from "@/lib/demo/lineage";
import { seedDemoMesh } from "@/lib/demo/seed";
import { runOperation, type Operation } from "@/lib/http/operation";
import { syncEdges } from "@/lib/lineage/assets";
import { addManualEdge, removeManualEdge } from "@/lib/lineage/edges";
import { lineageGraph } from "@/lib/lineage/graph";
import { addEdgeOperation, removeEdgeOperation } from "@/lib/lineage/operations";
import { describeEachDatabase } from "@/test/support/db";
import { actorOf, refusal } from "@/test/support/outcomes";
import { personaPrincipal, principalByEmail } from "@/test/support/seeded";

const HANNAH = "hannah.okafor@canopy.demo"; // owns Shipments and Returns (Logistics)

describeEachDatabase("manual lineage edges", (testDb) => {
  const db = () => testDb().prisma;
  let hannah: Principal;
  let carlos: Principal;
  let olivia: Principal;
  let admin: Principal;
  let sofia: Principal;
  const ctx = (user: Principal) => ({ user, actor: actorOf(user) });
  beforeAll(async () => {
    await seedDemoMesh(db());
    hannah = await principalByEmail(db(), HANNAH);
    carlos = await personaPrincipal(db(), "consumer");
    olivia = await personaPrincipal(db(), "owner");
    admin = await personaPrincipal(db(), "admin");
    sofia = await personaPrincipal(db(), "steward");
  }, 180_000);

  it("lets an owner of either end record an edge with a note, audited, and shows it on the graph", async () => {
    const edge = await addManualEdge(db(), ctx(hannah), { kind: "table", from: "Iceberg.Logistics.Shipments", to: "iceberg.logistics.returns", note: "Returns are matched to shipments nightly." });
    expect(edge).toMatchObject({ kind: "table", from: "iceberg.logistics.shipments", to: "iceberg.logistics.returns", source: "manual", note: "Returns are matched to shipments nightly.", createdBy: "Hannah Okafor" });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "lineage.edge_added", targetId: edge.id } });
    expect(audit).toMatchObject({ actorId: hannah.id, targetType: "lineage_edge", after: { from: "iceberg.logistics.shipments", to: "iceberg.logistics.returns", note: "Returns are matched to shipments nightly." } });
    const g = await lineageGraph(db(), olivia, { focus: { fqn: "iceberg.logistics.returns" }, up: 1, down: 0 });
    expect(g.edges).toContainEqual(expect.objectContaining({ kind: "table", sources: ["manual"], manualEdgeId: edge.id, label: "Returns are matched to shipments nightly." }));
    await expect(addManualEdge(db(), ctx(hannah), { kind: "table", from: "iceberg.logistics.shipments", to: "iceberg.logistics.returns", note: "" })).rejects.toMatchObject({ status: 409 });
  });

  it("accepts an edge to a table no product serves from an owner of the other end; only admins connect two unowned tables", async () => {
    const e = await addManualEdge(db(), ctx(olivia), { kind: "table", from: "iceberg.sales.orders", to: "excel.sales.commission_sheet", note: "Exported weekly for commissions" });
    expect(e.to).toBe("excel.sales.commission_sheet");
    expect(await refusal(addManualEdge(db(), ctx(olivia), { kind: "table", from: "raw.a.b", to: "raw.a.c", note: "" }))).toMatchObject({ status: 403 });
    expect((await addManualEdge(db(), ctx(admin), { kind: "table", from: "raw.a.b", to: "raw.a.c", note: "" })).from).toBe("raw.a.b");
  });

  it("refuses people who answer for neither end, and lets a steward of either end's domain in", async () => {
    expect(await refusal(addManualEdge(db(), ctx(carlos), { kind: "table", from: "iceberg.sales.orders", to: "iceberg.sales.daily_kpis", note: "" }))).toMatchObject({ status: 403 });
    expect(await refusal(addManualEdge(db(), ctx(olivia), { kind: "table", from: "iceberg.logistics.shipments", to: "iceberg.finance.invoices", note: "" }))).toMatchObject({ status: 403 });
    // Sofia stewards the Customer domain: Customer Master serves iceberg.customer.customers.
    const e = await addManualEdge(db(), ctx(sofia), { kind: "column", from: "iceberg.customer.customers.customer_id", to: "iceberg.finance.invoices.customer_id", note: "Key" });
    expect(e).toMatchObject({ kind: "column", from: "iceberg.customer.customers.customer_id" });
    expect(await db().auditEvent.count({ where: { action: "lineage.edge_added" } })).toBe(4);
  });

  it("validates names and kinds, with the field that is wrong", async () => {
    const bad = (from: string, to: string, kind: "table" | "column" = "table") => refusal(addManualEdge(db(), ctx(hannah), { kind, from, to, note: "" }));
    expect(await bad("shipments", "iceberg.logistics.returns")).toMatchObject({ status: 400, fieldErrors: { from: ["Name a table as catalog.schema.table"] } });
    expect(await bad("iceberg.logistics.shipments", "iceberg.logistics.returns", "column")).toMatchObject({ status: 400, fieldErrors: { from: [expect.stringContaining("column")] } });
    expect(await bad("iceberg.logistics.shipments", "ICEBERG.logistics.shipments")).toMatchObject({ status: 400, fieldErrors: { to: ["An edge needs two different ends"] } });
    expect(await bad("iceberg.logistics.ship ments", "iceberg.logistics.returns")).toMatchObject({ status: 400, fieldErrors: { from: [expect.any(String)] } });
  });

  it("removes a manual edge for an owner, audited; other sources' edges change only by importing again", async () => {
    const edge = await addManualEdge(db(), ctx(hannah), { kind: "table", from: "iceberg.logistics.returns", to: "iceberg.finance.recognised_revenue", note: "Refunds reduce revenue" });
    expect(await refusal(removeManualEdge(db(), ctx(carlos), edge.id))).toMatchObject({ status: 403 });
    expect(await removeManualEdge(db(), ctx(hannah), edge.id)).toEqual({ id: edge.id, removed: true });
    expect(await db().lineageEdge.findUnique({ where: { id: edge.id } })).toBeNull();
    expect(await db().auditEvent.findFirstOrThrow({ where: { action: "lineage.edge_removed", targetId: edge.id } })).toMatchObject({
      before: { from: "iceberg.logistics.returns", to: "iceberg.finance.recognised_revenue", note: "Refunds reduce revenue" },
    });
    expect(await refusal(removeManualEdge(db(), ctx(hannah), edge.id))).toMatchObject({ status: 404 });
    const dbt = await db().lineageEdge.findFirstOrThrow({ where: { source: "dbt", to: { fqn: "iceberg.finance.recognised_revenue" }, from: { fqn: "iceberg.logistics.shipments" } } });
    expect(await refusal(removeManualEdge(db(), ctx(hannah), dbt.id))).toMatchObject({ status: 409, message: expect.stringContaining("dbt") });
  });

  it("keeps manual edges when an import of another source covers the same assets", async () => {
    const manual = await db().lineageEdge.findFirstOrThrow({ where: { source: "manual", from: { fqn: "iceberg.sales.orders" }, to: { fqn: "iceberg.logistics.shipments" } } });
    await syncEdges(db(), { source: "dbt", scope: { project: DEMO_DBT_PROJECT }, edges: [{ kind: "table", from: "iceberg.sales.orders", to: "iceberg.logistics.shipments" }] });
    const rows = await db().lineageEdge.findMany({ where: { fromId: manual.fromId, toId: manual.toId }, select: { source: true, note: true } });
    expect(rows.sort((a, b) => a.source.localeCompare(b.source))).toEqual([
      { source: "dbt", note: "" },
      { source: "manual", note: manual.note },
    ]);
    const g = await lineageGraph(db(), hannah, { focus: { fqn: "iceberg.logistics.shipments" }, up: 1, down: 0 });
    expect(g.edges.find((e) => e.from === `table:${manual.fromId}` && e.to === `table:${manual.toId}`)).toMatchObject({ sources: ["manual", "dbt"], manualEdgeId: manual.id });
  });

  it("tells each viewer on the graph which nodes they may record edges at and which manual edges they may remove", async () => {
    const graphFor = (user: Principal) => lineageGraph(db(), user, { focus: { fqn: "iceberg.sales.orders" }, up: 1, down: 1 });
    const node = (g: Awaited<ReturnType<typeof graphFor>>, fqn: string) => g.nodes.find((n) => n.fqn === fqn);
    const toShipments = (g: Awaited<ReturnType<typeof graphFor>>) =>
      g.edges.find((e) => e.from === node(g, "iceberg.sales.orders")?.id && e.to === node(g, "iceberg.logistics.shipments")?.id);

    // Olivia owns Sales Orders (iceberg.sales.orders), not Shipments; a table no product serves (the commission sheet recorded above) is the admins'.
    const o = await graphFor(olivia);
    expect(node(o, "iceberg.sales.orders")?.canEdit).toBe(true);
    expect(node(o, "iceberg.logistics.shipments")?.canEdit).toBe(false);
    expect(node(o, "excel.sales.commission_sheet")?.canEdit).toBe(false);
    expect(toShipments(o)).toMatchObject({ manualEdgeId: expect.any(String), canEdit: true });
    expect(o.nodes.filter((n) => n.kind === "product" || n.kind === "port").every((n) => n.canEdit === undefined)).toBe(true);
    expect(o.edges.filter((e) => !e.manualEdgeId).every((e) => e.canEdit === undefined)).toBe(true);

    const h = await graphFor(hannah);
    expect(node(h, "iceberg.logistics.shipments")?.canEdit).toBe(true);
    expect(node(h, "iceberg.sales.orders")?.canEdit).toBe(false);
    expect(toShipments(h)?.canEdit).toBe(true);

    const c = await graphFor(carlos);
    expect(c.nodes.some((n) => n.canEdit)).toBe(false);
    expect(toShipments(c)).toMatchObject({ manualEdgeId: expect.any(String), canEdit: false });

    const a = await graphFor(admin);
    expect(node(a, "excel.sales.commission_sheet")?.canEdit).toBe(true);
    // a token without lineage:write may not edit, whoever its user is
    const readOnly = await graphFor({ ...olivia, tokenScopes: ["catalog:read"], token: { id: "t", name: "reader", kind: "personal" } });
    expect(readOnly.nodes.some((n) => n.canEdit) || readOnly.edges.some((e) => e.canEdit)).toBe(false);
  });

  it("answers over the API: validation, session, and the lineage:write scope for tokens", async () => {
    const call = <S extends ZodType, T>(op: Operation<S, T>, input: Record<string, unknown>, user: Principal | null) =>
      runOperation(op, input, { user, db: async () => db(), requestId: "req-edges" });
    const token = (scopes: string[]): Principal => ({ ...hannah, tokenScopes: scopes, token: { id: "t", name: "airflow", kind: "service" } });
    const body = { kind: "table", from: "iceberg.logistics.shipment_events", to: "iceberg.logistics.returns", note: "Return scans" };
    expect(await call(addEdgeOperation, { ...body, kind: "view" }, hannah)).toMatchObject({ ok: false, status: 400, fieldErrors: { kind: expect.any(Array) } });
    expect(await call(addEdgeOperation, body, null)).toMatchObject({ ok: false, status: 401 });
    expect(await call(addEdgeOperation, body, token(["catalog:read"]))).toMatchObject({ ok: false, status: 403, code: "insufficient_scope" });
    const created = await call(addEdgeOperation, body, token(["lineage:write"]));
    expect(created).toMatchObject({ ok: true, data: { source: "manual", note: "Return scans" } });
    const id = (created as { data: { id: string } }).data.id;
    expect(await call(removeEdgeOperation, { id: "nope" }, hannah)).toMatchObject({ ok: false, status: 400 });
    expect(await call(removeEdgeOperation, { id }, token(["catalog:read"]))).toMatchObject({ ok: false, status: 403 });
    expect(await call(removeEdgeOperation, { id }, token(["lineage:write"]))).toMatchObject({ ok: true, data: { removed: true } });
  });
});
