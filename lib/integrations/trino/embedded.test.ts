import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotFoundError, UserError } from "@/lib/errors";
import { seedDemoMesh } from "@/lib/demo/seed";
import { createEmbeddedTrinoEngine, embeddedRowCount, sampleValue } from "@/lib/integrations/trino/embedded";
import type { TableRef, TrinoQueryEngine } from "@/lib/integrations/trino/types";
import { createTestDatabase, type TestDatabase } from "@/test/support/db";

let db: TestDatabase;
let trino: TrinoQueryEngine;
/** Trino locations of ports whose product is / is not a draft, straight from the catalogue. */
let served: string[];
let drafts: string[];

const ref = (location: string): TableRef => {
  const [catalog, schema, table] = location.split(".") as [string, string, string];
  return { catalog, schema, table };
};

beforeAll(async () => {
  db = await createTestDatabase("pglite");
  await seedDemoMesh(db.prisma, { now: new Date("2025-10-01T00:00:00Z") });
  trino = createEmbeddedTrinoEngine({ db: db.prisma });
  const ports = await db.prisma.outputPort.findMany({ where: { type: "trino_table" }, select: { location: true, product: { select: { status: true } } } });
  served = [...new Set(ports.filter((p) => p.product.status !== "draft").map((p) => p.location))].sort();
  drafts = ports.filter((p) => p.product.status === "draft").map((p) => p.location).filter((l) => !served.includes(l));
});

afterAll(async () => {
  await db?.dispose();
});

describe("embedded Trino engine: catalogue", () => {
  it("is in embedded mode and healthy", async () => {
    expect(trino.mode).toBe("embedded");
    const h = await trino.health();
    expect(h).toMatchObject({ system: "trino", mode: "embedded", healthy: true, details: { tables: String(served.length) } });
  });

  it("lists the catalogs, schemas and tables of the demo's trino ports", async () => {
    expect(served.length).toBeGreaterThan(20);
    expect(await trino.listCatalogs("carlos.consumer@canopy.demo")).toEqual([...new Set(served.map((l) => l.split(".")[0]))].sort());
    const schemas = await trino.listSchemas("carlos.consumer@canopy.demo", "iceberg");
    expect(schemas).toEqual([...new Set(served.map((l) => l.split(".")[1]!))].sort());
    expect(schemas).toEqual(expect.arrayContaining(["sales", "finance", "customer", "logistics", "marketing"]));
    const all: string[] = [];
    for (const s of schemas) for (const t of await trino.listTables("carlos", "iceberg", s)) all.push(`iceberg.${s}.${t}`);
    expect(all.sort()).toEqual(served);
  });

  it("does not serve the tables of draft products", async () => {
    expect(drafts.length).toBeGreaterThan(0);
    for (const location of drafts) {
      const r = ref(location);
      expect(await trino.listTables("carlos", r.catalog, r.schema)).not.toContain(r.table);
      await expect(trino.describeTable("carlos", r)).rejects.toBeInstanceOf(NotFoundError);
      await expect(trino.previewRows("carlos", r)).rejects.toBeInstanceOf(NotFoundError);
      await expect(trino.snapshots("carlos", r)).rejects.toBeInstanceOf(NotFoundError);
    }
  });

  it("answers unknown catalogs, schemas and tables with NotFoundError, bad names with UserError", async () => {
    await expect(trino.listSchemas("carlos", "hive")).rejects.toBeInstanceOf(NotFoundError);
    await expect(trino.listTables("carlos", "iceberg", "nope")).rejects.toBeInstanceOf(NotFoundError);
    const err = await trino.describeTable("carlos", { catalog: "iceberg", schema: "sales", table: "nope" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toBe("Table 'iceberg.sales.nope' does not exist");
    await expect(trino.previewRows("carlos", { catalog: "iceberg", schema: "sales", table: 'orders"--' })).rejects.toBeInstanceOf(UserError);
    await expect(trino.listCatalogs("")).rejects.toBeInstanceOf(UserError);
  });
});

describe("embedded Trino engine: tables", () => {
  it("describes a table from its schema fields, in position order", async () => {
    const port = await db.prisma.outputPort.findFirstOrThrow({
      where: { location: "iceberg.sales.orders" },
      include: { fields: { orderBy: { position: "asc" } } },
    });
    const cols = await trino.describeTable("carlos", ref("iceberg.sales.orders"));
    expect(cols.map((c) => c.name)).toEqual(port.fields.map((f) => f.name));
    expect(cols.map((c) => c.position)).toEqual(port.fields.map((_f, i) => i + 1));
    expect(cols[0]).toEqual({ name: "order_id", type: "bigint", nullable: false, comment: port.fields[0]!.description, position: 1 });
    expect(cols.find((c) => c.name === "promo_code")).toMatchObject({ type: "varchar", nullable: true });
  });

  it("previews deterministic, limited rows shaped by column names and types", async () => {
    const table = ref("iceberg.sales.orders");
    const total = embeddedRowCount("iceberg.sales.orders");
    const a = await trino.previewRows("carlos", table, { limit: 10 });
    const b = await trino.previewRows("someone-else", table, { limit: 10 });
    expect(a).toEqual(b);
    expect(a.rows).toHaveLength(10);
    expect(a.truncated).toBe(true);
    expect(a.queryId).toBeNull();
    expect(a.columns.map((c) => c.name)).toEqual((await trino.describeTable("carlos", table)).map((c) => c.name));
    // A smaller limit gives a prefix of the same rows.
    expect((await trino.previewRows("carlos", table, { limit: 3 })).rows).toEqual(a.rows.slice(0, 3));
    const everything = await trino.previewRows("carlos", table, { limit: 1000 });
    expect(everything.rows).toHaveLength(total);
    expect(everything.truncated).toBe(false);

    const col = (name: string) => a.columns.findIndex((c) => c.name === name);
    const ids = a.rows.map((r) => r[col("order_id")]);
    expect(new Set(ids).size).toBe(10);
    for (const id of ids) expect(Number.isInteger(id)).toBe(true);
    for (const r of everything.rows) {
      expect(r[col("net_amount")]).toMatch(/^\d+\.\d{2}$/);
      expect(r[col("currency")]).toMatch(/^[A-Z]{3}$/);
      expect(r[col("shipping_country")]).toMatch(/^[A-Z]{2}$/);
      expect(r[col("ordered_at")]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6} UTC$/);
      expect(["webshop", "field_sales", "marketplace_amazon", "marketplace_zalando"]).toContain(r[col("channel")]);
      expect(r[col("order_id")]).not.toBeNull(); // primary key
    }
    // Nullable columns do get some nulls, not-null ones never.
    expect(everything.rows.some((r) => r[col("promo_code")] === null)).toBe(true);
    expect(everything.rows.every((r) => r[col("order_number")] !== null)).toBe(true);
  });

  it("generates e-mails, dates and booleans that look real", async () => {
    const f = (name: string, type: string) => ({ name, type, nullable: false, primaryKey: false, description: "" });
    expect(sampleValue(f("customer_email", "varchar"), "iceberg.x.y", 3)).toMatch(/^user\d+@example\.com$/);
    expect(sampleValue(f("signup_date", "date"), "iceberg.x.y", 3)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(typeof sampleValue(f("is_active", "boolean"), "iceberg.x.y", 3)).toBe("boolean");
    expect(sampleValue(f("rate", "decimal(18,8)"), "iceberg.x.y", 3)).toMatch(/^\d{1,10}\.\d{8}$/);
    expect(sampleValue(f("country_code", "varchar(2)"), "iceberg.x.y", 3)).toMatch(/^[A-Z]{2}$/);
    expect(sampleValue(f("x", "varchar(2)"), "iceberg.x.y", 3)).toHaveLength(2);
    const opportunities = await trino.previewRows("carlos", ref("iceberg.sales.opportunities"), { limit: 20 });
    const email = opportunities.columns.findIndex((c) => c.name === "owner_rep_email");
    for (const r of opportunities.rows) expect(r[email]).toMatch(/^user\d+@example\.com$/);
  });

  it("serves a small deterministic snapshot history, newest first", async () => {
    const table = ref("iceberg.finance.fx_daily");
    const snaps = await trino.snapshots("carlos", table);
    expect(snaps.length).toBeGreaterThanOrEqual(3);
    expect(await trino.snapshots("carlos", table)).toEqual(snaps);
    for (let i = 0; i < snaps.length - 1; i++) {
      expect(snaps[i]!.committedAt > snaps[i + 1]!.committedAt).toBe(true);
      expect(snaps[i]!.parentId).toBe(snaps[i + 1]!.snapshotId);
    }
    expect(snaps.at(-1)!.parentId).toBeNull();
    expect(snaps[0]!.summary["total-records"]).toBe(String(embeddedRowCount("iceberg.finance.fx_daily")));
    for (const s of snaps) expect(s.snapshotId).toMatch(/^\d{10,19}$/);
    expect(await trino.snapshots("carlos", table, { limit: 2 })).toEqual(snaps.slice(0, 2));
  });
});
