import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { ScheduleEventState } from '@podium/contracts';
import { ProblemException, serializableTransaction, stableStringify } from '@podium/platform';
import { PrismaService, type Tx } from '../database/prisma.service';
import { type NormalizedPack, parseDataPack, rejectedRowPath, type RejectedRow, scheduleFromPack } from '../domain/data-pack';
import type { Schedule, ScheduleSession, ScheduleUnit } from '../domain/model';
import { ScheduleRepository } from '../schedule/schedule.repository';
import { SchedulePublisher } from '../schedule/schedule-publisher';
import { sameSession, sameUnit, sessionRow, unitRow } from '../schedule/rows';

export interface ImportCounts {
  sports: number;
  disciplines: number;
  venues: number;
  locations: number;
  events: { total: number; published: number };
  phases: number;
  sessions: { created: number; updated: number; unchanged: number };
  units: { created: number; updated: number; unchanged: number };
}

export interface ImportReport {
  /** imported: written; unchanged: this exact pack was imported before; valid: dry run, nothing written. */
  status: 'imported' | 'unchanged' | 'valid';
  edition: string;
  checksum: string;
  importId: string | null;
  counts: ImportCounts | null;
}

export function rejectedProblem(rejected: readonly RejectedRow[]): ProblemException {
  return new ProblemException({
    status: 422,
    slug: 'data-pack-rejected',
    title: 'Data pack rejected',
    detail: `${rejected.length} row(s) rejected; nothing was written`,
    errors: rejected.map((r) => ({
      field: rejectedRowPath(r) || 'pack',
      message: r.key ? `${r.key}: ${r.reason}` : r.reason,
    })),
  });
}

/**
 * Imports an edition's data pack: validates every row first (any rejected row rejects the pack and nothing is
 * written), then creates or updates reference data, sessions and units in one transaction, publishing a
 * `unit.updated` event for each created or changed unit. Importing the same pack again changes nothing.
 * Units or sessions absent from a pack are left as they are (a pack adds and updates; operations cancel).
 */
@Injectable()
export class DataPacksService {
  private readonly logger = new Logger(DataPacksService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: ScheduleRepository,
    private readonly publisher: SchedulePublisher,
  ) {}

  async import(input: unknown, options: { dryRun: boolean; by: string | null }): Promise<ImportReport> {
    const parsed = parseDataPack(input);
    if (!parsed.ok) throw rejectedProblem(parsed.rejected);
    const pack = parsed.pack;
    // Of the canonical JSON (sorted keys): key order and whitespace do not make a pack different.
    const checksum = createHash('sha256').update(stableStringify(input)).digest('hex');
    const edition = pack.edition.code;
    if (options.dryRun) return { status: 'valid', edition, checksum, importId: null, counts: null };

    // A whole edition in one transaction: longer than the default timeout.
    return serializableTransaction(
      this.prisma,
      async (tx) => {
        const previous = await tx.dataPackImport.findUnique({
          where: { edition_checksum: { edition, checksum } },
        });
        if (previous) {
          return { status: 'unchanged', edition, checksum, importId: previous.id, counts: null } as const;
        }
        const importId = randomUUID();
        const counts = await this.write(tx, pack, importId, options.by);
        await tx.dataPackImport.create({
          data: { id: importId, edition, checksum, by: options.by, counts: JSON.parse(JSON.stringify(counts)) },
        });
        this.logger.log({ edition, checksum, counts }, 'data pack imported');
        return { status: 'imported', edition, checksum, importId, counts } as const;
      },
      { timeoutMs: 120_000 },
    );
  }

  /** The edition's events with their phases, in the published `event.updated` shape. */
  private async eventStates(tx: Tx, edition: string, now = new Date()): Promise<ScheduleEventState[]> {
    const [events, phases] = await Promise.all([
      tx.event.findMany({ where: { edition }, orderBy: { rsc: 'asc' } }),
      tx.phase.findMany({ where: { edition }, orderBy: [{ order: 'asc' }, { rsc: 'asc' }] }),
    ]);
    return events.map((e) => ({
      edition,
      rsc: e.rsc,
      discipline: e.discipline,
      name: e.name,
      gender: e.gender as ScheduleEventState['gender'],
      medal: e.medal,
      phases: phases.filter((p) => p.eventRsc === e.rsc).map((p) => ({ rsc: p.rsc, name: p.name, order: p.order })),
      updatedAt: now.toISOString(),
    }));
  }

  private async write(tx: Tx, pack: NormalizedPack, importId: string, by: string | null): Promise<ImportCounts> {
    const edition = pack.edition.code;
    const e = pack.edition;
    const editionData = {
      name: e.name,
      kind: e.kind,
      timeZone: e.timeZone,
      locale: e.locale,
      logicalDayEnd: e.logicalDayEnd,
      startDate: e.startDate,
      endDate: e.endDate,
    };
    await tx.edition.upsert({ where: { code: edition }, create: { code: edition, ...editionData }, update: editionData });

    for (const s of pack.sports) {
      await tx.sport.upsert({
        where: { edition_code: { edition, code: s.code } },
        create: { edition, code: s.code, name: s.name },
        update: { name: s.name },
      });
    }
    for (const d of pack.disciplines) {
      await tx.discipline.upsert({
        where: { edition_code: { edition, code: d.code } },
        create: { edition, code: d.code, sport: d.sport, name: d.name },
        update: { sport: d.sport, name: d.name },
      });
    }
    let locationCount = 0;
    for (const v of pack.venues) {
      const data = { name: v.name, timeZone: v.timeZone, openingFrom: v.openingDays.from, openingTo: v.openingDays.to };
      await tx.venue.upsert({
        where: { edition_code: { edition, code: v.code } },
        create: { edition, code: v.code, ...data },
        update: data,
      });
      for (const l of v.locations) {
        locationCount++;
        await tx.location.upsert({
          where: { edition_venue_code: { edition, venue: v.code, code: l.code } },
          create: { edition, venue: v.code, code: l.code, name: l.name },
          update: { name: l.name },
        });
      }
    }
    // Events (with their phases) as published before this import, to publish only what changes.
    const published = new Map((await this.eventStates(tx, edition)).map((e) => [e.rsc, signature(e)]));
    for (const ev of pack.events) {
      const data = { discipline: ev.discipline, name: ev.name, gender: ev.gender, medal: ev.medal };
      await tx.event.upsert({
        where: { edition_rsc: { edition, rsc: ev.rsc } },
        create: { edition, rsc: ev.rsc, ...data },
        update: data,
      });
    }
    for (const p of pack.phases) {
      const data = { eventRsc: p.eventRsc, name: p.name, order: p.order };
      await tx.phase.upsert({
        where: { edition_rsc: { edition, rsc: p.rsc } },
        create: { edition, rsc: p.rsc, ...data },
        update: data,
      });
    }

    const now = new Date();
    const changedEvents = (await this.eventStates(tx, edition, now)).filter(
      (e) => pack.events.some((p) => p.rsc === e.rsc) && published.get(e.rsc) !== signature(e),
    );
    await this.publisher.enqueueEvents(tx, changedEvents);

    const current = await this.repository.load(tx, edition);
    const incoming = scheduleFromPack(pack, now);
    const change = { id: importId, kind: 'importDataPack', reason: 'data pack import', by };

    const sessions = { created: 0, updated: 0, unchanged: 0 };
    const nextSessions: ScheduleSession[] = [];
    for (const s of incoming.sessions) {
      const old = current?.sessions.find((x) => x.code === s.code);
      if (old && sameSession(old, s)) {
        sessions.unchanged++;
        nextSessions.push(old);
        continue;
      }
      const next: ScheduleSession = { ...s, version: old ? old.version + 1 : 1, lastChange: change };
      nextSessions.push(next);
      if (old) {
        sessions.updated++;
        await tx.session.update({
          where: { edition_code: { edition, code: s.code } },
          data: { ...sessionRow(next), lastChangeId: importId },
        });
      } else {
        sessions.created++;
        await tx.session.create({ data: { edition, code: s.code, ...sessionRow(next), lastChangeId: importId } });
      }
    }

    const units = { created: 0, updated: 0, unchanged: 0 };
    const changedUnits: ScheduleUnit[] = [];
    const nextUnits: ScheduleUnit[] = [];
    const changedCodes = { units: [] as string[], sessions: nextSessions.filter((s) => s.lastChange === change).map((s) => s.code) };
    for (const u of incoming.units) {
      const old = current?.units.find((x) => x.rsc === u.rsc);
      if (old && sameUnit(old, u)) {
        units.unchanged++;
        nextUnits.push(old);
        continue;
      }
      const next: ScheduleUnit = { ...u, version: old ? old.version + 1 : 1, updatedAt: now, lastChange: change };
      nextUnits.push(next);
      changedUnits.push(next);
      changedCodes.units.push(u.rsc);
      const row = unitRow(next, incoming);
      if (old) {
        units.updated++;
        await tx.unit.update({ where: { edition_rsc: { edition, rsc: u.rsc } }, data: { ...row, lastChangeId: importId } });
      } else {
        units.created++;
        await tx.unit.create({ data: { edition, rsc: u.rsc, ...row, lastChangeId: importId } });
      }
    }

    await this.repository.recordChange(tx, {
      id: importId,
      edition,
      kind: change.kind,
      request: { checksum: 'see data_pack_import', units: pack.units.length, sessions: pack.sessions.length },
      reason: change.reason,
      by,
      diff: { units, sessions },
      units: changedCodes.units,
      sessions: changedCodes.sessions,
    });
    const after: Schedule = { ...incoming, sessions: nextSessions, units: nextUnits };
    await this.publisher.enqueue(tx, after, changedUnits);

    return {
      events: { total: pack.events.length, published: changedEvents.length },
      sports: pack.sports.length,
      disciplines: pack.disciplines.length,
      venues: pack.venues.length,
      locations: locationCount,
      phases: pack.phases.length,
      sessions,
      units,
    };
  }
}

/** What a consumer of `event.updated` sees of an event (its time stamp aside). */
function signature(e: ScheduleEventState): string {
  return JSON.stringify([e.name, e.gender, e.medal, e.phases]);
}
