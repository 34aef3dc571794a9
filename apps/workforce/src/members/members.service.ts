import { Injectable } from '@nestjs/common';
import type { Principal } from '@podium/auth';
import { decodeCursor, encodeCursor, EnvelopeCipher, OutboxWriter, ProblemException, serializableTransaction } from '@podium/platform';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

import { cancelAssignments } from '../assignments/assignment-writes';
import { memberNotFound, seesPersonalData, staleVersion } from '../common/access';
import { type Member, PrismaService, type Tx } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import {
  type MemberInput,
  type MemberListQuery,
  type MemberPatch,
  memberInputSchema,
  memberState,
  type MemberView,
  memberView,
  openPersonal,
  type PersonalData,
  sealPersonal,
} from './members.logic';

export type BulkRowOutcome =
  | { index: number; status: 'created'; id: string }
  | { index: number; status: 'refused'; reason: 'invalid' | 'duplicate-volunteer'; errors?: { field: string; message: string }[] };

const duplicateVolunteer = (volunteerId: string) =>
  new ProblemException({
    status: 409,
    slug: 'duplicate-volunteer',
    title: 'Volunteer already a member',
    detail: `The volunteer ${volunteerId} is already a member of this edition`,
    errors: [{ field: 'body.volunteerId', message: 'already a member' }],
  });

const cursorShape = z.tuple([z.string(), z.string(), z.uuid()]);

/**
 * Workforce members: created by managers (staff, contractors, volunteers), one at a time or in batches of 1,000, read,
 * changed with optimistic concurrency, released. Every change: one serializable transaction with its history entry
 * and its member.changed event (outbox). The date of birth and nationality are sealed at rest. docs/workforce-api.md#members.
 */
@Injectable()
export class MembersService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly cipher: EnvelopeCipher,
    private readonly outbox: OutboxWriter,
  ) {}

  /** A new member (409 duplicate-volunteer when the volunteer is already one). */
  async create(edition: string, input: MemberInput, by: string): Promise<MemberView> {
    const row = this.prepare(edition, input, by);
    return serializableTransaction(this.prisma, async (tx) => {
      if (row.volunteerId !== null && (await tx.member.findUnique({ where: { edition_volunteerId: { edition, volunteerId: row.volunteerId } } }))) {
        throw duplicateVolunteer(row.volunteerId);
      }
      await this.insertInTx(tx, row, personalOf(input), by, 'create');
      return memberView(row, personalOf(input));
    });
  }

  /**
   * Creates a prepared member row in the caller's transaction, with its history entry and its member.changed event
   * (also the volunteers' hand-over's path).
   */
  async insertInTx(tx: Tx, row: Member, personal: PersonalData, by: string, action: string, reason?: string): Promise<void> {
    await tx.member.create({ data: { ...row, preferences: jsonOf(row.preferences) } });
    await tx.historyEntry.create({ data: { edition: row.edition, entity: 'member', entityId: row.id, action, by, reason: reason ?? null, details: { type: row.type } } });
    await this.outbox.enqueue(tx, 'oms.workforce.v1.member.{edition}.changed', memberState(row, personal), { tokens: { edition: row.edition } });
  }

  /** A member row ready to insert (sealed before any transaction, so a retry redoes only SQL). */
  prepare(edition: string, input: MemberInput, by: string): Member {
    const id = randomUUID();
    const now = new Date();
    return {
      id,
      edition,
      type: input.type,
      volunteerId: input.volunteerId ?? null,
      familyName: input.familyName,
      givenName: input.givenName,
      organisation: input.organisation,
      role: input.role,
      functionalArea: input.functionalArea,
      homeVenue: input.homeVenue,
      skills: input.skills,
      languages: input.languages,
      availableDates: input.availableDates,
      preferences: input.preferences,
      status: 'active',
      ...sealPersonal(this.cipher, id, personalOf(input)),
      version: 1,
      sourceVersion: null,
      erasedAt: null,
      createdBy: by,
      createdAt: now,
      updatedAt: now,
    };
  }

  /**
   * Up to 1,000 members in one transaction: a bad row (its field problems) or a volunteer already a member (or twice
   * in the batch) refuses only itself. One outcome per row, in order.
   */
  async createBatch(edition: string, inputs: readonly unknown[], by: string): Promise<BulkRowOutcome[]> {
    const outcomes: BulkRowOutcome[] = [];
    const prepared: { index: number; row: Member; personal: PersonalData }[] = [];
    const volunteers = new Set<string>();
    inputs.forEach((raw, index) => {
      const parsed = memberInputSchema.safeParse(raw);
      if (!parsed.success) {
        outcomes.push({
          index,
          status: 'refused',
          reason: 'invalid',
          errors: parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'row', message: i.message })),
        });
        return;
      }
      if (parsed.data.volunteerId !== undefined) {
        if (volunteers.has(parsed.data.volunteerId)) {
          outcomes.push({ index, status: 'refused', reason: 'duplicate-volunteer' });
          return;
        }
        volunteers.add(parsed.data.volunteerId);
      }
      prepared.push({ index, row: this.prepare(edition, parsed.data, by), personal: personalOf(parsed.data) });
    });
    if (prepared.length > 0) {
      const created = await serializableTransaction(
        this.prisma,
        async (tx) => {
          const ids = prepared.flatMap((p) => (p.row.volunteerId === null ? [] : [p.row.volunteerId]));
          const existing = new Set(
            ids.length === 0
              ? []
              : (await tx.member.findMany({ where: { edition, volunteerId: { in: ids } }, select: { volunteerId: true } })).map((m) => m.volunteerId),
          );
          const fresh = prepared.filter((p) => p.row.volunteerId === null || !existing.has(p.row.volunteerId));
          await tx.member.createMany({ data: fresh.map((p) => ({ ...p.row, preferences: jsonOf(p.row.preferences) })) });
          await tx.historyEntry.createMany({
            data: fresh.map((p) => ({ edition, entity: 'member', entityId: p.row.id, action: 'create', by, details: { type: p.row.type, via: 'bulk' } })),
          });
          for (const p of fresh) {
            await this.outbox.enqueue(tx, 'oms.workforce.v1.member.{edition}.changed', memberState(p.row, p.personal), { tokens: { edition } });
          }
          return new Set(fresh.map((p) => p.row.id));
        },
        { timeoutMs: 60_000 },
      );
      for (const p of prepared) {
        outcomes.push(created.has(p.row.id) ? { index: p.index, status: 'created', id: p.row.id } : { index: p.index, status: 'refused', reason: 'duplicate-volunteer' });
      }
    }
    return outcomes.sort((a, b) => a.index - b.index);
  }

  async get(edition: string, id: string, principal: Principal): Promise<MemberView> {
    const row = await this.prisma.member.findFirst({ where: { id, edition } });
    if (!row) throw memberNotFound(id);
    return this.view(row, principal);
  }

  /**
   * A page of the edition's members in name order (family, given, id), filtered; keyset cursor. The SQL is
   * memberListSql's (the benchmark's EXPLAIN reads the same text): docs/workforce-api.md#members-at-100000.
   */
  async list(edition: string, query: MemberListQuery, principal: Principal): Promise<{ items: MemberView[]; nextCursor: string | null }> {
    const after = query.cursor ? decodeCursor(query.cursor, cursorShape) : undefined;
    const ids = await this.prisma.$queryRaw<{ id: string }[]>(memberListSql(edition, query, after));
    const page = ids.slice(0, query.limit).map((r) => r.id);
    const rows = await this.prisma.member.findMany({ where: { id: { in: page } } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const items = page.flatMap((id) => {
      const row = byId.get(id);
      return row ? [this.view(row, principal)] : [];
    });
    const last = items[items.length - 1];
    return { items, nextCursor: ids.length > query.limit && last ? encodeCursor([last.familyName, last.givenName, last.id]) : null };
  }

  /** Changes a member's fields at `version` (409 stale-version otherwise); the date of birth and nationality re-sealed. */
  async patch(edition: string, id: string, patch: MemberPatch, principal: Principal): Promise<MemberView> {
    return serializableTransaction(this.prisma, async (tx) => {
      const row = await tx.member.findFirst({ where: { id, edition } });
      if (!row) throw memberNotFound(id);
      if (row.version !== patch.version) throw staleVersion('member', id, patch.version, row.version);
      if (row.status === 'released') {
        throw new ProblemException({ status: 409, slug: 'member-released', detail: `Member ${id} was released and can no longer be changed` });
      }
      const before = this.personal(row);
      const personal: PersonalData = { dateOfBirth: patch.dateOfBirth ?? before.dateOfBirth, nationality: patch.nationality ?? before.nationality };
      const { version: _version, dateOfBirth: _dob, nationality: _nat, ...fields } = patch;
      const resealed = patch.dateOfBirth !== undefined || patch.nationality !== undefined ? sealPersonal(this.cipher, id, personal) : {};
      const updated = await tx.member.update({
        where: { id },
        data: { ...fields, ...resealed, version: { increment: 1 }, updatedAt: new Date() },
      });
      const changed = Object.keys(patch).filter((k) => k !== 'version');
      await tx.historyEntry.create({ data: { edition, entity: 'member', entityId: id, action: 'update', by: principal.sub, details: { fields: changed.join(',') } } });
      await this.outbox.enqueue(tx, 'oms.workforce.v1.member.{edition}.changed', memberState(updated, personal), { tokens: { edition } });
      return this.view(updated, principal, personal);
    });
  }

  /** Releases a member (status released): its assignments still to come are cancelled, each with its event. */
  async release(edition: string, id: string, reason: string, principal: Principal): Promise<MemberView & { cancelledAssignments: number }> {
    return serializableTransaction(this.prisma, async (tx) => {
      const row = await tx.member.findFirst({ where: { id, edition } });
      if (!row) throw memberNotFound(id);
      if (row.status === 'released') {
        throw new ProblemException({ status: 409, slug: 'member-released', detail: `Member ${id} is already released` });
      }
      const personal = this.personal(row);
      const updated = await tx.member.update({ where: { id }, data: { status: 'released', version: { increment: 1 }, updatedAt: new Date() } });
      await tx.historyEntry.create({ data: { edition, entity: 'member', entityId: id, action: 'release', by: principal.sub, reason } });
      await this.outbox.enqueue(tx, 'oms.workforce.v1.member.{edition}.changed', memberState(updated, personal), { tokens: { edition } });
      const future = await tx.assignment.findMany({
        where: { memberId: id, status: 'assigned', shift: { startsAt: { gt: new Date() } } },
        include: { shift: true },
      });
      const cancelledAssignments = await cancelAssignments(tx, this.outbox, future, { by: principal.sub, reason: `member released: ${reason}` });
      return { ...this.view(updated, principal, personal), cancelledAssignments };
    });
  }

  private personal(row: Member): PersonalData {
    if (row.erasedAt !== null) {
      throw new ProblemException({ status: 409, slug: 'member-erased', detail: `Member ${row.id}'s personal data was erased; it can no longer be changed` });
    }
    const personal = openPersonal(this.cipher, row);
    if (!personal) {
      throw new ProblemException({ status: 500, slug: 'personal-data-missing', detail: `Member ${row.id} holds no date of birth and nationality` });
    }
    return personal;
  }

  private view(row: Member, principal: Principal, personal?: PersonalData): MemberView {
    if (!seesPersonalData(principal)) return memberView(row);
    return memberView(row, personal ?? openPersonal(this.cipher, row));
  }
}

/**
 * The ids of a page of the member list (limit + 1 rows, to know whether a next page exists), with the indexes of
 * migration member_list_indexes in mind:
 * - the order is the columns' own (`m.family_name, m.given_name, m.id`, qualified: an unqualified `id` would be the
 *   selected text and sort the uuid as text, which no index gives), so that a page is a walk of the name index
 *   (edition, family_name, given_name, id) from the cursor on, or of (edition, home_venue, functional_area, ...) with
 *   both filters; the type, status, skill and language filters are checked on that walk, or read from their indexes
 *   (GIN for `@>`) when the planner finds them rarer;
 * - a name prefix is searched first (`lower(family_name) LIKE 'ber%'`, a range of member_name_prefix_idx) and its
 *   matches sorted (MATERIALIZED: a walk of the name order filtered on the prefix would read every name sorting
 *   before the prefix's, 35,000 rows for 'kow' among 100,000 members, because the planner cannot know where in the
 *   order the matches are).
 */
export function memberListSql(edition: string, query: Omit<MemberListQuery, 'cursor'>, after?: readonly [string, string, string]): Prisma.Sql {
  const where: Prisma.Sql[] = [Prisma.sql`m.edition = ${edition}`];
  if (query.type) where.push(Prisma.sql`m.type = ${query.type}`);
  if (query.status) where.push(Prisma.sql`m.status = ${query.status}`);
  if (query.venue) where.push(Prisma.sql`m.home_venue = ${query.venue}`);
  if (query.functionalArea) where.push(Prisma.sql`m.functional_area = ${query.functionalArea}`);
  if (query.skill) where.push(Prisma.sql`m.skills @> ARRAY[${query.skill}]::text[]`);
  if (query.language) where.push(Prisma.sql`m.languages @> ARRAY[${query.language}]::text[]`);
  if (query.name) {
    const pattern = `${query.name.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(Prisma.sql`lower(m.family_name) LIKE ${pattern}`);
  }
  if (after) {
    const [family, given, id] = after;
    where.push(Prisma.sql`(m.family_name, m.given_name, m.id) > (${family}, ${given}, ${id}::uuid)`);
  }
  const conditions = Prisma.join(where, ' AND ');
  if (query.name) {
    return Prisma.sql`WITH hits AS MATERIALIZED (SELECT m.id, m.family_name, m.given_name FROM member m WHERE ${conditions})
      SELECT h.id::text AS id FROM hits h ORDER BY h.family_name, h.given_name, h.id LIMIT ${query.limit + 1}`;
  }
  return Prisma.sql`SELECT m.id::text AS id FROM member m WHERE ${conditions}
    ORDER BY m.family_name, m.given_name, m.id LIMIT ${query.limit + 1}`;
}

function personalOf(input: { dateOfBirth: string; nationality: string }): PersonalData {
  return { dateOfBirth: input.dateOfBirth, nationality: input.nationality };
}

const jsonOf = (value: Prisma.JsonValue): Prisma.InputJsonValue => (value ?? {}) as Prisma.InputJsonValue;
