import type { Tx } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';

/** A person's names as the service that owns them last said (entries, volunteers, workforce): never retyped here. */
export interface SourceNames {
  familyName: string;
  givenName: string;
  dateOfBirth: string;
  /** null: the source does not say (entries: the NOC is the nationality, fixed at the application). */
  nationality: string | null;
}

/** The history entry written for each application changed (by: the source service). */
export interface SourceChange {
  by: string;
  action: string;
  reason: string;
  details: Record<string, string | number>;
}

/**
 * The applications `where` selects follow the source's names, date of birth (and nationality when given): each one that
 * differs is updated (version + 1) with a history entry; an erased application never (its personal data is gone).
 * Returns the ids of the applications changed.
 */
export async function followSourceNames(tx: Tx, where: Prisma.Sql, names: SourceNames, change: SourceChange): Promise<string[]> {
  const nationality = names.nationality;
  const changed = await tx.$queryRaw<{ id: string; state: string; updated_at: Date }[]>`
    UPDATE application SET family_name = ${names.familyName}, given_name = ${names.givenName}, date_of_birth = ${names.dateOfBirth},
      nationality = COALESCE(${nationality}::text, nationality), version = version + 1, updated_at = now()
    WHERE ${where} AND erased_at IS NULL
      AND (family_name, given_name, date_of_birth, nationality)
        IS DISTINCT FROM (${names.familyName}, ${names.givenName}, ${names.dateOfBirth}, COALESCE(${nationality}::text, nationality))
    RETURNING id::text AS id, state, updated_at`;
  for (const application of changed) {
    await tx.applicationHistory.create({
      data: {
        applicationId: application.id,
        at: application.updated_at,
        by: change.by,
        action: change.action,
        fromState: application.state,
        toState: application.state,
        reason: change.reason,
        details: change.details,
      },
    });
  }
  return changed.map((a) => a.id);
}
