import { BasicAuth, Trino, type QueryResult } from "trino-client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PGlite } from "@electric-sql/pglite";
import { SAMPLE_SNAPSHOT_IDS, seedSampleTables, startFakeTrino, typeSignature, type FakeTrino } from "@/test/fakes/trino/server";

type Page = {
  id: string;
  infoUri: string;
  nextUri?: string;
  columns?: { name: string; type: string; typeSignature: unknown }[];
  data?: unknown[][];
  stats: { state: string };
  error?: { message: string; errorCode: number; errorName: string; errorType: string; errorLocation?: unknown };
};

let fake: FakeTrino;

beforeAll(async () => {
  fake = await startFakeTrino();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.faults.clear();
  fake.setRunningMs(0);
});

/** Walks the statement protocol by hand, returning every page (the POST reply first). */
async function raw(sql: string, user = "alice", headers: Record<string, string> = {}) {
  const post = await fetch(`${fake.url}/v1/statement`, { method: "POST", body: sql, headers: { "X-Trino-User": user, "Content-Type": "text/plain", ...headers } });
  expect(post.status).toBe(200);
  expect(post.headers.get("content-type")).toContain("application/json");
  const pages: Page[] = [(await post.json()) as Page];
  for (let guard = 0; pages.at(-1)!.nextUri && guard < 500; guard++) {
    const res = await fetch(pages.at(-1)!.nextUri!);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    pages.push((await res.json()) as Page);
  }
  const last = pages.at(-1)!;
  return { pages, last, rows: pages.flatMap((p) => p.data ?? []), columns: pages.find((p) => p.columns)?.columns ?? [] };
}

/** Runs a statement through the real trino-client, returning the data rows and the last page. */
async function viaClient(sql: string, user = "alice") {
  const trino = Trino.create({ server: fake.url, auth: new BasicAuth(user) });
  const pages: QueryResult[] = [];
  for await (const page of await trino.query(sql)) pages.push(page);
  return { pages, rows: pages.flatMap((p) => p.data ?? []), last: pages.at(-1) };
}

describe("fake Trino: statement protocol", () => {
  it("answers the POST with a QUEUED page carrying an absolute nextUri and no data", async () => {
    const res = await fetch(`${fake.url}/v1/statement`, { method: "POST", body: "SHOW CATALOGS", headers: { "X-Trino-User": "alice", "Content-Type": "application/x-www-form-urlencoded" } });
    const page = (await res.json()) as Page;
    expect(page.stats.state).toBe("QUEUED");
    expect(page.data).toBeUndefined();
    expect(page.columns).toBeUndefined();
    expect(page.nextUri).toMatch(new RegExp(`^${fake.url}/v1/statement/queued/${page.id}/`));
    expect(page.infoUri.startsWith(`${fake.url}/`)).toBe(true);
    expect(page.id).toMatch(/^\d{8}_\d{6}_\d{5}_[a-z0-9]{5}$/);
    expect(fake.statements.at(-1)).toMatchObject({ user: "alice", sql: "SHOW CATALOGS", queryId: page.id });
  });

  it("pages results at most two rows at a time and ends with a FINISHED page without nextUri", async () => {
    const { pages, last, rows, columns } = await raw("SELECT order_id, customer_email FROM iceberg.sales.orders");
    expect(rows).toEqual([
      [1001, "user1@example.com"],
      [1002, "user2@example.com"],
      [1003, "user3@example.com"],
      [1004, "user4@example.com"],
      [1005, "user5@example.com"],
    ]);
    expect(pages.filter((p) => p.data).length).toBe(3);
    for (const p of pages) expect((p.data ?? []).length).toBeLessThanOrEqual(2);
    expect(last.stats.state).toBe("FINISHED");
    expect(last.nextUri).toBeUndefined();
    expect(columns).toEqual([
      { name: "order_id", type: "bigint", typeSignature: { rawType: "bigint", arguments: [] } },
      { name: "customer_email", type: "varchar", typeSignature: { rawType: "varchar", arguments: [{ kind: "LONG", value: 2147483647 }] } },
    ]);
  });

  it("lets a page be fetched again (idempotent tokens) and rejects skipped tokens", async () => {
    const post = (await (await fetch(`${fake.url}/v1/statement`, { method: "POST", body: "SHOW CATALOGS", headers: { "X-Trino-User": "a" } })).json()) as Page;
    const first = await (await fetch(post.nextUri!)).text();
    expect(await (await fetch(post.nextUri!)).text()).toBe(first);
    const skipped = post.nextUri!.replace(/\/1$/, "/7");
    expect((await fetch(skipped)).status).toBe(404);
  });

  it("builds type signatures like Trino's ClientTypeSignature", () => {
    expect(typeSignature("decimal(12,2)")).toEqual({ rawType: "decimal", arguments: [{ kind: "LONG", value: 12 }, { kind: "LONG", value: 2 }] });
    expect(typeSignature("timestamp(6) with time zone")).toEqual({ rawType: "timestamp with time zone", arguments: [{ kind: "LONG", value: 6 }] });
    expect(typeSignature("map(varchar, varchar)").arguments).toHaveLength(2);
    expect(typeSignature("array(varchar(3))")).toEqual({
      rawType: "array",
      arguments: [{ kind: "TYPE", value: { rawType: "varchar", arguments: [{ kind: "LONG", value: 3 }] } }],
    });
  });

  it("renders Trino's JSON values: decimals as text, timestamps in UTC, bigints as plain numbers", async () => {
    const { rows } = await raw("SELECT net_amount, ordered_at, shipping_country, is_gift FROM iceberg.sales.orders WHERE order_id = 1001");
    expect(rows).toEqual([["120.50", "2025-03-01 09:15:00.123456 UTC", "DE", false]]);
    const post = (await (await fetch(`${fake.url}/v1/statement`, { method: "POST", body: 'SELECT snapshot_id FROM iceberg.sales."orders$snapshots" ORDER BY committed_at DESC LIMIT 1', headers: { "X-Trino-User": "a" } })).json()) as Page;
    let text = "";
    for (let next: string | undefined = post.nextUri; next; ) {
      text = await (await fetch(next)).text();
      if (text.includes("snapshot_id") && text.includes('"data"')) break;
      next = (JSON.parse(text) as Page).nextUri;
    }
    // A JSON number, not a string: JavaScript clients lose precision exactly as they do with real Trino.
    expect(text).toContain(`[[${SAMPLE_SNAPSHOT_IDS[0]}]]`);
  });
});

describe("fake Trino: SQL subset", () => {
  it("SHOW CATALOGS / SCHEMAS / TABLES", async () => {
    expect((await raw("SHOW CATALOGS")).rows).toEqual([["iceberg"], ["system"]]);
    expect((await raw("show schemas from ICEBERG")).rows).toEqual([["finance"], ["information_schema"], ["sales"]]);
    expect((await raw('SHOW TABLES FROM "iceberg".sales')).rows).toEqual([["customers"], ["orders"]]);
    expect((await raw("SHOW TABLES FROM iceberg.sales", "bob", {})).columns.map((c) => c.name)).toEqual(["Table"]);
    expect((await raw("SHOW SCHEMAS", "a", { "X-Trino-Catalog": "system" })).rows.map((r) => r[0])).toContain("runtime");
  });

  it("DESCRIBE and SHOW COLUMNS give Column, Type, Extra, Comment", async () => {
    const d = await raw("DESCRIBE iceberg.sales.orders");
    expect(d.columns.map((c) => c.name)).toEqual(["Column", "Type", "Extra", "Comment"]);
    expect(d.rows).toEqual([
      ["order_id", "bigint", "", "Surrogate order key"],
      ["customer_email", "varchar", "", "E-mail the order confirmation went to"],
      ["shipping_country", "varchar(2)", "", null],
      ["net_amount", "decimal(12,2)", "", "Order value before tax, in EUR"],
      ["ordered_at", "timestamp(6) with time zone", "", null],
      ["is_gift", "boolean", "", null],
    ]);
    expect((await raw("SHOW COLUMNS FROM orders", "a", { "X-Trino-Catalog": "iceberg", "X-Trino-Schema": "sales" })).rows).toEqual(d.rows);
  });

  it("SELECT with a column list, WHERE, ORDER BY, LIMIT and CAST", async () => {
    const r = await raw("SELECT order_id AS id, CAST(net_amount AS varchar) FROM iceberg.sales.orders WHERE is_gift = true ORDER BY order_id DESC LIMIT 5");
    expect(r.columns.map((c) => [c.name, c.type])).toEqual([
      ["id", "bigint"],
      ["_col1", "varchar"],
    ]);
    expect(r.rows).toEqual([
      [1005, "44.40"],
      [1002, "75.00"],
    ]);
    expect((await raw("SELECT * FROM iceberg.sales.orders LIMIT 3")).rows).toHaveLength(3);
    expect((await raw("SELECT 1")).rows).toEqual([[1]]);
    expect((await raw("SELECT order_id FROM iceberg.sales.orders ORDER BY shipping_country NULLS FIRST LIMIT 1")).rows).toEqual([[1003]]);
  });

  it("information_schema.columns", async () => {
    const r = await raw(
      "SELECT column_name, ordinal_position, is_nullable, data_type FROM iceberg.information_schema.columns WHERE table_schema = 'finance' AND table_name = 'fx_daily' ORDER BY ordinal_position",
    );
    expect(r.rows).toEqual([
      ["rate_date", 1, "NO", "date"],
      ["base_currency", 2, "YES", "varchar(3)"],
      ["quote_currency", 3, "YES", "varchar(3)"],
      ["rate", 4, "YES", "decimal(18,8)"],
    ]);
  });

  it("serves t$snapshots from the side table, and generates a history for other tables", async () => {
    const side = await raw(
      'SELECT CAST(snapshot_id AS varchar) AS snapshot_id, committed_at, operation, CAST(parent_id AS varchar) AS parent_id, summary FROM iceberg.sales."orders$snapshots" ORDER BY committed_at DESC LIMIT 2',
    );
    expect(side.rows).toEqual([
      [SAMPLE_SNAPSHOT_IDS[0], "2025-03-04 17:00:00.500 UTC", "overwrite", SAMPLE_SNAPSHOT_IDS[1], { "added-records": "1", "deleted-records": "0", "total-records": "5" }],
      [SAMPLE_SNAPSHOT_IDS[1], "2025-03-03 08:10:00.000 UTC", "append", SAMPLE_SNAPSHOT_IDS[2], { "added-records": "2", "total-records": "4" }],
    ]);
    const generated = await raw('SELECT CAST(snapshot_id AS varchar), parent_id, operation FROM iceberg.sales."customers$snapshots" ORDER BY committed_at');
    expect(generated.rows).toHaveLength(3);
    expect(generated.rows[0]![1]).toBeNull();
    expect(generated.rows[0]![2]).toBe("append");
    expect((await raw('SELECT * FROM iceberg.sales."nope$snapshots"')).last.error?.errorName).toBe("TABLE_NOT_FOUND");
    // Unquoted, `$` is not part of an identifier.
    expect((await raw("SELECT * FROM iceberg.sales.orders$snapshots")).last.error?.errorName).toBe("SYNTAX_ERROR");
  });
});

describe("fake Trino: errors on a 200 page", () => {
  const cases: [string, string, number, RegExp][] = [
    ["SELECT * FROM iceberg.sales.nope", "TABLE_NOT_FOUND", 46, /^line 1:15: Table 'iceberg\.sales\.nope' does not exist$/],
    ["SELECT * FROM iceberg.nope.orders", "SCHEMA_NOT_FOUND", 45, /Schema 'nope' does not exist/],
    ["SHOW SCHEMAS FROM hive", "CATALOG_NOT_FOUND", 44, /Catalog 'hive' not found/],
    ["SELECT nope FROM iceberg.sales.orders", "COLUMN_NOT_FOUND", 47, /Column 'nope' cannot be resolved/],
    ["SELECT * FROM iceberg.sales.orders; DROP TABLE iceberg.sales.orders", "SYNTAX_ERROR", 1, /mismatched input ';'/],
    ["SELEC 1", "SYNTAX_ERROR", 1, /^line 1:1: mismatched input 'SELEC'/],
    ["INSERT INTO iceberg.sales.orders VALUES (1)", "NOT_SUPPORTED", 13, /INSERT/],
    ["GRANT SELECT ON TABLE iceberg.sales.orders TO USER alice", "NOT_SUPPORTED", 13, /^This connector does not support grants$/],
    ["REVOKE SELECT ON iceberg.sales.orders FROM alice", "NOT_SUPPORTED", 13, /does not support revokes/],
  ];
  for (const [sql, name, code, message] of cases) {
    it(`${name}: ${sql}`, async () => {
      const { last, pages } = await raw(sql);
      expect(pages[0]!.error).toBeUndefined(); // never on the POST reply
      expect(last.nextUri).toBeUndefined();
      expect(last.stats.state).toBe("FAILED");
      expect(last.error).toMatchObject({ errorName: name, errorCode: code, errorType: "USER_ERROR" });
      expect(last.error!.message).toMatch(message);
      expect(fake.queryState(last.id)).toBe("FAILED");
    });
  }

  it("answers GRANT on iceberg with NOT_SUPPORTED through the real trino-client (which does not throw)", async () => {
    const { last } = await viaClient("GRANT SELECT ON TABLE iceberg.sales.orders TO USER carlos", "admin");
    expect(last?.error).toMatchObject({ errorName: "NOT_SUPPORTED", errorCode: 13 });
    expect(last?.stats?.state).toBe("FAILED");
    expect(fake.statements.at(-1)).toMatchObject({ user: "admin", sql: "GRANT SELECT ON TABLE iceberg.sales.orders TO USER carlos" });
  });

  it("denies tables per user and hides them from SHOW TABLES and information_schema", async () => {
    fake.setDenied("mallory", "iceberg.sales.orders");
    try {
      const denied = await raw("SELECT * FROM iceberg.sales.orders", "mallory");
      expect(denied.last.error).toMatchObject({ errorName: "PERMISSION_DENIED", errorCode: 4, message: "Access Denied: Cannot select from table iceberg.sales.orders" });
      expect((await raw("DESCRIBE iceberg.sales.orders", "mallory")).last.error?.message).toBe("Access Denied: Cannot show columns of table iceberg.sales.orders");
      expect((await raw('SELECT * FROM iceberg.sales."orders$snapshots"', "mallory")).last.error?.errorName).toBe("PERMISSION_DENIED");
      expect((await raw("SHOW TABLES FROM iceberg.sales", "mallory")).rows).toEqual([["customers"]]);
      const cols = await raw("SELECT table_name FROM iceberg.information_schema.columns WHERE table_schema = 'sales'", "mallory");
      expect(new Set(cols.rows.map((r) => r[0]))).toEqual(new Set(["customers"]));
      // Someone else is not affected.
      expect((await raw("SELECT * FROM iceberg.sales.orders", "alice")).rows).toHaveLength(5);
    } finally {
      fake.setDenied("mallory", "iceberg.sales.orders", false);
    }
    expect((await raw("SELECT * FROM iceberg.sales.orders", "mallory")).rows).toHaveLength(5);
  });
});

describe("fake Trino: query resource and cancellation", () => {
  it("cancels through DELETE nextUri: the query becomes FAILED with USER_CANCELED", async () => {
    fake.setRunningMs(10_000);
    const post = (await (await fetch(`${fake.url}/v1/statement`, { method: "POST", body: "SHOW CATALOGS", headers: { "X-Trino-User": "a" } })).json()) as Page;
    const running = (await (await fetch(post.nextUri!)).json()) as Page;
    expect(running.stats.state).toBe("RUNNING");
    expect(running.data).toBeUndefined();
    const del = await fetch(running.nextUri!, { method: "DELETE" });
    expect(del.status).toBe(204);
    expect(fake.queryState(post.id)).toBe("FAILED");
    expect(fake.cancellations).toContainEqual({ queryId: post.id, via: "nextUri" });
    const after = (await (await fetch(running.nextUri!)).json()) as Page;
    expect(after.error).toMatchObject({ errorName: "USER_CANCELED" });
    const info = (await (await fetch(`${fake.url}/v1/query/${post.id}`)).json()) as { queryId: string; state: string; query: string };
    expect(info).toMatchObject({ queryId: post.id, state: "FAILED", query: "SHOW CATALOGS" });
  });

  it("cancels through DELETE /v1/query/{id}; unknown ids: 410 on GET, ignored on DELETE", async () => {
    fake.setRunningMs(10_000);
    const post = (await (await fetch(`${fake.url}/v1/statement`, { method: "POST", body: "SHOW CATALOGS", headers: { "X-Trino-User": "a" } })).json()) as Page;
    expect((await fetch(`${fake.url}/v1/query/${post.id}`, { method: "DELETE" })).status).toBe(204);
    expect(fake.queryState(post.id)).toBe("FAILED");
    expect(fake.cancellations).toContainEqual({ queryId: post.id, via: "query" });
    const gone = await fetch(`${fake.url}/v1/query/20990101_000000_00000_zzzzz`);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toBe("");
    expect((await fetch(`${fake.url}/v1/query/20990101_000000_00000_zzzzz`, { method: "DELETE" })).status).toBe(204);
  });

  it("keeps a query RUNNING for the artificial duration, then delivers its data", async () => {
    fake.setRunningMs(200);
    const started = Date.now();
    const { rows, pages } = await viaClient("SHOW CATALOGS");
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    expect(rows).toEqual([["iceberg"], ["system"]]);
    expect(pages.at(-1)?.stats?.state).toBe("FINISHED");
  });

  it("serves GET /v1/info", async () => {
    const res = await fetch(`${fake.url}/v1/info`);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await res.json()).toMatchObject({ coordinator: true, starting: false, nodeVersion: { version: expect.any(String) } });
  });
});

describe("fake Trino: faults and authentication", () => {
  it("takes fault rules through POST /__faults", async () => {
    const before = fake.statements.length;
    const ctl = await fetch(`${fake.url}/__faults`, { method: "POST", body: JSON.stringify({ kind: "status", status: 503, method: "POST", path: "/v1/statement" }) });
    expect(ctl.status).toBe(200);
    const hit = await fetch(`${fake.url}/v1/statement`, { method: "POST", body: "SHOW CATALOGS", headers: { "X-Trino-User": "a" } });
    expect(hit.status).toBe(503);
    expect(fake.statements.length).toBe(before);
    expect((await raw("SHOW CATALOGS")).rows).toHaveLength(2);
  });

  it("checks Basic passwords of configured users", async () => {
    const secured = await startFakeTrino({ data: fake.db, users: { canopy: { password: "s3cret-pass" } } });
    try {
      const bad = Trino.create({ server: secured.url, auth: new BasicAuth("canopy", "wrong") });
      await expect(bad.query("SHOW CATALOGS")).rejects.toMatchObject({ response: { status: 401 } });
      const good = Trino.create({ server: secured.url, auth: new BasicAuth("canopy", "s3cret-pass") });
      const pages: QueryResult[] = [];
      for await (const p of await good.query({ query: "SHOW CATALOGS", user: "alice" })) pages.push(p);
      expect(pages.flatMap((p) => p.data ?? [])).toEqual([["iceberg"], ["system"]]);
      expect(secured.statements.at(-1)).toMatchObject({ user: "alice", principal: "canopy" });
    } finally {
      await secured.close();
    }
    expect(fake.db.closed).toBe(false); // a shared PGlite stays open
  });
});

describe("fake Trino: sample data", () => {
  it("seeds a given PGlite only on request, and seeding twice changes nothing", async () => {
    const pg = await PGlite.create();
    const bare = await startFakeTrino({ data: pg });
    try {
      expect(await seedSampleTables(fake)).toEqual({ seeded: false });
      expect((await raw("SELECT * FROM iceberg.sales.orders")).rows).toHaveLength(5);
      const trino = Trino.create({ server: bare.url, auth: new BasicAuth("a") });
      const before: QueryResult[] = [];
      for await (const p of await trino.query("SHOW SCHEMAS FROM iceberg")) before.push(p);
      expect(before.flatMap((p) => p.data ?? [])).toEqual([["information_schema"]]);
      expect(await seedSampleTables(bare)).toEqual({ seeded: true });
      const after: QueryResult[] = [];
      for await (const p of await trino.query("SELECT count_me FROM iceberg.sales.orders")) after.push(p);
      expect(after.at(-1)?.error?.errorName).toBe("COLUMN_NOT_FOUND");
      const rows: QueryResult[] = [];
      for await (const p of await trino.query("SHOW TABLES FROM iceberg.finance")) rows.push(p);
      expect(rows.flatMap((p) => p.data ?? [])).toEqual([["fx_daily"]]);
    } finally {
      await bare.close();
      expect(pg.closed).toBe(false);
      await pg.close();
    }
  });
});
