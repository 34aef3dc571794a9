import { Injectable } from '@nestjs/common';
import type { Principal } from '@podium/auth';
import { volunteerConfirmed } from '@podium/contracts';
import { EnvelopeCipher, OutboxWriter, ProblemException, prismaRewrapTable, type RewrapResult, rewrapPersonalColumns, serializableTransaction } from '@podium/platform';
import { randomBytes } from 'node:crypto';

import type { Stage } from '../applications/application.logic';
import { applicationView } from '../applications/applications.view';
import { openPersonal, sealContext } from '../applications/personal.logic';
import { isStatusTokenShaped, tokenHashOf } from '../applications/submission.logic';
import { type Application, PrismaService, type Tx } from '../database/prisma.service';
import { FINAL_STAGES } from '../pipeline/pipeline.logic';
import { type MoveChanges, PipelineRepository } from '../pipeline/pipeline.repository';
import { StreamErasure } from './stream-erasure';
import { type Audience, ERASED, type ExportDocument, exportDocument, type HeldMessage, slotIdsOf } from './personal-data.logic';

/** What an erasure answers (and records in the history's details). */
export interface ErasureResult {
  id: string;
  edition: string;
  stage: Stage;
  erasedAt: string;
  erasedBy: string;
  /** The pipeline move the erasure made first: withdraw (a stage that was not final), lapse (an offer past its deadline), none. */
  withdrawal: 'withdraw' | 'lapse' | null;
}

/** The contact details, for the role that calls applicants (CONTACT_ROLES). */
export interface ContactView {
  id: string;
  edition: string;
  familyName: string;
  givenName: string;
  email: string;
  phone: string | null;
}

/** The history's reason of an erasure the applicant asked for on their status page. */
export const APPLICANT_ERASURE_REASON = 'requested by the applicant on the status page';

/** The envelope type of a hand-over message (names, date of birth, nationality). */
const CONFIRMED_TYPE = volunteerConfirmed.type;

const notFoundByToken = () => ProblemException.notFound('No application has this status link', 'application-not-found');
const notFound = (edition: string, id: string) => ProblemException.notFound(`No application ${id} in ${edition}`, 'application-not-found');
const erasedProblem = (id: string) =>
  new ProblemException({ status: 409, slug: 'application-erased', title: 'Application erased', detail: `The personal data of application ${id} was erased` });

/**
 * GDPR: the export of everything held about one applicant (staff by id, the applicant by status token), their
 * erasure keeping an anonymised audit trail (both ways too), and the contact details for the role that needs them,
 * each read recorded. docs/volunteers-core.md#personal-data.
 */
@Injectable()
export class PersonalDataService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly cipher: EnvelopeCipher,
    private readonly repository: PipelineRepository,
    private readonly outbox: OutboxWriter,
    private readonly streamErasure: StreamErasure,
  ) {}

  /** The export for staff (oc-admin, data-protection-officer); the read is recorded in the history (`export`). */
  async export(edition: string, id: string, principal: Principal): Promise<ExportDocument> {
    const row = await this.prisma.application.findFirst({ where: { id, edition } });
    if (!row) throw notFound(edition, id);
    const document = await this.document(row, 'staff', principal.sub);
    await this.prisma.applicationHistory.create({ data: { applicationId: id, by: principal.sub, action: 'export', fromStage: row.stage, toStage: row.stage } });
    return document;
  }

  /** The export for the applicant, by their status token (404 application-not-found for any other token). */
  async exportByToken(token: string): Promise<ExportDocument> {
    const row = await this.byToken(this.prisma, token);
    return this.document(row, 'applicant', 'applicant');
  }

  /** Erasure by staff (oc-admin, data-protection-officer), with their reason. Again: 409 already-erased. */
  erase(edition: string, id: string, reason: string, principal: Principal): Promise<ErasureResult> {
    return this.eraseWith(
      async (tx) => {
        const row = await tx.application.findFirst({ where: { id, edition } });
        if (!row) throw notFound(edition, id);
        return row;
      },
      { by: principal.sub, reason, via: 'api' },
    );
  }

  /** Erasure by the applicant, on their status page. The token leads nowhere afterwards (404). */
  eraseByToken(token: string): Promise<ErasureResult> {
    return this.eraseWith((tx) => this.byToken(tx, token), { by: 'applicant', reason: APPLICANT_ERASURE_REASON, via: 'portal' });
  }

  /**
   * The contact details (CONTACT_ROLES only), each read recorded in the history (`read-contact`, by whom, when) in the
   * same transaction as the read. Erased: 409 application-erased.
   */
  contact(edition: string, id: string, principal: Principal): Promise<ContactView> {
    return serializableTransaction(this.prisma, async (tx) => {
      const row = await tx.application.findFirst({ where: { id, edition } });
      if (!row) throw notFound(edition, id);
      const personal = row.erasedAt ? undefined : openPersonal(this.cipher, row);
      if (!personal) throw erasedProblem(id);
      await tx.applicationHistory.create({ data: { applicationId: id, by: principal.sub, action: 'read-contact', fromStage: row.stage, toStage: row.stage } });
      return { id, edition: row.edition, familyName: row.familyName, givenName: row.givenName, email: personal.email, phone: personal.phone };
    });
  }

  /**
   * The key rotation of VOLUNTEERS_DATA_KEYS: re-wraps up to `limit` data keys wrapped by an older key of the ring under
   * the current one (the ciphertexts stay as they are), with @podium/platform's rewrapPersonalColumns, as accreditation.
   */
  rewrap(limit: number): Promise<RewrapResult> {
    return rewrapPersonalColumns(this.cipher, prismaRewrapTable(this.prisma.application), sealContext, limit);
  }

  private async document(row: Application, audience: Audience, exportedBy: string): Promise<ExportDocument> {
    const history = await this.prisma.applicationHistory.findMany({ where: { applicationId: row.id }, orderBy: { id: 'asc' } });
    const slotIds = slotIdsOf(history, row.interviewSlotId);
    const [slots, messages] = await Promise.all([
      this.prisma.interviewSlot.findMany({ where: { id: { in: slotIds } }, orderBy: [{ startsAt: 'asc' }, { id: 'asc' }] }),
      this.prisma.$queryRaw<{ event_id: string; subject: string; created_at: Date; published_at: Date | null; data: unknown }[]>`
        SELECT event_id::text, subject, created_at, published_at, payload::jsonb -> 'data' AS data
        FROM outbox_event
        WHERE payload::jsonb ->> 'type' LIKE 'podium.volunteers.volunteer.%' AND payload::jsonb -> 'data' ->> 'id' = ${row.id}
        ORDER BY id`,
    ]);
    return exportDocument({
      audience,
      exportedBy,
      now: new Date(),
      application: applicationView(row),
      personal: openPersonal(this.cipher, row),
      consentAt: row.consentAt,
      consentNotice: row.consentNotice,
      erasedAt: row.erasedAt,
      history,
      slots: slots.map((s) => ({ id: s.id, startsAt: s.startsAt.toISOString(), location: s.location, current: s.id === row.interviewSlotId })),
      messages: messages.map(
        (m): HeldMessage => ({ eventId: m.event_id, subject: m.subject, createdAt: m.created_at.toISOString(), publishedAt: m.published_at?.toISOString() ?? null, data: m.data }),
      ),
    });
  }

  /**
   * Erases in one serializable transaction: the history's free-text reasons become the marker (who, when, what stay);
   * a stage that is not final is withdrawn (an interview place freed; a confirmed volunteer's withdrawn event), an
   * offer past its deadline lapsed; the hand-over messages still held in the outbox lose their data; the names become
   * the marker, the sealed contact details, date of birth and nationality are deleted, the duplicate key and the
   * token's hash are replaced by random bytes (the person may apply again; the link leads nowhere); the erasure is
   * recorded and published (`oms.volunteers.v1.volunteer.{edition}.erased`, ids only). A hand-over message not relayed
   * yet is deleted from the outbox; those on the stream are marked for StreamErasure, which deletes them once this
   * commits (and again until done).
   */
  private async eraseWith(find: (tx: Tx) => Promise<Application>, who: { by: string; reason: string; via: 'api' | 'portal' }): Promise<ErasureResult> {
    const result = await this.eraseInTransaction(find, who);
    // After the commit: the hand-over messages leave the stream now, or in a later round (NATS down: the answer waits not).
    await this.streamErasure.round().catch(() => undefined);
    return result;
  }

  private eraseInTransaction(find: (tx: Tx) => Promise<Application>, who: { by: string; reason: string; via: 'api' | 'portal' }): Promise<ErasureResult> {
    return serializableTransaction(this.prisma, async (tx) => {
      const row = await find(tx);
      if (row.erasedAt) {
        throw new ProblemException({
          status: 409,
          slug: 'already-erased',
          title: 'Already erased',
          detail: `The personal data of application ${row.id} was erased at ${row.erasedAt.toISOString()}`,
          extensions: { erasedAt: row.erasedAt.toISOString() },
        });
      }
      const now = new Date();
      // The free-text reasons written so far may name the person (an applicant's withdrawal in their own words).
      await tx.applicationHistory.updateMany({ where: { applicationId: row.id, reason: { not: null } }, data: { reason: ERASED } });
      let current = row;
      let withdrawal: ErasureResult['withdrawal'] = null;
      if (this.repository.expired(row, now)) {
        current = await this.repository.lapse(tx, row, now);
        withdrawal = 'lapse';
      } else if (!FINAL_STAGES.includes(row.stage as Stage)) {
        const changes: MoveChanges = {};
        const details: Record<string, string> = { erasure: 'true' };
        if (row.stage === 'interview-booked' && row.interviewSlotId) {
          await this.repository.releasePlace(tx, row.interviewSlotId, now);
          changes.interviewSlotId = null;
          details['slotId'] = row.interviewSlotId;
        }
        current = await this.repository.write(tx, row, {
          to: 'withdrawn',
          actor: 'system',
          by: who.by,
          action: 'withdraw',
          reason: 'personal data erased',
          eventReason: 'Personal data erased',
          changes,
          details,
          now,
        });
        withdrawal = 'withdraw';
      }
      // A hand-over message not relayed yet never reaches the stream: its outbox row goes (consumers need no gap-free
      // sequence: the versions order a volunteer's messages, and the withdrawn and erased events follow). Should the relay
      // be publishing it at this very moment, its sequence reaches handover_message all the same (StreamErasure).
      await tx.$executeRaw`
        DELETE FROM outbox_event
        WHERE published_at IS NULL AND payload::jsonb ->> 'type' = ${CONFIRMED_TYPE} AND payload::jsonb -> 'data' ->> 'id' = ${row.id}`;
      // The messages on the stream are deleted once this commits, and until done (StreamErasure).
      await tx.handoverMessage.updateMany({ where: { applicationId: row.id, eraseRequestedAt: null }, data: { eraseRequestedAt: now } });
      // The hand-over messages the outbox still holds (relayed ones; rows are pruned after its retention) keep their
      // envelope, not the person: their data becomes the ids.
      await tx.$executeRaw`
        UPDATE outbox_event
        SET payload = (payload::jsonb || jsonb_build_object('data', jsonb_build_object('id', ${row.id}::text, 'edition', ${row.edition}::text, 'erased', true)))::json
        WHERE published_at IS NOT NULL AND payload::jsonb ->> 'type' LIKE 'podium.volunteers.volunteer.%' AND payload::jsonb -> 'data' ->> 'id' = ${row.id}`;
      const erased = await tx.application.update({
        where: { id: row.id },
        data: {
          familyName: ERASED,
          givenName: ERASED,
          personalKid: null,
          personalKey: null,
          personalData: null,
          duplicateKey: Uint8Array.from(randomBytes(32)),
          tokenHash: Uint8Array.from(randomBytes(32)),
          erasedAt: now,
          version: { increment: 1 },
          updatedAt: now,
        },
      });
      await tx.applicationHistory.create({
        data: {
          applicationId: row.id,
          at: now,
          by: who.by,
          action: 'erase',
          fromStage: current.stage,
          toStage: erased.stage,
          reason: who.reason,
          details: { via: who.via, withdrawal },
        },
      });
      await this.outbox.enqueue(tx, 'oms.volunteers.v1.volunteer.{edition}.erased', { id: row.id, edition: row.edition, erasedAt: now.toISOString() }, { tokens: { edition: row.edition } });
      return { id: row.id, edition: row.edition, stage: erased.stage as Stage, erasedAt: now.toISOString(), erasedBy: who.by, withdrawal };
    });
  }

  /** The application of a status token (404 application-not-found for any other token, with no query for a misshapen one). */
  private async byToken(db: Tx | PrismaService, token: string): Promise<Application> {
    if (!isStatusTokenShaped(token)) throw notFoundByToken();
    const row = await db.application.findUnique({ where: { tokenHash: Uint8Array.from(tokenHashOf(token)) } });
    if (!row) throw notFoundByToken();
    return row;
  }
}
