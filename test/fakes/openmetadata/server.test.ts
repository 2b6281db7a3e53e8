/** The fake's own protocol, checked with plain fetch (the adapter's tests use only part of it). */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOpenMetadata, type FakeOpenMetadata } from "@/test/fakes/openmetadata/server";

let om: FakeOpenMetadata;
beforeEach(async () => {
  om = await startFakeOpenMetadata({ pageSize: 2 });
});
afterEach(() => om.close());

async function call(method: string, path: string, body?: unknown, token: string | null = om.token) {
  const res = await fetch(`${om.url}${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  expect(res.headers.get("content-type")).toBe("application/json");
  return { status: res.status, headers: res.headers, text, json: text ? (JSON.parse(text) as Record<string, any>) : undefined }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const col = (name: string, dataType = "INT", extra: Record<string, unknown> = {}) => ({ name, dataType, ...extra });
const table = (name: string, schema = "svc.db.s", extra: Record<string, unknown> = {}) => ({ name, databaseSchema: schema, columns: [col("id")], ...extra });

describe("fake OpenMetadata", () => {
  it("requires the bearer token, answering like OpenMetadata", async () => {
    for (const token of [null, "wrong"]) {
      const r = await call("GET", "/v1/system/version", undefined, token);
      expect(r.status).toBe(401);
      expect(r.headers.get("www-authenticate")).toBe("om-auth");
      expect(r.json).toEqual({ code: 401, message: "Not Authorized! Token not present" });
    }
    expect((await call("GET", "/v1/system/version")).json).toMatchObject({ version: "1.6.1" });
  });

  it("creates with 201, updates with 200, bumps the version by 0.1 only on change, and links with its real address", async () => {
    const created = await call("PUT", "/v1/tables", table("t1"));
    expect(created.status).toBe(201);
    const e = created.json!;
    expect(e).toMatchObject({ name: "t1", fullyQualifiedName: "svc.db.s.t1", version: 0.1, deleted: false, tableType: "Regular" });
    expect(e.href).toBe(`${om.url}/v1/tables/${e.id}`);
    expect(typeof e.updatedAt).toBe("number");
    const same = await call("PUT", "/v1/tables", table("t1"));
    expect(same.status).toBe(200);
    expect(same.json).toMatchObject({ id: e.id, version: 0.1 });
    const changed = await call("PUT", "/v1/tables", table("t1", "svc.db.s", { description: "now described" }));
    expect(changed.json).toMatchObject({ id: e.id, version: 0.2, description: "now described" });
    const dup = await call("POST", "/v1/tables", table("t1"));
    expect(dup.status).toBe(409);
    expect(dup.json).toEqual({ code: 409, message: "Entity already exists" });
  });

  it("returns columns and tags only when asked, and refuses unknown fields", async () => {
    await call("PUT", "/v1/tables", { ...table("t1"), columns: [col("email", "VARCHAR", { dataLength: 64, tags: [{ tagFQN: "PII.Sensitive" }] })] });
    const bare = await call("GET", "/v1/tables/name/svc.db.s.t1");
    expect(bare.json!.columns).toBeUndefined();
    const cols = await call("GET", "/v1/tables/name/svc.db.s.t1?fields=columns");
    expect(cols.json!.columns[0]).toMatchObject({ name: "email", fullyQualifiedName: "svc.db.s.t1.email", ordinalPosition: 1, tags: [] });
    const tagged = await call("GET", "/v1/tables/name/svc.db.s.t1?fields=columns,tags");
    expect(tagged.json!.columns[0].tags).toEqual([{ tagFQN: "PII.Sensitive", source: "Classification", labelType: "Manual", state: "Confirmed" }]);
    expect((await call("GET", "/v1/tables/name/svc.db.s.t1?fields=bogus")).status).toBe(400);
  });

  it("validates like OpenMetadata: type enum, dataLength, Dropwizard 404 text, malformed JSON", async () => {
    expect((await call("PUT", "/v1/tables", { ...table("t"), columns: [col("a", "varchar(10)")] })).json).toEqual({ code: 400, message: "Unable to process JSON" });
    expect((await call("PUT", "/v1/tables", { ...table("t"), columns: [col("a", "VARCHAR")] })).json!.message).toContain("dataLength must not be null");
    expect((await call("GET", "/v1/tables/name/svc.db.s.nope")).json).toEqual({ code: 404, message: "table instance for svc.db.s.nope not found" });
    expect((await call("PUT", "/v1/tables", "{not json")).json).toEqual({ code: 400, message: "Unable to process JSON" });
    expect((await call("GET", "/v1/nothing/here")).status).toBe(404);
  });

  it("pages with opaque after/before cursors and a total", async () => {
    for (const n of ["a", "b", "c", "d", "e"]) await call("PUT", "/v1/tables", table(n));
    await call("PUT", "/v1/tables", table("x", "svc.db.other"));
    const p1 = (await call("GET", "/v1/tables?databaseSchema=svc.db.s&limit=10")).json!;
    expect(p1.data.map((t: { name: string }) => t.name)).toEqual(["a", "b"]);
    expect(p1.paging.total).toBe(5);
    expect(p1.paging.before).toBeUndefined();
    const p2 = (await call("GET", `/v1/tables?databaseSchema=svc.db.s&limit=10&after=${encodeURIComponent(p1.paging.after)}`)).json!;
    expect(p2.data.map((t: { name: string }) => t.name)).toEqual(["c", "d"]);
    const back = (await call("GET", `/v1/tables?databaseSchema=svc.db.s&limit=10&before=${encodeURIComponent(p2.paging.before)}`)).json!;
    expect(back.data.map((t: { name: string }) => t.name)).toEqual(["a", "b"]);
    const p3 = (await call("GET", `/v1/tables?databaseSchema=svc.db.s&after=${encodeURIComponent(p2.paging.after)}`)).json!;
    expect(p3.data.map((t: { name: string }) => t.name)).toEqual(["e"]);
    expect(p3.paging.after).toBeUndefined();
    expect((await call("GET", "/v1/tables?limit=-1")).status).toBe(400);
  });

  it("keeps domains and data products, accepting `domain` and `domains`, and lists products by domain", async () => {
    expect((await call("PUT", "/v1/domains", { name: "Sales", domainType: "Source-aligned" })).status).toBe(201);
    await call("PUT", "/v1/domains", { name: "Finance", domainType: "Aggregate" });
    const legacy = await call("PUT", "/v1/dataProducts", { name: "Orders360", domain: "Sales" });
    expect(legacy.json).toMatchObject({ fullyQualifiedName: "Sales.Orders360", domain: { fullyQualifiedName: "Sales", type: "domain" } });
    const modern = await call("PUT", "/v1/dataProducts", { name: "Ledger", domains: ["Finance"] });
    expect(modern.json!.domains).toMatchObject([{ fullyQualifiedName: "Finance" }]);
    const sales = (await call("GET", "/v1/dataProducts?domain=Sales")).json!;
    expect(sales.data.map((p: { name: string }) => p.name)).toEqual(["Orders360"]);
    expect((await call("GET", "/v1/domains/name/Sales")).json).toMatchObject({ domainType: "Source-aligned" });
    expect((await call("PUT", "/v1/domains", { name: "X", domainType: "Sideways" })).status).toBe(400);
    expect((await call("PUT", "/v1/dataProducts", { name: "P", domains: ["Nope"] })).json).toEqual({ code: 404, message: "domain instance for Nope not found" });
  });

  it("stores lineage from entity references and answers with bare UUIDs, nodes without the entity, and depth 0–3", async () => {
    const ids: Record<string, string> = {};
    for (const n of ["a", "b", "c", "d"]) ids[n] = (await call("PUT", "/v1/tables", table(n))).json!.id;
    const edge = (f: string, t: string, details?: object) => ({ edge: { fromEntity: { id: ids[f], type: "table" }, toEntity: { id: ids[t], type: "table" }, lineageDetails: details } });
    const put = await call("PUT", "/v1/lineage", edge("a", "b"));
    expect(put.status).toBe(200);
    expect(put.text).toBe("");
    await call("PUT", "/v1/lineage", edge("b", "c", { source: "ViewLineage", columnsLineage: [{ fromColumns: ["svc.db.s.b.id"], toColumn: "svc.db.s.c.id" }] }));
    await call("PUT", "/v1/lineage", edge("c", "d"));

    const l = (await call("GET", "/v1/lineage/table/name/svc.db.s.c?upstreamDepth=1&downstreamDepth=1")).json!;
    expect(l.entity).toMatchObject({ id: ids.c, type: "table", fullyQualifiedName: "svc.db.s.c" });
    expect(l.nodes.map((n: { id: string }) => n.id).sort()).toEqual([ids.b, ids.d].sort());
    expect(l.upstreamEdges).toEqual([
      { fromEntity: ids.b, toEntity: ids.c, lineageDetails: expect.objectContaining({ source: "ViewLineage", columnsLineage: [{ fromColumns: ["svc.db.s.b.id"], toColumn: "svc.db.s.c.id" }] }) },
    ]);
    expect(l.downstreamEdges).toEqual([{ fromEntity: ids.c, toEntity: ids.d, lineageDetails: expect.objectContaining({ source: "Manual" }) }]);
    const deep = (await call("GET", "/v1/lineage/table/name/svc.db.s.c?upstreamDepth=3&downstreamDepth=0")).json!;
    expect(deep.upstreamEdges).toHaveLength(2);
    expect(deep.downstreamEdges).toEqual([]);
    const byId = (await call("GET", `/v1/lineage/table/${ids.c}?upstreamDepth=0&downstreamDepth=0`)).json!;
    expect(byId.nodes).toEqual([]);
    expect((await call("GET", "/v1/lineage/table/name/svc.db.s.c?upstreamDepth=4")).status).toBe(400);
    expect((await call("PUT", "/v1/lineage", { edge: { fromEntity: { id: ids.a, type: "table" }, toEntity: { id: "00000000-0000-4000-8000-000000000000", type: "table" } } })).status).toBe(404);

    expect((await call("DELETE", `/v1/lineage/table/${ids.a}/table/${ids.b}`)).status).toBe(200);
    expect((await call("DELETE", `/v1/lineage/table/${ids.a}/table/${ids.b}`)).json).toEqual({ code: 404, message: "Lineage edge not found" });
  });

  it("searches with an Elasticsearch-shaped reply", async () => {
    await call("PUT", "/v1/tables", { ...table("orders"), description: "Customer orders" });
    await call("PUT", "/v1/tables", table("payments"));
    const r = (await call("GET", "/v1/search/query?q=order&index=table_search_index&from=0&size=10&deleted=false")).json!;
    expect(r).toMatchObject({ timed_out: false, hits: { total: { value: 1, relation: "eq" } } });
    expect(r.hits.hits[0]).toMatchObject({ _index: "table_search_index", _source: { name: "orders", fullyQualifiedName: "svc.db.s.orders", entityType: "table" } });
    expect(r.hits.hits[0]._id).toBe(r.hits.hits[0]._source.id);
    const all = (await call("GET", "/v1/search/query?q=*&index=all&size=1")).json!;
    expect(all.hits.total.value).toBe(2);
    expect(all.hits.hits).toHaveLength(1);
  });

  it("injects faults, also through POST /__faults", async () => {
    const base = om.url.replace(/\/api$/, "");
    const ctl = await fetch(`${base}/__faults`, { method: "POST", body: JSON.stringify({ path: "/api/v1/system/version", kind: "status", status: 503 }) });
    expect(ctl.status).toBe(200);
    expect((await call("GET", "/v1/system/version")).status).toBe(503);
    expect((await call("GET", "/v1/system/version")).status).toBe(200);
    expect(om.requests.filter((r) => r.path === "/api/v1/system/version")).toHaveLength(2);
  });
});
