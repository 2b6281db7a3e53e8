/**
 * Contract tests: the real `trino-client` library, driven by the adapter, against the fake Trino
 * coordinator over real HTTP.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { UserError } from "@/lib/errors";
import { IntegrationError } from "@/lib/integrations/http";
import {
  createTrinoQueryEngine,
  queryError,
  toIntegrationError,
  trinoTimestampToIso,
  type TrinoLogger,
  type TrinoQueryEngineOptions,
} from "@/lib/integrations/trino/client";
import type { TableRef } from "@/lib/integrations/trino/types";
import { SAMPLE_SNAPSHOT_IDS, startFakeTrino, type FakeTrino } from "@/test/fakes/trino/server";

let fake: FakeTrino;
const ORDERS: TableRef = { catalog: "iceberg", schema: "sales", table: "orders" };

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

function engine(extra: Partial<TrinoQueryEngineOptions> = {}) {
  return createTrinoQueryEngine({ server: fake.url, timeoutMs: 10_000, retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...extra });
}

/** Statements the fake received since `mark`. */
function since(mark: number) {
  return fake.statements.slice(mark);
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to fail");
}

describe("Trino adapter: metadata", () => {
  it("lists catalogs, schemas and tables as the end user", async () => {
    const trino = engine();
    const mark = fake.statements.length;
    expect(trino.mode).toBe("connected");
    expect(await trino.listCatalogs("alice@canopy.demo")).toEqual(["iceberg", "system"]);
    expect(await trino.listSchemas("alice@canopy.demo", "iceberg")).toEqual(["finance", "information_schema", "sales"]);
    expect(await trino.listTables("alice@canopy.demo", "iceberg", "sales")).toEqual(["customers", "orders"]);
    expect(since(mark).map((s) => [s.user, s.sql, s.source])).toEqual([
      ["alice@canopy.demo", "SHOW CATALOGS", "canopy"],
      ["alice@canopy.demo", 'SHOW SCHEMAS FROM "iceberg"', "canopy"],
      ["alice@canopy.demo", 'SHOW TABLES FROM "iceberg"."sales"', "canopy"],
    ]);
  });

  it("describes a table with types and comments, in column order", async () => {
    const cols = await engine().describeTable("alice", ORDERS);
    expect(cols).toEqual([
      { name: "order_id", type: "bigint", nullable: true, comment: "Surrogate order key", position: 1 },
      { name: "customer_email", type: "varchar", nullable: true, comment: "E-mail the order confirmation went to", position: 2 },
      { name: "shipping_country", type: "varchar(2)", nullable: true, comment: "", position: 3 },
      { name: "net_amount", type: "decimal(12,2)", nullable: true, comment: "Order value before tax, in EUR", position: 4 },
      { name: "ordered_at", type: "timestamp(6) with time zone", nullable: true, comment: "", position: 5 },
      { name: "is_gift", type: "boolean", nullable: true, comment: "", position: 6 },
    ]);
    expect(fake.statements.at(-1)).toMatchObject({ user: "alice", sql: 'DESCRIBE "iceberg"."sales"."orders"' });
  });
});

describe("Trino adapter: preview", () => {
  it("asks for one row more than the limit and reports truncation, reading every page", async () => {
    const mark = fake.statements.length;
    const p = await engine().previewRows("alice", ORDERS, { limit: 3 });
    const [stmt] = since(mark);
    expect(stmt).toMatchObject({ user: "alice", sql: 'SELECT * FROM "iceberg"."sales"."orders" LIMIT 4' });
    expect(p.rows).toEqual([
      [1001, "user1@example.com", "DE", "120.50", "2025-03-01 09:15:00.123456 UTC", false],
      [1002, "user2@example.com", "FR", "75.00", "2025-03-01 10:00:00.000000 UTC", true],
      [1003, "user3@example.com", null, "12.99", "2025-03-02 11:30:00.000000 UTC", false],
    ]);
    expect(p.truncated).toBe(true);
    expect(p.queryId).toBe(stmt!.queryId);
    expect(p.columns).toEqual([
      { name: "order_id", type: "bigint" },
      { name: "customer_email", type: "varchar" },
      { name: "shipping_country", type: "varchar(2)" },
      { name: "net_amount", type: "decimal(12,2)" },
      { name: "ordered_at", type: "timestamp(6) with time zone" },
      { name: "is_gift", type: "boolean" },
    ]);
    // Four rows in pages of two: the client followed several nextUris.
    const gets = fake.requests.filter((r) => r.method === "GET" && r.path.includes(stmt!.queryId));
    expect(gets.length).toBeGreaterThanOrEqual(3);
  });

  it("returns every row, untruncated, when the table is smaller than the limit", async () => {
    const p = await engine().previewRows("alice", ORDERS, { limit: 10 });
    expect(p.rows.map((r) => r[0])).toEqual([1001, 1002, 1003, 1004, 1005]);
    expect(p.truncated).toBe(false);
  });

  it("caps the limit at maxRows and defaults to it", async () => {
    const trino = engine({ maxRows: 2 });
    const mark = fake.statements.length;
    const capped = await trino.previewRows("alice", ORDERS, { limit: 500 });
    expect(capped.rows).toHaveLength(2);
    expect(capped.truncated).toBe(true);
    await trino.previewRows("alice", ORDERS);
    expect(since(mark).map((s) => s.sql)).toEqual(['SELECT * FROM "iceberg"."sales"."orders" LIMIT 3', 'SELECT * FROM "iceberg"."sales"."orders" LIMIT 3']);
    expect((await engine().previewRows("alice", ORDERS, { limit: 0 })).rows).toEqual([]);
  });
});

describe("Trino adapter: snapshots", () => {
  it("reads the $snapshots table newest first, keeping 64-bit ids exact", async () => {
    const mark = fake.statements.length;
    const snaps = await engine().snapshots("alice", ORDERS, { limit: 2 });
    expect(since(mark)[0]!.sql).toBe(
      'SELECT CAST(snapshot_id AS varchar) AS snapshot_id, committed_at, operation, CAST(parent_id AS varchar) AS parent_id, summary FROM "iceberg"."sales"."orders$snapshots" ORDER BY committed_at DESC LIMIT 2',
    );
    expect(snaps).toEqual([
      {
        snapshotId: SAMPLE_SNAPSHOT_IDS[0],
        committedAt: "2025-03-04T17:00:00.500Z",
        operation: "overwrite",
        parentId: SAMPLE_SNAPSHOT_IDS[1],
        summary: { "added-records": "1", "deleted-records": "0", "total-records": "5" },
      },
      {
        snapshotId: SAMPLE_SNAPSHOT_IDS[1],
        committedAt: "2025-03-03T08:10:00.000Z",
        operation: "append",
        parentId: SAMPLE_SNAPSHOT_IDS[2],
        summary: { "added-records": "2", "total-records": "4" },
      },
    ]);
    const all = await engine().snapshots("alice", ORDERS);
    expect(all.map((s) => s.snapshotId)).toEqual([...SAMPLE_SNAPSHOT_IDS]);
    expect(all.at(-1)!.parentId).toBeNull();
  });

  it("converts Trino timestamps to ISO", () => {
    expect(trinoTimestampToIso("2025-03-04 17:00:00.500 UTC")).toBe("2025-03-04T17:00:00.500Z");
    expect(trinoTimestampToIso("2025-03-04 17:00:00.123456 +02:00")).toBe("2025-03-04T15:00:00.123Z");
    expect(trinoTimestampToIso("2025-03-04 17:00:00 Europe/Berlin")).toBe("2025-03-04 17:00:00 Europe/Berlin");
  });
});

describe("Trino adapter: end users", () => {
  it("never mixes users between interleaved calls (statements and every page request)", async () => {
    fake.setDenied("bob", "iceberg.sales.orders");
    try {
      fake.setRunningMs(60);
      const trino = engine();
      const mark = fake.statements.length;
      const requestMark = fake.requests.length;
      const [a1, b1, a2, b2, a3, b3] = await Promise.allSettled([
        trino.previewRows("alice", ORDERS, { limit: 5 }),
        trino.previewRows("bob", ORDERS, { limit: 5 }),
        trino.listTables("alice", "iceberg", "sales"),
        trino.listTables("bob", "iceberg", "sales"),
        trino.describeTable("alice", ORDERS),
        trino.describeTable("bob", { catalog: "iceberg", schema: "sales", table: "customers" }),
      ]);
      expect(a1.status === "fulfilled" && a1.value.rows.length).toBe(5);
      expect(b1.status === "rejected" && (b1.reason as IntegrationError).reason).toBe("PERMISSION_DENIED");
      expect(a2.status === "fulfilled" && a2.value).toEqual(["customers", "orders"]);
      expect(b2.status === "fulfilled" && b2.value).toEqual(["customers"]);
      expect(a3.status === "fulfilled" && a3.value.length).toBe(6);
      expect(b3.status === "fulfilled" && b3.value.map((c) => c.name)).toEqual(["customer_id", "full_name", "country_code", "signup_date"]);

      const stmts = since(mark);
      expect(stmts.map((s) => s.user).sort()).toEqual(["alice", "alice", "alice", "bob", "bob", "bob"]);
      expect(stmts.find((s) => s.sql.startsWith("DESCRIBE") && s.sql.includes("customers"))!.user).toBe("bob");
      for (const s of stmts) {
        const pageRequests = fake.requests.slice(requestMark).filter((r) => r.path.includes(s.queryId));
        expect(pageRequests.length).toBeGreaterThan(0);
        for (const r of pageRequests) expect(r.user).toBe(s.user);
      }
    } finally {
      fake.setDenied("bob", "iceberg.sales.orders", false);
    }
  });

  it("with a password, authenticates as the service user and acts as the end user; secrets stay out of logs", async () => {
    const secured = await startFakeTrino({ data: fake.db, users: { svc: { password: "pw-very-secret-42" } } });
    const logs: unknown[] = [];
    const log = { debug: (...a: unknown[]) => logs.push(a), warn: (...a: unknown[]) => logs.push(a) } as unknown as TrinoLogger;
    try {
      const trino = createTrinoQueryEngine({ server: secured.url, serviceUser: "svc", password: "pw-very-secret-42", log, retry: { baseDelayMs: 1 } });
      expect(await trino.listTables("carol", "iceberg", "finance")).toEqual(["fx_daily"]);
      expect(secured.statements.at(-1)).toMatchObject({ user: "carol", principal: "svc" });

      const wrong = createTrinoQueryEngine({ server: secured.url, serviceUser: "svc", password: "not-the-password", log, retry: { baseDelayMs: 1 } });
      const err = (await rejection(wrong.listCatalogs("carol"))) as IntegrationError;
      expect(err).toBeInstanceOf(IntegrationError);
      expect(err).toMatchObject({ status: 401, reason: "Unauthorized", transient: false });
      expect(logs.length).toBeGreaterThan(0);
      const text = JSON.stringify(logs) + JSON.stringify(err) + err.message + String((err.cause as Error | undefined)?.message);
      expect(text).not.toContain("pw-very-secret-42");
      expect(text).not.toContain("not-the-password");
    } finally {
      await secured.close();
    }
  });
});

describe("Trino adapter: query errors", () => {
  it("turns a missing table into TABLE_NOT_FOUND, without retrying", async () => {
    const mark = fake.statements.length;
    const err = (await rejection(engine().previewRows("alice", { ...ORDERS, table: "nope" }))) as IntegrationError;
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err.system).toBe("trino");
    expect(err.message).toContain("Table 'iceberg.sales.nope' does not exist");
    expect(err).toMatchObject({ reason: "TABLE_NOT_FOUND", transient: false, status: 404 });
    expect(since(mark)).toHaveLength(1);
  });

  it("turns Access Denied into PERMISSION_DENIED", async () => {
    fake.setDenied("eve", "iceberg.sales.orders");
    try {
      const err = (await rejection(engine().snapshots("eve", ORDERS))) as IntegrationError;
      expect(err).toBeInstanceOf(IntegrationError);
      expect(err.message).toContain("Access Denied");
      expect(err).toMatchObject({ reason: "PERMISSION_DENIED", status: 403, transient: false });
    } finally {
      fake.setDenied("eve", "iceberg.sales.orders", false);
    }
  });

  it("reports unknown catalogs and schemas", async () => {
    await expect(engine().listSchemas("alice", "hive")).rejects.toMatchObject({ reason: "CATALOG_NOT_FOUND" });
    await expect(engine().listTables("alice", "iceberg", "nope")).rejects.toMatchObject({ reason: "SCHEMA_NOT_FOUND" });
  });
});

describe("Trino adapter: error mapping", () => {
  const page = (errorName: string, message: string, errorType = "USER_ERROR") =>
    ({ errorName, message, errorType, errorCode: 0, failureInfo: { type: "x", message, suppressed: [], stack: [] } }) as Parameters<typeof queryError>[0];

  it("maps Trino error names, Access Denied messages and server-side conditions", () => {
    expect(queryError(page("TABLE_NOT_FOUND", "line 1:15: Table 'a.b.c' does not exist"), "q1")).toMatchObject({ reason: "TABLE_NOT_FOUND", status: 404, transient: false });
    expect(queryError(page("GENERIC_USER_ERROR", "Access Denied: Cannot access catalog system"), "q1")).toMatchObject({ reason: "PERMISSION_DENIED", status: 403 });
    expect(queryError(page("SYNTAX_ERROR", "line 1:1: mismatched input"), "q1")).toMatchObject({ reason: "SYNTAX_ERROR", status: undefined, transient: false });
    expect(queryError(page("SERVER_STARTING_UP", "Trino server is still initializing", "INTERNAL_ERROR"), "q1")).toMatchObject({ transient: true });
    expect(queryError(page("GENERIC_INTERNAL_ERROR", "boom", "INTERNAL_ERROR"), "q1")).toMatchObject({ transient: false, reason: "GENERIC_INTERNAL_ERROR" });
    expect(queryError(undefined, undefined)).toMatchObject({ reason: "QUERY_FAILED" });
  });

  it("maps HTTP statuses and network errors without keeping the request config", () => {
    const axiosLike = (status: number) => Object.assign(new Error(`Request failed with status code ${status}`), { response: { status, data: "" }, config: { auth: { password: "hunter2-secret" } } });
    for (const status of [429, 502, 503, 504]) expect(toIntegrationError(axiosLike(status), "x")).toMatchObject({ status, transient: true });
    for (const status of [400, 401, 403, 404, 500]) expect(toIntegrationError(axiosLike(status), "x")).toMatchObject({ status, transient: false });
    const reset = toIntegrationError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }), "x");
    expect(reset).toMatchObject({ transient: true, reason: "ECONNRESET" });
    const mapped = toIntegrationError(axiosLike(503), "x");
    expect(JSON.stringify(mapped) + String((mapped.cause as Error).message) + JSON.stringify(mapped.cause)).not.toContain("hunter2");
  });
});

describe("Trino adapter: transport failures", () => {
  it("retries a 503 on the POST and succeeds", async () => {
    fake.faults.add({ kind: "status", status: 503, method: "POST", path: "/v1/statement", times: 1 });
    const mark = fake.statements.length;
    expect(await engine().listCatalogs("alice")).toEqual(["iceberg", "system"]);
    expect(fake.faults.hits("/v1/statement")).toBe(1);
    expect(since(mark)).toHaveLength(1);
  });

  it("retries 429 and 502/504 too", async () => {
    fake.faults.add({ kind: "status", status: 429, method: "POST", path: "/v1/statement", times: 1 });
    fake.faults.add({ kind: "status", status: 504, method: "POST", path: "/v1/statement", times: 1 });
    expect(await engine().listCatalogs("alice")).toHaveLength(2);
    expect(fake.faults.hits("/v1/statement")).toBe(2);
  });

  it("retries a connection reset on the POST", async () => {
    fake.faults.add({ kind: "reset", method: "POST", path: "/v1/statement", times: 1 });
    expect(await engine().listTables("alice", "iceberg", "finance")).toEqual(["fx_daily"]);
    expect(fake.faults.hits("/v1/statement")).toBe(1);
  });

  it("retries the statement after a reset while paging, cancelling the abandoned query", async () => {
    fake.faults.add({ kind: "reset", method: "GET", path: "/v1/statement/executing/", times: 1 });
    const mark = fake.statements.length;
    const p = await engine().previewRows("alice", ORDERS, { limit: 4 });
    expect(p.rows).toHaveLength(4);
    const stmts = since(mark);
    expect(stmts).toHaveLength(2);
    expect(fake.cancellations.map((c) => c.queryId)).toContain(stmts[0]!.queryId);
    expect(fake.queryState(stmts[0]!.queryId)).toBe("FAILED");
    expect(fake.queryState(stmts[1]!.queryId)).toBe("FINISHED");
  });

  it("surfaces a 500 at once and a 400 at once", async () => {
    fake.faults.add({ kind: "status", status: 500, method: "POST", path: "/v1/statement", times: 5, body: { message: "boom" } });
    const e500 = (await rejection(engine().listCatalogs("alice"))) as IntegrationError;
    expect(e500).toBeInstanceOf(IntegrationError);
    expect(e500).toMatchObject({ status: 500, transient: false });
    expect(e500.message).toContain("boom");
    expect(fake.faults.hits("/v1/statement")).toBe(1);
    fake.faults.clear();
    fake.faults.add({ kind: "status", status: 400, method: "POST", path: "/v1/statement", times: 5 });
    await expect(engine().listCatalogs("alice")).rejects.toMatchObject({ status: 400, transient: false });
    expect(fake.faults.hits("/v1/statement")).toBe(1);
  });

  it("gives up on a 503 that does not go away after the configured attempts", async () => {
    fake.faults.add({ kind: "status", status: 503, method: "POST", path: "/v1/statement", times: 10 });
    const err = (await rejection(engine({ retry: { attempts: 3, baseDelayMs: 1 } }).listCatalogs("alice"))) as IntegrationError;
    expect(err).toMatchObject({ status: 503, transient: true });
    expect(fake.faults.hits("/v1/statement")).toBe(3);
  });
});

describe("Trino adapter: time-outs and cancellation", () => {
  it("cancels the query on the server when it times out", async () => {
    fake.setRunningMs(5_000);
    const mark = fake.statements.length;
    const started = Date.now();
    const err = (await rejection(engine({ timeoutMs: 300 }).previewRows("alice", ORDERS, { limit: 2 }))) as IntegrationError;
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err.reason).toBe("Timeout");
    const [stmt] = since(mark);
    expect(stmt).toBeDefined();
    expect(fake.queryState(stmt!.queryId)).toBe("FAILED");
    expect(fake.cancellations).toContainEqual({ queryId: stmt!.queryId, via: "nextUri" });
    expect(fake.requests.some((r) => r.method === "DELETE" && r.path.includes(stmt!.queryId))).toBe(true);
  });

  it("honours a per-call time-out", async () => {
    fake.setRunningMs(5_000);
    const mark = fake.statements.length;
    await expect(engine({ timeoutMs: 60_000 }).snapshots("alice", ORDERS, { timeoutMs: 200 })).rejects.toMatchObject({ reason: "Timeout" });
    expect(fake.queryState(since(mark)[0]!.queryId)).toBe("FAILED");
  });

  it("cancels the query on the server when the caller aborts", async () => {
    fake.setRunningMs(5_000);
    const mark = fake.statements.length;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const err = (await rejection(engine().previewRows("alice", ORDERS, { signal: controller.signal }))) as IntegrationError;
    expect(err).toMatchObject({ reason: "Aborted", transient: false });
    const [stmt] = since(mark);
    expect(fake.queryState(stmt!.queryId)).toBe("FAILED");
    expect(fake.cancellations.map((c) => c.queryId)).toContain(stmt!.queryId);
  });

  it("cancels a query whose POST was answered only after the time-out", async () => {
    fake.faults.add({ kind: "latency", ms: 500, method: "POST", path: "/v1/statement", times: 1 });
    fake.setRunningMs(5_000);
    const mark = fake.statements.length;
    await expect(engine({ timeoutMs: 150 }).listCatalogs("alice")).rejects.toMatchObject({ reason: "Timeout" });
    const [stmt] = since(mark);
    expect(stmt).toBeDefined();
    expect(fake.queryState(stmt!.queryId)).toBe("FAILED");
  });
});

describe("Trino adapter: input validation", () => {
  const bad: [string, Partial<TableRef>][] = [
    ["quote", { table: 'orders"; DROP TABLE iceberg.sales.orders; --' }],
    ["semicolon", { table: "orders;" }],
    ["comment", { schema: "sales--" }],
    ["dot", { table: "sales.orders" }],
    ["space", { catalog: "ice berg" }],
    ["empty", { table: "" }],
    ["leading digit", { table: "1orders" }],
    ["dollar", { table: "orders$snapshots" }],
  ];
  for (const [label, part] of bad) {
    it(`refuses a ${label} in an identifier before any request`, async () => {
      const trino = engine();
      const before = fake.requests.length;
      const ref = { ...ORDERS, ...part };
      for (const call of [
        () => trino.previewRows("alice", ref),
        () => trino.describeTable("alice", ref),
        () => trino.snapshots("alice", ref),
        () => trino.listTables("alice", ref.catalog, ref.schema === "sales" ? ref.table : ref.schema),
      ]) {
        const err = await rejection(call());
        expect(err).toBeInstanceOf(UserError);
        expect(err).not.toBeInstanceOf(IntegrationError);
        expect((err as UserError).message).toMatch(/Invalid Trino (catalog|schema|table) name/);
      }
      expect(fake.requests.length).toBe(before);
    });
  }

  it("refuses bad user names and limits before any request", async () => {
    const trino = engine();
    const before = fake.requests.length;
    await expect(trino.listCatalogs("alice\r\nX-Trino-User: root")).rejects.toBeInstanceOf(UserError);
    await expect(trino.listCatalogs("")).rejects.toBeInstanceOf(UserError);
    await expect(trino.listSchemas("alice", 'iceberg" --')).rejects.toBeInstanceOf(UserError);
    await expect(trino.previewRows("alice", ORDERS, { limit: -1 })).rejects.toBeInstanceOf(UserError);
    await expect(trino.previewRows("alice", ORDERS, { limit: 1.5 })).rejects.toBeInstanceOf(UserError);
    expect(fake.requests.length).toBe(before);
  });

  it("refuses a server URL with credentials in it", () => {
    expect(() => createTrinoQueryEngine({ server: "http://u:p@127.0.0.1:1" })).toThrow(/credentials/);
  });
});

describe("Trino adapter: health", () => {
  it("is healthy with version details, checked as the service user", async () => {
    const mark = fake.statements.length;
    const h = await engine({ serviceUser: "canopy-svc" }).health();
    expect(h).toMatchObject({ system: "trino", mode: "connected", healthy: true, details: { version: "476-fake", serviceUser: "canopy-svc" } });
    expect(h.details?.endpoint).toBe(new URL(fake.url).host);
    expect(since(mark)).toMatchObject([{ user: "canopy-svc", sql: "SELECT 1" }]);
  });

  it("reports an unreachable or failing server as unhealthy instead of throwing", async () => {
    fake.faults.add({ kind: "status", status: 500, path: "/v1/info", times: 1 });
    const failing = await engine().health();
    expect(failing).toMatchObject({ healthy: false, mode: "connected" });
    expect(failing.error).toContain("500");
    const down = await createTrinoQueryEngine({ server: "http://127.0.0.1:9", timeoutMs: 2_000, retry: { attempts: 1 } }).health();
    expect(down.healthy).toBe(false);
  });
});
