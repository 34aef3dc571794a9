-- AlterTable
ALTER TABLE "edition" ADD COLUMN     "revision" INTEGER NOT NULL DEFAULT 0;
