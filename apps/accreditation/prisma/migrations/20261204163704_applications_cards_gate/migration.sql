/*
  Warnings:

  - You are about to drop the `item` table. If the table is not empty, all the data it contains will be lost.

*/
-- DropTable
DROP TABLE "item";

-- CreateTable
CREATE TABLE "reference_data" (
    "edition" TEXT NOT NULL,
    "checksum" TEXT NOT NULL,
    "pack" JSONB NOT NULL,
    "imported_by" TEXT,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reference_data_pkey" PRIMARY KEY ("edition")
);

-- CreateTable
CREATE TABLE "quota" (
    "edition" TEXT NOT NULL,
    "organisation" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "quota" INTEGER NOT NULL,
    "used" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "quota_pkey" PRIMARY KEY ("edition","organisation","category")
);

-- CreateTable
CREATE TABLE "application" (
    "id" UUID NOT NULL,
    "edition" TEXT NOT NULL,
    "organisation" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "family_name" TEXT NOT NULL,
    "given_name" TEXT NOT NULL,
    "date_of_birth" TEXT NOT NULL,
    "nationality" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "vetting_result" TEXT,
    "vetting_note" TEXT,
    "vetted_by" TEXT,
    "vetted_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "submitted_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "application_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "application_history" (
    "id" BIGSERIAL NOT NULL,
    "application_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "by" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "from_state" TEXT,
    "to_state" TEXT NOT NULL,
    "reason" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "application_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "card" (
    "card_number" TEXT NOT NULL,
    "edition" TEXT NOT NULL,
    "application_id" UUID NOT NULL,
    "category" TEXT NOT NULL,
    "venues" TEXT[],
    "zones" TEXT[],
    "transport" TEXT[],
    "dining" TEXT[],
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_to" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL,
    "current_jti" TEXT NOT NULL,
    "credential" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "issued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "card_pkey" PRIMARY KEY ("card_number")
);

-- CreateTable
CREATE TABLE "credential" (
    "jti" TEXT NOT NULL,
    "card_number" TEXT NOT NULL,
    "kid" TEXT NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "credential_pkey" PRIMARY KEY ("jti")
);

-- CreateTable
CREATE TABLE "revocation" (
    "seq" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "jti" TEXT,
    "card" TEXT NOT NULL,

    CONSTRAINT "revocation_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "counter" (
    "name" TEXT NOT NULL,
    "value" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "counter_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "gate_check" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "venue" TEXT NOT NULL,
    "zone" TEXT NOT NULL,
    "gate" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "card_number" TEXT,
    "mode" TEXT NOT NULL,
    "checked_by" TEXT NOT NULL,

    CONSTRAINT "gate_check_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "application_edition_organisation_state_idx" ON "application"("edition", "organisation", "state");

-- CreateIndex
CREATE INDEX "application_history_application_id_id_idx" ON "application_history"("application_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "card_application_id_key" ON "card"("application_id");

-- CreateIndex
CREATE INDEX "card_status_card_number_idx" ON "card"("status", "card_number");

-- CreateIndex
CREATE INDEX "credential_card_number_idx" ON "credential"("card_number");

-- CreateIndex
CREATE INDEX "gate_check_card_number_idx" ON "gate_check"("card_number");
