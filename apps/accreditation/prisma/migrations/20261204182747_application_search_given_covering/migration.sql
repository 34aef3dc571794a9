-- Hand-written migration: applied in one transaction by the migration runner (docs/migrations.md).
-- The given-name branch of a name search (search.ts) wants its matches in the list's order (family name key, given
-- name key, id) without visiting the table: the given-name index now carries the family name key and id, and the
-- filters' columns, so a prefix range is read from the index alone (where the visibility map allows) and top-N
-- sorted. EXPLAIN at 390,000 rows: docs/performance.md#accreditation.
DROP INDEX "application_search_given_idx";
CREATE INDEX "application_search_given_idx" ON "application" ("edition", accreditation_name_key("given_name"), accreditation_name_key("family_name"), "id") INCLUDE ("organisation", "category", "state");
