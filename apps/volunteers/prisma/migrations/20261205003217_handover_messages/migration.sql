-- CreateTable
CREATE TABLE "handover_message" (
    "event_id" UUID NOT NULL,
    "application_id" UUID NOT NULL,
    "stream_seq" BIGINT,
    "erase_requested_at" TIMESTAMPTZ(3),
    "deleted_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "handover_message_pkey" PRIMARY KEY ("event_id")
);

-- CreateIndex
CREATE INDEX "handover_message_application_id_idx" ON "handover_message"("application_id");

-- CreateIndex
CREATE INDEX "handover_message_erase_requested_at_deleted_at_idx" ON "handover_message"("erase_requested_at", "deleted_at");

-- The hand-over messages the outbox still holds (relayed in the last 7 days, or waiting): their place on the stream.
INSERT INTO "handover_message" ("event_id", "application_id", "stream_seq")
SELECT "event_id", ("payload"::jsonb -> 'data' ->> 'id')::uuid, "stream_seq"
FROM "outbox_event"
WHERE "payload"::jsonb ->> 'type' = 'podium.volunteers.volunteer.confirmed.v1' AND "payload"::jsonb -> 'data' ->> 'id' IS NOT NULL
ON CONFLICT DO NOTHING;

-- Those of applicants erased before: to be deleted from the stream by the sweeper.
UPDATE "handover_message" AS h SET "erase_requested_at" = a."erased_at"
FROM "application" AS a WHERE a."id" = h."application_id" AND a."erased_at" IS NOT NULL;
