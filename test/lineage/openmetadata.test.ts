/**
 * OpenMetadata lineage sync: the real adapter over HTTP against the fake OpenMetadata server, and a
 * real database. Products are shared to the fake by Canopy's own metadata push, so the sync finds
 * them under the names Canopy gives them.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { createEmbeddedOpenMetadataClient, createOpenMetadataClient } from "@/lib/integrations/openmetadata/client";
import type { OpenMetadataClient } from "@/lib/integrations/openmetadata/types";
import { createWorker } from "@/lib/jobs/worker";
import { ensureTables } from "@/lib/lineage/assets";
import { OM_LINEAGE_SYNC_JOB, OM_PUSH_MARKER, canopyTableFqn, syncProductLineage, type OmSyncSummary } from "@/lib/lineage/openmetadata";
import { openMetadataLineageSyncHandler, openMetadataSyncStatus, queueDueSyncs, requestOpenMetadataSync } from "@/lib/lineage/openmetadata-jobs";
import { loadPrincipal } from "@/lib/auth/principal";
import { runOperation } from "@/lib/http/operation";
import { openMetadataSyncOperations } from "@/lib/lineage/openmetadata-api";
import { logger } from "@/lib/log";
import { PUSH_METADATA_JOB, pushProductMetadataHandler } from "@/lib/provisioning/metadata";
import { describeEachDatabase } from "@/test/support/db";
import { refusal } from "@/test/support/outcomes";
import { startFakeOpenMetadata, type FakeOpenMetadata } from "@/test/fakes/openmetadata/server";

const fastRetry = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

describeEachDatabase("OpenMetadata lineage sync", (testDb) => {
  let om: FakeOpenMetadata;
  let client: OpenMetadataClient;
  const db = (): Db => testDb().prisma;
  const ids = { user: "", domain: "", orders: "", revenue: "", ordersPort: "", revenuePort: "" };
  const actor = () => ({ id: ids.user, label: "olivia@canopy.test" });
  const table = (fqn: string) => om.store.byFqn("table", fqn)!;

  async function omEdges(source: string) {
    const rows = await db().lineageEdge.findMany({
      where: { source },
      select: { id: true, note: true, details: true, from: { select: { kind: true, fqn: true } }, to: { select: { fqn: true } } },
    });
    return rows.map((r) => ({ ...r, key: `${r.from.kind}:${r.from.fqn}>${r.to.fqn}` }));
  }
  const keys = async (source: string) => (await omEdges(source)).map((e) => e.key).sort();

  beforeAll(async () => {
    om = await startFakeOpenMetadata({ pageSize: 2 });
    client = createOpenMetadataClient({ baseUrl: om.url, token: om.token, retry: fastRetry });

    const d = db();
    ids.user = (await d.user.create({ data: { email: "olivia@canopy.test", name: "Olivia", provider: "demo" } })).id;
    ids.domain = (await d.domain.create({ data: { slug: "sales", name: "Sales" } })).id;
    const product = async (slug: string, location: string, fields: string[]) => {
      const p = await d.dataProduct.create({ data: { slug, name: slug, domainId: ids.domain, status: "published", owners: { create: { userId: ids.user } } } });
      const port = await d.outputPort.create({
        data: {
          productId: p.id,
          name: slug,
          type: "trino_table",
          location,
          fields: { create: fields.map((name, position) => ({ name, type: name === "day" ? "date" : "bigint", position })) },
        },
      });
      return [p.id, port.id] as const;
    };
    [ids.orders, ids.ordersPort] = await product("orders", "lakehouse.sales.orders", ["id", "amount", "customer_id"]);
    [ids.revenue, ids.revenuePort] = await product("revenue", "lakehouse.finance.daily_revenue", ["day", "amount"]);
    await d.productDependency.create({ data: { productId: ids.revenue, inputName: "orders", upstreamPortId: ids.ordersPort } });

    // Other tables of the same schema, sorted before "orders", so finding it takes several pages.
    for (const name of ["a1", "a2", "a3", "a4", "a5"]) {
      await client.upsertTable({ databaseSchema: "trino.lakehouse.sales", name, columns: [{ name: "id", dataType: "int" }] });
    }
    // Canopy shares both products the way provisioning does.
    const push = pushProductMetadataHandler(client);
    for (const productId of [ids.orders, ids.revenue]) {
      await push(
        { id: productId, kind: PUSH_METADATA_JOB, payload: { productId }, attempt: 1, maxAttempts: 1, idempotencyKey: productId },
        { db: d, log: logger, signal: new AbortController().signal },
      );
    }
    expect(table("trino.lakehouse.sales.orders")).toBeTruthy();

    // Lineage people and ingestion recorded in OpenMetadata.
    const add = (fqn: string, type = "table") =>
      om.store.addEntity(type, fqn, type === "table" ? { databaseSchema: fqn.split(".").slice(0, 3).join("."), columns: [] } : {});
    const raw = add("trino.lakehouse.raw.orders_raw");
    const src = add("trino.lakehouse.landing.orders_src");
    const x0 = add("trino.lakehouse.landing.x0");
    const x1 = add("trino.lakehouse.landing.x1");
    const customers = add("mysql_prod.shop.public.customers");
    const dash = add("superset.sales_overview", "dashboard");
    const orders = table("trino.lakehouse.sales.orders");
    om.store.addEdge(raw, orders, {
      source: "QueryLineage",
      sqlQuery: "insert into lakehouse.sales.orders select id, amt from lakehouse.raw.orders_raw",
      columnsLineage: [
        { fromColumns: ["trino.lakehouse.raw.orders_raw.id"], toColumn: "trino.lakehouse.sales.orders.id" },
        { fromColumns: ["trino.lakehouse.raw.orders_raw.amt"], toColumn: "trino.lakehouse.sales.orders.amount" },
      ],
    });
    om.store.addEdge(src, raw, { source: "PipelineLineage" });
    om.store.addEdge(x0, src, { source: "Manual" });
    om.store.addEdge(x1, x0, { source: "Manual" });
    om.store.addEdge(customers, orders, { source: "CrossDatabaseLineage" });
    om.store.addEdge(orders, table("trino.lakehouse.finance.daily_revenue"), { source: "ViewLineage" });
    om.store.addEdge(orders, dash, { source: "DashboardLineage" });

    // Manual edges in Canopy: one on the same tables as an OpenMetadata edge, one of its own.
    const assets = await ensureTables(d, [{ fqn: "lakehouse.raw.orders_raw" }, { fqn: "lakehouse.sales.orders" }, { fqn: "lakehouse.sales.legacy_orders" }]);
    await d.lineageEdge.createMany({
      data: [
        { fromId: assets.get("lakehouse.raw.orders_raw")!, toId: assets.get("lakehouse.sales.orders")!, source: "manual", note: "checked by hand" },
        { fromId: assets.get("lakehouse.sales.legacy_orders")!, toId: assets.get("lakehouse.sales.orders")!, source: "manual", note: "until March" },
      ],
    });
  }, 120_000);

  afterAll(() => om?.close());
  beforeEach(() => {
    om.faults.clear();
    om.requests.length = 0;
  });

  it("maps OpenMetadata table names to Canopy's, dropping the service", () => {
    expect(canopyTableFqn("trino.Lakehouse.sales.Orders")).toBe("lakehouse.sales.orders");
    expect(canopyTableFqn("mysql_prod.shop.public.customers")).toBe("shop.public.customers");
    expect(canopyTableFqn('trino.lakehouse.demo."file.csv"')).toBeNull();
    expect(canopyTableFqn("trino.lakehouse.orders")).toBeNull();
  });

  it("pulls the lineage of the product's tables within the depth asked, finding them across pages", async () => {
    const one = await syncProductLineage(db(), client, ids.orders, { depth: 1, actor: actor() });
    expect(await keys("openmetadata")).toEqual([
      "column:lakehouse.raw.orders_raw.amt>lakehouse.sales.orders.amount",
      "column:lakehouse.raw.orders_raw.id>lakehouse.sales.orders.id",
      "table:lakehouse.raw.orders_raw>lakehouse.sales.orders",
      "table:lakehouse.sales.orders>lakehouse.finance.daily_revenue",
      "table:shop.public.customers>lakehouse.sales.orders",
    ]);
    expect(one.summary.tables).toEqual({ found: ["lakehouse.sales.orders"], missing: [] });
    expect(one.summary.pulled).toEqual({ tableEdges: 3, columnEdges: 2, skipped: 1 }); // the dashboard
    expect(one.summary.edges).toMatchObject({ added: 5, removed: 0, unchanged: 0 });

    // The schema listing followed the cursor; lineage was asked for at the depth given.
    const listing = om.requests.filter((r) => r.method === "GET" && r.path === "/api/v1/tables");
    expect(listing.length).toBeGreaterThanOrEqual(3);
    expect(listing.every((r) => r.query.databaseSchema === "trino.lakehouse.sales")).toBe(true);
    expect(listing.slice(1).every((r) => typeof r.query.after === "string")).toBe(true);
    const lineage = om.requests.filter((r) => r.path.startsWith("/api/v1/lineage/table/name/"));
    expect(lineage.map((r) => [decodeURIComponent(r.path.split("/").at(-1)!), r.query.upstreamDepth, r.query.downstreamDepth])).toEqual([
      ["trino.lakehouse.sales.orders", "1", "1"],
    ]);

    // Details keep OpenMetadata's own source and SQL.
    const edges = await omEdges("openmetadata");
    expect(edges.find((e) => e.key === "table:lakehouse.raw.orders_raw>lakehouse.sales.orders")!.details).toEqual({
      lineageSource: "QueryLineage",
      sqlQuery: "insert into lakehouse.sales.orders select id, amt from lakehouse.raw.orders_raw",
    });
    expect(edges.find((e) => e.key === "table:shop.public.customers>lakehouse.sales.orders")!.details).toEqual({ lineageSource: "CrossDatabaseLineage" });

    const three = await syncProductLineage(db(), client, ids.orders, { depth: 3, actor: actor() });
    expect(three.summary.edges.addedEdges).toEqual([
      { kind: "table", from: "lakehouse.landing.orders_src", to: "lakehouse.raw.orders_raw" },
      { kind: "table", from: "lakehouse.landing.x0", to: "lakehouse.landing.orders_src" },
    ]);
    expect(await keys("openmetadata")).not.toContain("table:lakehouse.landing.x1>lakehouse.landing.x0");
  });

  it("keeps manual edges, even on the same tables, and records and audits each run", async () => {
    expect(await keys("manual")).toEqual(["table:lakehouse.raw.orders_raw>lakehouse.sales.orders", "table:lakehouse.sales.legacy_orders>lakehouse.sales.orders"]);
    expect((await omEdges("manual")).map((e) => e.note).sort()).toEqual(["checked by hand", "until March"]);

    const runs = await db().lineageImport.findMany({ where: { source: "openmetadata", productId: ids.orders }, orderBy: { createdAt: "asc" } });
    expect(runs.map((r) => [r.status, r.actor, r.actorId])).toEqual([
      ["succeeded", "olivia@canopy.test", ids.user],
      ["succeeded", "olivia@canopy.test", ids.user],
    ]);
    const audit = await db().auditEvent.findMany({ where: { action: "lineage.openmetadata_synced", targetId: ids.orders } });
    expect(audit).toHaveLength(2);
    expect(audit.map((a) => (a.after as { importId: string }).importId).sort()).toEqual(runs.map((r) => r.id).sort());
  });

  it("changes nothing when synced again", async () => {
    const before = await omEdges("openmetadata");
    const again = await syncProductLineage(db(), client, ids.orders, { depth: 3, actor: actor() });
    expect(again.summary.edges).toMatchObject({ added: 0, removed: 0, updated: 0, unchanged: before.length });
    const after = await omEdges("openmetadata");
    expect(after.map((e) => e.id).sort()).toEqual(before.map((e) => e.id).sort());
  });

  it("removes an edge OpenMetadata no longer has, and only that one", async () => {
    om.store.edges.delete(`${table("mysql_prod.shop.public.customers").id}:${table("trino.lakehouse.sales.orders").id}`);
    const r = await syncProductLineage(db(), client, ids.orders, { depth: 3, actor: actor() });
    expect(r.summary.edges).toMatchObject({ added: 0, removed: 1 });
    expect(r.summary.edges.removedEdges).toEqual([{ kind: "table", from: "shop.public.customers", to: "lakehouse.sales.orders" }]);
    expect(await keys("openmetadata")).not.toContain("table:shop.public.customers>lakehouse.sales.orders");
    expect(await keys("manual")).toHaveLength(2);
  });

  it("removes column edges that went away with their table edge's column lineage", async () => {
    const edge = om.store.edges.get(`${table("trino.lakehouse.raw.orders_raw").id}:${table("trino.lakehouse.sales.orders").id}`)!;
    const saved = edge.lineageDetails.columnsLineage;
    edge.lineageDetails.columnsLineage = [{ fromColumns: ["trino.lakehouse.raw.orders_raw.id"], toColumn: "trino.lakehouse.sales.orders.id" }];
    try {
      const r = await syncProductLineage(db(), client, ids.orders, { depth: 3, actor: actor() });
      expect(r.summary.edges.removedEdges).toEqual([{ kind: "column", from: "lakehouse.raw.orders_raw.amt", to: "lakehouse.sales.orders.amount" }]);
    } finally {
      edge.lineageDetails.columnsLineage = saved;
    }
    const r = await syncProductLineage(db(), client, ids.orders, { depth: 3, actor: actor() });
    expect(r.summary.edges.addedEdges).toEqual([{ kind: "column", from: "lakehouse.raw.orders_raw.amt", to: "lakehouse.sales.orders.amount" }]);
  });

  it("pushes the product's dependencies as data product lineage, once, and removes only its own stale edges", async () => {
    const dp = (fqn: string) => om.store.byFqn("dataProduct", fqn)!;
    const pushedEdges = () =>
      [...om.store.edges.values()]
        .filter((e) => om.store.entities.get(e.toId)?.type === "dataProduct")
        .map((e) => `${om.store.entities.get(e.fromId)!.fullyQualifiedName}>${om.store.entities.get(e.toId)!.fullyQualifiedName}`)
        .sort();

    const first = await syncProductLineage(db(), client, ids.revenue, { depth: 1, actor: actor() });
    expect(first.summary.pushed).toEqual({ dataProduct: "Sales.revenue", added: ["orders"], unchanged: [], removed: [], skipped: [], error: null });
    expect(pushedEdges()).toEqual(["Sales.orders>Sales.revenue"]);
    const put = om.requests.filter((r) => r.method === "PUT" && r.path === "/api/v1/lineage");
    expect(put).toHaveLength(1);
    expect(put[0]!.body).toMatchObject({
      edge: {
        fromEntity: { id: dp("Sales.orders").id, type: "dataProduct" },
        toEntity: { id: dp("Sales.revenue").id, type: "dataProduct" },
        lineageDetails: { description: `${OM_PUSH_MARKER}: revenue reads orders (orders)` },
      },
    });
    // The pull of revenue's table sees orders → daily_revenue from OpenMetadata.
    expect(first.summary.edges.added + first.summary.edges.unchanged).toBeGreaterThan(0);

    om.requests.length = 0;
    const again = await syncProductLineage(db(), client, ids.revenue, { depth: 1, actor: actor() });
    expect(again.summary.pushed).toMatchObject({ added: [], unchanged: ["orders"], removed: [] });
    expect(om.requests.filter((r) => r.method === "PUT")).toHaveLength(0);

    // Someone drew an edge in OpenMetadata by hand; then revenue stops reading orders.
    const marketing = om.store.addEntity("dataProduct", "Sales.campaigns", { domainIds: [om.store.byFqn("domain", "Sales")!.id] });
    om.store.addEdge(marketing, dp("Sales.revenue"), { source: "Manual", description: "drawn by a steward" });
    await db().productDependency.deleteMany({ where: { productId: ids.revenue } });
    const gone = await syncProductLineage(db(), client, ids.revenue, { depth: 1, actor: actor() });
    expect(gone.summary.pushed).toMatchObject({ added: [], unchanged: [], removed: ["orders"] });
    expect(pushedEdges()).toEqual(["Sales.campaigns>Sales.revenue"]);
    await db().productDependency.create({ data: { productId: ids.revenue, inputName: "orders", upstreamPortId: ids.ordersPort } });
  });

  it("skips a push whose data product OpenMetadata does not know yet", async () => {
    const orphan = await db().dataProduct.create({
      data: { slug: "orphan", name: "Orphan", domainId: ids.domain, dependencies: { create: { inputName: "orders", upstreamPortId: ids.ordersPort } } },
    });
    const r = await syncProductLineage(db(), client, orphan.id, { actor: actor() });
    expect(r.summary.pushed).toEqual({
      dataProduct: null,
      added: [],
      unchanged: [],
      removed: [],
      skipped: [{ upstream: "orders", reason: "data product Sales.orphan is not in OpenMetadata yet" }],
      error: null,
    });
    await db().dataProduct.delete({ where: { id: orphan.id } });
  });

  it("reports tables OpenMetadata does not know and leaves their edges alone", async () => {
    const ghost = await db().dataProduct.create({
      data: { slug: "ghosts", name: "Ghosts", domainId: ids.domain, outputPorts: { create: { name: "ghost", type: "trino_table", location: "lakehouse.sales.ghost" } } },
    });
    const tables = await ensureTables(db(), [{ fqn: "lakehouse.sales.ghost" }, { fqn: "lakehouse.raw.ghost_src" }]);
    await db().lineageEdge.create({ data: { fromId: tables.get("lakehouse.raw.ghost_src")!, toId: tables.get("lakehouse.sales.ghost")!, source: "openmetadata" } });
    const r = await syncProductLineage(db(), client, ghost.id, { actor: actor() });
    expect(r.summary.tables).toEqual({ found: [], missing: ["lakehouse.sales.ghost"] });
    expect(r.summary.edges).toMatchObject({ added: 0, removed: 0 });
    expect(om.requests.filter((q) => q.path.startsWith("/api/v1/lineage/table/"))).toHaveLength(0);
    expect(await keys("openmetadata")).toContain("table:lakehouse.raw.ghost_src>lakehouse.sales.ghost");
    await db().dataProduct.delete({ where: { id: ghost.id } });
  });

  it("answers a 5xx with a retry", async () => {
    om.faults.add({ kind: "status", status: 503, method: "GET", path: "/api/v1/lineage/table/", times: 2, body: { code: 503, message: "Search unavailable" } });
    const r = await syncProductLineage(db(), client, ids.orders, { depth: 3, actor: actor() });
    expect(om.faults.hits("/api/v1/lineage/table/")).toBe(2);
    expect(r.summary.edges).toMatchObject({ added: 0, removed: 0 });
  });

  it("queues a sync through the outbox once, runs it, and reports it in the status", async () => {
    const product = { id: ids.orders, slug: "orders" };
    const first = await db().$transaction((tx) => requestOpenMetadataSync(tx, actor(), product, { configured: true }));
    const second = await db().$transaction((tx) => requestOpenMetadataSync(tx, actor(), product, { configured: true }));
    expect(first.queued).toBe(true);
    expect(second).toMatchObject({ queued: false, job: { id: first.job.id } });
    expect(await db().auditEvent.count({ where: { action: "lineage.openmetadata_sync_requested", targetId: ids.orders } })).toBe(1);

    const pending = await openMetadataSyncStatus(db(), ids.orders, true);
    expect(pending.job).toMatchObject({ id: first.job.id, kind: OM_LINEAGE_SYNC_JOB, status: "pending" });

    const worker = createWorker({ db: db(), handlers: { [OM_LINEAGE_SYNC_JOB]: openMetadataLineageSyncHandler(client) } });
    expect(await worker.drain()).toBe(1);
    const job = await db().job.findUniqueOrThrow({ where: { id: first.job.id } });
    expect(job).toMatchObject({ status: "succeeded", result: { synced: true, added: 0, removed: 0 } });

    const done = await openMetadataSyncStatus(db(), ids.orders, true);
    expect(done).toMatchObject({ configured: true, message: null, job: null, lastRun: { status: "succeeded", actor: "olivia@canopy.test", error: null } });
    const summary = done.lastRun!.summary as OmSyncSummary;
    expect(summary.depth).toEqual({ upstream: 3, downstream: 3 });
    expect(summary.tables.found).toEqual(["lakehouse.sales.orders"]);
  });

  it("records a permanent failure, parks the job and says why in the status", async () => {
    om.faults.add({
      kind: "status",
      status: 403,
      path: "/api/v1/lineage/table/",
      times: 10,
      body: { code: 403, message: "Principal: CatalogPrincipal{name='canopy-bot'} operations [ViewBasic] not allowed" },
    });
    const edgesBefore = await keys("openmetadata");
    const { job } = await db().$transaction((tx) =>
      requestOpenMetadataSync(tx, actor(), { id: ids.orders, slug: "orders" }, { configured: true, now: new Date(Date.now() + 120_000) }),
    );
    const worker = createWorker({ db: db(), handlers: { [OM_LINEAGE_SYNC_JOB]: openMetadataLineageSyncHandler(client) }, now: () => new Date(Date.now() + 180_000) });
    await worker.drain();
    const parked = await db().job.findUniqueOrThrow({ where: { id: job.id } });
    expect(parked.status).toBe("failed");
    expect(parked.attempts).toBe(1);
    expect(parked.lastError).toContain("(403)");
    expect(om.faults.hits("/api/v1/lineage/table/")).toBe(1); // a 403 is not retried

    const status = await openMetadataSyncStatus(db(), ids.orders, true);
    expect(status.lastRun).toMatchObject({ status: "failed", summary: null });
    expect(status.lastRun!.error).toContain("denied the Canopy bot permission");
    expect(status.job).toBeNull();
    const audit = await db().auditEvent.findFirst({ where: { action: "lineage.openmetadata_sync_failed", targetId: ids.orders } });
    expect(audit?.after).toMatchObject({ importId: status.lastRun!.id });
    expect(await keys("openmetadata")).toEqual(edgesBefore);
  });

  it("does nothing, and says so, when OpenMetadata is not configured", async () => {
    const err = await refusal(db().$transaction((tx) => requestOpenMetadataSync(tx, actor(), { id: ids.orders, slug: "orders" }, { configured: false })));
    expect(err).toMatchObject({ status: 409, code: "not_configured" });
    const runs = await db().lineageImport.count();
    const handler = openMetadataLineageSyncHandler(createEmbeddedOpenMetadataClient());
    const result = await handler(
      { id: "j", kind: OM_LINEAGE_SYNC_JOB, payload: { productId: ids.orders }, attempt: 1, maxAttempts: 1, idempotencyKey: "j" },
      { db: db(), log: logger, signal: new AbortController().signal },
    );
    expect(result).toMatchObject({ synced: false, reason: expect.stringContaining("not configured") });
    expect(await db().lineageImport.count()).toBe(runs);
    const status = await openMetadataSyncStatus(db(), ids.orders, false);
    expect(status).toMatchObject({ configured: false, message: expect.stringContaining("not configured") });
  });

  it("sweeps: queues products that changed since their last sync, or were never synced", async () => {
    await db().job.deleteMany({ where: { kind: OM_LINEAGE_SYNC_JOB } });
    const now = new Date(Date.now() + 600_000);
    // orders and revenue have recent runs and have not changed since.
    expect(await queueDueSyncs(db(), now)).toEqual({ queued: 0 });
    await db().dataProduct.update({ where: { id: ids.revenue }, data: { summary: "Daily revenue, by day" } });
    expect(await queueDueSyncs(db(), now)).toEqual({ queued: 1 });
    const jobs = await db().job.findMany({ where: { kind: OM_LINEAGE_SYNC_JOB } });
    expect(jobs.map((j) => [j.targetId, (j.payload as { reason: string }).reason])).toEqual([[ids.revenue, "changed"]]);
    // Queued already: the next sweep leaves it alone.
    expect(await queueDueSyncs(db(), new Date(now.getTime() + 3_600_000))).toEqual({ queued: 0 });
    // A day later everything is refreshed.
    await db().job.deleteMany({ where: { kind: OM_LINEAGE_SYNC_JOB } });
    expect(await queueDueSyncs(db(), new Date(now.getTime() + 25 * 3_600_000))).toEqual({ queued: 2 });
  });
  it("REST: status for readers, a queued sync for owners, 403 for others, 404 for unknown products, 400 for a bad depth", async () => {
    await db().job.deleteMany({ where: { kind: OM_LINEAGE_SYNC_JOB } });
    const owner = (await loadPrincipal(db(), ids.user))!;
    const carl = (await loadPrincipal(db(), (await db().user.create({ data: { email: "carl@canopy.test", name: "Carl", provider: "demo" } })).id))!;
    const env = (user: typeof owner | null) => ({ user, db: async () => db(), requestId: "req-om-sync" });
    const ops = openMetadataSyncOperations(async () => true);

    const status = await runOperation(ops.status, { product: "orders" }, env(carl));
    expect(status).toMatchObject({ ok: true, data: { configured: true, lastRun: { status: "failed" }, job: null } });

    expect(await runOperation(ops.sync, { product: "orders" }, env(carl))).toMatchObject({ ok: false, status: 403 });
    expect(await runOperation(ops.sync, { product: "nope" }, env(owner))).toMatchObject({ ok: false, status: 404 });
    expect(await runOperation(ops.sync, { product: "orders", depth: 4 }, env(owner))).toMatchObject({ ok: false, status: 400, fieldErrors: { depth: expect.any(Array) } });
    expect(await runOperation(ops.status, { product: "orders" }, env(null))).toMatchObject({ ok: false, status: 401 });

    const queued = await runOperation(ops.sync, { product: "orders", depth: 2 }, env(owner));
    expect(queued).toMatchObject({ ok: true, data: { queued: true, job: { kind: OM_LINEAGE_SYNC_JOB, status: "pending" }, status: { job: { status: "pending" } } } });
    const job = await db().job.findFirstOrThrow({ where: { kind: OM_LINEAGE_SYNC_JOB, targetId: ids.orders } });
    expect(job.payload).toMatchObject({ productId: ids.orders, depth: 2, actor: { id: ids.user } });
    expect(await db().job.count({ where: { kind: OM_LINEAGE_SYNC_JOB } })).toBe(1);

    // API tokens: lineage:write or products:write start a sync; catalog:read only reads.
    const token = (u: typeof owner, ...scopes: string[]) => ({ ...u, tokenScopes: scopes, token: { id: "t1", name: "ci", kind: "service" as const } });
    expect(await runOperation(ops.sync, { product: "orders" }, env(token(owner, "lineage:write")))).toMatchObject({ ok: true, data: { queued: false } });
    expect(await runOperation(ops.sync, { product: "orders" }, env(token(owner, "products:write")))).toMatchObject({ ok: true, data: { queued: false } });
    expect(await runOperation(ops.sync, { product: "orders" }, env(token(owner, "catalog:read")))).toMatchObject({ ok: false, status: 403, code: "insufficient_scope" });
    expect(await runOperation(ops.status, { product: "orders" }, env(token(owner, "catalog:read")))).toMatchObject({ ok: true });

    const off = openMetadataSyncOperations(async () => false);
    expect(await runOperation(off.sync, { product: "revenue" }, env(owner))).toMatchObject({ ok: false, status: 409, code: "not_configured" });
    expect(await runOperation(off.status, { product: "revenue" }, env(owner))).toMatchObject({ ok: true, data: { configured: false } });
  });
});
