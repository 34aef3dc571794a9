import { Injectable } from '@nestjs/common';
import type { ScheduleUnitState } from '@podium/contracts';
import { PgPool } from '@podium/platform';
import { unitView } from '../domain/view';
import type { UnitColumns } from './units.query';
import { SharedReads } from './shared-reads';
import { type UnitRow, unitsStore } from './units.store';

/** A unit as the units query filters it (its row's columns) and serves it (its published view, computed once). */
export interface CachedUnit extends UnitColumns {
  readonly rsc: string;
  readonly view: Readonly<ScheduleUnitState>;
}

/** An edition's units at one revision of its schedule, in the order of the units query (start, nulls last; RSC). */
export interface EditionUnits {
  readonly edition: string;
  readonly revision: number;
  readonly units: readonly CachedUnit[];
  /** The same units by discipline (same order): the usual filter reads only its own. */
  readonly byDiscipline: ReadonlyMap<string, readonly CachedUnit[]>;
  readonly byRsc: ReadonlyMap<string, CachedUnit>;
}

/**
 * The published units of each edition, with their views (UTC and venue-local times, last change) computed once per
 * change of the schedule instead of on every request: the units query then costs a filter in memory and at most one
 * prepared statement (the edition's revision).
 *
 * Why a revision read per request rather than invalidation by this service's NATS events: every write of the schedule
 * bumps `edition.revision` in its own transaction (ScheduleRepository.recordChange), so a request that reads the
 * revision sees every change committed before it, whichever replica wrote it, with no window and no dependency on
 * NATS (the outbox publishes after the commit, later still when NATS is down, and a replica that missed an event
 * would keep stale units). The price is a primary-key read per request, and concurrent requests share them
 * (SharedReads: never one that began before the request), so under load one read serves a burst of requests.
 *
 * A state is loaded in one REPEATABLE READ snapshot with its revision, and served while the edition's revision is not
 * newer. Concurrent requests that find it stale share one load.
 */
@Injectable()
export class UnitsCache {
  private readonly editions = new Map<string, EditionUnits>();
  private readonly loads = new Map<string, Promise<EditionUnits | null>>();
  private readonly revisions: SharedReads<string, number | null>;

  constructor(private readonly pg: PgPool) {
    this.revisions = new SharedReads((edition) => unitsStore.revision(this.pg.pool, edition));
  }

  /** The edition's units as of now (every change committed before the call), or null when there is no such edition. */
  async get(edition: string): Promise<EditionUnits | null> {
    const revision = await this.revisions.get(edition);
    if (revision === null) return null;
    const cached = this.editions.get(edition);
    if (cached && cached.revision >= revision) return cached;
    const pending = this.loads.get(edition);
    if (pending) {
      const loaded = await pending;
      if (loaded !== null && loaded.revision >= revision) return loaded;
      // That load read a snapshot older than `revision`: load again (a load started from here on is newer).
    }
    return this.load(edition);
  }

  private load(edition: string): Promise<EditionUnits | null> {
    let pending = this.loads.get(edition);
    if (!pending) {
      pending = this.read(edition).finally(() => this.loads.delete(edition));
      this.loads.set(edition, pending);
    }
    return pending;
  }

  private async read(edition: string): Promise<EditionUnits | null> {
    const loaded = await this.pg.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const ed = await unitsStore.edition(tx, edition);
      if (!ed) return null;
      const venueTz = await unitsStore.venueTimeZones(tx, edition);
      return editionUnits(ed, venueTz, await unitsStore.units(tx, edition));
    });
    const current = this.editions.get(edition);
    if (loaded === null) this.editions.delete(edition);
    else if (!current || loaded.revision > current.revision) this.editions.set(edition, loaded);
    return loaded;
  }
}

/** Builds the served state of an edition's units from its rows (in query order). */
export function editionUnits(
  edition: { code: string; timeZone: string; logicalDayEnd: string; revision: number },
  venueTz: ReadonlyMap<string, string>,
  rows: readonly UnitRow[],
): EditionUnits {
  const units = rows.map((r): CachedUnit => {
    const view = unitView(
      {
        rsc: r.rsc,
        name: r.name,
        eventRsc: r.eventRsc,
        phaseRsc: r.phaseRsc,
        phaseOrder: 0,
        venue: r.venue,
        location: r.location,
        session: r.session,
        startUtc: r.startUtc,
        endUtc: r.endUtc,
        status: r.status,
        medal: r.medal,
        version: r.version,
        updatedAt: r.updatedAt,
        rescheduled: r.rescheduled,
        lastChange: r.lastChange,
      },
      r.venue ? (venueTz.get(r.venue) ?? null) : null,
      edition,
    );
    // Shared by every response until the next change: frozen, so that no caller can alter what the others serve.
    if (view.change) Object.freeze(view.change);
    return Object.freeze({
      rsc: r.rsc,
      discipline: r.discipline,
      eventRsc: r.eventRsc,
      session: r.session,
      venue: r.venue,
      localDate: r.localDate,
      logicalDate: r.logicalDate,
      status: r.status,
      medal: r.medal,
      startUtc: r.startUtc,
      endUtc: r.endUtc,
      view: Object.freeze(view),
    });
  });
  const byDiscipline = new Map<string, CachedUnit[]>();
  for (const u of units) {
    const list = byDiscipline.get(u.discipline);
    if (list) list.push(u);
    else byDiscipline.set(u.discipline, [u]);
  }
  return {
    edition: edition.code,
    revision: edition.revision,
    units,
    byDiscipline,
    byRsc: new Map(units.map((u) => [u.rsc, u])),
  };
}
