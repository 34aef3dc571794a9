import { Injectable } from '@nestjs/common';
import type { ScheduleEdition as EditionResponse, ScheduleEvent, ScheduleSnapshot, ScheduleUnitState } from '@podium/contracts';
import { OutboxRelay, ProblemException } from '@podium/platform';
import { PrismaService, type Tx } from '../database/prisma.service';
import type { ScheduleEdition } from '../domain/model';
import { type SessionView, sessionView, unitView } from '../domain/view';
import type { Unit as UnitRow, Session as SessionRow } from '../generated/prisma/client';
import { UnitsCache } from '../units/units.cache';
import { unitFilter, type UnitQuery } from '../units/units.query';
import { ScheduleRepository, toSession, toUnit } from './schedule.repository';

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

/** Edition columns that are not part of the API (timestamps, the revision the read caches key on). */
const EDITION_INTERNALS = { createdAt: true, updatedAt: true, revision: true } as const;

function editionNotFound(code: string): ProblemException {
  return new ProblemException({ status: 404, slug: 'edition-not-found', detail: `No edition ${code}` });
}

/** Reads of the published schedule (no token needed). */
@Injectable()
export class ScheduleQueryService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: ScheduleRepository,
    private readonly relay: OutboxRelay,
    private readonly unitsCache: UnitsCache,
  ) {}

  async editions(): Promise<EditionResponse[]> {
    return this.prisma.edition.findMany({ orderBy: { code: 'asc' }, omit: EDITION_INTERNALS });
  }

  async edition(code: string): Promise<EditionResponse> {
    const edition = await this.prisma.edition.findUnique({ where: { code }, omit: EDITION_INTERNALS });
    if (!edition) throw editionNotFound(code);
    return edition;
  }

  async disciplines(edition: string) {
    await this.edition(edition);
    return this.prisma.discipline.findMany({ where: { edition }, orderBy: { code: 'asc' } });
  }

  async venues(edition: string) {
    await this.edition(edition);
    const [venues, locations] = await Promise.all([
      this.prisma.venue.findMany({ where: { edition }, orderBy: { code: 'asc' } }),
      this.prisma.location.findMany({ where: { edition }, orderBy: [{ venue: 'asc' }, { code: 'asc' }] }),
    ]);
    return venues.map((v) => ({
      code: v.code,
      name: v.name,
      timeZone: v.timeZone,
      openingDays: { from: v.openingFrom, to: v.openingTo },
      locations: locations.filter((l) => l.venue === v.code).map((l) => ({ code: l.code, name: l.name })),
    }));
  }

  async events(edition: string, discipline?: string): Promise<ScheduleEvent[]> {
    await this.edition(edition);
    const [events, phases] = await Promise.all([
      this.prisma.event.findMany({ where: { edition, discipline }, orderBy: { rsc: 'asc' } }),
      this.prisma.phase.findMany({ where: { edition }, orderBy: [{ eventRsc: 'asc' }, { order: 'asc' }] }),
    ]);
    return events.map((e) => ({
      rsc: e.rsc,
      discipline: e.discipline,
      name: e.name,
      gender: e.gender as ScheduleEvent['gender'], // checked by the data pack import
      medal: e.medal,
      phases: phases.filter((p) => p.eventRsc === e.rsc).map((p) => ({ rsc: p.rsc, name: p.name, order: p.order })),
    }));
  }

  /** A page of the units matching the query, in start order (no start last), then RSC; served from {@link UnitsCache}. */
  async units(edition: string, query: UnitQuery, now = new Date()): Promise<Page<ScheduleUnitState>> {
    const ed = await this.unitsCache.get(edition);
    if (!ed) throw editionNotFound(edition);
    const offset = query.cursor ? Number(query.cursor) : 0;
    const matches = unitFilter(query, now);
    const candidates = query.discipline === undefined ? ed.units : (ed.byDiscipline.get(query.discipline) ?? []);
    const items: ScheduleUnitState[] = [];
    let skipped = 0;
    for (const unit of candidates) {
      if (!matches(unit)) continue;
      if (skipped < offset) skipped++;
      else if (items.length === query.limit) return { items, nextCursor: String(offset + query.limit) };
      else items.push(unit.view);
    }
    return { items, nextCursor: null };
  }

  async unit(edition: string, rsc: string): Promise<ScheduleUnitState> {
    const ed = await this.unitsCache.get(edition);
    if (!ed) throw editionNotFound(edition);
    const unit = ed.byRsc.get(rsc);
    if (!unit) throw new ProblemException({ status: 404, slug: 'unit-not-found', detail: `No unit ${rsc} in ${edition}` });
    return unit.view;
  }

  async sessions(edition: string, filter: { venue?: string; logicalDate?: string }): Promise<SessionView[]> {
    const ed = await this.editionView(this.prisma, edition);
    const rows = await this.prisma.session.findMany({
      where: { edition, venue: filter.venue },
      orderBy: [{ startUtc: 'asc' }, { code: 'asc' }],
    });
    const views = await this.sessionViews(this.prisma, ed, rows);
    return filter.logicalDate ? views.filter((s) => s.logicalDate === filter.logicalDate) : views;
  }

  async session(edition: string, code: string): Promise<SessionView & { units: ScheduleUnitState[] }> {
    const ed = await this.editionView(this.prisma, edition);
    const row = await this.prisma.session.findUnique({ where: { edition_code: { edition, code } } });
    if (!row) throw new ProblemException({ status: 404, slug: 'session-not-found', detail: `No session ${code} in ${edition}` });
    const [view] = await this.sessionViews(this.prisma, ed, [row]);
    const units = await this.prisma.unit.findMany({ where: { edition, session: code }, orderBy: [{ startUtc: 'asc' }, { rsc: 'asc' }] });
    return { ...(view as SessionView), units: await this.unitViews(this.prisma, ed, units) };
  }

  /** The whole schedule and the stream sequence it reflects, read in one repeatable-read transaction. */
  async snapshot(edition: string): Promise<ScheduleSnapshot> {
    return this.prisma.$transaction(
      async (tx) => {
        const sequence = await this.relay.lastPublishedSeq(tx);
        const schedule = await this.repository.load(tx, edition);
        if (!schedule) throw editionNotFound(edition);
        const tz = new Map(schedule.venues.map((v) => [v.code, v.timeZone]));
        return {
          edition,
          sequence,
          takenAt: new Date().toISOString(),
          sessions: schedule.sessions.map((s) => sessionView(s, tz.get(s.venue) ?? schedule.edition.timeZone, schedule.edition)),
          units: schedule.units.map((u) => unitView(u, u.venue ? (tz.get(u.venue) ?? null) : null, schedule.edition)),
        };
      },
      { isolationLevel: 'RepeatableRead' },
    );
  }

  async history(edition: string, limit: number, before?: string) {
    await this.edition(edition);
    return this.prisma.scheduleChange.findMany({
      where: { edition, appliedAt: before ? { lt: new Date(before) } : undefined },
      orderBy: { appliedAt: 'desc' },
      take: limit,
    });
  }

  async change(edition: string, id: string) {
    const row = await this.prisma.scheduleChange.findFirst({ where: { edition, id } });
    if (!row) throw new ProblemException({ status: 404, slug: 'change-not-found', detail: `No change ${id} in ${edition}` });
    return row;
  }

  private async editionView(db: Tx | PrismaService, code: string): Promise<ScheduleEdition & { venueTz: Map<string, string> }> {
    const ed = await db.edition.findUnique({ where: { code } });
    if (!ed) throw editionNotFound(code);
    const venues = await db.venue.findMany({ where: { edition: code }, select: { code: true, timeZone: true } });
    return { code, timeZone: ed.timeZone, logicalDayEnd: ed.logicalDayEnd, venueTz: new Map(venues.map((v) => [v.code, v.timeZone])) };
  }

  private async unitViews(
    db: Tx | PrismaService,
    ed: ScheduleEdition & { venueTz: Map<string, string> },
    rows: UnitRow[],
  ): Promise<ScheduleUnitState[]> {
    const changes = await this.repository.changeRefs(db as Tx, rows.map((r) => r.lastChangeId));
    return rows.map((r) => unitView(toUnit(r, changes), r.venue ? (ed.venueTz.get(r.venue) ?? null) : null, ed));
  }

  private async sessionViews(
    db: Tx | PrismaService,
    ed: ScheduleEdition & { venueTz: Map<string, string> },
    rows: SessionRow[],
  ): Promise<SessionView[]> {
    const changes = await this.repository.changeRefs(db as Tx, rows.map((r) => r.lastChangeId));
    return rows.map((r) => sessionView(toSession(r, changes), ed.venueTz.get(r.venue) ?? ed.timeZone, ed));
  }
}
