-- CreateTable
CREATE TABLE "entry" (
    "id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "discipline" TEXT NOT NULL,
    "stream_seq" BIGINT NOT NULL,
    "state" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "entry_pkey" PRIMARY KEY ("id")
);
