-- AlterTable
ALTER TABLE "member" ADD COLUMN     "erased_at" TIMESTAMPTZ(3),
ADD COLUMN     "source_version" INTEGER;

-- AlterTable
ALTER TABLE "member_card" ADD COLUMN     "source_id" UUID,
ADD COLUMN     "source_service" TEXT;

-- CreateTable
CREATE TABLE "erasure" (
    "edition" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "erased_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "erasure_pkey" PRIMARY KEY ("edition","kind","key")
);

-- CreateIndex
CREATE INDEX "member_card_edition_source_service_source_id_idx" ON "member_card"("edition", "source_service", "source_id");
