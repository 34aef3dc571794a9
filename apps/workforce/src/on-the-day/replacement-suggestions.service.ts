import { Injectable } from '@nestjs/common';
import type { Principal } from '@podium/auth';

import { assertSeesVenue, assignmentNotFound } from '../common/access';
import { PrismaService } from '../database/prisma.service';
import { ReplacementsService } from '../replacements/replacements.service';
import { MEMBER_TYPES, type MemberType } from '../rules/rules.types';
import { replacementReasons, rulesInForce } from './on-the-day.logic';

/**
 * GET /v1/editions/{e}/assignments/{id}/replacements: who could take the assignment's place now, ranked by the rules
 * (ReplacementsService.suggest: every hard rule held by checkAssignment, then the score), each with the rules held and
 * why it ranks there. Never the member replaced nor anyone else on the shift (a no-show included).
 */
@Injectable()
export class ReplacementSuggestionsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly replacements: ReplacementsService,
  ) {}

  async suggest(edition: string, id: string, limit: number, principal: Principal) {
    return this.prisma.$transaction(async (tx) => {
      const assignment = await tx.assignment.findFirst({ where: { id, edition }, include: { shift: true } });
      if (!assignment) throw assignmentNotFound(id);
      const { shift } = assignment;
      assertSeesVenue(principal, shift.venue, () => assignmentNotFound(id));
      const onShift = await tx.assignment.findMany({ where: { shiftId: shift.id, status: { not: 'cancelled' } }, select: { memberId: true } });
      const exclude = new Set([assignment.memberId, ...onShift.map((a) => a.memberId)]);
      const [ranked, rules] = await Promise.all([this.replacements.suggest(tx, shift, exclude, limit), this.replacements.rulesOf(tx, edition)]);
      const members = await tx.member.findMany({
        where: { id: { in: ranked.map((r) => r.memberId) } },
        select: { id: true, type: true, familyName: true, givenName: true, functionalArea: true, homeVenue: true, role: true },
      });
      const byId = new Map(members.map((m) => [m.id, m]));
      return {
        assignmentId: assignment.id,
        shift: { id: shift.id, venue: shift.venue, functionalArea: shift.functionalArea, role: shift.role, start: shift.startsAt.toISOString(), end: shift.endsAt.toISOString() },
        items: ranked.flatMap((r) => {
          const m = byId.get(r.memberId);
          // A suggested member is eligible under its own type's rules: an unknown type was never suggested.
          if (!m || !(MEMBER_TYPES as readonly string[]).includes(m.type)) return [];
          return [
            {
              memberId: m.id,
              type: m.type,
              familyName: m.familyName,
              givenName: m.givenName,
              role: m.role,
              functionalArea: m.functionalArea,
              homeVenue: m.homeVenue,
              score: r.score,
              hoursThatWeek: r.hoursThatWeek,
              rulesHeld: rulesInForce(rules(m.type as MemberType)),
              why: replacementReasons(m, shift, r.hoursThatWeek),
            },
          ];
        }),
      };
    });
  }
}
