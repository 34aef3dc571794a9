-- CreateTable
CREATE TABLE "member" (
    "id" UUID NOT NULL,
    "edition" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "volunteer_id" UUID,
    "family_name" TEXT NOT NULL,
    "given_name" TEXT NOT NULL,
    "organisation" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "functional_area" TEXT NOT NULL,
    "home_venue" TEXT NOT NULL,
    "skills" TEXT[],
    "languages" TEXT[],
    "available_dates" TEXT[],
    "preferences" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'active',
    "personal_kid" TEXT,
    "personal_key" BYTEA,
    "personal_data" BYTEA,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "member_card" (
    "card_number" TEXT NOT NULL,
    "edition" TEXT NOT NULL,
    "holder" UUID NOT NULL,
    "member_id" UUID,
    "status" TEXT NOT NULL,
    "venues" TEXT[],
    "zones" TEXT[],
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_to" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "member_card_pkey" PRIMARY KEY ("card_number")
);

-- CreateTable
CREATE TABLE "venue" (
    "edition" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,

    CONSTRAINT "venue_pkey" PRIMARY KEY ("edition","code")
);

-- CreateTable
CREATE TABLE "shift" (
    "id" UUID NOT NULL,
    "edition" TEXT NOT NULL,
    "venue" TEXT NOT NULL,
    "functional_area" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "local_date" TEXT NOT NULL,
    "headcount" INTEGER NOT NULL,
    "required_skills" TEXT[],
    "required_languages" TEXT[],
    "session" TEXT,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "flag" JSONB,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "shift_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "assignment" (
    "id" UUID NOT NULL,
    "edition" TEXT NOT NULL,
    "shift_id" UUID NOT NULL,
    "member_id" UUID NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'assigned',
    "published" BOOLEAN NOT NULL DEFAULT false,
    "source" TEXT NOT NULL,
    "plan_id" UUID,
    "flag" JSONB,
    "card_number" TEXT,
    "checked_in_at" TIMESTAMPTZ(3),
    "checked_out_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "assignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rule_set" (
    "edition" TEXT NOT NULL,
    "member_type" TEXT NOT NULL,
    "rules" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rule_set_pkey" PRIMARY KEY ("edition","member_type")
);

-- CreateTable
CREATE TABLE "history_entry" (
    "id" BIGSERIAL NOT NULL,
    "edition" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "by" TEXT NOT NULL,
    "reason" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "history_entry_pkey" PRIMARY KEY ("id")
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
CREATE INDEX "member_edition_type_status_idx" ON "member"("edition", "type", "status");

-- CreateIndex
CREATE INDEX "member_edition_home_venue_idx" ON "member"("edition", "home_venue");

-- CreateIndex
CREATE UNIQUE INDEX "member_edition_volunteer_id_key" ON "member"("edition", "volunteer_id");

-- CreateIndex
CREATE INDEX "member_card_member_id_idx" ON "member_card"("member_id");

-- CreateIndex
CREATE INDEX "member_card_edition_holder_idx" ON "member_card"("edition", "holder");

-- CreateIndex
CREATE INDEX "shift_edition_local_date_venue_idx" ON "shift"("edition", "local_date", "venue");

-- CreateIndex
CREATE INDEX "shift_edition_venue_starts_at_idx" ON "shift"("edition", "venue", "starts_at");

-- CreateIndex
CREATE INDEX "shift_edition_session_idx" ON "shift"("edition", "session");

-- CreateIndex
CREATE INDEX "assignment_shift_id_status_idx" ON "assignment"("shift_id", "status");

-- CreateIndex
CREATE INDEX "assignment_member_id_status_idx" ON "assignment"("member_id", "status");

-- CreateIndex
CREATE INDEX "assignment_edition_status_idx" ON "assignment"("edition", "status");

-- CreateIndex
CREATE INDEX "history_entry_entity_entity_id_id_idx" ON "history_entry"("entity", "entity_id", "id");

-- CreateIndex
CREATE INDEX "history_entry_edition_at_idx" ON "history_entry"("edition", "at");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_event_event_id_key" ON "outbox_event"("event_id");

-- CreateIndex
CREATE INDEX "outbox_event_published_at_id_idx" ON "outbox_event"("published_at", "id");

-- AddForeignKey
ALTER TABLE "assignment" ADD CONSTRAINT "assignment_shift_id_fkey" FOREIGN KEY ("shift_id") REFERENCES "shift"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assignment" ADD CONSTRAINT "assignment_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
