/*
  Warnings:

  - A unique constraint covering the columns `[entries_athlete_id]` on the table `application` will be added. If there are existing duplicate values, this will fail.

*/
-- AlterTable
ALTER TABLE "application" ADD COLUMN     "entries_athlete_id" UUID;

-- CreateTable
CREATE TABLE "entries_athlete" (
    "id" UUID NOT NULL,
    "edition" TEXT NOT NULL,
    "noc" TEXT NOT NULL,
    "if_id" TEXT,
    "family_name" TEXT NOT NULL,
    "given_name" TEXT NOT NULL,
    "gender" TEXT NOT NULL,
    "birth_date" TEXT NOT NULL,
    "events" TEXT[],
    "version" INTEGER NOT NULL,
    "source_updated_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "entries_athlete_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "entries_athlete_edition_noc_family_name_id_idx" ON "entries_athlete"("edition", "noc", "family_name", "id");

-- CreateIndex
CREATE UNIQUE INDEX "application_entries_athlete_id_key" ON "application"("entries_athlete_id");
