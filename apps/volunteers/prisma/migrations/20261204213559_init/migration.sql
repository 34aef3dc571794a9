-- CreateTable
CREATE TABLE "campaign" (
    "edition" TEXT NOT NULL,
    "born_on_or_before" TEXT NOT NULL,
    "host_language" TEXT NOT NULL,
    "options" JSONB NOT NULL,
    "available_from" TEXT NOT NULL,
    "available_to" TEXT NOT NULL,
    "privacy_notice" TEXT NOT NULL,
    "open" BOOLEAN NOT NULL DEFAULT true,
    "updated_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaign_pkey" PRIMARY KEY ("edition")
);

-- CreateTable
CREATE TABLE "application" (
    "id" UUID NOT NULL,
    "edition" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "token_hash" BYTEA NOT NULL,
    "duplicate_key" BYTEA NOT NULL,
    "family_name" TEXT NOT NULL,
    "given_name" TEXT NOT NULL,
    "languages" JSONB NOT NULL,
    "language_codes" TEXT[],
    "skills" TEXT[],
    "driving_licence" BOOLEAN NOT NULL,
    "available_dates" TEXT[],
    "fields" TEXT[],
    "tshirt_size" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "consent_at" TIMESTAMPTZ(3) NOT NULL,
    "consent_notice" TEXT NOT NULL,
    "personal_kid" TEXT,
    "personal_key" BYTEA,
    "personal_data" BYTEA,
    "interview_slot_id" UUID,
    "offer_role" TEXT,
    "offer_area" TEXT,
    "offer_venue" TEXT,
    "offer_deadline" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "erased_at" TIMESTAMPTZ(3),

    CONSTRAINT "application_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "interview_slot" (
    "id" UUID NOT NULL,
    "edition" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "location" TEXT NOT NULL,
    "capacity" INTEGER NOT NULL DEFAULT 2,
    "booked" INTEGER NOT NULL DEFAULT 0,
    "created_by" TEXT NOT NULL,

    CONSTRAINT "interview_slot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "application_history" (
    "id" BIGSERIAL NOT NULL,
    "application_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "by" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "from_stage" TEXT,
    "to_stage" TEXT,
    "reason" TEXT,
    "details" JSONB,

    CONSTRAINT "application_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_event" (
    "id" BIGSERIAL NOT NULL,
    "event_id" UUID NOT NULL,
    "subject" TEXT NOT NULL,
    "payload" JSON NOT NULL,
    "headers" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),
    "stream_seq" BIGINT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "outbox_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "application_token_hash_key" ON "application"("token_hash");

-- CreateIndex
CREATE INDEX "application_edition_stage_id_idx" ON "application"("edition", "stage", "id");

-- CreateIndex
CREATE INDEX "application_interview_slot_id_idx" ON "application"("interview_slot_id");

-- CreateIndex
CREATE UNIQUE INDEX "application_edition_duplicate_key_key" ON "application"("edition", "duplicate_key");

-- CreateIndex
CREATE INDEX "interview_slot_edition_starts_at_idx" ON "interview_slot"("edition", "starts_at");

-- CreateIndex
CREATE INDEX "application_history_application_id_id_idx" ON "application_history"("application_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_event_event_id_key" ON "outbox_event"("event_id");

-- CreateIndex
CREATE INDEX "outbox_event_published_at_id_idx" ON "outbox_event"("published_at", "id");
