import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { VolunteerErased, VolunteerHandover } from '@podium/contracts';
import { EnvelopeCipher, NatsConsumerRunner, OutboxWriter, serializableTransaction } from '@podium/platform';

import { cancelAssignments } from '../assignments/assignment-writes';
import { type Member, PrismaService, type Tx } from '../database/prisma.service';
import { memberState, openPersonal, sealPersonal } from '../members/members.logic';
import { MembersService } from '../members/members.service';
import { volunteersConfirmedConsumer, volunteersErasedConsumer, volunteersWithdrawnConsumer } from './events.consumer';
import { ERASED_NAME, volunteerMemberFields } from './events.logic';

/** Who the history names for changes made on the volunteers service's word. */
export const VOLUNTEERS_ACTOR = 'volunteers';
/** A volunteer's employer: the organising committee (volunteers are the OC's; accreditation ignores their member events). */
export const VOLUNTEER_ORGANISATION = 'OC';

interface Withdrawal {
  id: string;
  edition: string;
  reason: string;
  version: number;
}

/**
 * Volunteers handed over by the volunteers service become members (type volunteer), kept by volunteer id with the
 * hand-over's version (an older confirmed or withdrawn event never overwrites a newer one):
 * - confirmed: the member made through the members service (its sealing, history and member.changed event), or
 *   updated (and active again after a withdrawal);
 * - withdrawn: released (a withdrawal arriving before its confirmation is remembered, so that it stays out), their assignments still to come cancelled (each with its assignment.changed event);
 * - erased: names replaced by a marker, date of birth and nationality emptied; ids and history kept (anonymised).
 */
@Injectable()
export class VolunteerReactions implements OnApplicationBootstrap {
  private readonly logger = new Logger(VolunteerReactions.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly consumers: NatsConsumerRunner,
    private readonly members: MembersService,
    private readonly cipher: EnvelopeCipher,
    private readonly outbox: OutboxWriter,
  ) {}

  onApplicationBootstrap(): void {
    this.consumers.consume(volunteersConfirmedConsumer(), (envelope) => this.onConfirmed(envelope.data));
    this.consumers.consume(volunteersWithdrawnConsumer(), (envelope) => this.onWithdrawn(envelope.data));
    this.consumers.consume(volunteersErasedConsumer(), (envelope) => this.onErased(envelope.data));
  }

  async onConfirmed(handover: VolunteerHandover): Promise<void> {
    const fields = volunteerMemberFields(handover);
    const { edition, volunteerId } = fields;
    const input = {
      type: 'volunteer' as const,
      volunteerId,
      familyName: fields.familyName,
      givenName: fields.givenName,
      dateOfBirth: fields.personal.dateOfBirth,
      nationality: fields.personal.nationality,
      organisation: VOLUNTEER_ORGANISATION,
      role: fields.role,
      functionalArea: fields.functionalArea,
      homeVenue: fields.homeVenue,
      skills: fields.skills,
      languages: fields.languages,
      availableDates: fields.availableDates,
      preferences: {},
    };
    // Sealed before the transaction (a retry redoes only SQL); used when the volunteer is new.
    const fresh = { ...this.members.prepare(edition, input, VOLUNTEERS_ACTOR), sourceVersion: fields.sourceVersion, erasedAt: null };
    await serializableTransaction(this.prisma, async (tx) => {
      if (await this.erased(tx, edition, volunteerId)) return;
      const row = await tx.member.findUnique({ where: { edition_volunteerId: { edition, volunteerId } } });
      if (!row) {
        // Withdrawn (a newer version) before this confirmation was taken in, on the other consumer: nothing to make.
        if ((await this.withdrawnVersion(tx, edition, volunteerId)) > fields.sourceVersion) return;
        await this.members.insertInTx(tx, fresh, fields.personal, VOLUNTEERS_ACTOR, 'handover', `confirmed by the volunteers service (version ${fields.sourceVersion})`);
        await tx.memberCard.updateMany({ where: { edition, sourceService: 'volunteers', sourceId: volunteerId, memberId: null }, data: { memberId: fresh.id } });
        return;
      }
      if (row.erasedAt || (row.sourceVersion ?? 0) >= fields.sourceVersion) return;
      const updated = await tx.member.update({
        where: { id: row.id },
        data: {
          familyName: fields.familyName,
          givenName: fields.givenName,
          role: fields.role,
          functionalArea: fields.functionalArea,
          homeVenue: fields.homeVenue,
          skills: fields.skills,
          languages: fields.languages,
          availableDates: fields.availableDates,
          status: 'active',
          ...sealPersonal(this.cipher, row.id, fields.personal),
          sourceVersion: fields.sourceVersion,
          version: { increment: 1 },
          updatedAt: new Date(),
        },
      });
      await this.changed(tx, updated, row.status === 'released' ? 'handover-again' : 'handover-update', `confirmed by the volunteers service (version ${fields.sourceVersion})`, fields.personal);
    });
  }

  async onWithdrawn(withdrawal: Withdrawal): Promise<void> {
    const { edition, id: volunteerId } = withdrawal;
    const cancelled = await serializableTransaction(this.prisma, async (tx) => {
      const row = await tx.member.findUnique({ where: { edition_volunteerId: { edition, volunteerId } } });
      // Not a member yet (the confirmation comes later, on its own consumer, with a lower version: it stays out).
      if (!row) {
        await tx.erasure.createMany({ data: [{ edition, kind: 'withdrawn', key: `${volunteerId}@${withdrawal.version}` }], skipDuplicates: true });
        return 0;
      }
      if ((row.sourceVersion ?? 0) >= withdrawal.version) return 0;
      const updated = await tx.member.update({
        where: { id: row.id },
        data: { status: 'released', sourceVersion: withdrawal.version, version: { increment: 1 }, updatedAt: new Date() },
      });
      const reason = `withdrawn: ${withdrawal.reason}`;
      if (!row.erasedAt) await this.changed(tx, updated, 'release', reason);
      const future = await tx.assignment.findMany({
        where: { memberId: row.id, status: 'assigned', shift: { startsAt: { gt: new Date() } } },
        include: { shift: true },
      });
      return cancelAssignments(tx, this.outbox, future, { by: VOLUNTEERS_ACTOR, reason: `member released: ${reason}` });
    });
    if (cancelled > 0) this.logger.log(`Volunteer ${volunteerId} withdrawn: ${cancelled} assignment(s) cancelled`);
  }

  /** Anonymises the member of an erased volunteer (or keeps one to come from being made). */
  async onErased(erased: VolunteerErased): Promise<void> {
    const { edition, id: volunteerId } = erased;
    await serializableTransaction(this.prisma, async (tx) => {
      await tx.erasure.createMany({ data: [{ edition, kind: 'volunteer', key: volunteerId }], skipDuplicates: true });
      const row = await tx.member.findUnique({ where: { edition_volunteerId: { edition, volunteerId } } });
      if (!row || row.erasedAt) return;
      await tx.member.update({
        where: { id: row.id },
        data: {
          familyName: ERASED_NAME,
          givenName: ERASED_NAME,
          personalKid: null,
          personalKey: null,
          personalData: null,
          skills: [],
          languages: [],
          availableDates: [],
          preferences: {},
          erasedAt: new Date(erased.erasedAt),
          version: { increment: 1 },
          updatedAt: new Date(),
        },
      });
      await tx.historyEntry.create({
        data: { edition, entity: 'member', entityId: row.id, action: 'erase', by: VOLUNTEERS_ACTOR, reason: 'personal data erased (GDPR)', details: {} },
      });
    });
  }

  /** The newest withdrawal of a volunteer received before it was a member (0: none). */
  private async withdrawnVersion(tx: Tx, edition: string, volunteerId: string): Promise<number> {
    const rows = await tx.erasure.findMany({ where: { edition, kind: 'withdrawn', key: { startsWith: `${volunteerId}@` } }, select: { key: true } });
    return Math.max(0, ...rows.map((r) => Number(r.key.slice(volunteerId.length + 1))));
  }

  private async erased(tx: Tx, edition: string, volunteerId: string): Promise<boolean> {
    return (await tx.erasure.findUnique({ where: { edition_kind_key: { edition, kind: 'volunteer', key: volunteerId } } })) !== null;
  }

  /** The history entry and member.changed event of a member changed here (its personal data opened when not given). */
  private async changed(tx: Tx, row: Member, action: string, reason: string, personal?: { dateOfBirth: string; nationality: string }): Promise<void> {
    await tx.historyEntry.create({ data: { edition: row.edition, entity: 'member', entityId: row.id, action, by: VOLUNTEERS_ACTOR, reason, details: { type: row.type } } });
    const data = personal ?? openPersonal(this.cipher, row);
    if (!data) return; // erased: nothing of the person left to say
    await this.outbox.enqueue(tx, 'oms.workforce.v1.member.{edition}.changed', memberState(row, data), { tokens: { edition: row.edition } });
  }
}
