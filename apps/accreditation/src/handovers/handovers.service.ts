import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Principal } from '@podium/auth';
import type { MemberState, VolunteerErased } from '@podium/contracts';
import { NatsConsumerRunner, ProblemException, serializableTransaction } from '@podium/platform';

import { ROLE } from '../app/config';
import { ApplicationsRepository } from '../applications/applications.repository';
import { ApplicationsService } from '../applications/applications.service';
import { type ApplicationState, step, type VettingResult } from '../applications/workflow';
import { CardsService } from '../cards/cards.service';
import { followSourceNames } from '../common/follow-source';
import { type Application, PrismaService } from '../database/prisma.service';
import { type Handover as Row, Prisma } from '../generated/prisma/client';
import type { AccreditationPack } from '../reference-data/pack';
import { ReferenceDataService } from '../reference-data/reference-data.service';
import { volunteersConfirmedConsumer, volunteersErasedConsumer, volunteersWithdrawnConsumer, workforceMembersConsumer } from './handovers.consumer';
import type { HandoverQuery } from './handovers.dto';
import {
  fromMember,
  fromVolunteerConfirmed,
  fromVolunteerWithdrawn,
  type Handover,
  type HandoverSource,
  type HandoverStatus,
  resolveTarget,
  SOURCE_ACTOR,
  WITHDRAWAL_REASON,
} from './handovers.logic';

/** How often pending and refused hand-overs of an edition whose reference data was imported since are tried again. */
export const HANDOVER_SWEEP_INTERVAL_MS = 30_000;
/** Hand-overs tried per page of a sweep or a retry. */
const SWEEP_PAGE = 500;

/** The application states a hand-over's application no longer moves from (a withdrawal left it there, or an officer did). */
const ENDED: ReadonlySet<string> = new Set<ApplicationState>(['rejected', 'revoked']);


/** A hand-over as served (GET /v1/editions/{edition}/handovers). */
export interface HandoverView {
  source: string;
  id: string;
  kind: string;
  employer: string | null;
  familyName: string | null;
  givenName: string | null;
  dateOfBirth: string | null;
  nationality: string | null;
  role: string | null;
  functionalArea: string | null;
  venue: string | null;
  active: boolean;
  version: number;
  status: HandoverStatus;
  statusReason: string | null;
  statusDetail: string | null;
  applicationId: string | null;
  receivedAt: string;
  attemptedAt: string | null;
}

function view(r: Row): HandoverView {
  return {
    source: r.source,
    id: r.id,
    kind: r.kind,
    employer: r.employer,
    familyName: r.familyName,
    givenName: r.givenName,
    dateOfBirth: r.dateOfBirth,
    nationality: r.nationality,
    role: r.role,
    functionalArea: r.functionalArea,
    venue: r.venue,
    active: r.active,
    version: r.version,
    status: r.status as HandoverStatus,
    statusReason: r.statusReason,
    statusDetail: r.statusDetail,
    applicationId: r.applicationId,
    receivedAt: r.receivedAt.toISOString(),
    attemptedAt: r.attemptedAt?.toISOString() ?? null,
  };
}

/** The source service, acting for the organising committee: what submits and moves its people's applications. */
function sourcePrincipal(source: HandoverSource): Principal {
  return { sub: SOURCE_ACTOR[source], roles: [ROLE.ocAdmin], scopes: [] };
}

/** Thrown inside a submission whose hand-over changed meanwhile (a newer version, another replica linked it): rolls it back. */
class StaleHandover extends Error {}

/**
 * Volunteers' and staff's applications, made from their services' events, never retyped: confirmed volunteers
 * (`oms.volunteers.v1.volunteer.{edition}.confirmed|withdrawn`) and workforce staff and contractors
 * (`oms.workforce.v1.member.{edition}.changed`) are kept in `handover` (the latest version of each) and each active
 * one gets its application, made by the source for the organising committee, within its quota: no reference data or
 * category yet keeps it pending, over the quota refused (both tried again after the next import, or on a retry);
 * a later version's names follow, a withdrawal or release withdraws the application or revokes its card; an erased
 * application is never filled again.
 */
@Injectable()
export class HandoversService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HandoversService.name);
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(
    private readonly prisma: PrismaService,
    private readonly consumers: NatsConsumerRunner,
    private readonly applications: ApplicationsService,
    private readonly repository: ApplicationsRepository,
    private readonly cards: CardsService,
    private readonly referenceData: ReferenceDataService,
  ) {}

  onApplicationBootstrap(): void {
    this.consumers.consume(volunteersConfirmedConsumer(), (envelope) => this.receive(fromVolunteerConfirmed(envelope.data)));
    this.consumers.consume(volunteersWithdrawnConsumer(), (envelope) => this.receive(fromVolunteerWithdrawn(envelope.data)));
    this.consumers.consume(volunteersErasedConsumer(), (envelope) => this.eraseVolunteer(envelope.data));
    this.consumers.consume(workforceMembersConsumer(), (envelope) => this.receiveMember(envelope.data));
    this.timer = setInterval(() => void this.sweep(), HANDOVER_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** A workforce member: staff and contractors only (a volunteer member comes from the volunteers service's events). */
  async receiveMember(member: MemberState): Promise<void> {
    const handover = fromMember(member);
    if (!handover) {
      this.logger.debug(`Workforce member ${member.id} is a volunteer: their application comes from the volunteers service`);
      return;
    }
    await this.receive(handover);
  }

  /** Keeps `handover` if newer than the one kept, then brings its application in line (idempotent: a redelivery changes nothing). */
  async receive(handover: Handover): Promise<void> {
    await this.remember(handover);
    await this.reconcile(handover.source, handover.id);
  }

  /**
   * The volunteers service erased the person (`oms.volunteers.v1.volunteer.{edition}.erased`, ids only): the hand-over
   * keeps no names, date of birth or nationality (status `erased`, reason `source-erased`), and no later message of
   * theirs fills it again. The erasure withdrew the volunteer, whose `withdrawn` event comes on another consumer, maybe
   * later: the application made from the hand-over is withdrawn (or its card revoked) here unless it was already. The
   * application itself stays: it is accreditation's own record, erased by its own data-protection officer
   * (docs/accreditation.md#hand-overs-from-volunteers-and-workforce). None held yet (the consumers are not ordered
   * between them): an erased, inactive hand-over without names is kept, which a later confirmation never fills.
   * Idempotent: a redelivery changes nothing.
   */
  async eraseVolunteer(erased: VolunteerErased): Promise<void> {
    const source: HandoverSource = 'volunteers';
    await serializableTransaction(this.prisma, async (tx) => {
      const h = await tx.handover.findUnique({ where: { source_id: { source, id: erased.id } } });
      if (!h) {
        await tx.handover.create({
          data: { source, id: erased.id, edition: erased.edition, kind: 'volunteer', active: false, version: 0, sourceUpdatedAt: new Date(erased.erasedAt), status: 'erased', statusReason: 'source-erased' },
        });
        return;
      }
      if (h.status === 'erased') return;
      const withdrawn = h.status === 'withdrawn' && h.statusReason !== null;
      const outcome = withdrawn ? h.statusReason : await this.withdrawApplication(tx, h, h.applicationId);
      await tx.handover.update({
        where: { source_id: { source, id: erased.id } },
        data: { active: false, status: 'erased', statusReason: 'source-erased', statusDetail: outcome, familyName: null, givenName: null, dateOfBirth: null, nationality: null },
      });
    });
  }

  private async remember(h: Handover): Promise<void> {
    // A withdrawal carries no names: the confirmed ones stay. Once the application made from them was erased, none.
    await this.prisma.$executeRaw`
      INSERT INTO handover (source, id, edition, kind, employer, family_name, given_name, date_of_birth, nationality, role,
        functional_area, venue, active, version, source_updated_at, status, status_detail)
      VALUES (${h.source}, ${h.id}::uuid, ${h.edition}, ${h.kind}, ${h.employer}, ${h.familyName}, ${h.givenName}, ${h.dateOfBirth},
        ${h.nationality}, ${h.role}, ${h.functionalArea}, ${h.venue}, ${h.active}, ${h.version}, ${new Date(h.sourceUpdatedAt)},
        ${h.active ? 'pending' : 'withdrawn'}, ${h.withdrawalReason})
      ON CONFLICT (source, id) DO UPDATE SET kind = EXCLUDED.kind, employer = COALESCE(EXCLUDED.employer, handover.employer),
        family_name = CASE WHEN handover.status = 'erased' THEN NULL ELSE COALESCE(EXCLUDED.family_name, handover.family_name) END,
        given_name = CASE WHEN handover.status = 'erased' THEN NULL ELSE COALESCE(EXCLUDED.given_name, handover.given_name) END,
        date_of_birth = CASE WHEN handover.status = 'erased' THEN NULL ELSE COALESCE(EXCLUDED.date_of_birth, handover.date_of_birth) END,
        nationality = CASE WHEN handover.status = 'erased' THEN NULL ELSE COALESCE(EXCLUDED.nationality, handover.nationality) END,
        role = COALESCE(EXCLUDED.role, handover.role), functional_area = COALESCE(EXCLUDED.functional_area, handover.functional_area),
        venue = COALESCE(EXCLUDED.venue, handover.venue), active = EXCLUDED.active, version = EXCLUDED.version,
        source_updated_at = EXCLUDED.source_updated_at, received_at = now(),
        status_detail = CASE WHEN EXCLUDED.active OR handover.status = 'erased' THEN handover.status_detail ELSE EXCLUDED.status_detail END
      WHERE handover.version < EXCLUDED.version`;
  }

  /**
   * Brings the hand-over's application in line with its latest version: erased: nothing ever again; withdrawn or
   * released: the application withdrawn (or its card revoked); active with a live application (or one an officer
   * ended): its names follow; else an application is made (again, after a withdrawal).
   */
  async reconcile(source: HandoverSource, id: string): Promise<void> {
    const h = await this.prisma.handover.findUnique({ where: { source_id: { source, id } } });
    // Erased (its application by accreditation, or the person by its source): nothing ever again.
    if (!h || h.status === 'erased') return;
    const application = h.applicationId ? await this.prisma.application.findUnique({ where: { id: h.applicationId } }) : null;
    if (application?.erasedAt) return this.markErased(h);
    if (!h.active) return this.withdraw(h, application);
    if (application && (!ENDED.has(application.state) || h.status === 'applied')) return this.follow(h, application);
    return this.apply(h);
  }

  private async markErased(h: Row): Promise<void> {
    if (h.status === 'erased' && h.familyName === null) return;
    await this.prisma.handover.update({
      where: { source_id: { source: h.source, id: h.id } },
      data: { status: 'erased', statusReason: 'application-erased', statusDetail: null, familyName: null, givenName: null, dateOfBirth: null, nationality: null },
    });
  }

  private async follow(h: Row, application: Application): Promise<void> {
    if (h.familyName === null || h.givenName === null || h.dateOfBirth === null || h.nationality === null) return;
    const names = { familyName: h.familyName, givenName: h.givenName, dateOfBirth: h.dateOfBirth, nationality: h.nationality };
    await this.prisma.$transaction(async (tx) => {
      await followSourceNames(tx, Prisma.sql`id = ${application.id}::uuid`, names, {
        by: SOURCE_ACTOR[h.source as HandoverSource],
        action: `update-from-${h.source}`,
        reason: `${h.source} changed the ${h.kind} (version ${h.version})`,
        details: { source: h.source, handoverId: h.id, version: h.version },
      });
      if (h.status !== 'applied') {
        await tx.handover.updateMany({
          where: { source: h.source, id: h.id, version: h.version },
          data: { status: 'applied', statusReason: null, statusDetail: null },
        });
      }
    });
  }

  private async withdraw(h: Row, application: Application | null): Promise<void> {
    await serializableTransaction(this.prisma, async (tx) => {
      // Still this version, still withdrawn (a newer confirmation in between is the next reconcile's).
      const current = await tx.handover.findFirst({ where: { source: h.source, id: h.id, version: h.version, active: false } });
      if (!current || current.status === 'erased' || (current.status === 'withdrawn' && current.statusReason !== null)) return;
      const outcome = await this.withdrawApplication(tx, h, application?.id ?? null);
      await tx.handover.update({ where: { source_id: { source: h.source, id: h.id } }, data: { status: 'withdrawn', statusReason: outcome } });
    });
  }

  /** Withdraws the hand-over's application (or revokes its card) in `tx`; answers the outcome (the hand-over's status reason). */
  private async withdrawApplication(tx: Prisma.TransactionClient, h: Row, applicationId: string | null): Promise<string> {
    const by = SOURCE_ACTOR[h.source as HandoverSource];
    const reason = WITHDRAWAL_REASON[h.kind as keyof typeof WITHDRAWAL_REASON];
    const row = applicationId ? await tx.application.findUniqueOrThrow({ where: { id: applicationId } }) : null;
    if (!row || row.erasedAt) return 'no-application';
    const card = await this.cards.revokeForApplication(tx, row, reason, by);
    if (card) return 'card-revoked';
    if (step('reject', row.state as ApplicationState, row.vettingResult as VettingResult | null).ok) {
      await this.repository.move(tx, row, 'reject', by, reason);
      return 'application-withdrawn';
    }
    return `application-${row.state}`;
  }

  private async apply(h: Row): Promise<void> {
    if (h.familyName === null || h.givenName === null || h.dateOfBirth === null || h.nationality === null) return;
    let pack: AccreditationPack;
    try {
      pack = await this.referenceData.get(h.edition);
    } catch (error) {
      if (error instanceof ProblemException && error.slug === 'reference-data-not-found') {
        return this.mark(h, 'pending', 'no-reference-data', `${h.edition} has no reference data yet: applied once it is imported`);
      }
      throw error;
    }
    const target = resolveTarget(pack, { edition: h.edition, kind: h.kind as Handover['kind'], employer: h.employer });
    if (!target.ok) return this.mark(h, 'pending', target.reason, target.detail);
    const source = h.source as HandoverSource;
    try {
      await this.applications.submit(
        h.edition,
        {
          organisation: target.organisation,
          category: target.category,
          familyName: h.familyName,
          givenName: h.givenName,
          dateOfBirth: h.dateOfBirth,
          nationality: h.nationality,
        },
        sourcePrincipal(source),
        {
          details: { source, handoverId: h.id, version: h.version },
          // Linked in the submission's transaction: a redelivery finds the link, never makes a second application.
          within: async (tx, applicationId) => {
            const linked = await tx.$executeRaw`
              UPDATE handover SET application_id = ${applicationId}::uuid, status = 'applied', status_reason = NULL, status_detail = NULL,
                attempted_at = now()
              WHERE source = ${h.source} AND id = ${h.id}::uuid AND version = ${h.version} AND active
                AND application_id IS NOT DISTINCT FROM ${h.applicationId}::uuid`;
            if (linked === 0) throw new StaleHandover();
          },
        },
      );
    } catch (error) {
      if (error instanceof StaleHandover) return;
      if (error instanceof ProblemException && error.slug === 'quota-exceeded') return this.mark(h, 'refused', 'quota-exceeded', error.detail);
      // A new pack imported between the read above and the submission, without the organisation or category.
      if (error instanceof ProblemException && error.slug === 'unknown-reference') return this.mark(h, 'pending', 'no-organisation', error.detail);
      throw error;
    }
  }

  private async mark(h: Row, status: HandoverStatus, reason: string, detail: string): Promise<void> {
    await this.prisma.handover.updateMany({
      where: { source: h.source, id: h.id, version: h.version, applicationId: h.applicationId },
      data: { status, statusReason: reason, statusDetail: detail, attemptedAt: new Date() },
    });
  }

  /**
   * The timer's round: hand-overs whose application was erased keep no names; pending and refused ones of an edition
   * whose reference data was imported after their last try are tried again (one round at a time).
   */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce()
      .catch((error: unknown) => this.logger.warn(`Hand-over sweep failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE handover h SET family_name = NULL, given_name = NULL, date_of_birth = NULL, nationality = NULL, status = 'erased',
        status_reason = 'application-erased', status_detail = NULL
      FROM application a WHERE a.id = h.application_id AND a.erased_at IS NOT NULL AND h.status <> 'erased'`;
    for (;;) {
      const due = await this.prisma.$queryRaw<{ source: HandoverSource; id: string }[]>`
        SELECT h.source, h.id::text AS id FROM handover h JOIN reference_data r ON r.edition = h.edition
        WHERE h.status IN ('pending', 'refused') AND h.active AND (h.attempted_at IS NULL OR h.attempted_at < r.imported_at)
        ORDER BY h.received_at, h.id LIMIT ${SWEEP_PAGE}`;
      for (const h of due) await this.reconcile(h.source, h.id);
      if (due.length < SWEEP_PAGE) return;
    }
  }

  /** POST .../handovers/retry: every pending and refused hand-over of the edition tried now, in the order received. */
  async retry(edition: string): Promise<{ tried: number; applied: number; pending: number; refused: number }> {
    const due = await this.prisma.handover.findMany({
      where: { edition, active: true, status: { in: ['pending', 'refused'] } },
      orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
      select: { source: true, id: true },
    });
    for (const h of due) await this.reconcile(h.source as HandoverSource, h.id);
    const after = await this.prisma.$queryRaw<{ status: HandoverStatus }[]>`
      SELECT h.status FROM handover h JOIN unnest(${due.map((d) => d.source)}::text[], ${due.map((d) => d.id)}::uuid[]) AS t(source, id)
        ON h.source = t.source AND h.id = t.id`;
    const count = (status: HandoverStatus) => after.filter((h) => h.status === status).length;
    return { tried: due.length, applied: count('applied'), pending: count('pending'), refused: count('refused') };
  }

  /** The edition's hand-overs, by id (keyset pages): each with what became of its application. */
  async list(edition: string, query: HandoverQuery): Promise<{ items: HandoverView[]; nextCursor: string | null }> {
    const rows = await this.prisma.handover.findMany({
      where: {
        edition,
        ...(query.source ? { source: query.source } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.cursor ? { id: { gt: query.cursor } } : {}),
      },
      orderBy: [{ id: 'asc' }, { source: 'asc' }],
      take: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return { items: page.map(view), nextCursor: rows.length > query.limit && last ? last.id : null };
  }
}
