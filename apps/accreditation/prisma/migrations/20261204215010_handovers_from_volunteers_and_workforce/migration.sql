-- CreateTable
CREATE TABLE "handover" (
    "source" TEXT NOT NULL,
    "id" UUID NOT NULL,
    "edition" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "employer" TEXT,
    "family_name" TEXT,
    "given_name" TEXT,
    "date_of_birth" TEXT,
    "nationality" TEXT,
    "role" TEXT,
    "functional_area" TEXT,
    "venue" TEXT,
    "active" BOOLEAN NOT NULL,
    "version" INTEGER NOT NULL,
    "source_updated_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL,
    "status_reason" TEXT,
    "status_detail" TEXT,
    "attempted_at" TIMESTAMPTZ(3),
    "application_id" UUID,

    CONSTRAINT "handover_pkey" PRIMARY KEY ("source","id")
);

-- CreateIndex
CREATE UNIQUE INDEX "handover_application_id_key" ON "handover"("application_id");

-- CreateIndex
CREATE INDEX "handover_edition_id_idx" ON "handover"("edition", "id");

-- CreateIndex
CREATE INDEX "handover_status_edition_idx" ON "handover"("status", "edition");
