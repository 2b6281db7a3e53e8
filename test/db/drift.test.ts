import { expect, it } from "vitest";
import * as Enums from "@/lib/db/generated/enums";
import { describeEachDatabase } from "@/test/support/db";

/**
 * schema.prisma and the SQL migrations must describe the same database. Migrate a fresh database,
 * then compare its tables, columns and enum types with what the generated client expects.
 * Adding a model field without a migration (or the reverse) fails here.
 */

type RuntimeField = { name: string; kind: "scalar" | "enum" | "object"; type: string; dbName?: string | null };
type RuntimeModel = { dbName: string | null; fields: RuntimeField[] };

function runtimeDataModel(prisma: unknown): { models: Record<string, RuntimeModel> } {
  const model = (prisma as { _runtimeDataModel?: { models: Record<string, RuntimeModel> } })._runtimeDataModel;
  if (!model) throw new Error("the generated client no longer exposes its data model; update this test");
  return model;
}

/**
 * Columns that exist only in the database, because Prisma cannot read or write their type. The
 * models declare them as `Unsupported(...)`, which the generated client leaves out of its data model.
 * Keep this list exact: every entry is a column the migrations create and the schema declares.
 */
const DATABASE_ONLY_COLUMNS: Record<string, string[]> = {
  // Search vectors (tsvector), written by the search triggers (migration 20261128020000_search).
  search_documents: ["v_name", "v_public", "v_head", "v_body", "v_all"],
};

describeEachDatabase("schema.prisma matches the migrations", (testDb) => {
  it("has exactly the tables and columns of the models", async () => {
    const db = testDb();
    const { models } = runtimeDataModel(db.prisma);
    const expected = new Map<string, Set<string>>();
    for (const [name, model] of Object.entries(models)) {
      const cols = model.fields.filter((f) => f.kind !== "object").map((f) => f.dbName ?? f.name);
      expected.set(model.dbName ?? name, new Set(cols));
    }
    for (const [table, cols] of Object.entries(DATABASE_ONLY_COLUMNS)) {
      for (const c of cols) expected.get(table)?.add(c);
    }
    const rows = await db.raw.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations'`,
    );
    const actual = new Map<string, Set<string>>();
    for (const r of rows) {
      if (!actual.has(r.table_name)) actual.set(r.table_name, new Set());
      actual.get(r.table_name)!.add(r.column_name);
    }
    const sorted = (m: Map<string, Set<string>>) =>
      Object.fromEntries([...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([t, c]) => [t, [...c].sort()]));
    expect(sorted(actual)).toEqual(sorted(expected));
  });

  it("has the enum types and values of the schema", async () => {
    const db = testDb();
    const rows = await db.raw.query<{ typname: string; enumlabel: string }>(
      `SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
       JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = current_schema() ORDER BY t.typname, e.enumsortorder`,
    );
    const actual: Record<string, string[]> = {};
    for (const r of rows) (actual[r.typname] ??= []).push(r.enumlabel);
    const expected = Object.fromEntries(
      Object.entries(Enums as Record<string, unknown>)
        .filter(([, v]) => v && typeof v === "object")
        .map(([k, v]) => [k, Object.values(v as Record<string, string>)]),
    );
    expect(actual).toEqual(expected);
  });

  it("gives every enum-typed field a column of that enum type", async () => {
    const db = testDb();
    const { models } = runtimeDataModel(db.prisma);
    const rows = await db.raw.query<{ table_name: string; column_name: string; udt_name: string }>(
      `SELECT table_name, column_name, udt_name FROM information_schema.columns WHERE table_schema = current_schema()`,
    );
    for (const [name, model] of Object.entries(models)) {
      for (const f of model.fields.filter((x) => x.kind === "enum")) {
        const col = rows.find((r) => r.table_name === (model.dbName ?? name) && r.column_name === (f.dbName ?? f.name));
        expect(col, `${name}.${f.name}`).toBeDefined();
        // Lists of enums are stored as arrays, whose udt name starts with an underscore.
        expect(col!.udt_name.replace(/^_/, ""), `${name}.${f.name}`).toBe(f.type);
      }
    }
  });
});
