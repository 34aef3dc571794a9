-- CreateIndex
CREATE INDEX "application_edition_created_at_id_idx" ON "application"("edition", "created_at", "id");

-- CreateIndex
CREATE INDEX "application_edition_stage_created_at_id_idx" ON "application"("edition", "stage", "created_at", "id");

-- CreateIndex
CREATE INDEX "application_language_codes_idx" ON "application" USING GIN ("language_codes");

-- CreateIndex
CREATE INDEX "application_skills_idx" ON "application" USING GIN ("skills");

-- CreateIndex
CREATE INDEX "application_available_dates_idx" ON "application" USING GIN ("available_dates");

-- CreateIndex
CREATE INDEX "application_fields_idx" ON "application" USING GIN ("fields");

-- Hand-written from here (applied in the same transaction by the migration runner, docs/migrations.md): what
-- schema.prisma cannot express, left alone by `new`/`drift` (docs/migrations.md#supported-and-what-fails-loudly).
-- The recruiter searches (GET /v1/editions/{e}/applications, docs/volunteers-scale.md): name order, the name search
-- and the language levels. No extension is needed (neither unaccent nor pg_trgm): the folding is a plain function.

-- A name as sorted and searched: lowercased, Latin accents folded ('Éloïse' -> 'eloise'); the same table as
-- accreditation's accreditation_name_key. IMMUTABLE, so it can be indexed; the service folds the query's words through it.
CREATE FUNCTION volunteers_name_key(name TEXT) RETURNS TEXT
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN translate(
    lower(name),
    'àáâãäåçèéêëìíîïñòóôõöøùúûüýÿāăąćĉċčďđēĕėęěĝğġģĥħĩīĭįıĵķĺļľłńņňōŏőŕŗřśŝşšţťŧũūŭůűųŵŷźżžơưǎǐǒǔǖǘǚǜǟǡǧǩǫǭǰǵǹǻȁȃȅȇȉȋȍȏȑȓȕȗșțȟȧȩȫȭȯȱȳ',
    'aaaaaaceeeeiiiinoooooouuuuyyaaaccccddeeeeegggghhiiiiijkllllnnnooorrrsssstttuuuuuuwyzzzouaiouuuuuaagkoojgnaaaeeiioorruusthaeooooy'
  );

-- The words of both names, folded, as a text-search vector ('simple': no stemming, no stop words): `q=dup mar` is
-- `dup:* & mar:*`, each word a prefix of a word of the family or the given name. PL/pgSQL, not SQL, so that the planner
-- does not inline it and costs it as it is (COST 5000): computed on a row, about 10 µs of CPU (where to_tsvector's
-- cost of 100 said 40 times less), which a walk in creation order pays for every row it skips; so that a prefix of a
-- few thousand names reads them from the GIN index rather than walking 10,000 rows (docs/volunteers-scale.md#plans).
CREATE FUNCTION volunteers_name_words(family_name TEXT, given_name TEXT) RETURNS tsvector
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 5000
  AS $$ BEGIN RETURN to_tsvector('simple'::regconfig, volunteers_name_key(family_name || ' ' || given_name)); END $$;

-- The languages as `code:level` for every level up to the one declared (a C1 speaker of fr: fr:A1 .. fr:C1; native
-- is above C2), so that "fr at least B2" is one array element to look up: `... @> ARRAY['fr:B2']`. On a row it costs
-- about 20 µs (a JSON array unnested): the search asks `language_codes @> ARRAY['fr']` before it, cheap, so that a walk
-- in creation order computes it only for the language's speakers (docs/volunteers-scale.md#plans).
CREATE FUNCTION volunteers_language_levels(languages JSONB) RETURNS TEXT[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN ARRAY(
    SELECT (l ->> 'code') || ':' || v.level
    FROM jsonb_array_elements(languages) AS l,
         unnest(ARRAY['A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'native']) WITH ORDINALITY AS v(level, n)
    WHERE v.n <= array_position(ARRAY['A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'native'], l ->> 'level')
  );

-- Name order (family name key, given name key, id), all stages or one: a page reads about `limit` index entries from
-- the cursor on.
CREATE INDEX "application_search_name_idx" ON "application" ("edition", volunteers_name_key("family_name"), volunteers_name_key("given_name"), "id");
CREATE INDEX "application_search_stage_name_idx" ON "application" ("edition", "stage", volunteers_name_key("family_name"), volunteers_name_key("given_name"), "id");
-- The name search and the language levels (a language alone: the GIN index of language_codes, schema.prisma).
CREATE INDEX "application_search_name_words_idx" ON "application" USING GIN (volunteers_name_words("family_name", "given_name"));
-- Statistics of 20,000 name words rather than 1,000 (target 2000 instead of 100): a prefix's share of the names is
-- estimated from the words that start with it, and with 1,000 of 70,000 distinct words 'mart' (1.6% of the names) was
-- taken for a common prefix and walked in creation order (53 ms) instead of read from the index (15 ms).
ALTER INDEX "application_search_name_words_idx" ALTER COLUMN 1 SET STATISTICS 2000;
CREATE INDEX "application_search_language_levels_idx" ON "application" USING GIN (volunteers_language_levels("languages"));
