/*
  Warnings:

  - Added the required column `source` to the `document` table without a default value: existing rows are filled
    below before the column becomes NOT NULL.

*/
-- A document is bound to the ODF Source of its first accepted version (written by hand: the backfill). Existing rows
-- take the Source of their first recorded version that was applied (or merged, or a withdrawal), else the Source of
-- their stored header (DT_CURRENT keeps no versions; a base document merged from _UPDATE messages has its own header).
-- AlterTable
ALTER TABLE "document" ADD COLUMN "source" TEXT;

UPDATE "document" d SET "source" = COALESCE(
  (SELECT v."source" FROM "document_version" v
    WHERE v."document_key" = d."key" AND v."disposition" IN ('applied', 'merged', 'withdrawn')
    ORDER BY v."id" LIMIT 1),
  d."header"->>'source');

ALTER TABLE "document" ALTER COLUMN "source" SET NOT NULL;
