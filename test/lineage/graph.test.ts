import { beforeAll, describe, expect, it } from "vitest";
import { can, type Principal } from "@/lib/auth/permissions";
import { productRefSelect, toProductRef } from "@/lib/catalog/queries";
import { seedDemoMesh } from "@/lib/demo/seed";
import { DEMO_PERSONAS } from "@/lib/demo/personas";
import { runOperation } from "@/lib/http/operation";
import { ensureTables } from "@/lib/lineage/assets";
import { lineageGraph, reachDownstream, traverseAssets, traverseProducts } from "@/lib/lineage/graph";
import { graphOperation } from "@/lib/lineage/operations";
import type { LineageGraph, LineageNode } from "@/lib/lineage/types";
import { describeEachDatabase } from "@/test/support/db";
import { personaPrincipal, principalByEmail } from "@/test/support/seeded";

const MEI = "mei.chen@canopy.demo"; // owns Delivery ETA, the Fleet Telemetry team's draft

describeEachDatabase("lineage traversal", (testDb) => {
  const db = () => testDb().prisma;
  let id: (t: string) => string;
  const name = new Map<string, string>();

  beforeAll(async () => {
    // a → b → c → a is a cycle; c → d → e → f a chain; x → b joins from the side. Sources are mixed,
    // and a → b is recorded by two sources.
    const ids = await ensureTables(db(), ["a", "b", "c", "d", "e", "f", "x"].map((t) => ({ fqn: `cat.s.${t}` })));
    id = (t) => ids.get(`cat.s.${t}`)!;
    for (const [fqn, v] of ids) name.set(v, fqn.slice(-1));
    const edges: [string, string, string][] = [
      ["a", "b", "manual"],
      ["a", "b", "dbt"],
      ["b", "c", "dbt"],
      ["c", "a", "openmetadata"],
      ["c", "d", "manual"],
      ["d", "e", "dbt"],
      ["e", "f", "openmetadata"],
      ["x", "b", "manual"],
    ];
    for (const [f, t, source] of edges) await db().lineageEdge.create({ data: { fromId: id(f), toId: id(t), source } });
  });

  const named = (nodes: { id: string; depth: number }[]) => Object.fromEntries(nodes.map((n) => [name.get(n.id), n.depth]));

  it("follows a cycle once and keeps each node at its nearest depth", async () => {
    const r = await traverseAssets(db(), [id("a")], { up: 5, down: 5 });
    // c is both one hop upstream (c → a) and two downstream (a → b → c): the nearer wins.
    expect(named(r.nodes)).toEqual({ a: 0, b: 1, c: -1, x: -3, d: 3, e: 4, f: 5 });
    expect(r.truncated).toBe(false);
  });

  it("stops at the depth bound in each direction", async () => {
    expect(named((await traverseAssets(db(), [id("c")], { up: 0, down: 2 })).nodes)).toEqual({ c: 0, a: 1, d: 1, b: 2, e: 2 });
    expect(named((await traverseAssets(db(), [id("c")], { up: 1, down: 0 })).nodes)).toEqual({ c: 0, b: -1 });
    expect(named((await traverseAssets(db(), [id("f")], { up: 2, down: 2 })).nodes)).toEqual({ f: 0, e: -1, d: -2 });
    expect(named((await traverseAssets(db(), [id("f")], { up: 0, down: 0 })).nodes)).toEqual({ f: 0 });
  });

  it("returns every source of the edges between the nodes it returns", async () => {
    const r = await traverseAssets(db(), [id("b")], { up: 1, down: 1 });
    const edges = r.edges.map((e) => `${name.get(e.fromId)}>${name.get(e.toId)}:${e.source}`).sort();
    expect(edges).toEqual(["a>b:dbt", "a>b:manual", "b>c:dbt", "c>a:openmetadata", "x>b:manual"]);
  });

  it("caps the number of nodes, nearest first, and says so", async () => {
    const r = await traverseAssets(db(), [id("a")], { up: 5, down: 5, maxNodes: 3 });
    expect(named(r.nodes)).toEqual({ a: 0, b: 1, c: -1 });
    expect(r).toMatchObject({ reached: 7, truncated: true });
    expect(r.edges.every((e) => r.nodes.some((n) => n.id === e.fromId) && r.nodes.some((n) => n.id === e.toId))).toBe(true);
  });

  it("reaches everything downstream to any depth for impact analysis, through the cycle once, with shortest depths", async () => {
    const r = await reachDownstream(db(), "assets", [id("x")]);
    expect(named(r.nodes)).toEqual({ x: 0, b: 1, c: 2, a: 3, d: 3, e: 4, f: 5 });
    expect(r.truncated).toBe(false);
    const capped = await reachDownstream(db(), "assets", [id("x")], 3);
    expect(named(capped.nodes)).toEqual({ x: 0, b: 1, c: 2 });
    expect(capped.truncated).toBe(true);
  });

  it("starts from several nodes at once and answers nothing for nothing", async () => {
    expect(named((await traverseAssets(db(), [id("x"), id("f")], { up: 1, down: 1 })).nodes)).toEqual({ x: 0, f: 0, b: 1, e: -1 });
    expect(await traverseAssets(db(), [], { up: 3, down: 3 })).toEqual({ nodes: [], edges: [], reached: 0, truncated: false });
  });
});

describeEachDatabase("the lineage graph on the demo mesh", (testDb) => {
  const db = () => testDb().prisma;
  let olivia: Principal;
  let mei: Principal;
  let productIds: Map<string, string>;
  beforeAll(async () => {
    await seedDemoMesh(db());
    olivia = await personaPrincipal(db(), "owner");
    mei = await principalByEmail(db(), MEI);
    productIds = new Map((await db().dataProduct.findMany({ select: { id: true, slug: true } })).map((p) => [p.slug, p.id]));
  }, 180_000);

  const bySlug = (g: LineageGraph, slug: string) => g.nodes.find((n) => n.kind === "product" && n.product?.slug === slug);
  const node = (g: LineageGraph, id: string) => g.nodes.find((n) => n.id === id);

  it("traverses product lineage from the descriptors in one query", async () => {
    const orders = productIds.get("sales-orders")!;
    const r = await traverseProducts(db(), [orders], { up: 0, down: 1 });
    const slugs = new Map([...productIds].map(([s, i]) => [i, s]));
    const direct = r.nodes.filter((n) => n.depth === 1).map((n) => slugs.get(n.id)).sort();
    expect(direct).toEqual(
      ["campaign-performance", "customer-360", "customer-segments-legacy", "daily-sales-kpis", "invoices", "marketing-attribution", "returns", "revenue-recognition", "sales-forecast-v2", "sales-orders-csv-export", "shipments"].sort(),
    );
    const upstream = await traverseProducts(db(), [productIds.get("delivery-eta")!], { up: 3, down: 0 });
    expect(Object.fromEntries(upstream.nodes.map((n) => [slugs.get(n.id), n.depth]))).toEqual({
      "delivery-eta": 0,
      shipments: -1,
      "fleet-telemetry": -1,
      "carrier-performance": -1,
      "sales-orders": -2,
    });
    expect(upstream.edges.every((e) => e.source === "descriptor" && e.inputName)).toBe(true);
  });

  it("joins products, ports, tables and columns, and follows the chain of four products", async () => {
    const g = await lineageGraph(db(), mei, { focus: { product: "sales-orders" }, up: 1, down: 3, columns: true });
    expect(g.focus).toBe(`product:${productIds.get("sales-orders")}`);
    expect(bySlug(g, "sales-orders")!.depth).toBe(0);
    expect(bySlug(g, "shipments")!.depth).toBe(1);
    expect(bySlug(g, "carrier-performance")!.depth).toBe(2);
    expect(bySlug(g, "delivery-eta")).toMatchObject({ depth: 2, restricted: false, status: "draft", access: "owner" });
    const orders = g.nodes.find((n) => n.kind === "table" && n.fqn === "iceberg.sales.orders")!;
    expect(orders).toMatchObject({ depth: 0, port: { name: "orders", type: "trino_table" }, product: { slug: "sales-orders" } });
    const raw = g.nodes.find((n) => n.fqn === "raw.webshop.orders")!;
    expect(raw).toMatchObject({ kind: "table", depth: -1, product: null, status: null, restricted: false });
    // port → table ("serves"), table → table with every source, and the product edge from the port.
    const ordersPort = g.nodes.find((n) => n.kind === "port" && n.label === "orders" && n.product?.slug === "sales-orders")!;
    expect(g.edges).toContainEqual(expect.objectContaining({ from: ordersPort.id, to: orders.id, kind: "serves", sources: ["descriptor"] }));
    const shipmentsTable = g.nodes.find((n) => n.fqn === "iceberg.logistics.shipments")!;
    const manual = g.edges.find((e) => e.from === orders.id && e.to === shipmentsTable.id)!;
    expect(manual).toMatchObject({ kind: "table", sources: ["manual"], label: expect.stringContaining("fulfilment job") });
    expect(manual.manualEdgeId).toMatch(/^[0-9a-f-]{36}$/);
    const productEdge = g.edges.find((e) => e.kind === "product" && e.from === ordersPort.id && e.to === bySlug(g, "shipments")!.id)!;
    expect(productEdge).toMatchObject({ label: "orders", sources: ["descriptor"] });
    // Column lineage between the tables shown.
    const col = g.nodes.find((n) => n.kind === "column" && n.fqn === "iceberg.logistics.shipments.order_id")!;
    expect(col).toMatchObject({ label: "order_id", tableId: shipmentsTable.id, product: { slug: "shipments" } });
    expect(g.edges.some((e) => e.kind === "column" && e.to === col.id)).toBe(true);
    // Every edge joins two nodes of the graph.
    const ids = new Set(g.nodes.map((n) => n.id));
    expect(g.edges.every((e) => ids.has(e.from) && ids.has(e.to))).toBe(true);
  });

  it("badges each node with its product's status, latest governance result and the viewer's access", async () => {
    const carlos = await personaPrincipal(db(), "consumer");
    const g = await lineageGraph(db(), carlos, { focus: { product: "sales-orders" }, up: 0, down: 1 });
    // Carlos has an active grant on the orders port only.
    expect(bySlug(g, "sales-orders")).toMatchObject({ access: "granted", status: "published" });
    const ports = g.nodes.filter((n) => n.kind === "port" && n.product?.slug === "sales-orders");
    expect(Object.fromEntries(ports.map((n) => [n.label, n.access]))).toMatchObject({ orders: "granted", "order-lines": "none" });
    expect(bySlug(g, "sales-orders-csv-export")).toMatchObject({ status: "deprecated" });
    expect(bySlug(g, "shipments")!.access).toBe("none");
    const latest = await db().policyEvaluation.findMany({ orderBy: { evaluatedAt: "desc" }, select: { productId: true, blocking: true, failing: true } });
    for (const n of g.nodes.filter((x) => x.kind === "product" && !x.restricted)) {
      const e = latest.find((x) => `product:${x.productId}` === n.id);
      const expected = !e ? "unknown" : e.blocking > 0 ? "failing" : e.failing > 0 ? "warning" : "passing";
      expect([n.label, n.quality]).toEqual([n.label, expected]);
    }
    expect(new Set(g.nodes.map((n) => n.quality)).size).toBeGreaterThan(1);
    expect(bySlug(await lineageGraph(db(), olivia, { focus: { product: "sales-orders" }, up: 0, down: 0 }), "sales-orders")!.access).toBe("owner");
  });

  it("leaves columns out unless asked", async () => {
    const g = await lineageGraph(db(), olivia, { focus: { product: "sales-orders" }, up: 1, down: 1 });
    expect(g.columns).toBe(false);
    expect(g.nodes.some((n) => n.kind === "column")).toBe(false);
    expect(g.edges.some((e) => e.kind === "column")).toBe(false);
  });

  it("shows another team's draft as restricted, without any name", async () => {
    const g = await lineageGraph(db(), olivia, { focus: { product: "sales-orders" }, up: 0, down: 3, columns: true });
    const eta = node(g, `product:${productIds.get("delivery-eta")}`)!;
    expect(eta).toMatchObject({ restricted: true, label: "Restricted product", product: null, fqn: null, port: null, status: null, access: "none" });
    const hidden = g.nodes.filter((n) => n.restricted);
    expect(hidden.length).toBeGreaterThan(1);
    const text = JSON.stringify(g);
    for (const secret of ["Delivery ETA", "delivery-eta", "eta_predictions", "eta-predictions", "eta-api"]) expect(text).not.toContain(secret);
    for (const n of hidden) expect(n).toMatchObject({ label: "Restricted product", fqn: null, product: null, port: null });
    // Edges into restricted nodes keep no labels.
    for (const e of g.edges) if (hidden.some((n) => n.id === e.from || n.id === e.to)) expect(e.label).toBeNull();
  });

  it("restricts exactly the products each persona may not read (the catalogue's where-clause and can() agree)", async () => {
    const refs = new Map((await db().dataProduct.findMany({ select: productRefSelect })).map((p) => [p.id, toProductRef(p)]));
    for (const persona of DEMO_PERSONAS) {
      const user = await personaPrincipal(db(), persona.key);
      for (const slug of ["sales-orders", "shipments", "customer-master"]) {
        const g = await lineageGraph(db(), user, { focus: { product: slug }, up: 5, down: 5, maxNodes: 2000 });
        for (const n of g.nodes.filter((x): x is LineageNode => x.kind === "product")) {
          const id = n.id.slice("product:".length);
          expect([persona.key, slug, n.id, n.restricted]).toEqual([persona.key, slug, n.id, !can(user, "product.read", refs.get(id)!)]);
        }
      }
    }
  });

  it("centres on a table or a column by name, and on a port", async () => {
    const t = await lineageGraph(db(), olivia, { focus: { fqn: "ICEBERG.Finance.Invoices" }, up: 1, down: 1 });
    expect(node(t, t.focus)).toMatchObject({ kind: "table", fqn: "iceberg.finance.invoices", depth: 0, product: { slug: "invoices" } });
    expect(t.nodes.filter((n) => n.kind === "table").map((n) => [n.fqn, n.depth]).sort()).toEqual([
      ["iceberg.customer.customers", -1],
      ["iceberg.finance.ar_ageing_daily", 1],
      ["iceberg.finance.invoices", 0],
      ["iceberg.sales.orders", -1],
    ]);
    const c = await lineageGraph(db(), olivia, { focus: { fqn: "iceberg.sales.orders.order_id" }, up: 2, down: 2 });
    expect(c.columns).toBe(true);
    expect(c.nodes.filter((n) => n.kind === "column").map((n) => [n.fqn, n.depth]).sort()).toEqual([
      ["iceberg.finance.invoices.order_id", 1],
      ["iceberg.logistics.shipments.order_id", 1],
      ["iceberg.sales.orders.order_id", 0],
      ["raw.webshop.orders.id", -1],
    ]);
    const portId = (await db().outputPort.findFirstOrThrow({ where: { name: "carrier-scorecard" }, select: { id: true } })).id;
    const p = await lineageGraph(db(), mei, { focus: `port:${portId}`, up: 0, down: 1 });
    expect(p.focus).toBe(`port:${portId}`);
    // Consumers of that one port: Mei's own draft by name, Finance's draft (Cost to Serve) restricted.
    const consumers = p.nodes.filter((n) => n.kind === "product" && n.depth === 1);
    expect(consumers.map((n) => n.product?.slug ?? n.label).sort()).toEqual(["Restricted product", "delivery-eta"]);
    expect(consumers.find((n) => n.restricted)!.id).toBe(`product:${productIds.get("cost-to-serve")}`);
  });

  it("marks nodes with more neighbours beyond the graph, and caps the graph", async () => {
    const g = await lineageGraph(db(), olivia, { focus: { product: "shipments" }, up: 1, down: 1 });
    expect(bySlug(g, "shipments")!.more).toEqual({ up: false, down: false });
    expect(bySlug(g, "sales-orders")!.more.up).toBe(false);
    expect(bySlug(g, "revenue-recognition")!.more.down).toBe(true);
    const capped = await lineageGraph(db(), olivia, { focus: { product: "sales-orders" }, up: 5, down: 5, maxNodes: 10 });
    expect(capped.nodes).toHaveLength(10);
    expect(capped.truncated).toBe(true);
    expect(capped.nodes.some((n) => n.id === capped.focus)).toBe(true);
  });

  it("answers not found for what the viewer may not read, and for what does not exist", async () => {
    await expect(lineageGraph(db(), olivia, { focus: { product: "delivery-eta" } })).rejects.toMatchObject({ status: 404 });
    await expect(lineageGraph(db(), olivia, { focus: { fqn: "iceberg.logistics.eta_predictions" } })).rejects.toMatchObject({ status: 404 });
    await expect(lineageGraph(db(), olivia, { focus: { fqn: "nowhere.at.all" } })).rejects.toMatchObject({ status: 404 });
    await expect(lineageGraph(db(), olivia, { focus: "product:not-an-id" })).rejects.toMatchObject({ status: 400 });
  });

  describe("GET /api/v1/lineage/graph", () => {
    const call = (input: Record<string, unknown>, user: Principal | null) => runOperation(graphOperation, input, { user, db: async () => db(), requestId: "req-lineage" });
    it("validates the query and the session", async () => {
      expect(await call({ product: "sales-orders", up: "1", down: "2", columns: "true" }, olivia)).toMatchObject({ ok: true, data: { up: 1, down: 2, columns: true } });
      expect(await call({ product: "sales-orders", up: "9" }, olivia)).toMatchObject({ ok: false, status: 400, fieldErrors: { up: expect.any(Array) } });
      expect(await call({ product: "sales-orders", node: "x" }, olivia)).toMatchObject({ ok: false, status: 400 });
      expect(await call({}, olivia)).toMatchObject({ ok: false, status: 400 });
      expect(await call({ product: "sales-orders" }, null)).toMatchObject({ ok: false, status: 401 });
      const token = { ...olivia, tokenScopes: ["access:read"], token: { id: "t", name: "ci", kind: "service" } };
      expect(await call({ product: "sales-orders" }, token)).toMatchObject({ ok: false, status: 403, code: "insufficient_scope" });
      expect(await call({ product: "sales-orders" }, { ...token, tokenScopes: ["catalog:read"] })).toMatchObject({ ok: true });
    });
  });
});
