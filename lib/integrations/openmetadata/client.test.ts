/**
 * Contract tests: the real adapter (global fetch, real HTTP) against the fake OpenMetadata server.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { UserError } from "@/lib/errors";
import { IntegrationError } from "@/lib/integrations/http";
import { createOpenMetadataClient, fqn, type OmLogger, type OpenMetadataClientOptions } from "@/lib/integrations/openmetadata/client";
import { startFakeOpenMetadata, type FakeOpenMetadata, type FakeOpenMetadataOptions } from "@/test/fakes/openmetadata/server";

const SCHEMA = "trino.iceberg.sales";
const fastRetry = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let om: FakeOpenMetadata;

async function start(opts: FakeOpenMetadataOptions = {}) {
  await om?.close();
  om = await startFakeOpenMetadata(opts);
}

beforeEach(() => start({ pageSize: 2 }));
afterEach(() => om.close());

function client(extra: Partial<OpenMetadataClientOptions> = {}) {
  return createOpenMetadataClient({ baseUrl: om.url, token: om.token, retry: fastRetry, ...extra });
}

function spyLog() {
  const calls: unknown[][] = [];
  const log = { warn: vi.fn((...a: unknown[]) => calls.push(a)), debug: vi.fn((...a: unknown[]) => calls.push(a)) };
  return { log: log as unknown as OmLogger, warn: log.warn, calls };
}

async function failure(p: Promise<unknown>): Promise<IntegrationError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(IntegrationError);
  return err as IntegrationError;
}

const apiCalls = (method: string, prefix: string) => om.requests.filter((r) => r.method === method && r.path.startsWith(prefix));

async function seedSalesTables(c = client()) {
  await c.upsertDomain({ name: "Sales", description: "Everything sold", domainType: "Source-aligned" });
  await c.upsertDataProduct({ name: "Orders360", domain: "Sales", description: "Orders, whole" });
  return c.upsertTable({
    databaseSchema: SCHEMA,
    name: "orders",
    description: "One row per order",
    domain: "Sales",
    dataProducts: ["Sales.Orders360"],
    columns: [
      { name: "id", dataType: "bigint" },
      { name: "email", dataType: "varchar(255)", description: "Buyer e-mail", tags: ["PII.Sensitive"] },
      { name: "amount", dataType: "decimal(10,2)" },
      { name: "placed_at", dataType: "timestamp(6) with time zone" },
      { name: "labels", dataType: "array(varchar)" },
    ],
  });
}

describe("OpenMetadata adapter: domains, data products and tables", () => {
  it("upserts a domain, a data product and a tagged table, and reads the table back", async () => {
    const c = client();
    const domain = await c.upsertDomain({ name: "Sales", domainType: "Source-aligned" });
    expect(domain).toMatchObject({ type: "domain", fullyQualifiedName: "Sales", name: "Sales" });
    expect(domain.id).toMatch(UUID);

    const product = await c.upsertDataProduct({ name: "Orders360", domain: "Sales" });
    expect(product).toMatchObject({ type: "dataProduct", fullyQualifiedName: "Sales.Orders360" });

    const table = await seedSalesTables(c);
    expect(table).toMatchObject({ type: "table", name: "orders", fullyQualifiedName: `${SCHEMA}.orders` });
    expect(table.id).toMatch(UUID);

    const read = await c.getTable(`${SCHEMA}.orders`);
    expect(read).toMatchObject({ id: table.id, type: "table", fullyQualifiedName: `${SCHEMA}.orders` });
    expect(read!.columns).toEqual([
      { name: "id", dataType: "bigint" },
      { name: "email", dataType: "varchar(255)", description: "Buyer e-mail", tags: ["PII.Sensitive"] },
      { name: "amount", dataType: "decimal(10,2)" },
      { name: "placed_at", dataType: "timestamp(6) with time zone" },
      { name: "labels", dataType: "array(varchar)" },
    ]);

    // What went over the wire: the bearer token, OpenMetadata's type enum, the tag label and
    // the domain/data product by FQN.
    const put = apiCalls("PUT", "/api/v1/tables").at(-1)!;
    expect(put.headers.authorization).toBe(`Bearer ${om.token}`);
    const body = put.body as { columns: Record<string, unknown>[]; domains: string[]; dataProducts: string[] };
    expect(body.domains).toEqual(["Sales"]);
    expect(body.dataProducts).toEqual(["Sales.Orders360"]);
    expect(body.columns[1]).toMatchObject({
      dataType: "VARCHAR",
      dataLength: 255,
      tags: [{ tagFQN: "PII.Sensitive", source: "Classification", labelType: "Manual", state: "Confirmed" }],
    });
    expect(body.columns[2]).toMatchObject({ dataType: "DECIMAL", precision: 10, scale: 2 });
    expect(body.columns[3]).toMatchObject({ dataType: "TIMESTAMPZ" });
    expect(body.columns[4]).toMatchObject({ dataType: "ARRAY", arrayDataType: "VARCHAR" });
    const get = apiCalls("GET", "/api/v1/tables/name/").at(-1)!;
    expect(get.query.fields).toBe("columns,tags");

    const stored = om.store.byFqn("table", `${SCHEMA}.orders`)!;
    expect(stored.domainIds).toEqual([domain.id]);
    expect(stored.dataProductIds).toEqual([product.id]);
  });

  it("updates in place: same id, version bumped only when something changed", async () => {
    const c = client();
    const first = await seedSalesTables(c);
    const again = await seedSalesTables(c);
    expect(again.id).toBe(first.id);
    expect(om.store.byFqn("table", `${SCHEMA}.orders`)!.version).toBe(0.1);

    await c.upsertTable({ databaseSchema: SCHEMA, name: "orders", description: "Changed", columns: [{ name: "id", dataType: "bigint" }] });
    const stored = om.store.byFqn("table", `${SCHEMA}.orders`)!;
    expect(stored.id).toBe(first.id);
    expect(stored.version).toBe(0.2);
    expect(stored.columns!.map((col) => col.name)).toEqual(["id"]);
  });

  it("quotes and URL-encodes names that contain dots", async () => {
    const c = client();
    const ref = await c.upsertTable({ databaseSchema: SCHEMA, name: "file.csv", columns: [{ name: "a", dataType: "int" }] });
    expect(ref.fullyQualifiedName).toBe(`${SCHEMA}."file.csv"`);
    const name = fqn("trino", "iceberg", "sales", "file.csv");
    expect(name).toBe(ref.fullyQualifiedName);
    const read = await c.getTable(name);
    expect(read?.id).toBe(ref.id);
    expect(apiCalls("GET", "/api/v1/tables/name/").at(-1)!.path).toBe(`/api/v1/tables/name/${SCHEMA}.%22file.csv%22`);
  });

  it("answers null for a table OpenMetadata does not know", async () => {
    expect(await client().getTable(`${SCHEMA}.nope`)).toBeNull();
  });

  it("names a missing schema, domain or tag in the error", async () => {
    await start({ schemas: ["trino.iceberg.finance"] });
    const c = client();
    const err = await failure(c.upsertTable({ databaseSchema: SCHEMA, name: "t", columns: [] }));
    expect(err).toMatchObject({ status: 404, reason: "NotFound", transient: false });
    expect(err.message).toContain(`databaseSchema instance for ${SCHEMA} not found`);

    const noDomain = await failure(c.upsertDataProduct({ name: "P", domain: "Ghost" }));
    expect(noDomain.message).toContain("domain instance for Ghost not found");

    const noTag = await failure(
      c.upsertTable({ databaseSchema: "trino.iceberg.finance", name: "t", columns: [{ name: "a", dataType: "int", tags: ["PII.Nonsense"] }] }),
    );
    expect(noTag.message).toContain("tag instance for PII.Nonsense not found");
  });

  it("falls back once to the legacy `domain` field when the server refuses `domains`, then sticks to it", async () => {
    await start({ domainField: "domain" });
    const { log, warn } = spyLog();
    const c = client({ log });
    await c.upsertDomain({ name: "Sales" });
    const product = await c.upsertDataProduct({ name: "Orders360", domain: "Sales" });
    expect(product.fullyQualifiedName).toBe("Sales.Orders360");
    const puts = apiCalls("PUT", "/api/v1/dataProducts");
    expect(puts.map((r) => Object.keys(r.body as object).filter((k) => k.startsWith("domain")))).toEqual([["domains"], ["domain"]]);
    expect(warn).toHaveBeenCalledTimes(1);

    await c.upsertTable({ databaseSchema: SCHEMA, name: "orders", domain: "Sales", columns: [{ name: "id", dataType: "bigint" }] });
    const tablePuts = apiCalls("PUT", "/api/v1/tables");
    expect(tablePuts).toHaveLength(1);
    expect((tablePuts[0]!.body as { domain?: string }).domain).toBe("Sales");
  });

  it("does not fall back when the domain field is pinned", async () => {
    await start({ domainField: "domain" });
    const c = client({ domainField: "domains" });
    await c.upsertDomain({ name: "Sales" });
    const err = await failure(c.upsertDataProduct({ name: "Orders360", domain: "Sales" }));
    expect(err).toMatchObject({ status: 400, transient: false });
    expect(apiCalls("PUT", "/api/v1/dataProducts")).toHaveLength(1);
  });
});

describe("OpenMetadata adapter: listing tables", () => {
  it("follows the after cursor across pages and returns every table exactly once", async () => {
    const c = client();
    const names = ["a1", "b2", "c3", "d4", "e5", "f6", "g7"];
    for (const name of names) await c.upsertTable({ databaseSchema: SCHEMA, name, columns: [{ name: "id", dataType: "int" }] });
    await c.upsertTable({ databaseSchema: "trino.iceberg.other", name: "zz", columns: [{ name: "id", dataType: "int" }] });
    om.requests.length = 0;

    const tables = await c.listTables(SCHEMA);
    expect(tables.map((t) => t.name)).toEqual(names);
    expect(new Set(tables.map((t) => t.id)).size).toBe(names.length);
    expect(tables.every((t) => t.type === "table" && t.fullyQualifiedName === `${SCHEMA}.${t.name}`)).toBe(true);

    // The fake hands out at most 2 per page whatever the limit: 4 pages, cursors after the first.
    const pages = apiCalls("GET", "/api/v1/tables");
    expect(pages).toHaveLength(4);
    expect(pages[0]!.query).toEqual({ databaseSchema: SCHEMA, limit: "100" });
    expect(pages.slice(1).every((p) => typeof p.query.after === "string" && p.query.after.length > 0)).toBe(true);
  });

  it("returns an empty list for an empty schema", async () => {
    expect(await client().listTables("trino.iceberg.empty")).toEqual([]);
  });
});

describe("OpenMetadata adapter: lineage", () => {
  async function chain() {
    const c = client();
    const mk = (name: string) => c.upsertTable({ databaseSchema: SCHEMA, name, columns: [{ name: "id", dataType: "int" }, { name: "amount", dataType: "double" }] });
    const raw = await mk("raw_orders");
    const staging = await mk("stg_orders");
    const orders = await mk("orders");
    const dash = om.store.addEntity("dashboard", "superset.sales_overview");
    const byId = (id: string) => om.store.entities.get(id)!;
    om.store.addEdge(byId(raw.id), byId(staging.id), { source: "QueryLineage", sqlQuery: "insert into stg_orders select * from raw_orders" });
    om.store.addEdge(byId(staging.id), byId(orders.id), {
      source: "ViewLineage",
      columnsLineage: [
        { fromColumns: [`${SCHEMA}.stg_orders.amount`], toColumn: `${SCHEMA}.orders.amount` },
        { fromColumns: [`${SCHEMA}.stg_orders.id`, `${SCHEMA}.raw_orders.id`], toColumn: `${SCHEMA}.orders.id` },
      ],
    });
    om.store.addEdge(byId(orders.id), dash, { source: "DashboardLineage" });
    return { c, raw, staging, orders, dash };
  }

  it("resolves the bare-UUID edges into FQNs, keeping source and column lineage, within the depth asked", async () => {
    const { c } = await chain();
    const one = await c.getLineage("table", `${SCHEMA}.orders`, { upstream: 1, downstream: 1 });
    expect(one.entity).toEqual({ fqn: `${SCHEMA}.orders`, type: "table" });
    expect(one.edges).toHaveLength(2);
    expect(one.edges).toContainEqual({
      from: { fqn: `${SCHEMA}.stg_orders`, type: "table" },
      to: { fqn: `${SCHEMA}.orders`, type: "table" },
      source: "ViewLineage",
      columns: [
        { from: [`${SCHEMA}.stg_orders.amount`], to: `${SCHEMA}.orders.amount` },
        { from: [`${SCHEMA}.stg_orders.id`, `${SCHEMA}.raw_orders.id`], to: `${SCHEMA}.orders.id` },
      ],
    });
    expect(one.edges).toContainEqual({
      from: { fqn: `${SCHEMA}.orders`, type: "table" },
      to: { fqn: "superset.sales_overview", type: "dashboard" },
      source: "DashboardLineage",
      columns: [],
    });
    expect(JSON.stringify(one)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);

    const two = await c.getLineage("table", `${SCHEMA}.orders`, { upstream: 2, downstream: 0 });
    expect(two.edges.map((e) => `${e.from.fqn}>${e.to.fqn}:${e.source}`).sort()).toEqual([
      `${SCHEMA}.raw_orders>${SCHEMA}.stg_orders:QueryLineage`,
      `${SCHEMA}.stg_orders>${SCHEMA}.orders:ViewLineage`,
    ]);

    const none = await c.getLineage("table", `${SCHEMA}.orders`, { upstream: 0, downstream: 0 });
    expect(none.edges).toEqual([]);

    const calls = apiCalls("GET", "/api/v1/lineage/table/name/");
    expect(calls.map((r) => [r.query.upstreamDepth, r.query.downstreamDepth])).toEqual([["1", "1"], ["2", "0"], ["0", "0"]]);
  });

  it("refuses a depth outside 0–3 before calling OpenMetadata", async () => {
    const c = client();
    for (const depth of [{ upstream: 4, downstream: 1 }, { upstream: 1, downstream: -1 }, { upstream: 1.5, downstream: 1 }]) {
      await expect(c.getLineage("table", `${SCHEMA}.orders`, depth)).rejects.toBeInstanceOf(UserError);
    }
    await expect(c.getLineage("table/../x", `${SCHEMA}.orders`, { upstream: 1, downstream: 1 })).rejects.toBeInstanceOf(UserError);
    expect(om.requests).toHaveLength(0);
  });

  it("pushes an edge (by id, or by FQN looked up) that a later pull sees", async () => {
    const c = client();
    const src = await c.upsertTable({ databaseSchema: SCHEMA, name: "src", columns: [{ name: "id", dataType: "int" }] });
    await c.upsertTable({ databaseSchema: SCHEMA, name: "dst", columns: [{ name: "id", dataType: "int" }] });

    await c.addLineage(src, { id: "", type: "table", fullyQualifiedName: `${SCHEMA}.dst` }, { description: "published by Canopy" });

    const put = apiCalls("PUT", "/api/v1/lineage")[0]!;
    const dstId = om.store.byFqn("table", `${SCHEMA}.dst`)!.id;
    expect(put.body).toEqual({
      edge: {
        fromEntity: { id: src.id, type: "table" },
        toEntity: { id: dstId, type: "table" },
        lineageDetails: { source: "Manual", description: "published by Canopy" },
      },
    });
    const lineage = await c.getLineage("table", `${SCHEMA}.dst`, { upstream: 1, downstream: 0 });
    expect(lineage.edges).toEqual([
      { from: { fqn: `${SCHEMA}.src`, type: "table" }, to: { fqn: `${SCHEMA}.dst`, type: "table" }, columns: [], source: "Manual", description: "published by Canopy" },
    ]);
  });

  it("keeps an edge's SQL, and removes an edge by FQN (false when there is none)", async () => {
    const { c, raw, staging } = await chain();
    const two = await c.getLineage("table", `${SCHEMA}.stg_orders`, { upstream: 1, downstream: 0 });
    expect(two.edges).toEqual([
      {
        from: { fqn: `${SCHEMA}.raw_orders`, type: "table" },
        to: { fqn: `${SCHEMA}.stg_orders`, type: "table" },
        columns: [],
        source: "QueryLineage",
        sqlQuery: "insert into stg_orders select * from raw_orders",
      },
    ]);
    expect(await c.deleteLineage({ id: "", type: "table", fullyQualifiedName: `${SCHEMA}.raw_orders` }, { id: "", type: "table", fullyQualifiedName: `${SCHEMA}.stg_orders` })).toBe(true);
    expect(apiCalls("DELETE", "/api/v1/lineage/").map((r) => r.path)).toEqual([`/api/v1/lineage/table/${raw.id}/table/${staging.id}`]);
    expect((await c.getLineage("table", `${SCHEMA}.stg_orders`, { upstream: 1, downstream: 0 })).edges).toEqual([]);
    expect(await c.deleteLineage(raw, staging)).toBe(false);
    expect(await c.deleteLineage({ id: "", type: "table", fullyQualifiedName: `${SCHEMA}.ghost` }, staging)).toBe(false);
  });

  it("reports a lineage end OpenMetadata does not know as not found", async () => {
    const c = client();
    const src = await c.upsertTable({ databaseSchema: SCHEMA, name: "src", columns: [{ name: "id", dataType: "int" }] });
    const err = await failure(c.addLineage(src, { id: "00000000-0000-4000-8000-000000000000", type: "table" }));
    expect(err).toMatchObject({ status: 404, reason: "NotFound" });
    const missing = await failure(c.getLineage("table", `${SCHEMA}.ghost`, { upstream: 1, downstream: 1 }));
    expect(missing.message).toContain(`table instance for ${SCHEMA}.ghost not found`);
  });
});

describe("OpenMetadata adapter: errors, retries and time-outs", () => {
  it("explains a refused token without ever showing it, and does not retry", async () => {
    const secret = "eyJ.wrong-bot-token.s3cr3t";
    const { log, calls } = spyLog();
    const c = client({ token: secret, log });
    const err = await failure(c.upsertDomain({ name: "Sales" }));
    expect(err.status).toBe(401);
    expect(err.transient).toBe(false);
    expect(err.message).toMatch(/^OpenMetadata refused the bot token \(401\)/);
    expect(err.message).toContain("Token not present");
    expect(err.message).not.toContain(secret);
    expect(om.requests).toHaveLength(1);

    const health = await c.health();
    expect(health).toMatchObject({ system: "openmetadata", mode: "connected", healthy: false });
    expect(health.error).toContain("401");
    expect(JSON.stringify([health, calls])).not.toContain(secret);
  });

  it("maps 403 to a permission error", async () => {
    om.faults.add({
      path: "/api/v1/tables",
      method: "PUT",
      kind: "status",
      status: 403,
      body: { code: 403, message: "Principal: CatalogPrincipal{name='canopy-bot'} operations [Create] not allowed" },
    });
    const err = await failure(client().upsertTable({ databaseSchema: SCHEMA, name: "t", columns: [] }));
    expect(err).toMatchObject({ status: 403, reason: "Forbidden", transient: false });
    expect(err.message).toContain("denied the Canopy bot permission to upsert table");
    expect(err.message).toContain("operations [Create] not allowed");
    expect(apiCalls("PUT", "/api/v1/tables")).toHaveLength(1);
  });

  it("maps 409 and 412 to conflicts that are not retried", async () => {
    om.faults.add({ path: "/api/v1/domains", kind: "conflict" });
    const conflict = await failure(client().upsertDomain({ name: "Sales" }));
    expect(conflict).toMatchObject({ status: 409, reason: "Conflict", transient: false });
    expect(conflict.message).toContain("Entity already exists");

    om.faults.add({ path: "/api/v1/domains", kind: "status", status: 412, body: { code: 412, message: "ETag mismatch" } });
    const stale = await failure(client().upsertDomain({ name: "Sales" }));
    expect(stale).toMatchObject({ status: 412, reason: "PreconditionFailed", transient: false });
    expect(apiCalls("PUT", "/api/v1/domains")).toHaveLength(2);
  });

  it("retries a 503 twice and then succeeds, logging each retry without the token", async () => {
    om.faults.add({ path: "/api/v1/domains", kind: "status", status: 503, times: 2, body: { code: 503, message: "Service Unavailable" } });
    const { log, warn, calls } = spyLog();
    const ref = await client({ log }).upsertDomain({ name: "Sales" });
    expect(ref.fullyQualifiedName).toBe("Sales");
    expect(apiCalls("PUT", "/api/v1/domains")).toHaveLength(3);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(JSON.stringify(calls)).not.toContain(om.token);
  });

  it("gives up after the configured attempts with OpenMetadata's message", async () => {
    om.faults.add({ path: "/api/v1/tables/name/", kind: "status", status: 500, times: 10, body: { code: 500, message: "Connection pool exhausted" } });
    const err = await failure(client({ retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 } }).getTable(`${SCHEMA}.orders`));
    expect(err).toMatchObject({ status: 500, transient: true, system: "openmetadata" });
    expect(err.message).toContain("Connection pool exhausted");
    expect(apiCalls("GET", "/api/v1/tables/name/")).toHaveLength(4);
  });

  it("does not retry a 400", async () => {
    om.faults.add({ path: "/api/v1/domains", kind: "status", status: 400, times: 5, body: { code: 400, message: "[name must match pattern]", errorType: "RULE_VIOLATION" } });
    const err = await failure(client().upsertDomain({ name: "Sales" }));
    expect(err).toMatchObject({ status: 400, transient: false });
    expect(err.message).toContain("[name must match pattern]");
    expect(err.message).not.toContain("RULE_VIOLATION");
    expect(apiCalls("PUT", "/api/v1/domains")).toHaveLength(1);
  });

  it("retries a connection reset", async () => {
    om.faults.add({ path: "/api/v1/tables/name/", kind: "reset" });
    const { log, warn } = spyLog();
    await seedSalesTables(client());
    const read = await client({ log }).getTable(`${SCHEMA}.orders`);
    expect(read?.name).toBe("orders");
    expect(warn).toHaveBeenCalledTimes(1);
    expect(apiCalls("GET", "/api/v1/tables/name/").length).toBeGreaterThanOrEqual(2);
  });

  it("treats a time-out as transient: retried, and reported when attempts run out", async () => {
    await seedSalesTables(client());
    om.faults.add({ path: "/api/v1/tables/name/", kind: "latency", ms: 1_000 });
    const read = await client({ timeoutMs: 150 }).getTable(`${SCHEMA}.orders`);
    expect(read?.name).toBe("orders");

    om.faults.add({ path: "/api/v1/tables/name/", kind: "latency", ms: 1_000 });
    const err = await failure(client({ timeoutMs: 150, retry: { attempts: 1 } }).getTable(`${SCHEMA}.orders`));
    expect(err).toMatchObject({ transient: true, reason: "Timeout" });
    expect(err.message).toContain("150 ms");
  });

  it("reports an unreachable server as unhealthy and a reachable one with its version", async () => {
    expect(await client().health()).toMatchObject({ healthy: true, mode: "connected", details: { version: "1.6.1" } });
    const url = om.url;
    await om.close();
    const down = await createOpenMetadataClient({ baseUrl: url, token: "t", retry: fastRetry }).health();
    expect(down).toMatchObject({ system: "openmetadata", healthy: false });
    expect(down.error).toMatch(/could not report its version/);
  });
});
