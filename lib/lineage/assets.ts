import type { Tx } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import type { LineageSource } from "@/lib/lineage/types";

/**
 * Writing asset-level lineage: tables and columns (`lineage_assets`) and the edges between them
 * (`lineage_edges`). Importers hand over everything they know at once and each function runs a fixed
 * number of set-based statements, whatever the number of rows. An importer owns only the edges of its
 * own source within its scope: a dbt import replaces its project's edges, an OpenMetadata sync the
 * edges touching the assets it pulled; manual edges and other sources' edges are never touched.
 * Callers run these inside their transaction and write the audit event themselves.
 */

/** Code-point order: stable whatever the locale. */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Longest fqn accepted (a column's: catalog.schema.table.column). */
const MAX_FQN = 1000;

/**
 * A table or column name as Canopy stores it: lower case, parts joined by dots, with the quotes of
 * quoted identifiers removed (`"Iceberg"."Sales"."Orders"` → `iceberg.sales.orders`). A quoted part
 * may contain a dot only in theory; such names are refused rather than guessed at.
 */
export function normalizeFqn(s: string): string {
  const parts = splitFqn(s);
  if (!parts) throw new UserError(`"${truncate(s)}" is not a table or column name`, { code: "invalid_fqn" });
  const fqn = parts.join(".").toLowerCase();
  if (fqn.length > MAX_FQN) throw new UserError(`"${truncate(s)}" is longer than ${MAX_FQN} characters`, { code: "invalid_fqn" });
  return fqn;
}

/** True for catalog.schema.table (three parts, after normalizing). */
export function isTableFqn(fqn: string): boolean {
  return splitFqn(fqn)?.length === 3;
}

/** The table of a column fqn (all parts but the last). */
export function tableOfColumn(columnFqn: string): string {
  const fqn = normalizeFqn(columnFqn);
  const i = fqn.lastIndexOf(".");
  if (i <= 0) throw new UserError(`"${truncate(columnFqn)}" is not a column name`, { code: "invalid_fqn" });
  return fqn.slice(0, i);
}

function truncate(s: string) {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function splitFqn(s: string): string[] | null {
  const text = s.trim();
  if (!text) return null;
  const parts: string[] = [];
  let i = 0;
  for (;;) {
    const q = text[i];
    let part: string;
    if (q === '"' || q === "`") {
      const end = text.indexOf(q, i + 1);
      if (end < 0) return null;
      part = text.slice(i + 1, end);
      i = end + 1;
      if (!part || part.includes(".") || /[\u0000-\u001f]/.test(part)) return null;
    } else {
      const end = text.indexOf(".", i);
      part = end < 0 ? text.slice(i) : text.slice(i, end);
      i = end < 0 ? text.length : end;
      if (!/^[^\s"`.\u0000-\u001f]+$/.test(part)) return null;
    }
    parts.push(part);
    if (i >= text.length) return parts;
    if (text[i] !== ".") return null;
    i += 1;
    if (i >= text.length) return null;
  }
}

function lastPart(fqn: string) {
  return fqn.slice(fqn.lastIndexOf(".") + 1);
}

export type TableInput = { fqn: string; name?: string; description?: string };
export type ColumnInput = { tableFqn: string; name: string; description?: string };

/**
 * Makes sure the tables exist; returns fqn → asset id for every table asked for. A non-empty
 * description replaces the stored one; an empty or missing one leaves it as it is. One statement.
 */
export async function ensureTables(tx: Tx, tables: TableInput[]): Promise<Map<string, string>> {
  const rows = new Map<string, { fqn: string; name: string; description: string }>();
  for (const t of tables) {
    const fqn = normalizeFqn(t.fqn);
    if (!isTableFqn(fqn)) throw new UserError(`"${truncate(t.fqn)}" is not catalog.schema.table`, { code: "invalid_fqn" });
    const prev = rows.get(fqn);
    const description = (t.description ?? "").trim() || prev?.description || "";
    rows.set(fqn, { fqn, name: t.name?.trim() || prev?.name || lastPart(fqn), description });
  }
  if (rows.size === 0) return new Map();
  const result = await tx.$queryRawUnsafe<{ id: string; fqn: string }[]>(ENSURE_SQL, JSON.stringify([...rows.values()]), "table");
  return new Map(result.map((r) => [r.fqn, r.id]));
}

/**
 * Makes sure the columns (and their tables) exist; returns column fqn → asset id. Column fqns are
 * the table's fqn plus the lower-case column name. Two statements.
 */
export async function ensureColumns(tx: Tx, columns: ColumnInput[]): Promise<Map<string, string>> {
  const tableFqns = new Set<string>();
  const rows = new Map<string, { fqn: string; name: string; description: string; tableFqn: string }>();
  for (const c of columns) {
    const tableFqn = normalizeFqn(c.tableFqn);
    if (!isTableFqn(tableFqn)) throw new UserError(`"${truncate(c.tableFqn)}" is not catalog.schema.table`, { code: "invalid_fqn" });
    const name = c.name.trim();
    const col = splitFqn(name);
    if (!col || col.length !== 1) throw new UserError(`"${truncate(c.name)}" is not a column name`, { code: "invalid_fqn" });
    const fqn = `${tableFqn}.${col[0]!.toLowerCase()}`;
    const prev = rows.get(fqn);
    tableFqns.add(tableFqn);
    rows.set(fqn, { fqn, name: col[0]!, tableFqn, description: (c.description ?? "").trim() || prev?.description || "" });
  }
  if (rows.size === 0) return new Map();
  const tableIds = await ensureTables(tx, [...tableFqns].map((fqn) => ({ fqn })));
  const input = [...rows.values()].map((r) => ({ fqn: r.fqn, name: r.name, description: r.description, table_id: tableIds.get(r.tableFqn)! }));
  const result = await tx.$queryRawUnsafe<{ id: string; fqn: string }[]>(ENSURE_SQL, JSON.stringify(input), "column");
  return new Map(result.map((r) => [r.fqn, r.id]));
}

// Inserted rows come back from the INSERT; rows that were there already are read beside it (a
// statement's own inserts are not visible to its other parts, hence both halves).
const ENSURE_SQL = `
WITH input AS (
  SELECT x.fqn, x.name, coalesce(x.description, '') AS description, x.table_id
  FROM jsonb_to_recordset($1::jsonb) AS x(fqn text, name text, description text, table_id uuid)
), written AS (
  INSERT INTO lineage_assets (id, kind, fqn, name, table_id, description, created_at, updated_at)
  SELECT gen_random_uuid(), $2, i.fqn, i.name, i.table_id, i.description, now(), now() FROM input i
  ON CONFLICT (kind, fqn) DO UPDATE SET description = EXCLUDED.description, updated_at = now()
    WHERE EXCLUDED.description <> '' AND lineage_assets.description <> EXCLUDED.description
  RETURNING id, fqn
)
SELECT id::text AS id, fqn FROM written
UNION ALL
SELECT a.id::text, a.fqn FROM lineage_assets a JOIN input i ON a.kind = $2 AND a.fqn = i.fqn
WHERE NOT EXISTS (SELECT 1 FROM written w WHERE w.fqn = a.fqn)`;

export type EdgeInput = {
  kind: "table" | "column";
  /** Upstream asset's fqn (catalog.schema.table, or …table.column). */
  from: string;
  to: string;
  details?: Record<string, unknown>;
};

/**
 * Which existing edges of the source an import speaks for (and may therefore remove):
 * - `{ project }`: edges whose `details.project` is that project (dbt);
 * - `{ assetIds }`: edges from or to any of these assets (OpenMetadata: the tables it pulled).
 */
export type EdgeScope = { project: string } | { assetIds: string[] };

export type EdgeRef = { kind: "table" | "column"; from: string; to: string };

export type SyncResult = {
  added: number;
  removed: number;
  /** Present before and after, with the same details. */
  unchanged: number;
  /** Present before and after; details (dbt ids, OpenMetadata SQL…) changed. */
  updated: number;
  /** Edges from an asset to itself, and edges owned by another scope of the same source, left alone. */
  ignored: number;
  addedEdges: EdgeRef[];
  removedEdges: EdgeRef[];
};

/**
 * Makes the source's edges within the scope exactly `edges`: adds the missing ones, updates details,
 * removes those no longer listed. Edges of other sources — manual ones above all — and of the same
 * source outside the scope stay as they are (an edge another dbt project recorded is left to that
 * project). Assets are created as needed. Five statements, whatever the number of edges.
 */
export async function syncEdges(
  tx: Tx,
  opts: { source: Exclude<LineageSource, "manual">; scope: EdgeScope; edges: EdgeInput[]; actorId?: string | null },
): Promise<SyncResult> {
  const source = opts.source as string;
  if (source === "manual") throw new Error("manual edges are not synchronised");
  const tables = new Set<string>();
  const columns = new Map<string, ColumnInput>();
  const wanted = new Map<string, { kind: EdgeRef["kind"]; from: string; to: string; details: Record<string, unknown> }>();
  let ignored = 0;
  for (const e of opts.edges) {
    const from = normalizeFqn(e.from);
    const to = normalizeFqn(e.to);
    if (from === to) {
      ignored++;
      continue;
    }
    for (const fqn of [from, to]) {
      if (e.kind === "table") {
        if (!isTableFqn(fqn)) throw new UserError(`"${truncate(fqn)}" is not catalog.schema.table`, { code: "invalid_fqn" });
        tables.add(fqn);
      } else {
        const tableFqn = tableOfColumn(fqn);
        if (!isTableFqn(tableFqn)) throw new UserError(`"${truncate(fqn)}" is not catalog.schema.table.column`, { code: "invalid_fqn" });
        columns.set(fqn, { tableFqn, name: lastPart(fqn) });
      }
    }
    const details = { ...(e.details ?? {}), ...("project" in opts.scope ? { project: opts.scope.project } : {}) };
    wanted.set(`${e.kind}|${from}|${to}`, { kind: e.kind, from, to, details });
  }
  const tableIds = await ensureTables(tx, [...tables].map((fqn) => ({ fqn })));
  const columnIds = await ensureColumns(tx, [...columns.values()]);
  const ids = (kind: EdgeRef["kind"], fqn: string) => (kind === "table" ? tableIds : columnIds).get(fqn)!;
  const input = [...wanted.values()].map((e) => ({ from_id: ids(e.kind, e.from), to_id: ids(e.kind, e.to), details: e.details }));

  const scopeSql =
    "project" in opts.scope
      ? `e.details->>'project' = $3`
      : `(e.from_id = ANY($3::uuid[]) OR e.to_id = ANY($3::uuid[]))`;
  const scopeParam = "project" in opts.scope ? opts.scope.project : opts.scope.assetIds;
  // The existing edge of this source between the same assets belongs to this import when it is in scope
  // or (OpenMetadata) whenever it has this source; a dbt edge of another project is left to that project.
  const mine = "project" in opts.scope ? `lineage_edges.details->>'project' = $3` : `$3::uuid[] IS NOT NULL`;

  const upserted = await tx.$queryRawUnsafe<{ inserted: boolean; updated: boolean; kind: EdgeRef["kind"]; from_fqn: string; to_fqn: string }[]>(
    `WITH input AS (
       SELECT x.from_id, x.to_id, x.details FROM jsonb_to_recordset($1::jsonb) AS x(from_id uuid, to_id uuid, details jsonb)
     ), written AS (
       INSERT INTO lineage_edges (id, from_id, to_id, source, details, created_by_id, created_at, updated_at)
       SELECT gen_random_uuid(), i.from_id, i.to_id, $2, i.details, $4::uuid, now(), now() FROM input i
       ON CONFLICT (from_id, to_id, source) DO UPDATE SET details = EXCLUDED.details, updated_at = now()
         WHERE ${mine} AND lineage_edges.details IS DISTINCT FROM EXCLUDED.details
       RETURNING from_id, to_id, (xmax = 0) AS inserted
     )
     SELECT w.inserted, NOT w.inserted AS updated, f.kind, f.fqn AS from_fqn, t.fqn AS to_fqn
     FROM written w JOIN lineage_assets f ON f.id = w.from_id JOIN lineage_assets t ON t.id = w.to_id`,
    JSON.stringify(input),
    source,
    scopeParam,
    opts.actorId ?? null,
  );

  // Edges present but owned by another scope of the same source (another dbt project) are not ours to count.
  let foreign = 0;
  if ("project" in opts.scope && input.length) {
    const [row] = await tx.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM lineage_edges e JOIN jsonb_to_recordset($1::jsonb) AS x(from_id uuid, to_id uuid) ON e.from_id = x.from_id AND e.to_id = x.to_id
       WHERE e.source = $2 AND e.details->>'project' IS DISTINCT FROM $3`,
      JSON.stringify(input.map(({ from_id, to_id }) => ({ from_id, to_id }))),
      source,
      opts.scope.project,
    );
    foreign = row?.n ?? 0;
  }

  const removed = await tx.$queryRawUnsafe<{ kind: EdgeRef["kind"]; from_fqn: string; to_fqn: string }[]>(
    `WITH input AS (
       SELECT x.from_id, x.to_id FROM jsonb_to_recordset($1::jsonb) AS x(from_id uuid, to_id uuid)
     ), gone AS (
       DELETE FROM lineage_edges e
       WHERE e.source = $2 AND ${scopeSql}
         AND NOT EXISTS (SELECT 1 FROM input i WHERE i.from_id = e.from_id AND i.to_id = e.to_id)
       RETURNING e.from_id, e.to_id
     )
     SELECT f.kind, f.fqn AS from_fqn, t.fqn AS to_fqn
     FROM gone g JOIN lineage_assets f ON f.id = g.from_id JOIN lineage_assets t ON t.id = g.to_id`,
    JSON.stringify(input.map(({ from_id, to_id }) => ({ from_id, to_id }))),
    source,
    scopeParam,
  );

  const ref = (r: { kind: EdgeRef["kind"]; from_fqn: string; to_fqn: string }): EdgeRef => ({ kind: r.kind, from: r.from_fqn, to: r.to_fqn });
  const byName = (a: EdgeRef, b: EdgeRef) => cmp(a.kind, b.kind) || cmp(a.from, b.from) || cmp(a.to, b.to);
  const added = upserted.filter((r) => r.inserted).map(ref).sort(byName);
  const updated = upserted.filter((r) => r.updated).length;
  return {
    added: added.length,
    removed: removed.length,
    updated,
    unchanged: input.length - added.length - updated - foreign,
    ignored: ignored + foreign,
    addedEdges: added,
    removedEdges: removed.map(ref).sort(byName),
  };
}
