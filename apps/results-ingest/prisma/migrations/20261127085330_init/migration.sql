-- CreateTable
CREATE TABLE "document" (
    "key" TEXT NOT NULL,
    "competition_code" TEXT NOT NULL,
    "document_code" TEXT NOT NULL,
    "document_subcode" TEXT,
    "document_type" TEXT NOT NULL,
    "document_subtype" TEXT,
    "language" TEXT,
    "feed_flag" TEXT NOT NULL,
    "discipline" TEXT,
    "version" BIGINT NOT NULL,
    "result_status" TEXT,
    "withdrawn" BOOLEAN NOT NULL,
    "fingerprint" TEXT,
    "official_version" BIGINT,
    "notes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "quarantined" BOOLEAN NOT NULL DEFAULT false,
    "header" JSONB NOT NULL,
    "competition" JSONB,
    "event_id" UUID,
    "published_at" TIMESTAMPTZ(3),
    "stream_seq" BIGINT,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "document_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "document_version" (
    "id" BIGSERIAL NOT NULL,
    "document_key" TEXT NOT NULL,
    "version" BIGINT NOT NULL,
    "disposition" TEXT NOT NULL,
    "result_status" TEXT,
    "source" TEXT NOT NULL,
    "correction" BOOLEAN NOT NULL DEFAULT false,
    "quarantined" BOOLEAN NOT NULL DEFAULT false,
    "format" TEXT NOT NULL,
    "raw" TEXT NOT NULL,
    "header" JSONB NOT NULL,
    "event_id" UUID,
    "received_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "document_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "known_unit" (
    "rsc" TEXT NOT NULL,
    "edition" TEXT NOT NULL,
    "discipline" TEXT NOT NULL,
    "event_rsc" TEXT NOT NULL,
    "phase_rsc" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "known_unit_pkey" PRIMARY KEY ("rsc")
);

-- CreateTable
CREATE TABLE "outbox_event" (
    "id" BIGSERIAL NOT NULL,
    "event_id" UUID NOT NULL,
    "subject" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "headers" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),
    "stream_seq" BIGINT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "outbox_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "document_document_code_document_type_idx" ON "document"("document_code", "document_type");

-- CreateIndex
CREATE INDEX "document_quarantined_received_at_idx" ON "document"("quarantined", "received_at");

-- CreateIndex
CREATE INDEX "document_version_document_key_version_idx" ON "document_version"("document_key", "version");

-- CreateIndex
CREATE INDEX "known_unit_event_rsc_idx" ON "known_unit"("event_rsc");

-- CreateIndex
CREATE INDEX "known_unit_phase_rsc_idx" ON "known_unit"("phase_rsc");

-- CreateIndex
CREATE INDEX "known_unit_discipline_idx" ON "known_unit"("discipline");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_event_event_id_key" ON "outbox_event"("event_id");

-- CreateIndex
CREATE INDEX "outbox_event_published_at_id_idx" ON "outbox_event"("published_at", "id");
