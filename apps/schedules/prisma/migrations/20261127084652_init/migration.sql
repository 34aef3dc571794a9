-- CreateEnum
CREATE TYPE "ScheduleStatus" AS ENUM ('UNSCHEDULED', 'SCHEDULED', 'GETTING_READY', 'RUNNING', 'SCHEDULED_BREAK', 'INTERRUPTED', 'FINISHED', 'DELAYED', 'POSTPONED', 'RESCHEDULED', 'CANCELLED');

-- CreateTable
CREATE TABLE "edition" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "logical_day_end" TEXT NOT NULL DEFAULT '03:00',
    "start_date" TEXT NOT NULL,
    "end_date" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "edition_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "sport" (
    "edition" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "sport_pkey" PRIMARY KEY ("edition","code")
);

-- CreateTable
CREATE TABLE "discipline" (
    "edition" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "sport" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "discipline_pkey" PRIMARY KEY ("edition","code")
);

-- CreateTable
CREATE TABLE "venue" (
    "edition" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "opening_from" TEXT NOT NULL,
    "opening_to" TEXT NOT NULL,

    CONSTRAINT "venue_pkey" PRIMARY KEY ("edition","code")
);

-- CreateTable
CREATE TABLE "location" (
    "edition" TEXT NOT NULL,
    "venue" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "location_pkey" PRIMARY KEY ("edition","venue","code")
);

-- CreateTable
CREATE TABLE "event" (
    "edition" TEXT NOT NULL,
    "rsc" TEXT NOT NULL,
    "discipline" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "gender" TEXT NOT NULL,
    "medal" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "event_pkey" PRIMARY KEY ("edition","rsc")
);

-- CreateTable
CREATE TABLE "phase" (
    "edition" TEXT NOT NULL,
    "rsc" TEXT NOT NULL,
    "event_rsc" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "order" INTEGER NOT NULL,

    CONSTRAINT "phase_pkey" PRIMARY KEY ("edition","rsc")
);

-- CreateTable
CREATE TABLE "session" (
    "edition" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "venue" TEXT NOT NULL,
    "location" TEXT,
    "start_utc" TIMESTAMPTZ(3) NOT NULL,
    "end_utc" TIMESTAMPTZ(3) NOT NULL,
    "status" "ScheduleStatus" NOT NULL DEFAULT 'SCHEDULED',
    "version" INTEGER NOT NULL DEFAULT 1,
    "last_change_id" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "session_pkey" PRIMARY KEY ("edition","code")
);

-- CreateTable
CREATE TABLE "unit" (
    "edition" TEXT NOT NULL,
    "rsc" TEXT NOT NULL,
    "discipline" TEXT NOT NULL,
    "event_rsc" TEXT NOT NULL,
    "phase_rsc" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "medal" BOOLEAN NOT NULL DEFAULT false,
    "session" TEXT,
    "venue" TEXT,
    "location" TEXT,
    "start_utc" TIMESTAMPTZ(3),
    "end_utc" TIMESTAMPTZ(3),
    "local_date" TEXT,
    "logical_date" TEXT,
    "status" "ScheduleStatus" NOT NULL DEFAULT 'UNSCHEDULED',
    "rescheduled" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "last_change_id" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "unit_pkey" PRIMARY KEY ("edition","rsc")
);

-- CreateTable
CREATE TABLE "schedule_change" (
    "id" UUID NOT NULL,
    "edition" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "reason" TEXT,
    "by" TEXT,
    "applied_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "diff" JSONB NOT NULL,
    "units" TEXT[],
    "sessions" TEXT[],

    CONSTRAINT "schedule_change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "data_pack_import" (
    "id" UUID NOT NULL,
    "edition" TEXT NOT NULL,
    "checksum" TEXT NOT NULL,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "by" TEXT,
    "counts" JSONB NOT NULL,

    CONSTRAINT "data_pack_import_pkey" PRIMARY KEY ("id")
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
CREATE INDEX "session_edition_venue_start_utc_idx" ON "session"("edition", "venue", "start_utc");

-- CreateIndex
CREATE INDEX "unit_edition_start_utc_idx" ON "unit"("edition", "start_utc");

-- CreateIndex
CREATE INDEX "unit_edition_discipline_idx" ON "unit"("edition", "discipline");

-- CreateIndex
CREATE INDEX "unit_edition_venue_start_utc_idx" ON "unit"("edition", "venue", "start_utc");

-- CreateIndex
CREATE INDEX "unit_edition_status_idx" ON "unit"("edition", "status");

-- CreateIndex
CREATE INDEX "unit_edition_logical_date_idx" ON "unit"("edition", "logical_date");

-- CreateIndex
CREATE INDEX "unit_edition_local_date_idx" ON "unit"("edition", "local_date");

-- CreateIndex
CREATE INDEX "schedule_change_edition_applied_at_idx" ON "schedule_change"("edition", "applied_at");

-- CreateIndex
CREATE UNIQUE INDEX "data_pack_import_edition_checksum_key" ON "data_pack_import"("edition", "checksum");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_event_event_id_key" ON "outbox_event"("event_id");

-- CreateIndex
CREATE INDEX "outbox_event_published_at_id_idx" ON "outbox_event"("published_at", "id");
