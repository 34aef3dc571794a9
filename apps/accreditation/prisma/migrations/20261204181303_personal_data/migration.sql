-- AlterTable
ALTER TABLE "application" ADD COLUMN     "erased_at" TIMESTAMPTZ(3),
ADD COLUMN     "erased_by" TEXT,
ADD COLUMN     "personal_data" BYTEA,
ADD COLUMN     "personal_key" BYTEA,
ADD COLUMN     "personal_kid" TEXT;

-- CreateIndex
CREATE INDEX "application_personal_kid_id_idx" ON "application"("personal_kid", "id");
