-- AlterTable
ALTER TABLE "card_upgrade" ADD COLUMN     "withdrawn_at" TIMESTAMPTZ(3),
ADD COLUMN     "withdrawn_by" TEXT;

-- Card numbers come from this sequence instead of the counter rows `card:<edition>` (hand-written: schema.prisma
-- cannot express a sequence). nextval is not transactional: concurrent card issues never conflict on it, and a
-- number taken by an issue that is refused or rolled back is not used again (card numbers may have gaps). The
-- sequence goes on after the highest number already given, in any edition; the counter rows are no longer read.
CREATE SEQUENCE "card_number_seq" AS BIGINT MINVALUE 1 NO CYCLE;
SELECT setval('card_number_seq', GREATEST(
  (SELECT COALESCE(MAX("value"), 0) FROM "counter" WHERE "name" LIKE 'card:%'),
  (SELECT COALESCE(MAX(substring("card_number" FROM '-([0-9]+)$')::BIGINT), 0) FROM "card")
) + 1, false);
DELETE FROM "counter" WHERE "name" LIKE 'card:%';
