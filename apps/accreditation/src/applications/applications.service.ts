import { Injectable } from '@nestjs/common';
import { forbidden, type Principal } from '@podium/auth';
import { EnvelopeCipher, ProblemException, serializableTransaction } from '@podium/platform';
import { randomUUID } from 'node:crypto';

import { canActFor, organisationScope } from '../common/access';
import { PrismaService, type Tx } from '../database/prisma.service';
import { ReferenceDataService } from '../reference-data/reference-data.service';
import { openPersonalData, type PersonalData, sealPersonalData } from '../personal-data/personal-data.logic';
import type { ApplicationQuery, ApplicationSubmission, TransitionInput, VettingInput } from './applications.dto';
import { ApplicationsRepository, applicationView, type ApplicationView, historyEntryView, seesVetting } from './applications.repository';
import { decodeSearchCursor, encodeSearchCursor, searchApplications } from './search';
import type { WorkflowAction } from './workflow';

const ACTION_OF: Record<TransitionInput['to'], WorkflowAction> = { vetting: 'start-vetting', approved: 'approve', rejected: 'reject' };

/** Applications of the Responsible Organisations: submitted within quota, moved through the workflow, with history. */
@Injectable()
export class ApplicationsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: ApplicationsRepository,
    private readonly referenceData: ReferenceDataService,
    private readonly cipher: EnvelopeCipher,
  ) {}

  /**
   * `source.entriesAthleteId`: the application is made for an athlete of entries (apps/accreditation/src/athletes), whose
   * names it carries and keeps up to date; one application per athlete (a second: the unique index refuses it).
   * `source.details`: the `submit` history entry's details (where the names came from). `source.within`: runs in the
   * submission's transaction once the application is written (a hand-over links it: apps/accreditation/src/handovers);
   * what it throws rolls the submission back.
   */
  async submit(
    edition: string,
    submission: ApplicationSubmission,
    principal: Principal,
    source: { entriesAthleteId?: string; details?: Record<string, string | number>; within?: (tx: Tx, applicationId: string) => Promise<void> } = {},
  ): Promise<ApplicationView & PersonalData> {
    // The passport number and photo reference never reach a query in plaintext: sealed under a fresh data key.
    const { passportNumber, photoReference, ...input } = submission;
    if (!canActFor(principal, input.organisation)) throw forbidden(`Not allowed to apply for organisation '${input.organisation}'`);
    const pack = await this.referenceData.get(edition);
    const fieldProblem = (field: string, message: string) =>
      new ProblemException({ status: 422, slug: 'unknown-reference', title: 'Unknown reference', detail: message, errors: [{ field, message }] });
    if (!pack.organisations.some((o) => o.code === input.organisation)) throw fieldProblem('organisation', `${input.organisation} is not a Responsible Organisation of ${edition}`);
    if (!pack.categories.some((c) => c.code === input.category)) throw fieldProblem('category', `${input.category} is not a category of ${edition}`);
    return serializableTransaction(this.prisma, async (tx) => {
      // One conditional update of the counter row takes the place: of two officers racing for the last place, the
      // second's update waits for the first's commit, then fails serialization and is retried, and finds none left.
      const taken = await tx.$queryRaw<{ used: number }[]>`
        UPDATE quota SET used = used + 1
        WHERE edition = ${edition} AND organisation = ${input.organisation} AND category = ${input.category} AND used < quota
        RETURNING used`;
      if (taken.length === 0) {
        const row = await tx.quota.findUnique({ where: { edition_organisation_category: { edition, organisation: input.organisation, category: input.category } } });
        const quota = row?.quota ?? 0;
        const used = row?.used ?? 0;
        const over = used + 1 - quota;
        throw new ProblemException({
          status: 409,
          slug: 'quota-exceeded',
          title: 'Quota exceeded',
          detail: `${input.organisation} has ${quota} place(s) for category ${input.category}, ${used} taken: this application is ${over} over the quota`,
          extensions: { quota, used, requested: 1, over },
        });
      }
      const id = randomUUID();
      const row = await tx.application.create({
        data: {
          id,
          edition,
          ...input,
          ...sealPersonalData(this.cipher, id, { passportNumber, photoReference }),
          entriesAthleteId: source.entriesAthleteId ?? null,
          state: 'submitted',
          submittedBy: principal.sub,
        },
      });
      await tx.applicationHistory.create({
        data: {
          applicationId: id,
          at: row.createdAt,
          by: principal.sub,
          action: 'submit',
          toState: 'submitted',
          reason: null,
          ...(source.entriesAthleteId ? { details: { entriesAthleteId: source.entriesAthleteId } } : source.details ? { details: source.details } : {}),
        },
      });
      await source.within?.(tx, id);
      return { ...applicationView(row, principal), passportNumber: passportNumber ?? null, photoReference: photoReference ?? null };
    });
  }

  async list(edition: string, query: ApplicationQuery, principal: Principal): Promise<{ items: ApplicationView[]; nextCursor: string | null }> {
    const scope = organisationScope(principal);
    if (scope.kind === 'none' || (scope.kind === 'one' && query.organisation !== undefined && query.organisation !== scope.organisation)) {
      return { items: [], nextCursor: null };
    }
    const organisation = scope.kind === 'one' ? scope.organisation : query.organisation;
    const cursor = query.cursor === undefined ? undefined : decodeSearchCursor(query.cursor);
    const filters = { organisation, category: query.category, state: query.state, name: query.name };
    const page = await searchApplications(this.prisma, edition, filters, query.limit, cursor);
    return { items: page.rows.map((r) => applicationView(r, principal)), nextCursor: page.next ? encodeSearchCursor(page.next) : null };
  }

  /** One application with its passport number and photo reference (decrypted: only here and in the submission's answer, never in lists). */
  async get(edition: string, id: string, principal: Principal): Promise<ApplicationView & PersonalData> {
    const row = await this.repository.visible(this.prisma, edition, id, principal);
    return { ...applicationView(row, principal), ...openPersonalData(this.cipher, row) };
  }

  /** Every change, oldest first: who, when, why. The vetting result's details only to the security roles. */
  async history(edition: string, id: string, principal: Principal) {
    await this.repository.visible(this.prisma, edition, id, principal);
    const rows = await this.prisma.applicationHistory.findMany({ where: { applicationId: id }, orderBy: { id: 'asc' } });
    const security = seesVetting(principal);
    return {
      items: rows.map((r) => historyEntryView(r, security)),
    };
  }

  transition(edition: string, id: string, input: TransitionInput, principal: Principal): Promise<ApplicationView> {
    return serializableTransaction(this.prisma, async (tx) => {
      const row = await this.repository.visible(tx, edition, id, principal);
      const updated = await this.repository.move(tx, row, ACTION_OF[input.to], principal.sub, input.reason);
      return applicationView(updated, principal);
    });
  }

  recordVetting(edition: string, id: string, input: VettingInput, principal: Principal): Promise<ApplicationView> {
    return serializableTransaction(this.prisma, async (tx) => {
      const row = await this.repository.visible(tx, edition, id, principal);
      const updated = await this.repository.move(
        tx,
        row,
        'record-vetting',
        principal.sub,
        input.note ?? null,
        { vettingResult: input.result, vettingNote: input.note ?? null, vettedBy: principal.sub, vettedAt: new Date() },
        { vettingResult: input.result },
      );
      return applicationView(updated, principal);
    });
  }
}
