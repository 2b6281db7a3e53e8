import type { RawSql } from "@/lib/db/client";

/**
 * The search index is kept by the database: triggers re-index a product whenever one of its rows
 * changes (migration 20261128020000_search). Bulk loads that switch triggers off
 * (`SET session_replication_role = replica`) call this afterwards to rebuild everything at once.
 */

export type RebuildReport = { documents: number; terms: number; ms: number };

const TABLES = ["search_documents", "search_terms"];

const FILL_SQL = `
TRUNCATE search_documents, search_terms;
-- Best first (lifecycle, then popularity and quality), so scans that stop early meet the products
-- that rank best; the order decays as products change, which only affects capped broad queries.
INSERT INTO search_documents (product_id, status, classification, domain_id, owner_team_id, owner_ids, tags, port_types,
  name_norm, status_rank, v_name, v_public, v_head, v_body, v_all, consumers, active_grants, quality, boost, vocab, indexed_at)
SELECT s.product_id, s.status, s.classification, s.domain_id, s.owner_team_id, s.owner_ids, s.tags, s.port_types,
  s.name_norm, s.status_rank, s.a, s.a || s.b, s.a || s.b || s.s, s.a || s.b || s.s || s.c, s.a || s.b || s.s || s.c || s.d,
  s.consumers, s.active_grants, s.quality, s.boost, s.vocab, clock_timestamp()
FROM search_document_source() s
ORDER BY s.status_rank, s.boost DESC, s.product_id;
INSERT INTO search_terms (kind, term, label, ref, product_count)
SELECT split_part(e, chr(31), 1), split_part(e, chr(31), 2), min(split_part(e, chr(31), 4)), min(split_part(e, chr(31), 3)), count(*)
FROM search_documents d, unnest(d.vocab) e
GROUP BY 1, 2;
`;

/**
 * Rebuilds every search document and the vocabulary in one transaction. The secondary indexes are
 * dropped first and built again at the end (from their own definitions, read from the catalogue):
 * one bulk build is several times faster than inserting into GIN indexes row by row.
 */
export async function rebuildSearchIndex(raw: RawSql): Promise<RebuildReport> {
  const started = performance.now();
  const counts = await raw.transaction(async (tx) => {
    await tx.exec(`SET LOCAL jit = off; SET LOCAL maintenance_work_mem = '256MB'; SET LOCAL work_mem = '64MB'`);
    // Fresh statistics after a bulk load, so the per-product lookups use their indexes.
    await tx.exec(`ANALYZE data_products, output_ports, schema_fields, product_owners, product_dependencies, access_requests, users, domains, teams`);
    const indexes = await tx.query<{ name: string; def: string }>(
      `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
       JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = i.schemaname)
       JOIN pg_index x ON x.indexrelid = c.oid
       WHERE i.schemaname = current_schema() AND i.tablename = ANY($1::text[]) AND NOT x.indisprimary
       ORDER BY i.indexname`,
      [TABLES],
    );
    for (const i of indexes) await tx.exec(`DROP INDEX "${i.name.replace(/"/g, '""')}"`);
    await tx.exec(FILL_SQL);
    for (const i of indexes) await tx.exec(i.def);
    await tx.exec(`ANALYZE search_documents; ANALYZE search_terms`);
    const [row] = await tx.query<{ documents: number; terms: number }>(
      `SELECT (SELECT count(*) FROM search_documents)::int AS documents, (SELECT count(*) FROM search_terms)::int AS terms`,
    );
    return row ?? { documents: 0, terms: 0 };
  });
  return { ...counts, ms: Math.round(performance.now() - started) };
}
