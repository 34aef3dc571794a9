-- AlterTable
ALTER TABLE "card" ADD COLUMN     "source_id" UUID,
ADD COLUMN     "source_service" TEXT;
