import { Injectable } from '@nestjs/common';
import type { Principal } from '@podium/auth';
import { ProblemException, serializableTransaction } from '@podium/platform';

import type { Stage } from '../applications/application.logic';
import { PrismaService, type Tx } from '../database/prisma.service';
import { BULK_MAX_ROWS, type BulkFilter, type BulkInput } from './pipeline.dto';
import { step } from './pipeline.logic';

/** Applications moved per serializable transaction: a conflict runs one chunk again, not the whole action. */
const CHUNK = 500;

export type BulkRowReport =
  | { id: string; status: 'applied'; from: Stage; to: Stage; version: number }
  | { id: string; status: 'refused'; from: Stage | null; reason: string; detail: string; allowed?: Stage[] };

export interface BulkReport {
  to: Stage;
  matched: number;
  applied: number;
  refused: number;
  items: BulkRowReport[];
}

const ACTION: Record<BulkInput['to'], string> = { screened: 'screen', offered: 'offer', rejected: 'reject' };

/**
 * Recruiters' bulk moves (screen, offer or reject a filtered set of at most BULK_MAX_ROWS applications): each row is
 * checked by the same rule as a single move and reported on its own (applied, or refused with why); a row that may not
 * move never blocks the others. Chunks of CHUNK rows, each one serializable transaction: one SELECT, one UPDATE of the
 * rows allowed, one multi-row INSERT of their history entries.
 */
@Injectable()
export class BulkTransitionsService {
  constructor(private readonly prisma: PrismaService) {}

  async apply(edition: string, input: BulkInput, principal: Principal): Promise<BulkReport> {
    const now = new Date();
    if (input.offer && Date.parse(input.offer.deadline) <= now.getTime()) {
      throw ProblemException.validation([{ field: 'offer.deadline', message: 'must be in the future' }]);
    }
    const ids = await this.select(edition, input.filter);
    const items: BulkRowReport[] = [];
    if (input.filter.ids) {
      const found = new Set(ids);
      for (const id of new Set(input.filter.ids)) {
        if (!found.has(id)) items.push({ id, status: 'refused', from: null, reason: 'application-not-found', detail: `No application ${id} in ${edition} matches the filter` });
      }
    }
    for (let i = 0; i < ids.length; i += CHUNK) items.push(...(await this.applyChunk(edition, ids.slice(i, i + CHUNK), input, principal, now)));
    const applied = items.filter((r) => r.status === 'applied').length;
    return { to: input.to, matched: ids.length, applied, refused: items.length - applied, items };
  }

  /** The ids the filter matches, in id order; more than BULK_MAX_ROWS: 422 too-many-rows, nothing moved. */
  private async select(edition: string, filter: BulkFilter): Promise<string[]> {
    const rows = await this.prisma.application.findMany({
      where: {
        edition,
        ...(filter.stage ? { stage: filter.stage } : {}),
        ...(filter.ids ? { id: { in: filter.ids } } : {}),
        ...(filter.field ? { fields: { has: filter.field } } : {}),
        ...(filter.language ? { languageCodes: { has: filter.language } } : {}),
        ...(filter.skill ? { skills: { has: filter.skill } } : {}),
      },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: BULK_MAX_ROWS + 1,
    });
    if (rows.length > BULK_MAX_ROWS) {
      throw new ProblemException({
        status: 422,
        slug: 'too-many-rows',
        title: 'Too many applications',
        detail: `The filter matches more than ${BULK_MAX_ROWS} applications: narrow it (a bulk action moves at most ${BULK_MAX_ROWS}); nothing was moved`,
        extensions: { max: BULK_MAX_ROWS },
      });
    }
    return rows.map((r) => r.id);
  }

  private applyChunk(edition: string, ids: string[], input: BulkInput, principal: Principal, now: Date): Promise<BulkRowReport[]> {
    return serializableTransaction(this.prisma, async (tx: Tx) => {
      const rows = await tx.application.findMany({
        where: { edition, id: { in: ids } },
        select: { id: true, stage: true, version: true, offerDeadline: true, erasedAt: true, interviewSlotId: true },
        orderBy: { id: 'asc' },
      });
      const report: BulkRowReport[] = [];
      const moving: { id: string; from: Stage; version: number; slot: string | null }[] = [];
      for (const row of rows) {
        const from = row.stage as Stage;
        if (row.erasedAt) {
          report.push({ id: row.id, status: 'refused', from, reason: 'application-erased', detail: 'its personal data was erased: it cannot move any more' });
          continue;
        }
        const verdict = step(from, input.to, 'recruiter', row.offerDeadline, now);
        if (!verdict.ok) {
          report.push({ id: row.id, status: 'refused', from, reason: verdict.slug, detail: verdict.detail, allowed: verdict.allowed });
          continue;
        }
        moving.push({ id: row.id, from, version: row.version, slot: from === 'interview-booked' ? row.interviewSlotId : null });
      }
      if (moving.length > 0) {
        const movingIds = JSON.stringify(moving.map((m) => m.id));
        const offer = input.offer ?? null;
        await tx.$executeRaw`
          UPDATE application SET
            stage = ${input.to}, version = version + 1, updated_at = ${now},
            interview_slot_id = CASE WHEN stage = 'interview-booked' THEN NULL ELSE interview_slot_id END,
            offer_role = CASE WHEN ${offer !== null} THEN ${offer?.role ?? null} ELSE offer_role END,
            offer_area = CASE WHEN ${offer !== null} THEN ${offer?.area ?? null} ELSE offer_area END,
            offer_venue = CASE WHEN ${offer !== null} THEN ${offer?.venue ?? null} ELSE offer_venue END,
            offer_deadline = CASE WHEN ${offer !== null} THEN ${offer ? new Date(offer.deadline) : null}::timestamptz ELSE offer_deadline END
          WHERE id IN (SELECT value::uuid FROM jsonb_array_elements_text(${movingIds}::jsonb))`;
        const history = JSON.stringify(moving.map((m) => ({ id: m.id, from_stage: m.from })));
        const details = JSON.stringify({ bulk: true, ...(offer ? { role: offer.role, area: offer.area, venue: offer.venue, deadline: new Date(offer.deadline).toISOString() } : {}) });
        await tx.$executeRaw`
          INSERT INTO application_history (application_id, at, by, action, from_stage, to_stage, reason, details)
          SELECT h.id, ${now}, ${principal.sub}, ${ACTION[input.to]}, h.from_stage, ${input.to}, ${input.reason}, ${details}::jsonb
          FROM jsonb_to_recordset(${history}::jsonb) AS h(id uuid, from_stage text)`;
        // Booked interviews left by a rejection free their place (when the interview has not started).
        const slots = moving.flatMap((m) => (m.slot ? [m.slot] : []));
        if (slots.length > 0) {
          await tx.$executeRaw`
            UPDATE interview_slot s SET booked = GREATEST(s.booked - r.n, 0)
            FROM (SELECT value::uuid AS id, count(*)::int AS n FROM jsonb_array_elements_text(${JSON.stringify(slots)}::jsonb) GROUP BY value) r
            WHERE s.id = r.id AND s.starts_at > ${now}`;
        }
        for (const m of moving) report.push({ id: m.id, status: 'applied', from: m.from, to: input.to, version: m.version + 1 });
      }
      return report;
    });
  }
}
