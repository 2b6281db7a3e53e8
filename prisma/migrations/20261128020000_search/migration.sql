-- Catalogue search (docs/search.md).
--
-- One row per data product in "search_documents", written only by the database: triggers on every
-- table a product's text comes from call search_refresh(<product ids>), which rebuilds exactly those
-- rows. "search_terms" is the vocabulary (words, tags, columns, ports, owners, teams of listed
-- products) behind typo correction, typeahead and entity hits; its counts are kept by the same
-- function from the difference between a product's old and new vocabulary.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is STABLE (it reads its dictionary); naming the dictionary makes the result depend
-- on the input only, which is what the stored vectors need.
CREATE FUNCTION "search_unaccent"(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT unaccent('unaccent'::regdictionary, $1) $$;

-- Lower case without accents; unaccent() only runs on text with non-ASCII characters.
CREATE FUNCTION "search_fold"(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT lower(CASE WHEN octet_length($1) = length($1) THEN $1 ELSE search_unaccent($1) END) $$;

-- Identifiers as words: camelCase split, folded, and punctuation (snake_case, dotted names, slugs,
-- paths) turned into spaces. "sales.customerOrders_v2" -> "sales customer orders v2". Cheap checks
-- first, because it runs over every column name of the catalogue when the index is built.
CREATE FUNCTION "search_words"(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
  SELECT translate(search_fold(CASE WHEN $1 = lower($1) THEN $1 ELSE
           regexp_replace(regexp_replace($1, '([[:lower:][:digit:]])([[:upper:]])', '\1 \2', 'g'), '([[:upper:]]+)([[:upper:]][[:lower:]])', '\1 \2', 'g') END),
         '_.-/:,;()[]{}<>''"|\!?&+*=#%$@~^`', '                                ')
$$;

-- The same, with single spaces: a product name as compared with the normalized query.
CREATE FUNCTION "search_normalize"(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT btrim(regexp_replace(search_words($1), '\s+', ' ', 'g')) $$;

-- Both configurations over the same text: English stems ("customers" -> custom) and the words as
-- written, so that a partly typed word matches as a prefix ("organiz" is not a prefix of the stem
-- "organ", but is of "organization").
CREATE FUNCTION "search_vector"(txt text, w "char") RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT setweight(to_tsvector('english'::regconfig, coalesce(txt, '')) || to_tsvector('simple'::regconfig, coalesce(txt, '')), w)
$$;

-- The query for a list of normalized words: every word must match (mode 'and') or any (mode 'or');
-- a word matches its English stem or itself, and the last one also as a prefix when `prefix_last`.
CREATE FUNCTION "search_tsquery"(words text[], prefix_last boolean, mode text) RETURNS tsquery
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
  q tsquery;
  part tsquery;
  w text;
  i int := 0;
  n int := coalesce(cardinality(words), 0);
BEGIN
  IF n = 0 THEN RETURN NULL; END IF;
  FOREACH w IN ARRAY words LOOP
    i := i + 1;
    part := plainto_tsquery('english'::regconfig, w) || plainto_tsquery('simple'::regconfig, w);
    IF prefix_last AND i = n AND length(w) >= 3 THEN
      part := part || to_tsquery('simple'::regconfig, quote_literal(w) || ':*');
    END IF;
    IF numnode(part) = 0 THEN CONTINUE; END IF;
    q := CASE WHEN q IS NULL THEN part WHEN mode = 'or' THEN q || part ELSE q && part END;
  END LOOP;
  RETURN q;
END
$$;

CREATE TABLE "search_documents" (
    "product_id" UUID NOT NULL,
    "status" "LifecycleStatus" NOT NULL,
    "classification" "Classification" NOT NULL,
    "domain_id" UUID NOT NULL,
    "owner_team_id" UUID,
    "owner_ids" UUID[] NOT NULL DEFAULT ARRAY[]::UUID[],
    "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "port_types" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "name_norm" TEXT NOT NULL,
    -- 0 published, 1 draft, 8 deprecated, 9 retired: the lifecycle part of the sort key
    "status_rank" SMALLINT NOT NULL,
    -- Nested vectors, each containing the previous one, so "which fields match" is one @@ each:
    -- A name, slug, tags | B domain, team, owners | B summary | C ports, columns | D descriptions.
    "v_name" TSVECTOR NOT NULL,
    "v_public" TSVECTOR NOT NULL,
    "v_head" TSVECTOR NOT NULL,
    "v_body" TSVECTOR NOT NULL,
    "v_all" TSVECTOR NOT NULL,
    "consumers" INTEGER NOT NULL DEFAULT 0,
    "active_grants" INTEGER NOT NULL DEFAULT 0,
    "quality" REAL NOT NULL DEFAULT 0,
    "boost" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "vocab" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "indexed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "search_documents_pkey" PRIMARY KEY ("product_id")
);

CREATE INDEX "search_documents_v_all_idx" ON "search_documents" USING GIN ("v_all");
CREATE INDEX "search_documents_v_name_idx" ON "search_documents" USING GIN ("v_name");
CREATE INDEX "search_documents_name_trgm_idx" ON "search_documents" USING GIN ("name_norm" gin_trgm_ops);
CREATE INDEX "search_documents_name_norm_idx" ON "search_documents" ("name_norm" text_pattern_ops);
CREATE INDEX "search_documents_browse_idx" ON "search_documents" ("status_rank", "boost" DESC, "product_id");
CREATE INDEX "search_documents_domain_idx" ON "search_documents" ("domain_id");
CREATE INDEX "search_documents_tags_idx" ON "search_documents" USING GIN ("tags");

CREATE TABLE "search_terms" (
    -- word | tag | column | port | owner | team
    "kind" TEXT NOT NULL,
    -- lower case, no accents: what is matched
    "term" TEXT NOT NULL,
    -- as first written: what is shown
    "label" TEXT NOT NULL,
    -- what the entry points at, when it is not the label (a team's slug)
    "ref" TEXT NOT NULL DEFAULT '',
    -- listed (not draft) products carrying it
    "product_count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "search_terms_pkey" PRIMARY KEY ("kind", "term")
);

CREATE INDEX "search_terms_trgm_idx" ON "search_terms" USING GIN ("term" gin_trgm_ops);
CREATE INDEX "search_terms_prefix_idx" ON "search_terms" ("term" text_pattern_ops);

-- What a product's document is made of, one row per product. A STABLE SQL function is inlined
-- like a view (and does not appear as a table); its LATERAL subqueries keep a filter on product_id
-- pushed down, so refreshing one product reads only that product's rows.
CREATE FUNCTION "search_document_source"() RETURNS TABLE (
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
) txt
$$;

-- Rebuilds the documents of these products (deleting those whose product is gone) and moves the
-- vocabulary counts by the difference between their old and new vocabulary.
CREATE FUNCTION "search_refresh"(ids uuid[]) RETURNS void
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
  SELECT s.product_id, s.status, s.classification, s.domain_id, s.owner_team_id, s.owner_ids, s.tags, s.port_types,
    s.name_norm, s.status_rank, s.a, s.a || s.b, s.a || s.b || s.s, s.a || s.b || s.s || s.c, s.a || s.b || s.s || s.c || s.d,
    s.consumers, s.active_grants, s.quality, s.boost, s.vocab, clock_timestamp()
  FROM search_document_source() s WHERE s.product_id = ANY(ids)
  ORDER BY s.product_id
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

-- Vocabulary entries are "kind \x1f term \x1f ref \x1f label"; counts move by (new - old) per (kind, term).
CREATE FUNCTION "search_apply_vocab"(old_vocab text[], new_vocab text[]) RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  WITH diff AS (
    SELECT split_part(e, chr(31), 1) AS kind, split_part(e, chr(31), 2) AS term,
           min(split_part(e, chr(31), 3)) AS ref, min(split_part(e, chr(31), 4)) AS label, sum(n)::int AS n
    FROM (SELECT e, -1 AS n FROM unnest(old_vocab) e UNION ALL SELECT e, 1 FROM unnest(new_vocab) e) x
    GROUP BY 1, 2
    HAVING sum(n) <> 0
  )
  INSERT INTO search_terms AS t (kind, term, label, ref, product_count)
  SELECT kind, term, label, ref, n FROM diff ORDER BY kind, term
  ON CONFLICT (kind, term) DO UPDATE SET product_count = t.product_count + EXCLUDED.product_count;
  -- A separate statement: rows changed above are not visible to the same statement.
  DELETE FROM search_terms t
  USING (SELECT DISTINCT split_part(e, chr(31), 1) AS kind, split_part(e, chr(31), 2) AS term FROM unnest(old_vocab) e) gone
  WHERE t.kind = gone.kind AND t.term = gone.term AND t.product_count <= 0;
END
$$;

-- Triggers: statement level, so a bulk insert of columns re-indexes each product once.
CREATE FUNCTION "search_on_product_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM search_refresh(ARRAY(SELECT DISTINCT id FROM old_rows));
  ELSE
    PERFORM search_refresh(ARRAY(SELECT DISTINCT id FROM new_rows));
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION "search_on_product_child_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM search_refresh(ARRAY(SELECT DISTINCT product_id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM search_refresh(ARRAY(SELECT DISTINCT product_id FROM old_rows));
  ELSE
    PERFORM search_refresh(ARRAY(SELECT product_id FROM new_rows UNION SELECT product_id FROM old_rows));
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION "search_on_field_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM search_refresh(ARRAY(SELECT DISTINCT op.product_id FROM new_rows f JOIN output_ports op ON op.id = f.port_id));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM search_refresh(ARRAY(SELECT DISTINCT op.product_id FROM old_rows f JOIN output_ports op ON op.id = f.port_id));
  ELSE
    PERFORM search_refresh(ARRAY(SELECT op.product_id FROM (SELECT port_id FROM new_rows UNION SELECT port_id FROM old_rows) f
                                 JOIN output_ports op ON op.id = f.port_id));
  END IF;
  RETURN NULL;
END $$;

-- Lineage and grants only move the popularity signal of the upstream / granting product.
CREATE FUNCTION "search_on_dependency_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM search_refresh(ARRAY(SELECT DISTINCT op.product_id FROM new_rows r JOIN output_ports op ON op.id = r.upstream_port_id));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM search_refresh(ARRAY(SELECT DISTINCT op.product_id FROM old_rows r JOIN output_ports op ON op.id = r.upstream_port_id));
  ELSE
    PERFORM search_refresh(ARRAY(SELECT op.product_id FROM (SELECT upstream_port_id FROM new_rows UNION SELECT upstream_port_id FROM old_rows) r
                                 JOIN output_ports op ON op.id = r.upstream_port_id));
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION "search_on_grant_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM search_refresh(ARRAY(SELECT DISTINCT op.product_id FROM new_rows r JOIN output_ports op ON op.id = r.port_id WHERE r.status = 'active'));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM search_refresh(ARRAY(SELECT DISTINCT op.product_id FROM old_rows r JOIN output_ports op ON op.id = r.port_id WHERE r.status = 'active'));
  ELSE
    PERFORM search_refresh(ARRAY(
      SELECT DISTINCT op.product_id FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN output_ports op ON op.id IN (n.port_id, o.port_id)
      WHERE (n.status = 'active') IS DISTINCT FROM (o.status = 'active') OR n.port_id <> o.port_id));
  END IF;
  RETURN NULL;
END $$;

-- Names shown on many products: re-index the products that show them.
CREATE FUNCTION "search_on_name_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'domains' THEN
    PERFORM search_refresh(ARRAY(SELECT p.id FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN data_products p ON p.domain_id = n.id
                                 WHERE n.name IS DISTINCT FROM o.name OR n.slug IS DISTINCT FROM o.slug));
  ELSIF TG_TABLE_NAME = 'teams' THEN
    PERFORM search_refresh(ARRAY(SELECT p.id FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN data_products p ON p.owner_team_id = n.id
                                 WHERE n.name IS DISTINCT FROM o.name OR n.slug IS DISTINCT FROM o.slug));
  ELSE
    PERFORM search_refresh(ARRAY(SELECT DISTINCT po.product_id FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN product_owners po ON po.user_id = n.id
                                 WHERE n.name IS DISTINCT FROM o.name));
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "search_products_ins" AFTER INSERT ON "data_products" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_on_product_rows();
CREATE TRIGGER "search_products_upd" AFTER UPDATE ON "data_products" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_on_product_rows();
CREATE TRIGGER "search_products_del" AFTER DELETE ON "data_products" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_on_product_rows();

CREATE TRIGGER "search_ports_ins" AFTER INSERT ON "output_ports" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_on_product_child_rows();
CREATE TRIGGER "search_ports_upd" AFTER UPDATE ON "output_ports" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_on_product_child_rows();
CREATE TRIGGER "search_ports_del" AFTER DELETE ON "output_ports" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_on_product_child_rows();

CREATE TRIGGER "search_owners_ins" AFTER INSERT ON "product_owners" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_on_product_child_rows();
CREATE TRIGGER "search_owners_upd" AFTER UPDATE ON "product_owners" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_on_product_child_rows();
CREATE TRIGGER "search_owners_del" AFTER DELETE ON "product_owners" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_on_product_child_rows();

CREATE TRIGGER "search_fields_ins" AFTER INSERT ON "schema_fields" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_on_field_rows();
CREATE TRIGGER "search_fields_upd" AFTER UPDATE ON "schema_fields" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_on_field_rows();
CREATE TRIGGER "search_fields_del" AFTER DELETE ON "schema_fields" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_on_field_rows();

CREATE TRIGGER "search_dependencies_ins" AFTER INSERT ON "product_dependencies" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_on_dependency_rows();
CREATE TRIGGER "search_dependencies_upd" AFTER UPDATE ON "product_dependencies" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_on_dependency_rows();
CREATE TRIGGER "search_dependencies_del" AFTER DELETE ON "product_dependencies" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_on_dependency_rows();

CREATE TRIGGER "search_grants_ins" AFTER INSERT ON "access_requests" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_on_grant_rows();
CREATE TRIGGER "search_grants_upd" AFTER UPDATE ON "access_requests" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_on_grant_rows();
CREATE TRIGGER "search_grants_del" AFTER DELETE ON "access_requests" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_on_grant_rows();

CREATE TRIGGER "search_domains_upd" AFTER UPDATE ON "domains" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_on_name_rows();
CREATE TRIGGER "search_teams_upd" AFTER UPDATE ON "teams" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_on_name_rows();
CREATE TRIGGER "search_users_upd" AFTER UPDATE ON "users" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_on_name_rows();

-- Search statements are short and run many times; JIT compilation would cost more than it saves
-- (hundreds of milliseconds per statement as measured). Off for the re-indexing functions, and
-- for the database (new sessions) when the migrating role owns it.
ALTER FUNCTION search_refresh(uuid[]) SET jit = off;
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'jit stays on: the migrating role does not own the database';
END
$$;

-- Products already in the catalogue.
SELECT search_refresh(ARRAY(SELECT id FROM data_products));
