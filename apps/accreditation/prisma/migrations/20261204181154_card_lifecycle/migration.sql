/*
  Warnings:

  - A unique constraint covering the columns `[checked_by,client_id]` on the table `gate_check` will be added. If there are existing duplicate values, this will fail.

*/
-- AlterTable
ALTER TABLE "card" ADD COLUMN     "activated_at" TIMESTAMPTZ(3),
ADD COLUMN     "activated_by" TEXT,
ALTER COLUMN "current_jti" DROP NOT NULL,
ALTER COLUMN "credential" DROP NOT NULL;

-- AlterTable
ALTER TABLE "revocation" ADD COLUMN     "expires_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "gate_check" ADD COLUMN     "client_id" TEXT,
ADD COLUMN     "credential_id" TEXT;

-- CreateTable
CREATE TABLE "card_upgrade" (
    "id" UUID NOT NULL,
    "card_number" TEXT NOT NULL,
    "venues" TEXT[],
    "zones" TEXT[],
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_to" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "card_upgrade_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "card_upgrade_card_number_valid_to_idx" ON "card_upgrade"("card_number", "valid_to");

-- CreateIndex
CREATE INDEX "revocation_expires_at_idx" ON "revocation"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "gate_check_checked_by_client_id_key" ON "gate_check"("checked_by", "client_id");
