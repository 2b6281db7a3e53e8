import type { RawSql } from "@/lib/db/client";

/**
 * The search index is kept by the database: triggers re-index a product whenever one of its rows
 * changes (migration 20261128020000_search). Bulk loads that switch triggers off
 * (`SET session_replication_role = replica`) call this afterwards to rebuild everything at once.
 */

export type RebuildReport = { documents: number; terms: number; ms: number };
export type RebuildOptions = {
  /**
   * Connections that compute documents side by side (PostgreSQL; the database server's cores are the
   * limit). With more than one, documents are computed into a staging table first and moved into
   * place in one transaction, so searches see the old index until the new one is complete.
   */
  workers?: number;
};

const TABLES = ["search_documents", "search_terms"];
const COLUMNS = `product_id, status, classification, domain_id, owner_team_id, owner_ids, tags, port_types,
  name_norm, status_rank, v_name, v_public, v_head, v_body, v_all, consumers, active_grants, quality, boost, vocab, indexed_at`;

/** Every document, from the same function search_refresh inserts from (migration 20261129020000). */
const DOCUMENTS = `SELECT r.*, clock_timestamp() FROM search_document_rows() r`;

// Best first (lifecycle, then popularity and quality), so scans that stop early meet the products
// that rank best; the order decays as products change, which only affects capped broad queries.
const BEST_FIRST = `ORDER BY status_rank, boost DESC, product_id`;

const TERMS_SQL = `
INSERT INTO search_terms (kind, term, label, ref, product_count)
SELECT split_part(e, chr(31), 1), split_part(e, chr(31), 2), min(split_part(e, chr(31), 4)), min(split_part(e, chr(31), 3)), count(*)
FROM search_documents d, unnest(d.vocab) e
GROUP BY 1, 2`;

const SETTINGS = `SET LOCAL jit = off; SET LOCAL maintenance_work_mem = '256MB'; SET LOCAL work_mem = '64MB'`;

type Conn = Pick<RawSql, "exec" | "query">;

/** Replaces the index's rows in one transaction, its secondary indexes dropped and built again around the fill. */
async function replaceAll(raw: RawSql, fill: (tx: Conn) => Promise<void>) {
  return raw.transaction(async (tx) => {
    await tx.exec(SETTINGS);
    // One bulk build is several times faster than inserting into GIN indexes row by row.
    const indexes = await tx.query<{ name: string; def: string }>(
      `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
       JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = i.schemaname)
       JOIN pg_index x ON x.indexrelid = c.oid
       WHERE i.schemaname = current_schema() AND i.tablename = ANY($1::text[]) AND NOT x.indisprimary
       ORDER BY i.indexname`,
      [TABLES],
    );
    for (const i of indexes) await tx.exec(`DROP INDEX "${i.name.replace(/"/g, '""')}"`);
    await tx.exec(`TRUNCATE search_documents, search_terms`);
    await fill(tx);
    await tx.exec(TERMS_SQL);
    for (const i of indexes) await tx.exec(i.def);
    await tx.exec(`ANALYZE search_documents; ANALYZE search_terms`);
    const [row] = await tx.query<{ documents: number; terms: number }>(
      `SELECT (SELECT count(*) FROM search_documents)::int AS documents, (SELECT count(*) FROM search_terms)::int AS terms`,
    );
    return row ?? { documents: 0, terms: 0 };
  });
}

/** Computes the documents on `workers` connections, a range of product ids at a time, into `staging`. */
async function computeInParallel(raw: RawSql, staging: string, workers: number) {
  const ranges = await raw.query<{ lo: string; hi: string }>(
    `SELECT (array_agg(id ORDER BY id))[1]::text AS lo, (array_agg(id ORDER BY id DESC))[1]::text AS hi
     FROM (SELECT id, ntile($1::int) OVER (ORDER BY id) AS k FROM data_products) x GROUP BY k ORDER BY k`,
    [workers * 8],
  );
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, () =>
      raw.session(async (conn) => {
        await conn.exec(`SET jit = off; SET work_mem = '64MB'`);
        try {
          for (let r = ranges[next++]; r; r = ranges[next++]) {
            await conn.query(`INSERT INTO "${staging}" (${COLUMNS}) ${DOCUMENTS} WHERE r.product_id BETWEEN $1::uuid AND $2::uuid`, [r.lo, r.hi]);
          }
        } finally {
          await conn.exec(`RESET jit; RESET work_mem`);
        }
      }),
    ),
  );
}

/** Rebuilds every search document and the vocabulary; searches see either the old index or the new one. */
export async function rebuildSearchIndex(raw: RawSql, opts: RebuildOptions = {}): Promise<RebuildReport> {
  const started = performance.now();
  const workers = Math.max(1, Math.floor(opts.workers ?? 1));
  // Fresh statistics after a bulk load, so the per-product lookups use their indexes.
  await raw.exec(`ANALYZE data_products, output_ports, schema_fields, product_owners, product_dependencies, access_requests, users, domains, teams`);
  let counts: { documents: number; terms: number };
  if (workers === 1) {
    counts = await replaceAll(raw, (tx) => tx.exec(`INSERT INTO search_documents (${COLUMNS}) ${DOCUMENTS} ${BEST_FIRST}`));
  } else {
    const staging = `search_rebuild_${process.pid}_${Date.now().toString(36)}`;
    await raw.exec(`CREATE UNLOGGED TABLE "${staging}" (LIKE search_documents INCLUDING DEFAULTS)`);
    try {
      await computeInParallel(raw, staging, workers);
      counts = await replaceAll(raw, (tx) => tx.exec(`INSERT INTO search_documents (${COLUMNS}) SELECT ${COLUMNS} FROM "${staging}" ${BEST_FIRST}`));
    } finally {
      await raw.exec(`DROP TABLE IF EXISTS "${staging}"`);
    }
  }
  return { ...counts, ms: Math.round(performance.now() - started) };
}
