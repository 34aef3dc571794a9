import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { Principal } from '@podium/auth';
import { PgPool, ProblemException, serializableTransaction } from '@podium/platform';
import { canRead, canWrite, listScope } from '../common/access';
import { Clock } from '../common/clock';
import { entryRejected, notAllowedForNoc } from '../common/problems';
import { PrismaService, type Tx } from '../database/prisma.service';
import { athleteNotFound } from '../athletes/athletes.service';
import { type Decision, evaluateEntry, evaluateEntryNumber, type Evaluation, type MemberFacts, type Violation } from '../domain/eligibility';
import { eventLabel } from '../domain/labels';
import { deadlinesFor, describeDeadline, ruleFor } from '../domain/rules-pack';
import type { EventRule, RulesPack } from '../domain/rules-pack.schema';
import { EntriesPublisher } from '../publishing/entries-publisher';
import { ENTRY_INCLUDE, entryStateOf } from '../publishing/views';
import { eventNotFound, RulesService } from '../rules/rules.service';
import type { EntryInput, EntryNumberInput, EntryQuery } from './entries.dto';
import { entriesReads } from './entries.reads';
import { loadAthleteFacts, loadEventFacts } from './entry-facts';

export interface EntryCheck {
  accepted: boolean;
  basis: Evaluation['basis'];
  quotaPlace: string | null;
  decisions: Decision[];
  violations: Violation[];
}

export function entryNotFound(edition: string, id: string): ProblemException {
  return ProblemException.notFound(`No entry ${id} in ${edition}`, 'entry-not-found');
}

/** The event (from schedules) and its rule; 404 when schedules does not have it, 422 when the pack has no rule. */
export async function eventAndRule(tx: Tx, pack: RulesPack, rsc: string, field = 'body.event'): Promise<{ gender: string; rule: EventRule }> {
  const event = await tx.event.findUnique({ where: { edition_rsc: { edition: pack.edition, rsc } } });
  if (!event) throw eventNotFound(pack.edition, rsc);
  const rule = ruleFor(pack, rsc);
  if (!rule) {
    throw entryRejected([
      { rule: 'no-entry-rules', field, message: `${eventLabel(rsc)} has no entry rules in the rules pack of ${pack.edition}: no entries yet` },
    ]);
  }
  return { gender: event.gender, rule };
}

/**
 * Entry by Number and Entry by Name. Every write runs in a SERIALIZABLE transaction that reads the counts it checks
 * (entries per NOC, field size, quota places), so two officials racing for the last place cannot both win: one
 * transaction fails to serialize, is retried, and then sees the place taken.
 */
@Injectable()
export class EntriesService {
  private readonly logger = new Logger(EntriesService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly rules: RulesService,
    private readonly publisher: EntriesPublisher,
    private readonly clock: Clock,
    private readonly pg: PgPool,
  ) {}

  async enter(edition: string, input: EntryInput, principal: Principal, dryRun: boolean) {
    const result = await serializableTransaction(
      this.prisma,
      async (tx) => {
        const { pack } = await this.rules.require(tx, edition);
        return this.enterInTx(tx, pack, input, principal, { dryRun });
      },
      { onRetry: (attempt) => this.logger.debug(`Entry by Name in ${edition}: serialization conflict, attempt ${attempt} retried`) },
    );
    if (dryRun || !result.entryId) return result.check;
    return this.get(edition, result.entryId, principal);
  }

  /**
   * Checks an Entry by Name against the rules in the caller's transaction, and (unless `dryRun`) writes it and
   * publishes the entry and its athletes. A broken rule throws 422 'entry-rejected' (not in a dry run: it is returned).
   */
  async enterInTx(
    tx: Tx,
    pack: RulesPack,
    input: EntryInput,
    principal: Principal,
    options: { dryRun: boolean },
  ): Promise<{ check: EntryCheck; entryId: string | null }> {
    const edition = pack.edition;
    const { gender, rule } = await eventAndRule(tx, pack, input.event);
    const requested = input.members ?? (input.athleteId ? [{ athleteId: input.athleteId, role: 'STARTER' as const, slot: undefined }] : []);
    const facts = await loadAthleteFacts(tx, edition, input.event, requested.map((m) => m.athleteId));
    const members: MemberFacts[] = requested.map((m) => {
      const athlete = facts.get(m.athleteId);
      if (!athlete || !canRead(principal, athlete.noc)) throw athleteNotFound(edition, m.athleteId);
      return { athlete, role: m.role, slot: m.slot ?? null };
    });
    const noc = input.noc ?? members[0]?.athlete.noc ?? '';
    if (!canWrite(principal, noc)) throw notAllowedForNoc(noc);

    const eventFacts = await loadEventFacts(tx, edition, input.event, noc);
    const evaluation = evaluateEntry({
      now: this.clock.now(),
      deadlines: deadlinesFor(pack, rule),
      rule,
      eventGender: gender,
      noc,
      requestType: input.members ? 'team' : 'individual',
      members,
      eligibilityConfirmed: input.eligibilityConfirmed,
      ...eventFacts,
      mode: 'entry',
    });
    const check: EntryCheck = {
      accepted: evaluation.accepted,
      basis: evaluation.basis,
      quotaPlace: evaluation.quotaPlaceId,
      decisions: evaluation.decisions,
      violations: evaluation.violations,
    };
    if (options.dryRun) return { check, entryId: null };
    if (!evaluation.accepted || !evaluation.basis) throw entryRejected(evaluation.violations);

    const id = randomUUID();
    await tx.entry.create({
      data: {
        id,
        edition,
        event: input.event,
        discipline: input.event.slice(0, 3),
        noc,
        kind: rule.type === 'team' ? 'TEAM' : 'INDIVIDUAL',
        status: 'ENTERED',
        basis: evaluation.basis,
        quotaPlaceId: evaluation.quotaPlaceId,
        decisions: JSON.parse(JSON.stringify(evaluation.decisions)),
        lastChange: { id: randomUUID(), kind: 'ENTERED', reason: null, by: principal.sub },
        createdBy: principal.sub,
        members: { create: members.map((m) => ({ athleteId: m.athlete.id, role: m.role, slot: m.slot })) },
      },
    });
    await this.publisher.entry(tx, id);
    await this.publisher.athletes(tx, members.map((m) => m.athlete.id));
    return { check, entryId: id };
  }

  /** Withdraws an entry before the Entry by Name deadline (after it, entries are locked). */
  async withdraw(edition: string, id: string, reason: string | undefined, principal: Principal) {
    await serializableTransaction(this.prisma, async (tx) => {
      const entry = await tx.entry.findUnique({ where: { id }, include: { members: true } });
      if (!entry || entry.edition !== edition || !canRead(principal, entry.noc)) throw entryNotFound(edition, id);
      if (!canWrite(principal, entry.noc)) throw notAllowedForNoc(entry.noc);
      if (entry.status !== 'ENTERED') throw ProblemException.conflict(`Entry ${id} is already ${entry.status.toLowerCase()}`, 'entry-not-active');
      const { pack } = await this.rules.require(tx, edition);
      const deadline = deadlinesFor(pack, ruleFor(pack, entry.event)).entryByName;
      if (this.clock.now() > deadline.utc) {
        throw entryRejected([
          {
            rule: 'deadline-passed',
            field: 'path.id',
            message: `Entries in ${eventLabel(entry.event)} locked at ${describeDeadline(deadline)}: only a Late Athlete Replacement can change them`,
          },
        ]);
      }
      await tx.entry.update({
        where: { id },
        data: {
          status: 'WITHDRAWN',
          version: { increment: 1 },
          lastChange: { id: randomUUID(), kind: 'WITHDRAWN', reason: reason ?? null, by: principal.sub },
        },
      });
      await this.publisher.entry(tx, id);
      await this.publisher.athletes(tx, entry.members.map((m) => m.athleteId));
    });
    return this.get(edition, id, principal);
  }

  async list(edition: string, principal: Principal, q: EntryQuery) {
    const scope = listScope(principal, q.noc);
    if (!scope) return [];
    const rows = await entriesReads.entries(this.pg.pool, { edition, ...q, ...scope });
    return rows.map(entryStateOf);
  }

  /** One entry with the decisions that accepted it and its replacements; another NOC's entry is a 404. */
  async get(edition: string, id: string, principal: Principal) {
    const row = await this.prisma.entry.findUnique({ where: { id }, include: ENTRY_INCLUDE });
    if (!row || row.edition !== edition || !canRead(principal, row.noc)) throw entryNotFound(edition, id);
    const replacements = await this.prisma.replacement.findMany({ where: { entryId: id }, orderBy: { requestedAt: 'asc' } });
    return {
      ...entryStateOf(row),
      decisions: row.decisions,
      createdAt: row.createdAt.toISOString(),
      createdBy: row.createdBy,
      replacements: replacements.map((r) => ({ id: r.id, status: r.status, reason: r.reason, out: r.outAthleteId, in: r.inAthleteId })),
    };
  }

  /** Entry by Number: how many the NOC will enter in an event (checked against the deadline, limits and places). */
  async setEntryNumber(edition: string, input: EntryNumberInput, principal: Principal) {
    return serializableTransaction(this.prisma, async (tx) =>
      this.setEntryNumberInTx(tx, (await this.rules.require(tx, edition)).pack, input, principal),
    );
  }

  async setEntryNumberInTx(tx: Tx, pack: RulesPack, input: EntryNumberInput, principal: Principal) {
    if (!canWrite(principal, input.noc)) throw notAllowedForNoc(input.noc);
    const { rule } = await eventAndRule(tx, pack, input.event);
    const edition = pack.edition;
    const [byName, placesHeld] = await Promise.all([
      tx.entry.count({ where: { edition, event: input.event, noc: input.noc, status: 'ENTERED' } }),
      tx.quotaPlace.count({ where: { edition, event: input.event, noc: input.noc, status: 'ALLOCATED' } }),
    ]);
    const result = evaluateEntryNumber({
      now: this.clock.now(),
      deadlines: deadlinesFor(pack, rule),
      rule,
      noc: input.noc,
      count: input.count,
      byName,
      placesHeld,
    });
    if (!result.accepted) throw entryRejected(result.violations, 'entry-number-rejected', 'Entry by Number rejected');
    const key = { edition_noc_event: { edition, noc: input.noc, event: input.event } };
    await tx.entryNumber.upsert({
      where: key,
      create: { edition, noc: input.noc, event: input.event, count: input.count, updatedBy: principal.sub },
      update: { count: input.count, updatedBy: principal.sub },
    });
    return { edition, noc: input.noc, event: input.event, count: input.count, byName, decisions: result.decisions };
  }

  async listEntryNumbers(edition: string, principal: Principal, q: { noc?: string; event?: string }) {
    const scope = listScope(principal, q.noc);
    if (!scope) return [];
    const rows = await entriesReads.entryNumbers(this.pg.pool, { edition, event: q.event, ...scope });
    return rows.map((r) => ({ noc: r.noc, event: r.event, count: r.count, updatedAt: r.updatedAt.toISOString() }));
  }
}
