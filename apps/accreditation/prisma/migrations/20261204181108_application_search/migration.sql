-- Hand-written migration: applied in one transaction by the migration runner (docs/migrations.md).
-- The staff searches of applications (GET /v1/editions/{e}/applications: organisation, category, state, name prefix;
-- keyset pagination in name order). schema.prisma cannot express a function or expression indexes: `new`/`drift`
-- leave them alone (docs/migrations.md#supported-and-what-fails-loudly).

-- A person's name as searched and sorted: lowercased, Latin accents folded ('Éloïse' -> 'eloise'). IMMUTABLE, so it
-- can be indexed; the service compares the query's name prefix through the same function.
CREATE FUNCTION accreditation_name_key(name TEXT) RETURNS TEXT
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN translate(
    lower(name),
    'àáâãäåçèéêëìíîïñòóôõöøùúûüýÿāăąćĉċčďđēĕėęěĝğġģĥħĩīĭįıĵķĺļľłńņňōŏőŕŗřśŝşšţťŧũūŭůűųŵŷźżžơưǎǐǒǔǖǘǚǜǟǡǧǩǫǭǰǵǹǻȁȃȅȇȉȋȍȏȑȓȕȗșțȟȧȩȫȭȯȱȳ',
    'aaaaaaceeeeiiiinoooooouuuuyyaaaccccddeeeeegggghhiiiiijkllllnnnooorrrsssstttuuuuuuwyzzzouaiouuuuuaagkoojgnaaaeeiioorruusthaeooooy'
  );

-- Each search walks one index in the list's order (family name key, given name key, id) from the cursor on.
CREATE INDEX "application_search_name_idx" ON "application" ("edition", accreditation_name_key("family_name"), accreditation_name_key("given_name"), "id");
CREATE INDEX "application_search_given_idx" ON "application" ("edition", accreditation_name_key("given_name"));
CREATE INDEX "application_search_organisation_idx" ON "application" ("edition", "organisation", accreditation_name_key("family_name"), accreditation_name_key("given_name"), "id");
CREATE INDEX "application_search_category_idx" ON "application" ("edition", "category", accreditation_name_key("family_name"), accreditation_name_key("given_name"), "id");
CREATE INDEX "application_search_state_idx" ON "application" ("edition", "state", accreditation_name_key("family_name"), accreditation_name_key("given_name"), "id");
