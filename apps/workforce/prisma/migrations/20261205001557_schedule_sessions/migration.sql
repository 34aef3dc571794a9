-- CreateTable
CREATE TABLE "schedule_unit" (
    "edition" TEXT NOT NULL,
    "rsc" TEXT NOT NULL,
    "session" TEXT,
    "venue" TEXT,
    "starts_at" TIMESTAMPTZ(3),
    "ends_at" TIMESTAMPTZ(3),
    "status" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "schedule_unit_pkey" PRIMARY KEY ("edition","rsc")
);

-- CreateTable
CREATE TABLE "session_span" (
    "edition" TEXT NOT NULL,
    "session" TEXT NOT NULL,
    "venue" TEXT,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "session_span_pkey" PRIMARY KEY ("edition","session")
);

-- CreateIndex
CREATE INDEX "schedule_unit_edition_session_idx" ON "schedule_unit"("edition", "session");
