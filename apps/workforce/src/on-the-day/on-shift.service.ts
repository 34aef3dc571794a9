import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@podium/auth';
import { CONFIG } from '@podium/platform';

import type { WorkforceConfig } from '../app/config';
import { formatLocal } from '../common/local-time';
import { PrismaService } from '../database/prisma.service';
import { MAX_SHIFT_MS } from '../shifts/shifts.logic';
import { type LiveAssignment, liveView, MINUTE_MS } from './on-the-day.logic';
import { OnTheDayService } from './on-the-day.service';

const iso = (t: number) => new Date(t).toISOString();

/**
 * The live view of a venue (GET /v1/editions/{e}/venues/{venue}/on-shift): per shift running at `at`, who is checked in
 * (since when, late or not), late, awaited, gone, no-shows and the places missing. Two queries: the running shifts by
 * one range of the index shift(edition, venue, starts_at) (a shift lasts at most MAX_SHIFT_MS), then their
 * assignments with the members' names (index assignment(shift_id, status)).
 */
@Injectable()
export class OnShiftService {
  private readonly graceMs: number;

  constructor(
    private readonly prisma: PrismaService,
    private readonly onTheDay: OnTheDayService,
    @Inject(CONFIG) config: WorkforceConfig,
  ) {
    this.graceMs = config.WORKFORCE_LATE_GRACE_MINUTES * MINUTE_MS;
  }

  async onShift(edition: string, venue: string, atText: string | undefined, principal: Principal) {
    const zone = await this.onTheDay.venueZone(edition, venue, principal);
    const at = atText === undefined ? Date.now() : Date.parse(atText);
    const shifts = await this.prisma.shift.findMany({
      where: { edition, venue, status: { not: 'cancelled' }, startsAt: { lte: new Date(at), gt: new Date(at - MAX_SHIFT_MS) }, endsAt: { gt: new Date(at) } },
      orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
      select: { id: true, functionalArea: true, role: true, startsAt: true, endsAt: true, headcount: true, localDate: true, flag: true },
    });
    const ids = shifts.map((s) => s.id);
    const rows =
      ids.length === 0
        ? []
        : await this.prisma.$queryRaw<
            { id: string; shift_id: string; member_id: string; family_name: string; given_name: string; status: string; card_number: string | null; checked_in_at: Date | null; checked_out_at: Date | null }[]
          >`
            SELECT a.id, a.shift_id, a.member_id, m.family_name, m.given_name, a.status, a.card_number, a.checked_in_at, a.checked_out_at
            FROM assignment a JOIN member m ON m.id = a.member_id
            WHERE a.shift_id = ANY(${ids}::uuid[]) AND a.status <> 'cancelled'`;
    const assignments: LiveAssignment[] = rows.map((r) => ({
      id: r.id,
      shiftId: r.shift_id,
      memberId: r.member_id,
      familyName: r.family_name,
      givenName: r.given_name,
      status: r.status,
      cardNumber: r.card_number,
      checkedInAt: r.checked_in_at?.getTime() ?? null,
      checkedOutAt: r.checked_out_at?.getTime() ?? null,
    }));
    const views = liveView(
      shifts.map((s) => ({ ...s, start: s.startsAt.getTime(), end: s.endsAt.getTime() })),
      assignments,
      at,
      this.graceMs,
    );
    const totals = { expected: 0, checkedIn: 0, late: 0, awaited: 0, checkedOut: 0, noShows: 0, missing: 0 };
    for (const v of views) for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += v.counts[key];
    return {
      edition,
      venue,
      timeZone: zone,
      at: iso(at),
      atLocal: formatLocal(at, zone),
      graceMinutes: this.graceMs / MINUTE_MS,
      totals,
      shifts: views.map((v) => ({
        id: v.shift.id,
        functionalArea: v.shift.functionalArea,
        role: v.shift.role,
        localDate: v.shift.localDate,
        start: iso(v.shift.start),
        end: iso(v.shift.end),
        startLocal: formatLocal(v.shift.start, zone),
        endLocal: formatLocal(v.shift.end, zone),
        headcount: v.shift.headcount,
        flag: v.shift.flag ?? null,
        counts: v.counts,
        checkedIn: v.checkedIn.map((p) => ({ ...p, since: iso(p.since) })),
        late: v.late,
        awaited: v.awaited,
        checkedOut: v.checkedOut.map((p) => ({ ...p, since: iso(p.since), until: iso(p.until) })),
        noShows: v.noShows,
      })),
    };
  }
}
