import { describe, expect, it } from "vitest";
import type { Db, Tx } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import { ensureColumns, ensureTables, isTableFqn, normalizeFqn, syncEdges, type EdgeInput } from "@/lib/lineage/assets";
import { describeEachDatabase } from "@/test/support/db";

describe("normalizeFqn", () => {
  it("lower-cases and strips identifier quotes", () => {
    expect(normalizeFqn("Iceberg.Sales.Orders")).toBe("iceberg.sales.orders");
    expect(normalizeFqn(' "Iceberg"."Sales"."Orders" ')).toBe("iceberg.sales.orders");
    expect(normalizeFqn("`analytics`.`dbt`.`fct_orders`.`Order_ID`")).toBe("analytics.dbt.fct_orders.order_id");
    expect(isTableFqn("a.b.c")).toBe(true);
    expect(isTableFqn("a.b")).toBe(false);
    expect(isTableFqn("a.b.c.d")).toBe(false);
  });

  it("refuses what is not a name", () => {
    for (const bad of ["", "  ", "a..b", "a.b.", ".a.b", 'a."b.c".d', '"unterminated.b', "a b.c.d", 'a."b"c.d'])
      expect(() => normalizeFqn(bad), bad).toThrow(UserError);
  });
});

const edges = async (db: Db, source?: string) =>
  (
    await db.lineageEdge.findMany({
      where: source ? { source } : {},
      select: { source: true, details: true, note: true, from: { select: { fqn: true } }, to: { select: { fqn: true } } },
    })
  )
    .map((e) => `${e.source}:${e.from.fqn}>${e.to.fqn}`)
    .sort();

describeEachDatabase("lineage assets", (testDb) => {
  it("ensureTables creates once, returns ids for all, and keeps descriptions unless given new ones", async () => {
    const db = testDb().prisma;
    const first = await db.$transaction((tx) =>
      ensureTables(tx, [
        { fqn: "Iceberg.Sales.Orders", name: "Orders", description: "All orders" },
        { fqn: "iceberg.sales.customers" },
        { fqn: "iceberg.sales.orders" }, // the same table again, no description
      ]),
    );
    expect([...first.keys()].sort()).toEqual(["iceberg.sales.customers", "iceberg.sales.orders"]);
    const second = await db.$transaction((tx) =>
      ensureTables(tx, [{ fqn: "iceberg.sales.orders", description: "" }, { fqn: "iceberg.sales.customers", description: "Who buys" }, { fqn: "iceberg.sales.returns" }]),
    );
    expect(second.get("iceberg.sales.orders")).toBe(first.get("iceberg.sales.orders"));
    expect(second.get("iceberg.sales.customers")).toBe(first.get("iceberg.sales.customers"));
    const rows = await db.lineageAsset.findMany({ where: { kind: "table", fqn: { startsWith: "iceberg.sales." } }, orderBy: { fqn: "asc" } });
    expect(rows.map((r) => [r.fqn, r.name, r.description])).toEqual([
      ["iceberg.sales.customers", "customers", "Who buys"],
      ["iceberg.sales.orders", "Orders", "All orders"],
      ["iceberg.sales.returns", "returns", ""],
    ]);
    await expect(db.$transaction((tx) => ensureTables(tx, [{ fqn: "sales.orders" }]))).rejects.toThrow(/catalog\.schema\.table/);
  });

  it("ensureColumns creates the columns and their tables", async () => {
    const db = testDb().prisma;
    const ids = await db.$transaction((tx) =>
      ensureColumns(tx, [
        { tableFqn: "iceberg.finance.invoices", name: "Invoice_ID", description: "Key" },
        { tableFqn: "iceberg.finance.invoices", name: "amount" },
      ]),
    );
    expect([...ids.keys()].sort()).toEqual(["iceberg.finance.invoices.amount", "iceberg.finance.invoices.invoice_id"]);
    const table = await db.lineageAsset.findUniqueOrThrow({ where: { kind_fqn: { kind: "table", fqn: "iceberg.finance.invoices" } } });
    const cols = await db.lineageAsset.findMany({ where: { tableId: table.id }, orderBy: { fqn: "asc" } });
    expect(cols.map((c) => [c.kind, c.name, c.description])).toEqual([
      ["column", "amount", ""],
      ["column", "Invoice_ID", "Key"],
    ]);
    const again = await db.$transaction((tx) => ensureColumns(tx, [{ tableFqn: "iceberg.finance.invoices", name: "invoice_id" }]));
    expect(again.get("iceberg.finance.invoices.invoice_id")).toBe(ids.get("iceberg.finance.invoices.invoice_id"));
  });

  it("syncEdges adds, keeps and removes only its own project's edges, idempotently", async () => {
    const db = testDb().prisma;
    const t = (s: string) => `iceberg.sync.${s}`;
    // A manual edge and an OpenMetadata edge on the same tables must survive every dbt sync.
    const ids = await db.$transaction((tx) => ensureTables(tx, [{ fqn: t("raw") }, { fqn: t("stg") }, { fqn: t("mart") }]));
    await db.lineageEdge.create({ data: { fromId: ids.get(t("stg"))!, toId: ids.get(t("mart"))!, source: "manual", note: "checked by hand" } });
    await db.$transaction((tx) => syncEdges(tx, { source: "openmetadata", scope: { assetIds: [ids.get(t("raw"))!] }, edges: [{ kind: "table", from: t("raw"), to: t("stg") }] }));

    const want: EdgeInput[] = [
      { kind: "table", from: t("raw"), to: t("stg"), details: { from: "source.p.raw", to: "model.p.stg" } },
      { kind: "table", from: t("stg"), to: t("mart"), details: { from: "model.p.stg", to: "model.p.mart" } },
      { kind: "column", from: `${t("stg")}.id`, to: `${t("mart")}.id` },
    ];
    const first = await db.$transaction((tx) => syncEdges(tx, { source: "dbt", scope: { project: "p" }, edges: want }));
    expect(first).toMatchObject({ added: 3, removed: 0, unchanged: 0, updated: 0 });
    expect(first.addedEdges).toEqual([
      { kind: "column", from: `${t("stg")}.id`, to: `${t("mart")}.id` },
      { kind: "table", from: t("raw"), to: t("stg") },
      { kind: "table", from: t("stg"), to: t("mart") },
    ]);
    const again = await db.$transaction((tx) => syncEdges(tx, { source: "dbt", scope: { project: "p" }, edges: want }));
    expect(again).toMatchObject({ added: 0, removed: 0, unchanged: 3, updated: 0, addedEdges: [], removedEdges: [] });

    // Another project's edges are out of scope: neither removed nor claimed.
    await db.$transaction((tx) => syncEdges(tx, { source: "dbt", scope: { project: "q" }, edges: [{ kind: "table", from: t("mart"), to: t("raw") }] }));
    const shared = await db.$transaction((tx) =>
      syncEdges(tx, { source: "dbt", scope: { project: "q" }, edges: [{ kind: "table", from: t("mart"), to: t("raw") }, { kind: "table", from: t("raw"), to: t("stg") }] }),
    );
    expect(shared).toMatchObject({ added: 0, removed: 0, unchanged: 1, ignored: 1 });

    const changed = await db.$transaction((tx) =>
      syncEdges(tx, {
        source: "dbt",
        scope: { project: "p" },
        edges: [{ kind: "table", from: t("raw"), to: t("stg"), details: { from: "source.p.raw", to: "model.p.stg_v2" } }, { kind: "table", from: t("raw"), to: t("raw") }],
      }),
    );
    expect(changed).toMatchObject({ added: 0, removed: 2, unchanged: 0, updated: 1, ignored: 1 });
    expect(changed.removedEdges).toEqual([
      { kind: "column", from: `${t("stg")}.id`, to: `${t("mart")}.id` },
      { kind: "table", from: t("stg"), to: t("mart") },
    ]);
    expect(await edges(db)).toEqual(
      [
        `dbt:${t("raw")}>${t("stg")}`,
        `dbt:${t("mart")}>${t("raw")}`,
        `manual:${t("stg")}>${t("mart")}`,
        `openmetadata:${t("raw")}>${t("stg")}`,
      ].sort(),
    );
    const kept = await db.lineageEdge.findFirstOrThrow({ where: { source: "dbt", from: { fqn: t("raw") } } });
    expect(kept.details).toEqual({ from: "source.p.raw", to: "model.p.stg_v2", project: "p" });
    const manual = await db.lineageEdge.findFirstOrThrow({ where: { source: "manual" } });
    expect(manual.note).toBe("checked by hand");

    // An empty sync of project p removes only p's edges.
    const emptied = await db.$transaction((tx) => syncEdges(tx, { source: "dbt", scope: { project: "p" }, edges: [] }));
    expect(emptied.removed).toBe(1);
    expect(await edges(db, "dbt")).toEqual([`dbt:${t("mart")}>${t("raw")}`]);
  });

  it("syncEdges with an asset scope removes only edges touching those assets", async () => {
    const db = testDb().prisma;
    const t = (s: string) => `iceberg.om.${s}`;
    const ids = await db.$transaction((tx) => ensureTables(tx, [{ fqn: t("a") }, { fqn: t("b") }, { fqn: t("c") }, { fqn: t("d") }]));
    await db.$transaction((tx) =>
      syncEdges(tx, {
        source: "openmetadata",
        scope: { assetIds: [ids.get(t("a"))!, ids.get(t("c"))!] },
        edges: [
          { kind: "table", from: t("a"), to: t("b") },
          { kind: "table", from: t("c"), to: t("d") },
        ],
      }),
    );
    const result = await db.$transaction((tx) =>
      syncEdges(tx, { source: "openmetadata", scope: { assetIds: [ids.get(t("a"))!] }, edges: [{ kind: "table", from: t("a"), to: t("c"), details: { sql: "insert into c select * from a" } }] }),
    );
    expect(result).toMatchObject({ added: 1, removed: 1, unchanged: 0 });
    expect(await edges(db, "openmetadata")).toEqual(expect.arrayContaining([`openmetadata:${t("a")}>${t("c")}`, `openmetadata:${t("c")}>${t("d")}`]));
    expect(await edges(db, "openmetadata")).not.toContain(`openmetadata:${t("a")}>${t("b")}`);
  });

  it("runs a fixed number of statements whatever the number of edges", async () => {
    const handle = testDb();
    const n = 2000;
    const many: EdgeInput[] = Array.from({ length: n }, (_, i) => ({ kind: "table", from: `iceberg.bulk.t${i}`, to: `iceberg.bulk.t${i + 1}` }));
    let statements = 0;
    // Counts every call the sync makes on the transaction client (raw statements and model calls alike).
    const counting = (tx: Tx): Tx =>
      new Proxy(tx, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver);
          if (typeof value === "function")
            return (...args: unknown[]) => {
              statements++;
              return (value as (...a: unknown[]) => unknown).apply(target, args);
            };
          if (value && typeof value === "object")
            return new Proxy(value, {
              get(model, op) {
                const fn = Reflect.get(model, op);
                return typeof fn === "function" ? (...args: unknown[]) => (statements++, fn.apply(model, args)) : fn;
              },
            });
          return value;
        },
      });
    const result = await handle.prisma.$transaction((tx) => syncEdges(counting(tx), { source: "dbt", scope: { project: "bulk" }, edges: many }), { timeout: 60_000 });
    expect(result.added).toBe(n);
    expect(statements).toBeLessThanOrEqual(5);
    statements = 0;
    const half = await handle.prisma.$transaction((tx) => syncEdges(counting(tx), { source: "dbt", scope: { project: "bulk" }, edges: many.slice(0, n / 2) }), {
      timeout: 60_000,
    });
    expect(half).toMatchObject({ added: 0, removed: n / 2, unchanged: n / 2 });
    expect(statements).toBeLessThanOrEqual(5);
  });
});
