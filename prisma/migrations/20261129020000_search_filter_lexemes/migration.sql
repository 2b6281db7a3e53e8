-- Facet filters inside the text indexes, and product counts of domains in the vocabulary.
--
-- A filtered search used to find the text matches first and drop those outside the filters row by
-- row, reading the whole document of every match. Each document's name and full vectors now also
-- hold one lexeme per facet value ("~d…" domain, "~t…" team, "~g…" tag, "~c…" classification,
-- "~s…" status, "~p…" port type), so the GIN index intersects the text match with the filters
-- before any row is read. The lexemes start with "~", which the text parser never produces, so no
-- query word can match them; the SQL filters stay in the statements, so the lexemes only decide
-- what is read, never what is returned.
--
-- Domain hits showed a count of each domain's listed products, counted row by row; the vocabulary
-- now carries one 'domain' entry per listed product (term: the domain id, nothing else, so renaming
-- a domain changes no entry), kept like the others.

CREATE FUNCTION "search_filter_lexeme"(kind text, val text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT '~' || kind || left(md5(val), 12) $$;

CREATE FUNCTION "search_filter_vector"(domain_id uuid, team_id uuid, tags text[], classification text, status text, port_types text[]) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT array_to_tsvector(ARRAY(
    SELECT search_filter_lexeme('d', domain_id::text) WHERE domain_id IS NOT NULL
    UNION SELECT search_filter_lexeme('t', team_id::text) WHERE team_id IS NOT NULL
    UNION SELECT search_filter_lexeme('g', g) FROM unnest(tags) g
    UNION SELECT search_filter_lexeme('c', classification) WHERE classification IS NOT NULL
    UNION SELECT search_filter_lexeme('s', status) WHERE status IS NOT NULL
    UNION SELECT search_filter_lexeme('p', pt) FROM unnest(port_types) pt))
$$;

-- The filters as a query: any value of a facet, every facet set. NULL when no filter is set.
CREATE FUNCTION "search_filter_tsquery"(domain_ids uuid[], team_ids uuid[], tags text[], classifications text[], statuses text[], port_types text[]) RETURNS tsquery
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
  q tsquery;
  part tsquery;
  one tsquery;
  facet record;
  v text;
BEGIN
  FOR facet IN
    SELECT 'd' AS kind, ARRAY(SELECT x::text FROM unnest(domain_ids) x) AS vals
    UNION ALL SELECT 't', ARRAY(SELECT x::text FROM unnest(team_ids) x)
    UNION ALL SELECT 'g', tags
    UNION ALL SELECT 'c', classifications
    UNION ALL SELECT 's', statuses
    UNION ALL SELECT 'p', port_types
  LOOP
    IF facet.vals IS NULL OR cardinality(facet.vals) = 0 THEN CONTINUE; END IF;
    part := NULL;
    FOREACH v IN ARRAY facet.vals LOOP
      -- A lexeme is "~", a letter and hex digits: nothing to escape inside the quotes.
      one := ('''' || search_filter_lexeme(facet.kind, v) || '''')::tsquery;
      part := CASE WHEN part IS NULL THEN one ELSE part || one END;
    END LOOP;
    q := CASE WHEN q IS NULL THEN part ELSE q && part END;
  END LOOP;
  RETURN q;
END
$$;

CREATE OR REPLACE FUNCTION "search_document_source"() RETURNS TABLE (
  product_id uuid, status "LifecycleStatus", classification "Classification", domain_id uuid, owner_team_id uuid,
  owner_ids uuid[], tags text[], port_types text[], name_norm text, status_rank smallint,
  a tsvector, b tsvector, s tsvector, c tsvector, d tsvector,
  consumers int, active_grants int, quality real, boost double precision, vocab text[])
LANGUAGE sql STABLE
AS $$
SELECT
  p.id AS product_id,
  p.status,
  p.classification,
  p.domain_id,
  p.owner_team_id,
  coalesce(own.ids, ARRAY[]::uuid[]) AS owner_ids,
  p.tags,
  coalesce(ports.types, ARRAY[]::text[]) AS port_types,
  search_normalize(p.name) AS name_norm,
  (CASE p.status WHEN 'published' THEN 0 WHEN 'draft' THEN 1 WHEN 'deprecated' THEN 8 ELSE 9 END)::smallint AS status_rank,
  txt.a, txt.b, txt.s, txt.c, txt.d,
  coalesce(cons.n, 0)::int AS consumers,
  coalesce(gr.n, 0)::int AS active_grants,
  q.quality,
  ((1 + 0.1 * ln(1 + coalesce(cons.n, 0) + coalesce(gr.n, 0))) * (0.8 + 0.2 * q.quality))::float8 AS boost,
  CASE WHEN p.status = 'draft' THEN ARRAY[]::text[] ELSE ARRAY(
    SELECT DISTINCT ON (v.kind, v.term) v.kind || chr(31) || v.term || chr(31) || v.ref || chr(31) || v.label
    FROM (
      SELECT 'word' AS kind, w AS term, '' AS ref, w AS label
      FROM string_to_table(search_words(concat_ws(' ', p.name, array_to_string(p.tags, ' '), dm.name, t.name, own.names,
             CASE WHEN p.classification <> 'restricted' THEN concat_ws(' ', ports.names, cols.names) END)), ' ') w
      WHERE length(w) BETWEEN 3 AND 40 AND translate(w, '0123456789', '') <> ''
      UNION ALL SELECT 'tag', search_fold(tag), '', tag FROM unnest(p.tags) tag
      UNION ALL SELECT 'owner', search_fold(n), '', n FROM unnest(own.list) n
      UNION ALL SELECT 'team', search_fold(t.name), t.slug, t.name WHERE t.id IS NOT NULL
      UNION ALL SELECT 'domain', p.domain_id::text, '', ''
      UNION ALL SELECT 'port', search_fold(n), '', n FROM unnest(ports.list) n WHERE p.classification <> 'restricted'
      UNION ALL SELECT 'column', search_fold(n), '', n FROM unnest(cols.list) n WHERE p.classification <> 'restricted'
    ) v
    WHERE v.term <> ''
    ORDER BY v.kind, v.term, v.label
  ) END AS vocab
FROM data_products p
JOIN domains dm ON dm.id = p.domain_id
LEFT JOIN teams t ON t.id = p.owner_team_id
LEFT JOIN LATERAL (
  SELECT array_agg(po.user_id ORDER BY po.user_id) AS ids, string_agg(u.name, ' ') AS names, array_agg(u.name) AS list
  FROM product_owners po JOIN users u ON u.id = po.user_id WHERE po.product_id = p.id
) own ON true
LEFT JOIN LATERAL (
  SELECT array_agg(DISTINCT op.type::text) AS types, string_agg(op.name, ' ') AS names, array_agg(op.name) AS list,
         string_agg(NULLIF(op.description, ''), ' ') AS descriptions
  FROM output_ports op WHERE op.product_id = p.id
) ports ON true
LEFT JOIN LATERAL (
  SELECT string_agg(f.name, ' ') AS names, array_agg(DISTINCT f.name) AS list,
         string_agg(NULLIF(f.description, ''), ' ') AS descriptions,
         count(*) AS n, count(*) FILTER (WHERE f.description <> '') AS described
  FROM output_ports op JOIN schema_fields f ON f.port_id = op.id WHERE op.product_id = p.id
) cols ON true
LEFT JOIN LATERAL (
  SELECT count(DISTINCT d.product_id) AS n
  FROM output_ports op JOIN product_dependencies d ON d.upstream_port_id = op.id WHERE op.product_id = p.id
) cons ON true
LEFT JOIN LATERAL (
  SELECT count(*) AS n
  FROM output_ports op JOIN access_requests ar ON ar.port_id = op.id
  WHERE op.product_id = p.id AND ar.status = 'active'
) gr ON true
CROSS JOIN LATERAL (
  SELECT (0.25 * (p.summary <> '')::int
        + 0.25 * (length(p.description) >= 80)::int
        + 0.25 * CASE WHEN coalesce(cols.n, 0) = 0 THEN 0 ELSE cols.described::float8 / cols.n END
        + 0.25 * (own.ids IS NOT NULL OR p.owner_team_id IS NOT NULL)::int)::real AS quality
) q
CROSS JOIN LATERAL (
  SELECT search_vector(search_words(concat_ws(' ', p.name, p.slug, array_to_string(p.tags, ' '))), 'A') AS a,
         search_vector(search_words(concat_ws(' ', dm.name, dm.slug, t.name, own.names)), 'B') AS b,
         search_vector(search_fold(p.summary), 'B') AS s,
         search_vector(search_words(concat_ws(' ', ports.names, cols.names)), 'C') AS c,
         setweight(to_tsvector('english'::regconfig, search_fold(concat_ws(' ', p.description, ports.descriptions, cols.descriptions))), 'D') AS d
  -- Not pulled up into the outer query: each vector is computed once, not once per use.
  OFFSET 0
) txt
$$;

-- The rows of search_documents (all but indexed_at) as the source makes them: the nested vectors, the
-- name and full vectors with the filter lexemes. search_refresh and the bulk rebuild
-- (lib/search/index.ts) both insert from here, so the two cannot drift apart. Inlined like a view.
CREATE FUNCTION "search_document_rows"() RETURNS TABLE (
  product_id uuid, status "LifecycleStatus", classification "Classification", domain_id uuid, owner_team_id uuid,
  owner_ids uuid[], tags text[], port_types text[], name_norm text, status_rank smallint,
  v_name tsvector, v_public tsvector, v_head tsvector, v_body tsvector, v_all tsvector,
  consumers int, active_grants int, quality real, boost double precision, vocab text[])
LANGUAGE sql STABLE
AS $$
SELECT s.product_id, s.status, s.classification, s.domain_id, s.owner_team_id, s.owner_ids, s.tags, s.port_types,
  s.name_norm, s.status_rank, s.a || f.v, s.a || s.b, s.a || s.b || s.s, s.a || s.b || s.s || s.c, s.a || s.b || s.s || s.c || s.d || f.v,
  s.consumers, s.active_grants, s.quality, s.boost, s.vocab
FROM search_document_source() s
CROSS JOIN LATERAL (SELECT search_filter_vector(s.domain_id, s.owner_team_id, s.tags, s.classification::text, s.status::text, s.port_types) AS v OFFSET 0) f
$$;

CREATE OR REPLACE FUNCTION "search_refresh"(ids uuid[]) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
  old_vocab text[];
  new_vocab text[];
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
  SELECT coalesce(array_agg(e), ARRAY[]::text[]) INTO old_vocab
  FROM search_documents d, unnest(d.vocab) e WHERE d.product_id = ANY(ids);

  DELETE FROM search_documents d WHERE d.product_id = ANY(ids)
    AND NOT EXISTS (SELECT 1 FROM data_products p WHERE p.id = d.product_id);

  INSERT INTO search_documents AS d (product_id, status, classification, domain_id, owner_team_id, owner_ids, tags, port_types,
    name_norm, status_rank, v_name, v_public, v_head, v_body, v_all, consumers, active_grants, quality, boost, vocab, indexed_at)
  SELECT r.*, clock_timestamp() FROM search_document_rows() r
  WHERE r.product_id = ANY(ids)
  ORDER BY r.product_id
  ON CONFLICT (product_id) DO UPDATE SET
    status = EXCLUDED.status, classification = EXCLUDED.classification, domain_id = EXCLUDED.domain_id,
    owner_team_id = EXCLUDED.owner_team_id, owner_ids = EXCLUDED.owner_ids, tags = EXCLUDED.tags,
    port_types = EXCLUDED.port_types, name_norm = EXCLUDED.name_norm, status_rank = EXCLUDED.status_rank,
    v_name = EXCLUDED.v_name, v_public = EXCLUDED.v_public, v_head = EXCLUDED.v_head, v_body = EXCLUDED.v_body,
    v_all = EXCLUDED.v_all, consumers = EXCLUDED.consumers, active_grants = EXCLUDED.active_grants,
    quality = EXCLUDED.quality, boost = EXCLUDED.boost, vocab = EXCLUDED.vocab, indexed_at = EXCLUDED.indexed_at;

  SELECT coalesce(array_agg(e), ARRAY[]::text[]) INTO new_vocab
  FROM search_documents d, unnest(d.vocab) e WHERE d.product_id = ANY(ids);

  PERFORM search_apply_vocab(old_vocab, new_vocab);
END
$$;

-- Every document again, with its filter lexemes and its domain entry.
SELECT search_refresh(ARRAY(SELECT id FROM data_products));
