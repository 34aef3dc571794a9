import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { ProblemException, serializableTransaction } from '@podium/platform';
import { PrismaService, type Tx } from '../database/prisma.service';
import type { Schedule } from '../domain/model';
import { planChange, type PlanError, type PlanResult } from '../domain/planner';
import { ScheduleRepository } from '../schedule/schedule.repository';
import { SchedulePublisher } from '../schedule/schedule-publisher';
import { sessionRow, unitRow } from '../schedule/rows';
import type { ChangeRequestBody } from './changes.dto';

type Planned = Extract<PlanResult, { ok: true }>;

export interface ChangeOutcome {
  dryRun: boolean;
  /** Id of the applied change (null for a dry run or a no-op). */
  changeId: string | null;
  kind: string;
  diff: Planned['diff'];
  conflicts: Planned['conflicts'];
  resolved: Planned['resolved'];
  /** Versions to send back as `expectedVersions` to apply this plan (dry run), or the versions after applying. */
  versions: { units: Record<string, number>; sessions: Record<string, number> };
}

const PLAN_ERROR_STATUS: Record<PlanError['code'], number> = { INVALID: 400, NOT_FOUND: 404, INVALID_STATE: 409 };

function planProblem(error: PlanError): ProblemException {
  const slug = { INVALID: 'invalid-change', NOT_FOUND: 'not-found', INVALID_STATE: 'invalid-state' }[error.code];
  const errors = error.issues?.map((i) => ({ field: `body.change.${i.field}`, message: i.message })) ??
    (error.field ? [{ field: `body.change.${error.field}`, message: error.message }] : undefined);
  return new ProblemException({ status: PLAN_ERROR_STATUS[error.code], slug, detail: error.message, errors });
}

/**
 * Rescheduling: plans a change on the edition's schedule (dry run), or applies it atomically with an optimistic
 * version check, a history record and one outbox event per affected unit.
 */
@Injectable()
export class ChangesService {
  private readonly logger = new Logger(ChangesService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: ScheduleRepository,
    private readonly publisher: SchedulePublisher,
  ) {}

  async dryRun(edition: string, body: ChangeRequestBody, by: string | null): Promise<ChangeOutcome> {
    return this.prisma.$transaction(
      async (tx) => {
        const schedule = await this.loadOrThrow(tx, edition);
        const plan = this.plan(schedule, body, by);
        return this.outcome(true, null, plan, 'before');
      },
      { isolationLevel: 'RepeatableRead' },
    );
  }

  async apply(edition: string, body: ChangeRequestBody, by: string | null): Promise<ChangeOutcome> {
    return serializableTransaction(this.prisma, async (tx) => {
      const schedule = await this.loadOrThrow(tx, edition);
      const changeId = randomUUID();
      const plan = this.plan(schedule, body, by, changeId);
      if (plan.diff.units.length === 0 && plan.diff.sessions.length === 0) {
        return this.outcome(false, null, plan, 'after');
      }
      this.checkExpectedVersions(body, plan);
      const newConflicts = plan.conflicts.filter((c) => c.isNew);
      if (newConflicts.length > 0 && !body.allowConflicts) {
        throw new ProblemException({
          status: 409,
          slug: 'schedule-conflict',
          detail: `The change creates ${newConflicts.length} conflict(s); fix them or apply with allowConflicts: true`,
          extensions: { conflicts: newConflicts },
        });
      }
      await this.persist(tx, edition, changeId, body, by, plan);
      this.logger.log({ edition, changeId, kind: plan.change.kind, units: plan.diff.units.length }, 'schedule change applied');
      return this.outcome(false, changeId, plan, 'after');
    });
  }

  private async loadOrThrow(tx: Tx, edition: string): Promise<Schedule> {
    const schedule = await this.repository.load(tx, edition);
    if (!schedule) throw new ProblemException({ status: 404, slug: 'edition-not-found', detail: `No edition ${edition}` });
    return schedule;
  }

  private plan(schedule: Schedule, body: ChangeRequestBody, by: string | null, changeId?: string): Planned {
    const result = planChange(schedule, body.change, { now: new Date(), by, reason: body.reason ?? null, changeId });
    if (!result.ok) throw planProblem(result.error);
    return result;
  }

  /** Every changed unit and session must be named in expectedVersions with its current version. */
  private checkExpectedVersions(body: ChangeRequestBody, plan: Planned): void {
    const expected = body.expectedVersions;
    const missing: string[] = [];
    const stale: { field: string; message: string }[] = [];
    for (const u of plan.diff.units) {
      const v = expected?.units?.[u.rsc];
      if (v === undefined) missing.push(`units.${u.rsc}`);
      else if (v !== u.versionBefore) stale.push({ field: `body.expectedVersions.units.${u.rsc}`, message: `is ${u.versionBefore} now, not ${v}` });
    }
    for (const s of plan.diff.sessions) {
      const v = expected?.sessions?.[s.code];
      if (v === undefined) missing.push(`sessions.${s.code}`);
      else if (v !== s.versionBefore) stale.push({ field: `body.expectedVersions.sessions.${s.code}`, message: `is ${s.versionBefore} now, not ${v}` });
    }
    if (stale.length > 0) {
      throw new ProblemException({
        status: 409,
        slug: 'stale-version',
        detail: 'The schedule changed since your dry run: plan again',
        errors: stale,
      });
    }
    if (missing.length > 0) {
      throw new ProblemException({
        status: 428,
        slug: 'expected-versions-required',
        detail: 'Applying a change needs the version of every unit and session it affects (from the dry run)',
        errors: missing.map((m) => ({ field: `body.expectedVersions.${m}`, message: 'required' })),
      });
    }
  }

  private async persist(
    tx: Tx,
    edition: string,
    changeId: string,
    body: ChangeRequestBody,
    by: string | null,
    plan: Planned,
  ): Promise<void> {
    // The history row first: units and sessions point to it.
    await this.repository.recordChange(tx, {
      id: changeId,
      edition,
      kind: plan.change.kind,
      request: JSON.parse(JSON.stringify({ change: plan.change, allowConflicts: body.allowConflicts })),
      reason: body.reason ?? null,
      by,
      diff: JSON.parse(JSON.stringify({ ...plan.diff, conflicts: plan.conflicts })),
      units: plan.diff.units.map((u) => u.rsc),
      sessions: plan.diff.sessions.map((s) => s.code),
    });
    const after = plan.after;
    for (const d of plan.diff.sessions) {
      const session = after.sessions.find((s) => s.code === d.code);
      if (!session) continue;
      const { count } = await tx.session.updateMany({
        where: { edition, code: d.code, version: d.versionBefore },
        data: { ...sessionRow(session), lastChangeId: changeId },
      });
      if (count !== 1) throw this.staleRow(`session ${d.code}`);
    }
    const changedUnits = [];
    for (const d of plan.diff.units) {
      const unit = after.units.find((u) => u.rsc === d.rsc);
      if (!unit) continue;
      changedUnits.push(unit);
      const { count } = await tx.unit.updateMany({
        where: { edition, rsc: d.rsc, version: d.versionBefore },
        data: { ...unitRow(unit, after), lastChangeId: changeId },
      });
      if (count !== 1) throw this.staleRow(`unit ${d.rsc}`);
    }
    await this.publisher.enqueue(tx, after, changedUnits);
  }

  private staleRow(what: string): ProblemException {
    return new ProblemException({ status: 409, slug: 'stale-version', detail: `${what} changed concurrently: plan again` });
  }

  private outcome(dryRun: boolean, changeId: string | null, plan: Planned, which: 'before' | 'after'): ChangeOutcome {
    const units: Record<string, number> = {};
    const sessions: Record<string, number> = {};
    for (const u of plan.diff.units) units[u.rsc] = which === 'before' ? u.versionBefore : u.versionAfter;
    for (const s of plan.diff.sessions) sessions[s.code] = which === 'before' ? s.versionBefore : s.versionAfter;
    return {
      dryRun,
      changeId,
      kind: plan.change.kind,
      diff: plan.diff,
      conflicts: plan.conflicts,
      resolved: plan.resolved,
      versions: { units, sessions },
    };
  }
}
