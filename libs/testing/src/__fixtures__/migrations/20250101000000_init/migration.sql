-- CreateTable
CREATE TABLE "probe" (
    "id" SERIAL NOT NULL,
    "label" TEXT NOT NULL,

    CONSTRAINT "probe_pkey" PRIMARY KEY ("id")
);
