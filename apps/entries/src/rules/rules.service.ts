import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { ProblemException, serializableTransaction, stableStringify } from '@podium/platform';
import { PrismaService, type Tx } from '../database/prisma.service';
import { eventLabel } from '../domain/labels';
import { deadlinesFor, parseRulesPack } from '../domain/rules-pack';
import { type RulesPack, rulesPackSchema } from '../domain/rules-pack.schema';
import { noRulesPack, rulesPackRejected } from '../common/problems';
import { EntriesPublisher } from '../publishing/entries-publisher';
import { placeStateOf } from '../publishing/views';

export interface LoadedPack {
  pack: RulesPack;
  version: number;
  checksum: string;
}

export interface RulesImportReport {
  /** imported: written; unchanged: this exact pack is already the current one. */
  status: 'imported' | 'unchanged';
  edition: string;
  version: number;
  checksum: string;
  events: { rules: number; notInSchedule: string[] };
  quotaPlaces: { created: number; updated: number; cancelled: number; kept: string[] };
}

type Db = Pick<Tx, 'rulesPack'>;

/**
 * The entry rules of each edition (a rules pack, see docs/entries.md): imported by the organising committee,
 * validated as a whole (a bad pack writes nothing), versioned, and materialising its quota places.
 */
@Injectable()
export class RulesService {
  private readonly logger = new Logger(RulesService.name);
  private readonly cache = new Map<string, LoadedPack>();

  constructor(
    private readonly prisma: PrismaService,
    private readonly publisher: EntriesPublisher,
  ) {}

  /**
   * The edition's current pack, or null. Parsed packs are cached by checksum: the pack itself (a whole edition's
   * rules) is read and parsed only when its checksum is not the cached one.
   */
  async load(db: Db, edition: string): Promise<LoadedPack | null> {
    const current = await db.rulesPack.findUnique({ where: { edition }, select: { version: true, checksum: true } });
    if (!current) return null;
    const cached = this.cache.get(edition);
    if (cached && cached.checksum === current.checksum && cached.version === current.version) return cached;
    const row = await db.rulesPack.findUnique({ where: { edition } });
    if (!row) return null;
    const loaded = { pack: rulesPackSchema.parse(row.pack), version: row.version, checksum: row.checksum };
    this.cache.set(edition, loaded);
    return loaded;
  }

  /** The edition's current pack; 409 'no-rules-pack' when none was imported. */
  async require(db: Db, edition: string): Promise<LoadedPack> {
    const loaded = await this.load(db, edition);
    if (!loaded) throw noRulesPack(edition);
    return loaded;
  }

  /** The pack as imported, with its deadlines resolved to UTC and local time. */
  /** The NOCs taking part in the edition, from its rules pack. */
  async nocs(edition: string) {
    return (await this.require(this.prisma, edition)).pack.nocs;
  }

  async describe(edition: string) {
    const { pack, version, checksum } = await this.require(this.prisma, edition);
    const edDeadlines = deadlinesFor(pack, undefined);
    const show = (d: ReturnType<typeof deadlinesFor>) =>
      Object.fromEntries(Object.entries(d).map(([k, v]) => [k, { local: v.localIso, utc: v.utc.toISOString() }]));
    return {
      version,
      checksum,
      edition: pack.edition,
      timeZone: pack.timeZone,
      deadlines: show(edDeadlines),
      pack,
      events: pack.events.map((rule) => ({ event: rule.event, deadlines: show(deadlinesFor(pack, rule)) })),
    };
  }

  async import(edition: string, input: unknown, by: string | null): Promise<RulesImportReport> {
    const parsed = parseRulesPack(input);
    if (!parsed.ok) throw rulesPackRejected(parsed.errors);
    const pack = parsed.pack;
    if (pack.edition !== edition) {
      throw rulesPackRejected([{ field: 'edition', message: `the pack is for edition ${pack.edition}, not ${edition}` }]);
    }
    // Of the canonical JSON (sorted keys): key order and whitespace do not make a pack different.
    const checksum = createHash('sha256').update(stableStringify(input)).digest('hex');

    // Rewrites the quota places of every event: longer than the default timeout.
    return serializableTransaction(
      this.prisma,
      async (tx) => {
        const existing = await tx.rulesPack.findUnique({ where: { edition } });
        const known = new Set((await tx.event.findMany({ where: { edition }, select: { rsc: true } })).map((e) => e.rsc));
        const notInSchedule = pack.events.filter((r) => !known.has(r.event)).map((r) => eventLabel(r.event));
        if (existing?.checksum === checksum) {
          return {
            status: 'unchanged',
            edition,
            version: existing.version,
            checksum,
            events: { rules: pack.events.length, notInSchedule },
            quotaPlaces: { created: 0, updated: 0, cancelled: 0, kept: [] },
          } as const;
        }
        const version = (existing?.version ?? 0) + 1;
        const data = { version, checksum, timeZone: pack.timeZone, pack: JSON.parse(JSON.stringify(pack)), importedBy: by, importedAt: new Date() };
        await tx.rulesPack.upsert({ where: { edition }, create: { edition, ...data }, update: data });
        const quotaPlaces = await this.syncPlaces(tx, pack, version);
        this.logger.log({ edition, version, checksum, quotaPlaces }, 'rules pack imported');
        return { status: 'imported', edition, version, checksum, events: { rules: pack.events.length, notInSchedule }, quotaPlaces } as const;
      },
      { timeoutMs: 60_000 },
    );
  }

  /** Creates the pack's new places, updates unused ones it changed, cancels unused ones it dropped; keeps the rest. */
  private async syncPlaces(tx: Tx, pack: RulesPack, version: number): Promise<RulesImportReport['quotaPlaces']> {
    const edition = pack.edition;
    const current = await tx.quotaPlace.findMany({ where: { edition } });
    const used = new Set(
      (await tx.entry.findMany({ where: { edition, status: 'ENTERED', quotaPlaceId: { not: null } }, select: { quotaPlaceId: true } }))
        .map((e) => e.quotaPlaceId)
        .filter((id): id is string => id !== null),
    );
    const report = { created: 0, updated: 0, cancelled: 0, kept: [] as string[] };
    const byId = new Map(current.map((p) => [p.id, p]));
    for (const place of pack.quotaPlaces) {
      const row = byId.get(place.id);
      const fields = { event: place.event, discipline: place.event.slice(0, 3), kind: place.kind, noc: place.noc, athleteIfId: place.athlete ?? null };
      if (!row) {
        const created = await tx.quotaPlace.create({
          data: { edition, id: place.id, ...fields, status: 'ALLOCATED', explanation: [`Allocated by the rules pack (version ${version})`] },
        });
        await this.publisher.place(tx, placeStateOf(created));
        report.created++;
        continue;
      }
      const same = row.event === fields.event && row.kind === fields.kind && row.noc === fields.noc && row.athleteIfId === fields.athleteIfId;
      if (same && row.status === 'ALLOCATED') continue;
      if (row.status === 'ALLOCATED' && !used.has(row.id)) {
        const updated = await tx.quotaPlace.update({
          where: { edition_id: { edition, id: row.id } },
          data: { ...fields, version: { increment: 1 }, explanation: [`Changed by the rules pack (version ${version})`] },
        });
        await this.publisher.place(tx, placeStateOf(updated));
        report.updated++;
      } else {
        report.kept.push(row.id);
      }
    }
    const inPack = new Set(pack.quotaPlaces.map((p) => p.id));
    for (const row of current) {
      if (inPack.has(row.id) || row.reallocatedFrom !== null || row.status !== 'ALLOCATED') continue;
      if (used.has(row.id)) {
        report.kept.push(row.id);
        continue;
      }
      const cancelled = await tx.quotaPlace.update({
        where: { edition_id: { edition, id: row.id } },
        data: { status: 'CANCELLED', version: { increment: 1 }, explanation: [`Cancelled: not in the rules pack (version ${version})`] },
      });
      await this.publisher.place(tx, placeStateOf(cancelled));
      report.cancelled++;
    }
    return report;
  }
}

/** 404 for an event the schedule does not have (events come from schedules, never typed here). */
export function eventNotFound(edition: string, rsc: string): ProblemException {
  return ProblemException.notFound(
    `Event ${eventLabel(rsc)} is not in the schedule of ${edition} (events come from the schedules service)`,
    'event-not-found',
  );
}
