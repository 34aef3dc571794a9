-- DropIndex
DROP INDEX "member_edition_home_venue_idx";

-- CreateIndex
CREATE INDEX "member_edition_family_name_given_name_id_idx" ON "member"("edition", "family_name", "given_name", "id");

-- CreateIndex
CREATE INDEX "member_edition_home_venue_functional_area_family_name_given_idx" ON "member"("edition", "home_venue", "functional_area", "family_name", "given_name", "id");

-- CreateIndex
CREATE INDEX "member_skills_idx" ON "member" USING GIN ("skills");

-- CreateIndex
CREATE INDEX "member_languages_idx" ON "member" USING GIN ("languages");

-- Hand-written from here (applied in the same transaction by the migration runner, docs/migrations.md): what
-- schema.prisma cannot express, left alone by `new`/`drift` (docs/migrations.md#supported-and-what-fails-loudly).
-- The member list's case-insensitive family name prefix (`?name=ber`: `lower(family_name) LIKE 'ber%'`): a range of
-- this index. text_pattern_ops, so that LIKE's prefix is a range whatever the database's collation (with C.UTF-8 or
-- en_US.UTF-8 the default operator class could not serve it). docs/workforce-api.md#members-at-100000.
CREATE INDEX "member_name_prefix_idx" ON "member" ("edition", lower("family_name") text_pattern_ops);
