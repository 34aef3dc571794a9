import { Injectable } from '@nestjs/common';
import type { Principal } from '@podium/auth';
import { decodeCursor, encodeCursor, EnvelopeCipher, OutboxWriter, type PreparedOutboxEvent, ProblemException, serializableTransaction } from '@podium/platform';
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
   *
   * Everything per row that is CPU is done before the transaction (validation, sealing, the member.changed envelope
   * checked against the contract), so that a retry redoes only SQL; the transaction is two statements whatever the
   * batch's size: the members and their history entries (insertMembers), then their events (OutboxWriter.insertMany).
   * docs/workforce-api.md#members-at-100000.
   */
  async createBatch(edition: string, inputs: readonly unknown[], by: string): Promise<BulkRowOutcome[]> {
    const outcomes: BulkRowOutcome[] = [];
    const prepared: { index: number; row: Member; event: PreparedOutboxEvent }[] = [];
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
      const row = this.prepare(edition, parsed.data, by);
      const event = this.outbox.prepare('oms.workforce.v1.member.{edition}.changed', memberState(row, personalOf(parsed.data)), { tokens: { edition } });
      prepared.push({ index, row, event });
    });
    if (prepared.length > 0) {
      const created = await serializableTransaction(
        this.prisma,
        async (tx) => {
          const ids = await insertMembers(tx, prepared.map((p) => p.row), by, 'create', { via: 'bulk' });
          await this.outbox.insertMany(tx, prepared.flatMap((p) => (ids.has(p.row.id) ? [p.event] : [])));
          return ids;
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

/**
 * Inserts prepared member rows and a history entry for each inserted one (`action`, by, details `{type, ...details}`),
 * in one statement of the caller's transaction; returns the ids inserted. A volunteer the edition already has as a
 * member is skipped (ON CONFLICT on (edition, volunteer_id): under SERIALIZABLE, a concurrent transaction's row not
 * yet visible fails this one's serialization instead, and the retry sees it). The rows travel as one JSON document,
 * one round trip for the batch (the ORM's createMany of the same 1,000 rows took 1.6 s, half of it the service's CPU,
 * for 26 ms of PostgreSQL's work: docs/workforce-api.md#members-at-100000).
 */
export async function insertMembers(
  tx: Tx,
  rows: readonly Member[],
  by: string,
  action: string,
  details: Readonly<Record<string, string>> = {},
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const base64 = (bytes: Uint8Array | null): string | null => (bytes === null ? null : Buffer.from(bytes).toString('base64'));
  const records = JSON.stringify(
    rows.map((r, n) => ({
      n,
      id: r.id,
      edition: r.edition,
      type: r.type,
      volunteer_id: r.volunteerId,
      family_name: r.familyName,
      given_name: r.givenName,
      organisation: r.organisation,
      role: r.role,
      functional_area: r.functionalArea,
      home_venue: r.homeVenue,
      skills: r.skills,
      languages: r.languages,
      available_dates: r.availableDates,
      preferences: r.preferences ?? {},
      status: r.status,
      personal_kid: r.personalKid,
      personal_key: base64(r.personalKey),
      personal_data: base64(r.personalData),
      version: r.version,
      source_version: r.sourceVersion,
      erased_at: r.erasedAt?.toISOString() ?? null,
      created_by: r.createdBy,
      created_at: r.createdAt.toISOString(),
      updated_at: r.updatedAt.toISOString(),
    })),
  );
  const textArray = (column: Prisma.Sql) =>
    Prisma.sql`ARRAY(SELECT a.v FROM jsonb_array_elements_text(${column}) WITH ORDINALITY AS a(v, i) ORDER BY a.i)`;
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    WITH r AS (
      SELECT * FROM jsonb_to_recordset(${records}::jsonb) AS x(
        n int, id uuid, edition text, type text, volunteer_id uuid, family_name text, given_name text, organisation text, role text,
        functional_area text, home_venue text, skills jsonb, languages jsonb, available_dates jsonb, preferences jsonb, status text,
        personal_kid text, personal_key text, personal_data text, version int, source_version int, erased_at timestamptz,
        created_by text, created_at timestamptz, updated_at timestamptz)
    ), ins AS (
      INSERT INTO member (id, edition, type, volunteer_id, family_name, given_name, organisation, role, functional_area, home_venue,
                          skills, languages, available_dates, preferences, status, personal_kid, personal_key, personal_data,
                          version, source_version, erased_at, created_by, created_at, updated_at)
      SELECT r.id, r.edition, r.type, r.volunteer_id, r.family_name, r.given_name, r.organisation, r.role, r.functional_area, r.home_venue,
             ${textArray(Prisma.sql`r.skills`)}, ${textArray(Prisma.sql`r.languages`)}, ${textArray(Prisma.sql`r.available_dates`)},
             r.preferences, r.status, r.personal_kid, decode(r.personal_key, 'base64'), decode(r.personal_data, 'base64'),
             r.version, r.source_version, r.erased_at, r.created_by, r.created_at, r.updated_at
      FROM r ORDER BY r.n
      ON CONFLICT (edition, volunteer_id) DO NOTHING
      RETURNING id, edition, type
    ), history AS (
      INSERT INTO history_entry (edition, entity, entity_id, action, by, reason, details)
      SELECT ins.edition, 'member', ins.id::text, ${action}, ${by}, NULL, jsonb_build_object('type', ins.type) || ${JSON.stringify(details)}::jsonb
      FROM ins
    )
    SELECT id::text AS id FROM ins`;
  return new Set(inserted.map((r) => r.id));
}

function personalOf(input: { dateOfBirth: string; nationality: string }): PersonalData {
  return { dateOfBirth: input.dateOfBirth, nationality: input.nationality };
}

const jsonOf = (value: Prisma.JsonValue): Prisma.InputJsonValue => (value ?? {}) as Prisma.InputJsonValue;
