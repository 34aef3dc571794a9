import { Injectable } from '@nestjs/common';
import type { Principal } from '@podium/auth';
import { ProblemException } from '@podium/platform';

import { SECURITY_ROLES } from '../app/config';
import { canActFor } from '../common/access';
import { type Application, PrismaService, type Tx } from '../database/prisma.service';
import { type ApplicationState, releasesQuotaPlace, step, type VettingResult, type WorkflowAction } from './workflow';

/** An application as served: the vetting result only to the security roles. */
export interface ApplicationView {
  id: string;
  edition: string;
  organisation: string;
  category: string;
  familyName: string;
  givenName: string;
  dateOfBirth: string;
  nationality: string;
  /** The athlete of entries the application was made for (its names come from there); null: typed in. */
  entriesAthleteId: string | null;
  state: ApplicationState;
  version: number;
  submittedBy: string;
  createdAt: string;
  updatedAt: string;
  vetting?: { result: string | null; note: string | null; by: string | null; at: string | null };
}

export function seesVetting(principal: Principal): boolean {
  return principal.roles.some((role) => (SECURITY_ROLES as readonly string[]).includes(role));
}

export function applicationView(row: Application, principal: Principal): ApplicationView {
  const view: ApplicationView = {
    id: row.id,
    edition: row.edition,
    organisation: row.organisation,
    category: row.category,
    familyName: row.familyName,
    givenName: row.givenName,
    dateOfBirth: row.dateOfBirth,
    nationality: row.nationality,
    entriesAthleteId: row.entriesAthleteId ?? null,
    state: row.state as ApplicationState,
    version: row.version,
    submittedBy: row.submittedBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
  if (seesVetting(principal)) {
    view.vetting = { result: row.vettingResult, note: row.vettingNote, by: row.vettedBy, at: row.vettedAt?.toISOString() ?? null };
  }
  return view;
}

/** A history entry as served: the vetting's reason and every entry's details only to the security roles. */
export function historyEntryView(
  r: { at: Date; by: string; action: string; fromState: string | null; toState: string; reason: string | null; details: unknown },
  security: boolean,
) {
  return {
    at: r.at.toISOString(),
    by: r.by,
    action: r.action,
    from: r.fromState,
    to: r.toState,
    reason: r.action === 'record-vetting' && !security ? null : r.reason,
    ...(security ? { details: r.details } : {}),
  };
}

/** The application and its history rows; the workflow's moves, each with its history entry and quota effect. */
@Injectable()
export class ApplicationsRepository {
  /** The application if the principal may see it (its organisation's, or any for the OC roles), else a 404 problem. */
  async visible(tx: Tx | PrismaService, edition: string, id: string, principal: Principal): Promise<Application> {
    const row = await tx.application.findFirst({ where: { edition, id } });
    if (!row || !canActFor(principal, row.organisation)) throw ProblemException.notFound(`No application ${id} in ${edition}`, 'application-not-found');
    return row;
  }

  /**
   * Moves the application by `action` (the workflow's rule, else 409 with its reason code), writes the history entry
   * (who, when, why) and gives the quota place back when the move releases it. Returns the updated row.
   */
  async move(
    tx: Tx,
    row: Application,
    action: WorkflowAction,
    by: string,
    reason: string | null,
    changes: Partial<Pick<Application, 'vettingResult' | 'vettingNote' | 'vettedBy' | 'vettedAt'>> = {},
    details: Record<string, string> = {},
  ): Promise<Application> {
    if (row.erasedAt) throw new ProblemException({ status: 409, slug: 'application-erased', title: 'Application erased', detail: `The personal data of application ${row.id} was erased: it cannot move any more` });
    const next = step(action, row.state as ApplicationState, row.vettingResult as VettingResult | null);
    if (!next.ok) throw new ProblemException({ status: 409, slug: next.slug, title: 'Not possible in this state', detail: next.detail, extensions: { state: row.state } });
    const now = new Date();
    const updated = await tx.application.update({
      where: { id: row.id },
      data: { ...changes, state: next.to, version: { increment: 1 }, updatedAt: now },
    });
    await tx.applicationHistory.create({
      data: { applicationId: row.id, at: now, by, action, fromState: row.state, toState: next.to, reason, details },
    });
    if (releasesQuotaPlace(next.to) && !releasesQuotaPlace(row.state as ApplicationState)) {
      await tx.$executeRaw`UPDATE quota SET used = used - 1 WHERE edition = ${row.edition} AND organisation = ${row.organisation} AND category = ${row.category} AND used > 0`;
    }
    return updated;
  }
}
