/*
  Warnings:

  - The type of the column `payload` on the `outbox_event` table changes from `jsonb` to `json`: existing values are cast.

*/
-- The relay publishes the stored text as is: json keeps the OutboxWriter's serialisation byte for byte (jsonb
-- printed its own, a space after every ':' and ','). Rows pending during the change keep jsonb's text, still valid JSON.
-- AlterTable
ALTER TABLE "outbox_event" ALTER COLUMN "payload" SET DATA TYPE JSON;
