import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type Principal, ROLES } from '@podium/auth';
import { PgPool, ProblemException, isUniqueViolation, serializableTransaction } from '@podium/platform';
import { canRead, canWrite, listScope } from '../common/access';
import { notAllowedForNoc } from '../common/problems';
import type { PerformanceInput } from '../common/schemas';
import { PrismaService, type Tx } from '../database/prisma.service';
import { eventLabel } from '../domain/labels';
import { parseMark } from '../domain/marks';
import { ruleFor } from '../domain/rules-pack';
import type { RulesPack } from '../domain/rules-pack.schema';
import { EntriesPublisher } from '../publishing/entries-publisher';
import { athleteStateOf, loadAthleteState } from '../publishing/views';
import { RulesService } from '../rules/rules.service';
import type { AthleteInput, AthletePatch } from './athletes.dto';
import { athletesReads } from './athletes.reads';

export function athleteNotFound(edition: string, id: string): ProblemException {
  return ProblemException.notFound(`No athlete ${id} in ${edition}`, 'athlete-not-found');
}

/** 409: the NOC already registered an athlete with this IF id (only ever about the caller's own NOC). */
export function athleteExists(edition: string, noc: string, ifId: string): ProblemException {
  return new ProblemException({
    status: 409,
    slug: 'athlete-exists',
    title: 'Athlete exists',
    detail: `NOC ${noc} already registered an athlete with IF id ${ifId} in ${edition}`,
    errors: [{ field: 'body.ifId', message: 'already registered for this NOC' }],
  });
}

/** A performance row ready to store: its mark parsed with the measure of the event's entry standard. */
export function performanceRow(pack: RulesPack, p: PerformanceInput, field: string) {
  const rule = ruleFor(pack, p.event);
  if (!rule?.standard) {
    throw new ProblemException({
      status: 422,
      slug: 'performance-rejected',
      title: 'Performance rejected',
      detail: `${eventLabel(p.event)} has no entry standard in the rules pack: its marks are not needed`,
      errors: [{ field: `${field}.event`, message: 'no entry standard for this event' }],
    });
  }
  const mark = parseMark(rule.standard.measure, p.mark);
  if (!mark.ok) {
    throw new ProblemException({
      status: 422,
      slug: 'performance-rejected',
      title: 'Performance rejected',
      detail: `${eventLabel(p.event)}: ${mark.error}`,
      errors: [{ field: `${field}.mark`, message: mark.error }],
    });
  }
  return { event: p.event, mark: p.mark, value: mark.value, achievedOn: p.date, competition: p.competition ?? null };
}

/** Registers an athlete (in the caller's transaction) and publishes it; throws a problem when it cannot. */
export async function createAthlete(
  tx: Tx,
  publisher: EntriesPublisher,
  pack: RulesPack,
  input: AthleteInput,
  principal: Principal,
): Promise<string> {
  if (!canWrite(principal, input.noc)) throw notAllowedForNoc(input.noc);
  if (!pack.nocs.some((n) => n.code === input.noc)) {
    throw new ProblemException({
      status: 422,
      slug: 'unknown-noc',
      title: 'Unknown NOC',
      detail: `NOC ${input.noc} does not take part in ${pack.edition} (see its rules pack)`,
      errors: [{ field: 'body.noc', message: `not a NOC of ${pack.edition}` }],
    });
  }
  // IF ids are unique per NOC: only the NOC's own athletes (which the caller may write, so may read) can clash. An IF
  // id held by another NOC answers as any new IF id does, so the answer tells nothing about other NOCs' athletes.
  if (input.ifId) {
    const existing = await tx.athlete.findUnique({
      where: { edition_noc_ifId: { edition: pack.edition, noc: input.noc, ifId: input.ifId } },
    });
    if (existing) throw athleteExists(pack.edition, input.noc, input.ifId);
  }
  const performances = input.performances.map((p, i) => performanceRow(pack, p, `body.performances[${i}]`));
  const id = randomUUID();
  await tx.athlete.create({
    data: {
      id,
      edition: pack.edition,
      noc: input.noc,
      ifId: input.ifId ?? null,
      familyName: input.familyName,
      givenName: input.givenName,
      gender: input.gender,
      birthDate: input.birthDate,
      sportClass: input.sportClass ?? null,
      classificationStatus: input.classificationStatus ?? null,
      createdBy: principal.sub,
      performances: { create: performances.map((p) => ({ id: randomUUID(), ...p, createdBy: principal.sub })) },
    },
  });
  await publisher.athletes(tx, [id], false);
  return id;
}

/** Athletes of an edition: registered by their NOC (or the OC); NOC officials see only their own. */
@Injectable()
export class AthletesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly rules: RulesService,
    private readonly publisher: EntriesPublisher,
    private readonly pg: PgPool,
  ) {}

  async create(edition: string, input: AthleteInput, principal: Principal) {
    try {
      const id = await serializableTransaction(this.prisma, async (tx) =>
        createAthlete(tx, this.publisher, (await this.rules.require(tx, edition)).pack, input, principal),
      );
      return this.get(edition, id, principal);
    } catch (error) {
      // A concurrent registration of the same IF id for the same NOC (the unique key is per NOC).
      if (isUniqueViolation(error)) throw athleteExists(edition, input.noc, input.ifId ?? '');
      throw error;
    }
  }

  async list(edition: string, principal: Principal, q: { noc?: string; limit: number; offset: number }) {
    const scope = listScope(principal, q.noc);
    if (!scope) return [];
    const rows = await athletesReads.athletes(this.pg.pool, { edition, offset: q.offset, limit: q.limit, ...scope });
    return rows.map(athleteStateOf);
  }

  /** One athlete with their marks; 404 when absent or of another NOC than the caller's. */
  async get(edition: string, id: string, principal: Principal) {
    const state = await loadAthleteState(this.prisma, id);
    if (!state || state.edition !== edition || !canRead(principal, state.noc)) throw athleteNotFound(edition, id);
    const performances = await this.prisma.performance.findMany({
      where: { athleteId: id },
      orderBy: [{ event: 'asc' }, { achievedOn: 'desc' }],
      select: { event: true, mark: true, achievedOn: true, competition: true },
    });
    return { ...state, performances };
  }

  async update(edition: string, id: string, patch: AthletePatch, principal: Principal) {
    await serializableTransaction(this.prisma, async (tx) => {
      const athlete = await tx.athlete.findUnique({ where: { id } });
      if (!athlete || athlete.edition !== edition || !canRead(principal, athlete.noc)) throw athleteNotFound(edition, id);
      if (!canWrite(principal, athlete.noc)) throw notAllowedForNoc(athlete.noc);
      await tx.athlete.update({ where: { id }, data: { ...patch, version: { increment: 1 } } });
      await this.publisher.athletes(tx, [id], false);
    });
    return this.get(edition, id, principal);
  }

  /** Adds marks (the NOC, or an IF official who checks them). */
  async addPerformances(edition: string, id: string, performances: PerformanceInput[], principal: Principal) {
    await this.prisma.$transaction(async (tx) => {
      const athlete = await tx.athlete.findUnique({ where: { id } });
      if (!athlete || athlete.edition !== edition || !canRead(principal, athlete.noc)) throw athleteNotFound(edition, id);
      if (!canWrite(principal, athlete.noc) && !principal.roles.includes(ROLES.ifOfficial)) throw notAllowedForNoc(athlete.noc);
      const { pack } = await this.rules.require(tx, edition);
      const rows = performances.map((p, i) => performanceRow(pack, p, `body.performances[${i}]`));
      await tx.performance.createMany({ data: rows.map((p) => ({ id: randomUUID(), athleteId: id, ...p, createdBy: principal.sub })) });
    });
    return this.get(edition, id, principal);
  }
}
