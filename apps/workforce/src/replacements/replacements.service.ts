import { Injectable } from '@nestjs/common';

import { LIVE_ASSIGNMENT_STATUSES } from '../common/access';
import { localDateOf } from '../common/local-time';
import type { Tx } from '../database/prisma.service';
import type { Shift } from '../generated/prisma/client';
import { rulesFor } from '../rulesets/rulesets.service';
import { shiftFacts } from '../shifts/shifts.logic';
import { memberFacts } from '../members/members.logic';
import { DEFAULT_RULES } from '../rules/rules.logic';
import { MEMBER_TYPES, type MemberType, type RuleSetData, type ShiftFacts } from '../rules/rules.types';
import { type Candidate, DEFAULT_SUGGESTIONS, rankReplacements, type RankedReplacement } from './replacements.logic';

const DAY = 86_400_000;
/** Candidates read per shift: the edition's active members of the shift's venue first, then of its functional area. */
export const CANDIDATE_POOL = 400;
/** The other shifts read around the shift for the rules (rest, consecutive days, 7-day hours all fit in it). */
const AROUND_MS = 14 * DAY;

/**
 * Suggested replacements read from the database and ranked by replacements.logic.ts: the candidates are the edition's
 * active members (the shift's venue first, then its functional area; at most CANDIDATE_POOL), each with its cards and
 * the shifts of its live assignments within 14 days of the shift. Used by the card reactions and the on-the-day
 * replacements endpoint.
 */
@Injectable()
export class ReplacementsService {
  /** The edition's rules per member type (the rule sets' rulesFor: its own once PUT, else DEFAULT_RULES). */
  async rulesOf(tx: Tx, edition: string): Promise<(type: MemberType) => RuleSetData> {
    const sets = await Promise.all(MEMBER_TYPES.map(async (type) => [type, await rulesFor(tx, edition, type)] as const));
    const byType = new Map<MemberType, RuleSetData>(sets);
    return (type) => byType.get(type) ?? DEFAULT_RULES[type];
  }

  /** The members' other live assignments' shifts within 14 days of `around`, by member id. */
  async othersOf(tx: Tx, memberIds: readonly string[], around: { start: number; end: number }): Promise<Map<string, ShiftFacts[]>> {
    const out = new Map<string, ShiftFacts[]>(memberIds.map((id) => [id, []]));
    if (memberIds.length === 0) return out;
    const rows = await tx.assignment.findMany({
      where: {
        memberId: { in: [...memberIds] },
        status: { in: [...LIVE_ASSIGNMENT_STATUSES] },
        shift: { startsAt: { lt: new Date(around.end + AROUND_MS) }, endsAt: { gt: new Date(around.start - AROUND_MS) } },
      },
      include: { shift: true },
    });
    for (const row of rows) out.get(row.memberId)?.push(shiftFacts(row.shift));
    return out;
  }

  /** The best replacements for `shift` (at most `limit`), never a member of `exclude` nor one already on the shift. */
  async suggest(tx: Tx, shift: Shift, exclude: ReadonlySet<string>, limit = DEFAULT_SUGGESTIONS, facts = shiftFacts(shift)): Promise<RankedReplacement[]> {
    const ids = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM member
      WHERE edition = ${shift.edition} AND status = 'active' AND erased_at IS NULL
      ORDER BY (home_venue = ${shift.venue}) DESC, (functional_area = ${shift.functionalArea}) DESC, id
      LIMIT ${CANDIDATE_POOL}`;
    const memberIds = ids.map((r) => r.id).filter((id) => !exclude.has(id));
    if (memberIds.length === 0) return [];
    const [members, cards, others, rules] = await Promise.all([
      tx.member.findMany({ where: { id: { in: memberIds } } }),
      tx.memberCard.findMany({ where: { memberId: { in: memberIds } } }),
      this.othersOf(tx, memberIds, facts),
      this.rulesOf(tx, shift.edition),
    ]);
    const cardsOf = new Map<string, typeof cards>();
    for (const card of cards) if (card.memberId) cardsOf.set(card.memberId, [...(cardsOf.get(card.memberId) ?? []), card]);
    const candidates: Candidate[] = members.map((m) => ({ member: memberFacts(m, cardsOf.get(m.id) ?? []), others: others.get(m.id) ?? [] }));
    return rankReplacements(facts, candidates, { rules, exclude, limit });
  }
}

/** A shift's facts at other times (a suggested move): the local date follows the venue's time zone. */
export function movedShiftFacts(facts: ShiftFacts, start: number, end: number, timeZone: string | undefined): ShiftFacts {
  return { ...facts, start, end, localDate: timeZone ? localDateOf(start, timeZone) : facts.localDate };
}
