-- An IF id is unique per NOC (and edition), no longer across NOCs: registering an IF id another NOC holds must answer
-- like any new IF id, not 409 (which told an NOC official that another NOC registered that athlete).
-- DropIndex
DROP INDEX "athlete_edition_if_id_key";

-- CreateIndex
CREATE UNIQUE INDEX "athlete_edition_noc_if_id_key" ON "athlete"("edition", "noc", "if_id");
