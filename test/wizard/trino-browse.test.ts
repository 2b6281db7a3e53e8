import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import type { Principal } from "@/lib/auth/permissions";
import type { Db } from "@/lib/db/client";
import { seedDemoMesh } from "@/lib/demo/seed";
import { trinoBrowseOperations } from "@/lib/drafts/trino-browse";
import { brandError, NotFoundError } from "@/lib/errors";
import { runOperation, type Operation } from "@/lib/http/operation";
import { IntegrationError } from "@/lib/integrations/http";
import { createEmbeddedTrinoEngine, STAGING_TABLES } from "@/lib/integrations/trino/embedded";
import type { TrinoQueryEngine } from "@/lib/integrations/trino/types";
import { describeEachDatabase } from "@/test/support/db";
import { personaPrincipal } from "@/test/support/seeded";

/** A Trino that fails every call the same way, and remembers who asked. */
function failingTrino(error: Error): TrinoQueryEngine & { users: string[] } {
  const users: string[] = [];
  const fail = async (user: string): Promise<never> => {
    users.push(user);
    throw error;
  };
  return {
    mode: "connected",
    users,
    listCatalogs: fail,
    listSchemas: fail,
    listTables: fail,
    describeTable: fail,
    previewRows: fail,
    snapshots: fail,
    health: async () => ({ system: "trino", mode: "connected", healthy: false, latencyMs: 0 }),
  };
}

describeEachDatabase("Trino schema browsing for the wizard", (testDb) => {
  let db: Db;
  let olivia: Principal;
  let carlos: Principal;
  let arjun: Principal;
  let ops: ReturnType<typeof trinoBrowseOperations>;

  const run = <S extends z.ZodType, T>(op: Operation<S, T>, input: unknown, user: Principal | null) =>
    runOperation(op, input, { user, db: async () => db, requestId: "req-test" });

  beforeAll(async () => {
    db = testDb().prisma;
    await seedDemoMesh(db);
    olivia = await personaPrincipal(db, "owner");
    carlos = await personaPrincipal(db, "consumer");
    arjun = await personaPrincipal(db, "admin");
    const trino = createEmbeddedTrinoEngine({ db });
    ops = trinoBrowseOperations({ trino: async () => trino, userMapping: () => "email" });
  });

  it("answers 401 to every browse call without a session", async () => {
    for (const [op, input] of [
      [ops.catalogs, {}],
      [ops.schemas, { catalog: "lakehouse" }],
      [ops.tables, { catalog: "lakehouse", schema: "sales_staging" }],
      [ops.columns, { catalog: "lakehouse", schema: "sales_staging", table: "returns" }],
    ] as const) {
      const r = await run(op as Operation<z.ZodType, unknown>, input, null);
      expect(r).toMatchObject({ ok: false, status: 401 });
    }
  });

  it("shows a domain member their domain's staging tables, down to the columns", async () => {
    const catalogs = await run(ops.catalogs, {}, olivia);
    expect(catalogs).toMatchObject({ ok: true, data: { catalogs: ["iceberg", "lakehouse"] } });
    expect(await run(ops.schemas, { catalog: "lakehouse" }, olivia)).toMatchObject({ ok: true, data: { schemas: ["sales_staging"] } });
    expect(await run(ops.tables, { catalog: "lakehouse", schema: "sales_staging" }, olivia)).toMatchObject({
      ok: true,
      data: { tables: ["customer_visits", "returns"] },
    });
    const cols = await run(ops.columns, { catalog: "lakehouse", schema: "sales_staging", table: "returns" }, olivia);
    if (!cols.ok) throw new Error(cols.error);
    const returns = STAGING_TABLES.find((t) => t.location === "lakehouse.sales_staging.returns")!;
    expect(cols.data.columns.map((c) => c.name)).toEqual(returns.fields.map((f) => f.name));
    expect(cols.data.columns[0]).toEqual({ name: "return_id", type: "bigint", nullable: false, comment: returns.fields[0]!.description, position: 1 });
    expect(cols.data.columns.find((c) => c.name === "refund_amount")).toMatchObject({ type: "decimal(12,2)", nullable: true });
  });

  it("hides staging tables from people outside their domain, as if they did not exist", async () => {
    expect(await run(ops.catalogs, {}, carlos)).toMatchObject({ ok: true, data: { catalogs: ["iceberg"] } });
    expect(await run(ops.schemas, { catalog: "lakehouse" }, carlos)).toMatchObject({ ok: false, status: 404 });
    expect(await run(ops.tables, { catalog: "lakehouse", schema: "sales_staging" }, carlos)).toMatchObject({ ok: false, status: 404 });
    expect(await run(ops.columns, { catalog: "lakehouse", schema: "sales_staging", table: "returns" }, carlos)).toMatchObject({ ok: false, status: 404 });
    // Olivia is in Sales, not Logistics.
    expect(await run(ops.tables, { catalog: "lakehouse", schema: "logistics_staging" }, olivia)).toMatchObject({ ok: false, status: 404 });
    // Platform admins see every domain's.
    expect(await run(ops.schemas, { catalog: "lakehouse" }, arjun)).toMatchObject({ ok: true, data: { schemas: ["logistics_staging", "sales_staging"] } });
  });

  it("still serves published products' tables to everyone", async () => {
    const r = await run(ops.columns, { catalog: "iceberg", schema: "sales", table: "orders" }, carlos);
    expect(r).toMatchObject({ ok: true });
    if (r.ok) expect(r.data.columns[0]).toMatchObject({ name: "order_id", type: "bigint" });
  });

  it("rejects bad names with a message naming the part, before Trino is asked", async () => {
    const bad = await run(ops.schemas, { catalog: 'iceberg"; DROP TABLE x --' }, olivia);
    expect(bad).toMatchObject({ ok: false, status: 400, code: "invalid_trino_identifier" });
    if (!bad.ok) expect(bad.error).toMatch(/^Invalid Trino catalog name/);
    const badTable = await run(ops.columns, { catalog: "lakehouse", schema: "sales_staging", table: "returns$snapshots" }, olivia);
    expect(badTable).toMatchObject({ ok: false, status: 400, code: "invalid_trino_identifier" });
    if (!badTable.ok) expect(badTable.error).toMatch(/table name/);
    expect(await run(ops.tables, { catalog: "lakehouse" }, olivia)).toMatchObject({ ok: false, status: 400, code: "invalid_input", fieldErrors: { schema: expect.any(Array) } });
    expect(await run(ops.columns, { catalog: "x".repeat(201), schema: "s", table: "t" }, olivia)).toMatchObject({ ok: false, status: 400, code: "invalid_input" });
  });

  it("asks Trino as the signed-in user, under the configured user mapping", async () => {
    const trino = failingTrino(new NotFoundError("nothing here"));
    const local = trinoBrowseOperations({ trino: async () => trino, userMapping: () => "localpart" });
    await run(local.catalogs, {}, olivia);
    await run(local.columns, { catalog: "a", schema: "b", table: "c" }, carlos);
    expect(trino.users).toEqual(["olivia.owner", "carlos.consumer"]);
  });

  it("turns Trino's failures into messages a user can act on", async () => {
    const opsWith = (err: Error) => trinoBrowseOperations({ trino: async () => failingTrino(err), userMapping: () => "email" });

    const down = await run(opsWith(new IntegrationError("trino", "Trino could not be reached for list catalogs: ECONNREFUSED 10.1.2.3:8080", { transient: true })).catalogs, {}, olivia);
    expect(down).toMatchObject({ ok: false, status: 502, code: "upstream" });
    if (!down.ok) {
      expect(down.error).toMatch(/not answering right now.*Try again/);
      expect(down.error).not.toMatch(/10\.1\.2\.3/);
    }

    const broken = await run(opsWith(new IntegrationError("trino", "Trino answered HTTP 500", { status: 500 })).schemas, { catalog: "iceberg" }, olivia);
    expect(broken).toMatchObject({ ok: false, status: 502 });
    if (!broken.ok) expect(broken.error).toMatch(/reference req-test/);

    const denied = await run(
      opsWith(new IntegrationError("trino", "Trino query failed: Access Denied: Cannot show schemas of catalog hive", { reason: "PERMISSION_DENIED", status: 403 })).schemas,
      { catalog: "hive" },
      olivia,
    );
    expect(denied).toMatchObject({ ok: false, status: 403, error: "Trino refused to list the schemas of hive for you: Access Denied: Cannot show schemas of catalog hive" });

    const missing = await run(
      opsWith(new IntegrationError("trino", "Trino query failed: Table 'iceberg.sales.nope' does not exist", { reason: "TABLE_NOT_FOUND", status: 404 })).columns,
      { catalog: "iceberg", schema: "sales", table: "nope" },
      olivia,
    );
    expect(missing).toMatchObject({ ok: false, status: 404 });

    // Errors from another copy of the error classes (the adapters are shared across route bundles).
    class ForeignNotFound extends Error {
      override name = "NotFoundError";
      status = 404;
      code = "not_found";
      constructor(message: string) {
        super(message);
        brandError(this, ["NotFoundError", "UserError"]);
      }
    }
    class ForeignIntegrationError extends Error {
      override name = "IntegrationError";
      system = "trino";
      transient = true;
      constructor(message: string) {
        super(message);
        brandError(this, ["IntegrationError"]);
      }
    }
    expect(await run(opsWith(new ForeignNotFound("Catalog 'lakehouse' not found")).schemas, { catalog: "lakehouse" }, carlos)).toMatchObject({
      ok: false,
      status: 404,
      error: "Catalog 'lakehouse' not found",
    });
    expect(await run(opsWith(new ForeignIntegrationError("socket hang up")).catalogs, {}, carlos)).toMatchObject({ ok: false, status: 502, code: "upstream" });

    const bug = await run(opsWith(new TypeError("secret internals")).catalogs, {}, olivia);
    expect(bug).toMatchObject({ ok: false, status: 500 });
    if (!bug.ok) expect(bug.error).not.toMatch(/secret internals/);
  });

  it("serves a staging table like any port once a published product claims its location", async () => {
    const product = await db.dataProduct.findFirstOrThrow({ where: { slug: "sales-orders" }, select: { id: true } });
    await db.outputPort.create({
      data: {
        productId: product.id,
        name: "returns",
        type: "trino_table",
        location: "lakehouse.sales_staging.returns",
        fields: { create: [{ name: "return_id", type: "bigint", nullable: false, primaryKey: true, position: 0 }] },
      },
    });
    expect(await run(ops.tables, { catalog: "lakehouse", schema: "sales_staging" }, carlos)).toMatchObject({ ok: true, data: { tables: ["returns"] } });
    const cols = await run(ops.columns, { catalog: "lakehouse", schema: "sales_staging", table: "returns" }, olivia);
    expect(cols).toMatchObject({ ok: true, data: { columns: [{ name: "return_id" }] } });
    // Olivia still sees the other, unclaimed staging table beside it.
    expect(await run(ops.tables, { catalog: "lakehouse", schema: "sales_staging" }, olivia)).toMatchObject({ ok: true, data: { tables: ["customer_visits", "returns"] } });
  });
});

describe("staging tables", () => {
  it("have valid locations, a primary key and Trino types", () => {
    for (const t of STAGING_TABLES) {
      expect(t.location).toMatch(/^[a-z_]+\.[a-z_]+\.[a-z_]+$/);
      expect(t.fields.filter((f) => f.primaryKey)).toHaveLength(1);
      expect(new Set(t.fields.map((f) => f.name)).size).toBe(t.fields.length);
      for (const f of t.fields) expect(f.description.length).toBeGreaterThan(5);
    }
  });
});
