-- AlterTable
ALTER TABLE "application" ADD COLUMN     "language_levels" TEXT[];

-- Hand-written (docs/volunteers-scale.md#indexes-and-why): the rows already there get their levels as the writers now
-- write them (application.logic.ts languageLevels), before the index is built, so that it is built once.
UPDATE "application" SET "language_levels" = volunteers_language_levels("languages");

-- CreateIndex
CREATE INDEX "application_language_levels_idx" ON "application" USING GIN ("language_levels");

-- Hand-written: "a language at a minimum level" is now `language_levels @> ARRAY['it:A2']` alone, one predicate with
-- its own statistics (most_common_elems of the column). With the expression index of volunteers_language_levels and
-- `language_codes @> ARRAY['it']` beside it, the planner multiplied the two selectivities as if they were independent
-- and took the 21,000 Italian speakers at A2 or above for 2,000 (read from the GIN indexes and sorted, 65 ms, where
-- walking the creation order takes 3). The expression index is no longer read; the function stays (the backfill
-- above, and the test that the stored column agrees with it).
DROP INDEX "application_search_language_levels_idx";

-- Statistics of the new column now, not at autovacuum's next pass: without them the planner guesses a fixed share.
ANALYZE "application" ("language_levels");
