import { Injectable } from '@nestjs/common';
import type { Principal } from '@podium/auth';
import { PgPool, ProblemException, serializableTransaction } from '@podium/platform';
import { canRead, canWrite, listScope } from '../common/access';
import { Clock } from '../common/clock';
import { entryRejected, notAllowedForNoc } from '../common/problems';
import { PrismaService } from '../database/prisma.service';
import { eventLabel } from '../domain/labels';
import { type KnownAthlete, reallocate } from '../domain/reallocation';
import { deadlinesFor, describeDeadline, ruleFor } from '../domain/rules-pack';
import type { QuotaKind } from '../domain/rules-pack.schema';
import { EntriesPublisher } from '../publishing/entries-publisher';
import { placeStateOf } from '../publishing/views';
import { RulesService } from '../rules/rules.service';
import { quotasReads } from './quotas.reads';

export function placeNotFound(edition: string, id: string): ProblemException {
  return ProblemException.notFound(`No quota place ${id} in ${edition}`, 'quota-place-not-found');
}

/** Quota places: listed per event and NOC; an NOC declining a place passes it to the next-ranked eligible candidate. */
@Injectable()
export class QuotasService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly rules: RulesService,
    private readonly publisher: EntriesPublisher,
    private readonly clock: Clock,
    private readonly pg: PgPool,
  ) {}

  async list(edition: string, principal: Principal, q: { event?: string; noc?: string; status?: string }) {
    const scope = listScope(principal, q.noc);
    if (!scope) return [];
    const rows = await quotasReads.places(this.pg.pool, { edition, event: q.event, status: q.status, ...scope });
    return rows.map((r) => ({ ...placeStateOf(r), usedBy: r.usedBy }));
  }

  /**
   * The NOC declines a quota place: the place is marked DECLINED and a new place goes to the next-ranked eligible
   * candidate of the event's ranking within the per-NOC maximum (explained), or stays unallocated.
   */
  async decline(edition: string, id: string, reason: string | undefined, principal: Principal) {
    return serializableTransaction(this.prisma, async (tx) => {
      const place = await tx.quotaPlace.findUnique({ where: { edition_id: { edition, id } } });
      if (!place || !canRead(principal, place.noc)) throw placeNotFound(edition, id);
      if (!canWrite(principal, place.noc)) throw notAllowedForNoc(place.noc);
      if (place.status !== 'ALLOCATED') {
        throw ProblemException.conflict(`Quota place ${id} is ${place.status.toLowerCase()}, not allocated`, 'quota-place-not-allocated');
      }
      const user = await tx.entry.findFirst({ where: { edition, quotaPlaceId: id, status: 'ENTERED' }, select: { id: true } });
      if (user) {
        throw ProblemException.conflict(`Quota place ${id} is used by entry ${user.id}: withdraw the entry first`, 'quota-place-in-use');
      }
      const { pack } = await this.rules.require(tx, edition);
      const rule = ruleFor(pack, place.event);
      if (!rule) throw ProblemException.conflict(`${eventLabel(place.event)} has no rule in the rules pack`, 'no-entry-rules');
      const deadline = deadlinesFor(pack, rule).entryByName;
      if (this.clock.now() > deadline.utc) {
        throw entryRejected(
          [{ rule: 'deadline-passed', field: 'path.id', message: `Quota places of ${eventLabel(place.event)} are final since ${describeDeadline(deadline)}` }],
          'decline-rejected',
          'Decline rejected',
        );
      }

      const declined = await tx.quotaPlace.update({
        where: { edition_id: { edition, id } },
        data: {
          status: 'DECLINED',
          version: { increment: 1 },
          explanation: [
            ...(Array.isArray(place.explanation) ? place.explanation.map(String) : []),
            `Declined by NOC ${place.noc} (${principal.sub})${reason ? `: ${reason}` : ''}`,
          ],
        },
      });
      await this.publisher.place(tx, placeStateOf(declined));

      const [allocated, declinedRows, event] = await Promise.all([
        tx.quotaPlace.findMany({ where: { edition, event: place.event, status: 'ALLOCATED' } }),
        tx.quotaPlace.findMany({ where: { edition, event: place.event, status: 'DECLINED' }, select: { noc: true } }),
        tx.event.findUnique({ where: { edition_rsc: { edition, rsc: place.event } } }),
      ]);
      const ranking = pack.rankings.find((r) => r.event === place.event);
      const ranked = (ranking?.list ?? []).filter((c): c is typeof c & { athlete: string } => c.athlete !== undefined);
      // IF ids are unique per NOC only: a ranked athlete is the one registered by the candidate's NOC (another NOC's
      // registration of the same IF id is not trusted for this candidate).
      const athletes = await tx.athlete.findMany({
        where: { edition, OR: ranked.map((c) => ({ noc: c.noc, ifId: c.athlete })) },
      });
      const outcome = reallocate({
        rule,
        eventGender: event?.gender ?? place.event.charAt(3),
        declined: { id: place.id, kind: place.kind as QuotaKind, noc: place.noc, athleteIfId: place.athleteIfId },
        ranking,
        places: allocated.map((p) => ({ id: p.id, kind: p.kind as QuotaKind, noc: p.noc, athleteIfId: p.athleteIfId })),
        decliningNocs: new Set(declinedRows.map((p) => p.noc)),
        nocs: new Set(pack.nocs.map((n) => n.code)),
        athletes: new Map(
          athletes
            .filter((a): a is typeof a & { ifId: string } => a.ifId !== null)
            .map((a): [string, KnownAthlete] => [a.ifId, { gender: a.gender as 'M' | 'W', birthDate: a.birthDate, noc: a.noc }]),
        ),
      });

      let reallocatedTo = null;
      if (outcome.to) {
        const siblings = await tx.quotaPlace.count({ where: { edition, reallocatedFrom: place.id } });
        const created = await tx.quotaPlace.create({
          data: {
            edition,
            id: `${place.id}-R${siblings + 1}`.slice(0, 64),
            event: place.event,
            discipline: place.discipline,
            kind: outcome.kind,
            noc: outcome.to.noc,
            athleteIfId: outcome.kind === 'ATHLETE' ? (outcome.to.athlete ?? null) : null,
            status: 'ALLOCATED',
            reallocatedFrom: place.id,
            explanation: outcome.explanation,
          },
        });
        await this.publisher.place(tx, placeStateOf(created));
        reallocatedTo = placeStateOf(created);
      }
      return { declined: placeStateOf(declined), reallocatedTo, explanation: outcome.explanation, skipped: outcome.skipped };
    });
  }
}
