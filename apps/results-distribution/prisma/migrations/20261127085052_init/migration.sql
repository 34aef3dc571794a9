-- CreateTable
CREATE TABLE "document_state" (
    "key" TEXT NOT NULL,
    "discipline" TEXT,
    "document_code" TEXT NOT NULL,
    "document_type" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "result_status" TEXT,
    "withdrawn" BOOLEAN NOT NULL DEFAULT false,
    "stream_seq" BIGINT NOT NULL,
    "entry" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "document_state_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "schedule_unit" (
    "rsc" TEXT NOT NULL,
    "discipline" TEXT NOT NULL,
    "stream_seq" BIGINT NOT NULL,
    "state" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "schedule_unit_pkey" PRIMARY KEY ("rsc")
);

-- CreateTable
CREATE TABLE "checkpoint" (
    "stream" TEXT NOT NULL,
    "stream_seq" BIGINT NOT NULL,
    "taken_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "checkpoint_pkey" PRIMARY KEY ("stream")
);

-- CreateIndex
CREATE INDEX "document_state_document_code_document_type_idx" ON "document_state"("document_code", "document_type");
