import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@podium/auth';
import { PgPool, ProblemException, serializableTransaction } from '@podium/platform';
import { canRead, canWrite, listScope } from '../common/access';
import { Clock } from '../common/clock';
import { entryRejected, notAllowedForNoc } from '../common/problems';
import type { Tx } from '../database/prisma.service';
import { PrismaService } from '../database/prisma.service';
import { athleteNotFound } from '../athletes/athletes.service';
import { evaluateEntry, type Evaluation, type MemberFacts } from '../domain/eligibility';
import { eventLabel, personLabel } from '../domain/labels';
import { deadlinesFor, describeDeadline } from '../domain/rules-pack';
import type { RulesPack } from '../domain/rules-pack.schema';
import { entryNotFound, eventAndRule } from '../entries/entries.service';
import { loadAthleteFacts, loadEventFacts } from '../entries/entry-facts';
import { EntriesPublisher } from '../publishing/entries-publisher';
import { RulesService } from '../rules/rules.service';
import type { ReplacementInput } from './replacements.dto';
import { type ReplacementListRow, replacementsReads } from './replacements.reads';

export function replacementNotFound(edition: string, id: string): ProblemException {
  return ProblemException.notFound(`No Late Athlete Replacement ${id} in ${edition}`, 'replacement-not-found');
}

/** An athlete as a replacement names them. */
type Person = { givenName: string; familyName: string };

/** A replacement as served, with the names of the athletes going out and in (their id when not found). */
function replacementView(r: Omit<ReplacementListRow, 'outAthlete' | 'inAthlete'>, outAthlete: Person | null, inAthlete: Person | null) {
  return {
    id: r.id,
    edition: r.edition,
    entryId: r.entryId,
    noc: r.noc,
    event: r.event,
    out: { athleteId: r.outAthleteId, name: outAthlete ? personLabel(outAthlete) : r.outAthleteId },
    in: { athleteId: r.inAthleteId, name: inAthlete ? personLabel(inAthlete) : r.inAthleteId },
    reason: r.reason,
    note: r.note,
    status: r.status,
    requestedBy: r.requestedBy,
    requestedAt: r.requestedAt.toISOString(),
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    decisionNote: r.decisionNote,
  };
}

interface EntryRow {
  id: string;
  edition: string;
  event: string;
  noc: string;
  status: string;
  members: { athleteId: string; role: string; slot: string | null }[];
}

/**
 * Late Athlete Replacement (LAR): after the Entry by Name deadline an NOC may replace an athlete of an entry, only
 * with a reason code (MEDICAL, ANTI_DOPING, EXCEPTIONAL) and until the LAR deadline; the organising committee
 * approves (the entry changes, version + 1, published) or rejects. The replacement must meet the event's rules.
 */
@Injectable()
export class ReplacementsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly rules: RulesService,
    private readonly publisher: EntriesPublisher,
    private readonly clock: Clock,
    private readonly pg: PgPool,
  ) {}

  async request(edition: string, entryId: string, input: ReplacementInput, principal: Principal) {
    return serializableTransaction(this.prisma, async (tx) => {
      const entry = await tx.entry.findUnique({ where: { id: entryId }, include: { members: true } });
      if (!entry || entry.edition !== edition || !canRead(principal, entry.noc)) throw entryNotFound(edition, entryId);
      if (!canWrite(principal, entry.noc)) throw notAllowedForNoc(entry.noc);
      if (entry.status !== 'ENTERED') throw ProblemException.conflict(`Entry ${entryId} is ${entry.status.toLowerCase()}`, 'entry-not-active');
      const { pack } = await this.rules.require(tx, edition);
      const { rule } = await eventAndRule(tx, pack, entry.event, 'path.id');
      const deadlines = deadlinesFor(pack, rule);
      const now = this.clock.now();
      const event = eventLabel(entry.event);
      if (now <= deadlines.entryByName.utc) {
        throw ProblemException.conflict(
          `Entry by Name for ${event} is open until ${describeDeadline(deadlines.entryByName)}: withdraw the entry and enter the other athlete instead of a Late Athlete Replacement`,
          'replacement-not-needed',
        );
      }
      if (now > deadlines.lateReplacement.utc) {
        throw entryRejected(
          [{ rule: 'late-replacement-closed', field: 'body', message: `Late Athlete Replacements for ${event} closed at ${describeDeadline(deadlines.lateReplacement)}` }],
          'replacement-rejected',
          'Late Athlete Replacement rejected',
        );
      }
      const pending = await tx.replacement.findFirst({ where: { entryId, status: 'PENDING' } });
      if (pending) throw ProblemException.conflict(`Entry ${entryId} already has a pending Late Athlete Replacement ${pending.id}`, 'replacement-pending');

      const evaluation = await this.evaluate(tx, pack, entry, input.outAthleteId, input.inAthleteId, principal, input.eligibilityConfirmed);
      if (!evaluation.accepted) throw entryRejected(evaluation.violations, 'replacement-rejected', 'Late Athlete Replacement rejected');
      const id = randomUUID();
      await tx.replacement.create({
        data: {
          id,
          edition,
          entryId,
          noc: entry.noc,
          event: entry.event,
          outAthleteId: input.outAthleteId,
          inAthleteId: input.inAthleteId,
          reason: input.reason,
          note: input.note ?? null,
          status: 'PENDING',
          requestedBy: principal.sub,
        },
      });
      return { ...(await this.view(tx, id)), decisions: evaluation.decisions };
    });
  }

  /** The organising committee approves: the rules are checked again, then the athlete is replaced in the entry. */
  async approve(edition: string, id: string, note: string | undefined, principal: Principal) {
    return serializableTransaction(this.prisma, async (tx) => {
      const replacement = await tx.replacement.findUnique({ where: { id } });
      if (!replacement || replacement.edition !== edition) throw replacementNotFound(edition, id);
      if (replacement.status !== 'PENDING') {
        throw ProblemException.conflict(`Late Athlete Replacement ${id} is already ${replacement.status.toLowerCase()}`, 'replacement-decided');
      }
      const entry = await tx.entry.findUnique({ where: { id: replacement.entryId }, include: { members: true } });
      if (!entry || entry.status !== 'ENTERED') {
        throw ProblemException.conflict(`Entry ${replacement.entryId} is no longer active`, 'entry-not-active');
      }
      const { pack } = await this.rules.require(tx, edition);
      const evaluation = await this.evaluate(tx, pack, entry, replacement.outAthleteId, replacement.inAthleteId, principal, true);
      if (!evaluation.accepted || !evaluation.basis) {
        throw entryRejected(evaluation.violations, 'replacement-rejected', 'Late Athlete Replacement rejected');
      }
      const out = entry.members.find((m) => m.athleteId === replacement.outAthleteId);
      await tx.entryMember.delete({ where: { entryId_athleteId: { entryId: entry.id, athleteId: replacement.outAthleteId } } });
      await tx.entryMember.create({
        data: { entryId: entry.id, athleteId: replacement.inAthleteId, role: out?.role ?? 'STARTER', slot: out?.slot ?? null },
      });
      // The reason code only: the note (often medical) stays on the replacement, readable through this API by whom
      // may read the replacement; the entry's change is published.
      const reason = replacement.reason;
      await tx.entry.update({
        where: { id: entry.id },
        data: {
          version: { increment: 1 },
          basis: evaluation.basis,
          quotaPlaceId: evaluation.quotaPlaceId,
          decisions: JSON.parse(JSON.stringify(evaluation.decisions)),
          lastChange: { id: replacement.id, kind: 'LATE_REPLACEMENT', reason, by: principal.sub },
        },
      });
      await tx.replacement.update({
        where: { id },
        data: { status: 'APPROVED', decidedBy: principal.sub, decidedAt: new Date(), decisionNote: note ?? null },
      });
      await this.publisher.entry(tx, entry.id);
      await this.publisher.athletes(tx, [replacement.outAthleteId, replacement.inAthleteId]);
      return { ...(await this.view(tx, id)), decisions: evaluation.decisions };
    });
  }

  async reject(edition: string, id: string, note: string | undefined, principal: Principal) {
    return serializableTransaction(this.prisma, async (tx) => {
      const replacement = await tx.replacement.findUnique({ where: { id } });
      if (!replacement || replacement.edition !== edition) throw replacementNotFound(edition, id);
      if (replacement.status !== 'PENDING') {
        throw ProblemException.conflict(`Late Athlete Replacement ${id} is already ${replacement.status.toLowerCase()}`, 'replacement-decided');
      }
      await tx.replacement.update({
        where: { id },
        data: { status: 'REJECTED', decidedBy: principal.sub, decidedAt: new Date(), decisionNote: note ?? null },
      });
      return this.view(tx, id);
    });
  }

  /** The replacements the principal may read, in the order they were requested (one statement, athletes joined). */
  async list(edition: string, principal: Principal, status?: string) {
    const scope = listScope(principal);
    if (!scope) return [];
    const rows = await replacementsReads.replacements(this.pg.pool, { edition, status, ...scope });
    return rows.map((r) => replacementView(r, r.outAthlete, r.inAthlete));
  }

  async get(edition: string, id: string, principal: Principal) {
    const row = await this.prisma.replacement.findUnique({ where: { id } });
    if (!row || row.edition !== edition || !canRead(principal, row.noc)) throw replacementNotFound(edition, id);
    return this.view(this.prisma, id);
  }

  private async view(db: Pick<Tx, 'replacement' | 'athlete'>, id: string) {
    const r = await db.replacement.findUniqueOrThrow({ where: { id } });
    const people = await db.athlete.findMany({ where: { id: { in: [r.outAthleteId, r.inAthleteId] } } });
    const person = (athleteId: string) => people.find((p) => p.id === athleteId) ?? null;
    return replacementView(r, person(r.outAthleteId), person(r.inAthleteId));
  }

  /** The entry's rules checked with `inId` in place of `outId` (no deadline, limit or Entry by Number check). */
  private async evaluate(
    tx: Tx,
    pack: RulesPack,
    entry: EntryRow,
    outId: string,
    inId: string,
    principal: Principal,
    eligibilityConfirmed: boolean,
  ): Promise<Evaluation> {
    const edition = pack.edition;
    const { gender, rule } = await eventAndRule(tx, pack, entry.event, 'path.id');
    const out = entry.members.find((m) => m.athleteId === outId);
    if (!out) {
      throw entryRejected(
        [{ rule: 'replacement', field: 'body.outAthleteId', message: `Athlete ${outId} is not a member of entry ${entry.id}` }],
        'replacement-rejected',
        'Late Athlete Replacement rejected',
      );
    }
    const ids = entry.members.map((m) => (m.athleteId === outId ? inId : m.athleteId));
    const facts = await loadAthleteFacts(tx, edition, entry.event, ids, entry.id);
    const inAthlete = facts.get(inId);
    if (!inAthlete || !canRead(principal, inAthlete.noc)) throw athleteNotFound(edition, inId);
    const members: MemberFacts[] = entry.members.map((m) => {
      const athleteId = m.athleteId === outId ? inId : m.athleteId;
      const athlete = facts.get(athleteId);
      if (!athlete) throw athleteNotFound(edition, athleteId);
      return { athlete, role: m.role as 'STARTER' | 'ALTERNATE', slot: m.slot };
    });
    const eventFacts = await loadEventFacts(tx, edition, entry.event, entry.noc, entry.id);
    return evaluateEntry({
      now: this.clock.now(),
      deadlines: deadlinesFor(pack, rule),
      rule,
      eventGender: gender,
      noc: entry.noc,
      requestType: rule.type,
      members,
      eligibilityConfirmed,
      ...eventFacts,
      entryId: entry.id,
      mode: 'replacement',
    });
  }
}
