import type { PGlite } from "@electric-sql/pglite";
import { DEMO_PRODUCTS } from "@/lib/demo/mesh";
import { embeddedRowCount, sampleValue } from "@/lib/integrations/trino/embedded";

/**
 * Fills a fake Trino's database with the demo mesh's tables (catalog `iceberg`), their column
 * comments and the same sample rows the embedded stand-in shows, so the sandbox's connected mode
 * serves what the catalogue describes.
 */

/** The PostgreSQL type that the fake reports back as this Trino type. */
export function pgTypeFor(trinoType: string): string {
  const t = trinoType.trim().toLowerCase();
  let m: RegExpExecArray | null;
  if ((m = /^array\((.+)\)$/.exec(t))) return `${pgTypeFor(m[1]!)}[]`;
  if ((m = /^decimal\((\d+),\s*(\d+)\)$/.exec(t))) return `numeric(${m[1]},${m[2]})`;
  if ((m = /^varchar\((\d+)\)$/.exec(t))) return `varchar(${m[1]})`;
  if ((m = /^char\((\d+)\)$/.exec(t))) return `char(${m[1]})`;
  if ((m = /^timestamp(?:\((\d)\))? with time zone$/.exec(t))) return `timestamp(${Math.min(6, Number(m[1] ?? 6))}) with time zone`;
  if ((m = /^timestamp(?:\((\d)\))?$/.exec(t))) return `timestamp(${Math.min(6, Number(m[1] ?? 6))})`;
  const simple: Record<string, string> = {
    bigint: "bigint",
    integer: "integer",
    int: "integer",
    smallint: "smallint",
    tinyint: "smallint",
    double: "double precision",
    real: "real",
    boolean: "boolean",
    date: "date",
    varchar: "varchar",
    uuid: "uuid",
  };
  return simple[t] ?? "varchar";
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function seedDemoMeshTables(db: PGlite, rowsPerTable = 25): Promise<number> {
  let tables = 0;
  for (const product of DEMO_PRODUCTS) {
    if (product.status === "draft") continue;
    for (const port of product.ports) {
      if (port.type !== "trino_table") continue;
      const [catalog, schema, table] = port.location.split(".");
      if (catalog !== "iceberg" || !schema || !table) continue;
      const exists = await db.query<{ t: string | null }>(`SELECT to_regclass($1)::text AS t`, [`${schema}.${table}`]);
      if (exists.rows[0]?.t) continue;
      const cols = port.fields.map((f) => `${ident(f.name)} ${pgTypeFor(f.type)}${f.nullable ? "" : " NOT NULL"}`);
      const comments = port.fields
        .filter((f) => f.description)
        .map((f) => `COMMENT ON COLUMN ${ident(schema)}.${ident(table)}.${ident(f.name)} IS ${literal(f.description)};`);
      await db.exec(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}; CREATE TABLE ${ident(schema)}.${ident(table)} (${cols.join(", ")}); ${comments.join(" ")}`);
      const n = Math.min(rowsPerTable, embeddedRowCount(port.location));
      const placeholders = port.fields.map((_, i) => `$${i + 1}`).join(", ");
      for (let row = 0; row < n; row++) {
        const values = port.fields.map((f) => {
          const v = sampleValue({ name: f.name, type: f.type, nullable: f.nullable, primaryKey: f.primaryKey, description: f.description }, port.location, row);
          return Array.isArray(v) ? v.map(String) : v;
        });
        await db.query(`INSERT INTO ${ident(schema)}.${ident(table)} VALUES (${placeholders})`, values as never[]);
      }
      tables++;
    }
  }
  return tables;
}
