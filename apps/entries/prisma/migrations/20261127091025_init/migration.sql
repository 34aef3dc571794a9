-- CreateTable
CREATE TABLE "rules_pack" (
    "edition" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "checksum" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "pack" JSONB NOT NULL,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "imported_by" TEXT,

    CONSTRAINT "rules_pack_pkey" PRIMARY KEY ("edition")
);

-- CreateTable
CREATE TABLE "event" (
    "edition" TEXT NOT NULL,
    "rsc" TEXT NOT NULL,
    "discipline" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "gender" TEXT NOT NULL,
    "medal" BOOLEAN NOT NULL,
    "phases" JSONB NOT NULL,
    "source_updated_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_pkey" PRIMARY KEY ("edition","rsc")
);

-- CreateTable
CREATE TABLE "athlete" (
    "id" UUID NOT NULL,
    "edition" TEXT NOT NULL,
    "noc" TEXT NOT NULL,
    "if_id" TEXT,
    "family_name" TEXT NOT NULL,
    "given_name" TEXT NOT NULL,
    "gender" TEXT NOT NULL,
    "birth_date" TEXT NOT NULL,
    "sport_class" TEXT,
    "classification_status" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "athlete_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "performance" (
    "id" UUID NOT NULL,
    "athlete_id" UUID NOT NULL,
    "event" TEXT NOT NULL,
    "mark" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "achieved_on" TEXT NOT NULL,
    "competition" TEXT,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "performance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "entry_number" (
    "edition" TEXT NOT NULL,
    "noc" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "updated_by" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "entry_number_pkey" PRIMARY KEY ("edition","noc","event")
);

-- CreateTable
CREATE TABLE "entry" (
    "id" UUID NOT NULL,
    "edition" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "discipline" TEXT NOT NULL,
    "noc" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "basis" TEXT NOT NULL,
    "quota_place_id" TEXT,
    "decisions" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "last_change" JSONB NOT NULL,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "entry_member" (
    "entry_id" UUID NOT NULL,
    "athlete_id" UUID NOT NULL,
    "role" TEXT NOT NULL,
    "slot" TEXT,

    CONSTRAINT "entry_member_pkey" PRIMARY KEY ("entry_id","athlete_id")
);

-- CreateTable
CREATE TABLE "quota_place" (
    "edition" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "discipline" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "noc" TEXT NOT NULL,
    "athlete_if_id" TEXT,
    "status" TEXT NOT NULL,
    "reallocated_from" TEXT,
    "explanation" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "quota_place_pkey" PRIMARY KEY ("edition","id")
);

-- CreateTable
CREATE TABLE "replacement" (
    "id" UUID NOT NULL,
    "edition" TEXT NOT NULL,
    "entry_id" UUID NOT NULL,
    "noc" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "out_athlete_id" UUID NOT NULL,
    "in_athlete_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "note" TEXT,
    "status" TEXT NOT NULL,
    "requested_by" TEXT,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_by" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "decision_note" TEXT,

    CONSTRAINT "replacement_pkey" PRIMARY KEY ("id")
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
CREATE INDEX "event_edition_discipline_idx" ON "event"("edition", "discipline");

-- CreateIndex
CREATE INDEX "athlete_edition_noc_idx" ON "athlete"("edition", "noc");

-- CreateIndex
CREATE UNIQUE INDEX "athlete_edition_if_id_key" ON "athlete"("edition", "if_id");

-- CreateIndex
CREATE INDEX "performance_athlete_id_event_idx" ON "performance"("athlete_id", "event");

-- CreateIndex
CREATE INDEX "entry_edition_event_status_idx" ON "entry"("edition", "event", "status");

-- CreateIndex
CREATE INDEX "entry_edition_noc_idx" ON "entry"("edition", "noc");

-- CreateIndex
CREATE INDEX "entry_member_athlete_id_idx" ON "entry_member"("athlete_id");

-- CreateIndex
CREATE INDEX "quota_place_edition_event_idx" ON "quota_place"("edition", "event");

-- CreateIndex
CREATE INDEX "replacement_edition_status_idx" ON "replacement"("edition", "status");

-- CreateIndex
CREATE INDEX "replacement_edition_noc_idx" ON "replacement"("edition", "noc");

-- CreateIndex
CREATE INDEX "replacement_entry_id_idx" ON "replacement"("entry_id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_event_event_id_key" ON "outbox_event"("event_id");

-- CreateIndex
CREATE INDEX "outbox_event_published_at_id_idx" ON "outbox_event"("published_at", "id");

-- AddForeignKey
ALTER TABLE "performance" ADD CONSTRAINT "performance_athlete_id_fkey" FOREIGN KEY ("athlete_id") REFERENCES "athlete"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "entry_member" ADD CONSTRAINT "entry_member_entry_id_fkey" FOREIGN KEY ("entry_id") REFERENCES "entry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "entry_member" ADD CONSTRAINT "entry_member_athlete_id_fkey" FOREIGN KEY ("athlete_id") REFERENCES "athlete"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
