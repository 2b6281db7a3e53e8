/**
 * The SQL of search, built from fixed fragments (user input only ever travels as parameters).
 *
 * Parameters of the main statement:
 *   $1 user id (text)          $2 team ids (uuid[])        $3 domains stewarded (uuid[])   $4 platform admin
 *   $5 words (text[])          $6 'and' | 'or'             $7 normalized query (text)
 *   $8 domain slugs            $9 team slugs               $10 tags                        $11 classifications
 *   $12 statuses               $13 port types              $14 only mine (boolean)
 *   $15 cursor bucket (int)    $16 cursor score (float8)   $17 cursor product id (uuid)    $18 page size
 *   $19 facet cap              $20 ranking cap per scan    $21 first page (entity hits, popular tags)
 *
 * Sort key of a product: (bucket, score DESC, product_id). bucket = status_rank + 2 × tier, where
 * status_rank is 0 published, 1 draft, 8 deprecated, 9 retired, and tier is the narrowest field group
 * that holds every query word: 0 name/slug/tags, 1 domain/team/owners/summary, 2 ports/columns,
 * 3 descriptions. So live products come first, by the field that matched, published before draft;
 * deprecated and retired products after them. score = boost (consumers, grants, quality)
 * × (1 + ts_rank on the name vector) × exact/prefix-name factor.
 */

const ME = `(d.owner_ids && ARRAY[$1::uuid] OR d.owner_team_id = ANY($2::uuid[]))`;
/** `visibleProductsWhere` in SQL: drafts only for owners, the owning team, stewards and admins. */
export const VISIBLE = `($4::boolean OR d.status <> 'draft' OR ${ME} OR d.domain_id = ANY($3::uuid[]))`;
const GRANTED = `d.product_id IN (SELECT product_id FROM granted)`;
/** May see the details (summary, ports, columns) of the product. */
const DETAIL_OK = `(d.classification <> 'restricted' OR $4::boolean OR ${ME} OR d.domain_id = ANY($3::uuid[]) OR ${GRANTED})`;
const MINE = `(${ME} OR ${GRANTED})`;

const F = {
  domain: `(cardinality($8::text[]) = 0 OR d.domain_id = ANY(fd.domains))`,
  team: `(cardinality($9::text[]) = 0 OR d.owner_team_id = ANY(fd.teams))`,
  tag: `(cardinality($10::text[]) = 0 OR d.tags && $10::text[])`,
  classification: `(cardinality($11::text[]) = 0 OR d.classification::text = ANY($11::text[]))`,
  status: `(cardinality($12::text[]) = 0 OR d.status::text = ANY($12::text[]))`,
  portType: `(cardinality($13::text[]) = 0 OR d.port_types && $13::text[])`,
  access: `(NOT $14::boolean OR ${MINE})`,
} as const;
type FilterName = keyof typeof F;
const FILTER_NAMES = Object.keys(F) as FilterName[];
const ALL_FILTERS = FILTER_NAMES.map((f) => F[f]).join(" AND ");
/** Some filter is set. */
const ANY_FILTER = `(cardinality($8::text[]) + cardinality($9::text[]) + cardinality($10::text[]) + cardinality($11::text[])
  + cardinality($12::text[]) + cardinality($13::text[]) > 0 OR $14::boolean)`;
const flagsExcept = (except: FilterName | null) =>
  FILTER_NAMES.filter((f) => f !== except)
    .map((f) => `f_${f}`)
    .join(" AND ") || "true";

const COMMON_CTES = `
fd AS MATERIALIZED (
  SELECT (SELECT coalesce(array_agg(id), ARRAY[]::uuid[]) FROM domains WHERE slug = ANY($8::text[])) AS domains,
         (SELECT coalesce(array_agg(id), ARRAY[]::uuid[]) FROM teams WHERE slug = ANY($9::text[])) AS teams
),
granted AS MATERIALIZED (
  SELECT DISTINCT op.product_id FROM access_requests ar JOIN output_ports op ON op.id = ar.port_id
  WHERE ar.status = 'active' AND (ar.expires_at IS NULL OR ar.expires_at > now())
    AND ((ar.principal_type = 'user' AND ar.principal_ref = $1::text)
      OR (ar.principal_type = 'group' AND ar.principal_ref IN (SELECT slug FROM teams WHERE id = ANY($2::uuid[]))))
)`;

const FACETS = `
facet_rows AS (
  SELECT 'domain' AS facet, g.domain_id::text AS value, g.n FROM (
    SELECT domain_id, count(*)::int AS n FROM base WHERE ${flagsExcept("domain")} GROUP BY domain_id) g
  UNION ALL
  (SELECT 'team', g.owner_team_id::text, g.n FROM (
    SELECT owner_team_id, count(*)::int AS n FROM base WHERE owner_team_id IS NOT NULL AND ${flagsExcept("team")} GROUP BY owner_team_id) g
   ORDER BY g.n DESC, g.owner_team_id LIMIT 30)
  UNION ALL
  (SELECT 'tag', t, count(*)::int FROM base, unnest(tags) t WHERE ${flagsExcept("tag")} GROUP BY 2 ORDER BY 3 DESC, 2 LIMIT 30)
  UNION ALL
  SELECT 'classification', g.classification::text, g.n FROM (
    SELECT classification, count(*)::int AS n FROM base WHERE ${flagsExcept("classification")} GROUP BY classification) g
  UNION ALL
  SELECT 'status', g.status::text, g.n FROM (
    SELECT status, count(*)::int AS n FROM base WHERE ${flagsExcept("status")} GROUP BY status) g
  UNION ALL
  SELECT 'portType', pt, count(*)::int FROM base, unnest(port_types) pt WHERE ${flagsExcept("portType")} GROUP BY 2
  UNION ALL
  SELECT 'access', 'mine', count(*)::int FROM base WHERE mine AND ${flagsExcept("access")} HAVING count(*) > 0
),
facets AS (
  SELECT f.facet, coalesce(dm.slug, tm.slug, f.value) AS value, coalesce(dm.name, tm.name, f.value) AS label, f.n
  FROM facet_rows f
  LEFT JOIN domains dm ON f.facet = 'domain' AND dm.id = CASE WHEN f.facet = 'domain' THEN f.value::uuid END
  LEFT JOIN teams tm ON f.facet = 'team' AND tm.id = CASE WHEN f.facet = 'team' THEN f.value::uuid END
),
counted AS (
  SELECT count(*)::int AS base_n, count(*) FILTER (WHERE ${flagsExcept(null)})::int AS filtered_n FROM base
)`;

const BASE_COLUMNS = `d.product_id, d.domain_id, d.owner_team_id, d.tags, d.port_types, d.classification, d.status, ${MINE} AS mine,
    ${FILTER_NAMES.map((f) => `${F[f]} AS f_${f}`).join(",\n    ")}`;

const KEYSET = `($15::int IS NULL OR r.bucket > $15::int OR (r.bucket = $15::int AND (r.score < $16::float8 OR (r.score = $16::float8 AND r.product_id > $17::uuid))))`;

const PAGE_OUTPUT = `
SELECT
  (SELECT coalesce(json_agg(x ORDER BY x.bucket, x.score DESC, x.product_id), '[]'::json) FROM (
    SELECT pg.product_id, pg.bucket, pg.score, p.slug, p.name, p.summary, p.tags, p.status::text AS status,
           p.classification::text AS classification, dm.slug AS domain_slug, dm.name AS domain_name,
           tm.slug AS team_slug, tm.name AS team_name, d.port_types, ${DETAIL_OK} AS detail_ok, ${MINE} AS has_access,
           pg.tier
    FROM page pg
    JOIN search_documents d ON d.product_id = pg.product_id
    JOIN data_products p ON p.id = pg.product_id
    JOIN domains dm ON dm.id = p.domain_id
    LEFT JOIN teams tm ON tm.id = p.owner_team_id
  ) x) AS products,
  (SELECT coalesce(json_agg(facets), '[]'::json) FROM facets) AS facets,
  (SELECT base_n FROM counted) AS base_n,
  (SELECT filtered_n FROM counted) AS filtered_n,
  (SELECT n FROM extra_count) AS extra_n,
  CASE WHEN $21::boolean THEN (SELECT coalesce(json_agg(t), '[]'::json) FROM (
    SELECT label AS tag, product_count AS count FROM search_terms WHERE kind = 'tag' ORDER BY product_count DESC, label LIMIT 12) t) END AS popular_tags`;

/** Search with words: matching through the GIN index, ranking inside bounded candidate sets. */
export const TEXT_SEARCH_SQL = `
WITH
q AS MATERIALIZED (SELECT search_tsquery($5::text[], true, $6::text) AS tq),
${COMMON_CTES},
-- The query and the filters' lexemes (migration 20261129020000): the index applies the filters too.
qf AS MATERIALIZED (
  SELECT CASE WHEN f.tq IS NULL THEN q.tq ELSE q.tq && f.tq END AS tq
  FROM q, fd, LATERAL search_filter_tsquery(fd.domains, fd.teams, $10::text[], $11::text[], $12::text[], $13::text[]) f(tq)
),
base AS MATERIALIZED (
  SELECT ${BASE_COLUMNS}
  FROM search_documents d, q, fd
  WHERE d.v_all @@ q.tq AND ${VISIBLE} AND (${DETAIL_OK} OR d.v_public @@ q.tq)
  LIMIT $19::int
),
${FACETS},
-- Only when the first scan stopped at the cap and filters apply: the matches the filters keep.
filtered AS MATERIALIZED (
  SELECT d.product_id FROM search_documents d, q, qf, fd
  WHERE (SELECT base_n FROM counted) >= $19::int AND ${ANY_FILTER}
    AND d.v_all @@ qf.tq AND ${VISIBLE} AND (${DETAIL_OK} OR d.v_public @@ q.tq) AND ${ALL_FILTERS}
  LIMIT $19::int
),
extra_count AS (SELECT count(*)::int AS n FROM filtered),
cand AS MATERIALIZED (
  (SELECT d.product_id FROM search_documents d, fd WHERE d.name_norm = $7::text AND ${VISIBLE} AND ${ALL_FILTERS} LIMIT 10)
  UNION
  (SELECT d.product_id FROM search_documents d, qf, fd WHERE d.v_name @@ qf.tq AND ${VISIBLE} AND ${ALL_FILTERS} LIMIT $20::int)
  UNION
  -- Every match, in index order: from the first scan, unless it stopped at the cap before the filters.
  (SELECT b.product_id FROM base b WHERE ${flagsExcept(null)} LIMIT $20::int)
  UNION
  (SELECT f.product_id FROM filtered f LIMIT $20::int)
),
ranked AS (
  SELECT t.product_id, (t.status_rank + 2 * t.tier)::int AS bucket, t.tier, t.score FROM (
    SELECT d.product_id, d.status_rank,
      CASE WHEN d.v_name @@ q.tq THEN 0
           WHEN d.v_public @@ q.tq THEN 1
           WHEN NOT ${DETAIL_OK} THEN 1
           WHEN d.v_head @@ q.tq THEN 1
           WHEN d.v_body @@ q.tq THEN 2
           ELSE 3 END AS tier,
      (d.boost * (1 + ts_rank('{0.1,0.2,0.4,1.0}'::float4[], d.v_name, q.tq))
        * CASE WHEN d.name_norm = $7::text THEN 2.0 WHEN d.name_norm LIKE $7::text || '%' THEN 1.5 ELSE 1.0 END)::float8 AS score
    FROM cand c JOIN search_documents d ON d.product_id = c.product_id, q
  ) t
),
page AS (
  SELECT r.* FROM ranked r WHERE ${KEYSET} ORDER BY r.bucket, r.score DESC, r.product_id LIMIT $18::int + 1
)
${PAGE_OUTPUT}`;

/** Browsing without words: the best products first, straight from the browse index. */
export const BROWSE_SQL = `
WITH
unused AS (SELECT $5::text[] AS words, $6::text AS mode, $7::text AS normalized, $20::int AS rank_cap),
${COMMON_CTES},
base AS MATERIALIZED (
  SELECT ${BASE_COLUMNS}
  FROM search_documents d, fd
  WHERE ${VISIBLE}
  LIMIT $19::int
),
${FACETS},
extra_count AS (
  SELECT count(*)::int AS n FROM (
    SELECT 1 FROM search_documents d, fd
    WHERE (SELECT base_n FROM counted) >= $19::int AND ${VISIBLE} AND ${ALL_FILTERS}
    LIMIT $19::int
  ) x
),
ranked AS (
  -- Not cast: the sort then matches the browse index, which a filtered browse walks until the page is full.
  SELECT d.product_id, d.status_rank AS bucket, 0 AS tier, d.boost AS score FROM search_documents d, fd
  WHERE ${VISIBLE} AND ${ALL_FILTERS}
),
page AS (
  SELECT r.* FROM ranked r WHERE ${KEYSET} ORDER BY r.bucket, r.score DESC, r.product_id LIMIT $18::int + 1
)
${PAGE_OUTPUT}`;

/** Ports and columns of the page's products (those whose details the user may see). */
export const PAGE_DETAILS_SQL = `
SELECT op.product_id::text AS product_id, op.name AS port, op.type::text AS type,
       coalesce(array_agg(f.name ORDER BY f.position) FILTER (WHERE f.name IS NOT NULL), ARRAY[]::text[]) AS fields
FROM output_ports op LEFT JOIN schema_fields f ON f.port_id = op.id
WHERE op.product_id = ANY($1::uuid[])
GROUP BY op.id, op.product_id, op.name, op.type`;

/**
 * Entity hits for the first page: domains, owners (people and teams) and tags whose names hold
 * every query word. $1 words, $2 longest word (drives the trigram index), $3 limit per kind.
 */
export const ENTITY_SQL = `
SELECT 'domain' AS kind, dm.name AS label, dm.slug AS ref,
  coalesce((SELECT t.product_count FROM search_terms t WHERE t.kind = 'domain' AND t.term = dm.id::text), 0) AS n
FROM domains dm
WHERE NOT EXISTS (SELECT 1 FROM unnest($1::text[]) w WHERE search_normalize(dm.name || ' ' || dm.slug) NOT LIKE '%' || w || '%')
UNION ALL
(SELECT t.kind, t.label, t.ref, t.product_count FROM search_terms t
 WHERE t.kind IN ('tag', 'owner', 'team') AND t.term LIKE '%' || $2::text || '%'
   AND NOT EXISTS (SELECT 1 FROM unnest($1::text[]) w WHERE t.term NOT LIKE '%' || w || '%')
 ORDER BY t.product_count DESC, t.term LIMIT $3::int * 3)`;

/**
 * Which query words the vocabulary knows, and candidate corrections for the others: every known word
 * one edit away ($2 the edits of each word, $3 the word each edit belongs to: found by exact lookup,
 * so a swapped pair of letters is found even when few trigrams survive it), and the closest words by
 * trigram similarity. The caller picks by edit distance, then similarity, then popularity.
 */
export const CORRECTION_SQL = `
SELECT u.w, u.i::int,
  EXISTS (SELECT 1 FROM search_terms t WHERE t.kind = 'word' AND (t.term = u.w OR (u.i = cardinality($1::text[]) AND t.term LIKE u.w || '%'))) AS known,
  coalesce((SELECT json_agg(c) FROM (
    (SELECT t.term, similarity(t.term, u.w)::float8 AS sim, t.product_count AS n FROM search_terms t
      WHERE t.kind = 'word' AND t.term IN (SELECT e.v FROM unnest($2::text[], $3::int[]) AS e(v, i) WHERE e.i = u.i))
    UNION
    (SELECT t.term, similarity(t.term, u.w)::float8, t.product_count FROM search_terms t
      WHERE t.kind = 'word' AND t.term % u.w AND length(u.w) >= 3
      ORDER BY similarity(t.term, u.w) DESC, t.product_count DESC, t.term LIMIT 8)
  ) c), '[]'::json) AS candidates
FROM unnest($1::text[]) WITH ORDINALITY AS u(w, i)
ORDER BY u.i`;

/**
 * Typeahead. $1 user id, $2 team ids, $3 stewarded domains, $4 admin (as VISIBLE),
 * $5 normalized query (words), $6 lower-case query as typed (identifiers keep their underscores), $7 limit.
 * Each source is bounded before it is sorted: prefix matches first, then popularity.
 */
export const SUGGEST_SQL = `
WITH
prod AS (
  SELECT * FROM (
    (SELECT d.product_id, 0 AS pos, d.status_rank, d.boost FROM search_documents d
     WHERE d.name_norm LIKE $5::text || '%' AND ${VISIBLE} LIMIT 200)
    UNION
    (SELECT d.product_id, 1 AS pos, d.status_rank, d.boost FROM search_documents d
     WHERE length($5::text) >= 3 AND d.name_norm LIKE '%' || $5::text || '%' AND d.name_norm LIKE '% ' || $5::text || '%' AND ${VISIBLE} LIMIT 200)
  ) x
  ORDER BY pos, status_rank, boost DESC, product_id LIMIT $7::int
),
terms AS (
  SELECT * FROM (
    (SELECT t.kind, t.label, t.ref, t.product_count, 0 AS pos FROM search_terms t
     WHERE t.kind NOT IN ('word', 'domain') AND t.term LIKE $6::text || '%' ORDER BY t.term LIMIT 200)
    UNION ALL
    (SELECT t.kind, t.label, t.ref, t.product_count, 1 AS pos FROM search_terms t
     WHERE length($6::text) >= 3 AND t.kind NOT IN ('word', 'domain') AND t.term LIKE '%' || $6::text || '%' AND t.term NOT LIKE $6::text || '%' LIMIT 200)
  ) x
  ORDER BY pos, product_count DESC, label LIMIT $7::int * 2
)
SELECT 'product' AS kind, p.name AS label, dm.name AS detail, p.slug AS ref, pr.pos, 0 AS n, pr.status_rank, pr.boost
FROM prod pr JOIN data_products p ON p.id = pr.product_id JOIN domains dm ON dm.id = p.domain_id
UNION ALL
SELECT 'domain', dm.name, '', dm.slug, CASE WHEN search_normalize(dm.name) LIKE $5::text || '%' THEN 0 ELSE 1 END, 0, 0, 0
FROM domains dm
WHERE search_normalize(dm.name || ' ' || dm.slug) LIKE '%' || $5::text || '%'
UNION ALL
SELECT kind, label, '', ref, pos, product_count, 0, 0 FROM terms`;
