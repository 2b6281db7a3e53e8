-- The last word of a query matches as a prefix from its second character ("Throughput EM" finds
-- "Throughput EMEA"), as typeahead does.
CREATE OR REPLACE FUNCTION "search_tsquery"(words text[], prefix_last boolean, mode text) RETURNS tsquery
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
    IF prefix_last AND i = n AND length(w) >= 2 THEN
      part := part || to_tsquery('simple'::regconfig, quote_literal(w) || ':*');
    END IF;
    IF numnode(part) = 0 THEN CONTINUE; END IF;
    q := CASE WHEN q IS NULL THEN part WHEN mode = 'or' THEN q || part ELSE q && part END;
  END LOOP;
  RETURN q;
END
$$;
