import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type EnvelopeOf, scheduleUnitUpdated } from '@podium/contracts';
import { eventCodeOf, isRsc, phaseCodeOf } from '@podium/odf';
import { CONFIG, NatsConsumerRunner } from '@podium/platform';
import { z } from 'zod';

import type { ResultsIngestConfig } from '../app/config';
import { PrismaService } from '../database/prisma.service';

export const UNIT_UPDATED = scheduleUnitUpdated.subject;
export const KNOWN_UNITS_DURABLE = 'results-ingest-schedule-units';

/** What results-ingest keeps of a schedule unit. */
export interface KnownUnitInput {
  rsc: string;
  edition: string;
  discipline: string;
  eventRsc: string;
  phaseRsc: string;
  status: string;
  version: number;
}

const snapshotUnitSchema = z.looseObject({
  rsc: z.string().refine(isRsc, 'must be an RSC'),
  edition: z.string(),
  discipline: z.string(),
  status: z.string(),
  version: z.int(),
});
const editionsSchema = z.array(z.looseObject({ code: z.string().regex(/^[A-Za-z0-9_-]+$/) }));
const snapshotSchema = z.looseObject({ units: z.array(snapshotUnitSchema) });

/**
 * The RSCs the schedule knows, kept in `known_unit` from the SCHEDULES stream (durable consumer of
 * oms.schedules.v1.unit.*.updated, from the start of the stream) and, when SCHEDULES_URL is set, from the schedules
 * service's snapshots at boot. A unit becoming known releases the quarantine of the documents of its unit, phase and
 * event.
 */
@Injectable()
export class KnownUnitsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('KnownUnits');

  constructor(
    private readonly prisma: PrismaService,
    private readonly consumers: NatsConsumerRunner,
    @Inject(CONFIG) private readonly config: ResultsIngestConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.SCHEDULES_URL) await this.bootstrapFromSnapshots(this.config.SCHEDULES_URL);
    this.consumers.consume({ key: UNIT_UPDATED, durable: KNOWN_UNITS_DURABLE, deliverPolicy: 'all' }, (envelope) =>
      this.onUnitUpdated(envelope),
    );
  }

  async onUnitUpdated(envelope: EnvelopeOf<typeof UNIT_UPDATED>): Promise<void> {
    const unit = envelope.data;
    await this.remember({
      rsc: unit.rsc,
      edition: unit.edition,
      discipline: unit.discipline,
      eventRsc: unit.eventRsc,
      phaseRsc: unit.phaseRsc,
      status: unit.status,
      version: unit.version,
    });
  }

  /** Upserts a unit (a lower version never overwrites a higher one) and releases the quarantine it resolves. */
  async remember(unit: KnownUnitInput): Promise<number> {
    await this.prisma.$executeRaw`
      INSERT INTO known_unit (rsc, edition, discipline, event_rsc, phase_rsc, status, version, updated_at)
      VALUES (${unit.rsc}, ${unit.edition}, ${unit.discipline}, ${unit.eventRsc}, ${unit.phaseRsc}, ${unit.status},
        ${unit.version}, now())
      ON CONFLICT (rsc) DO UPDATE SET edition = EXCLUDED.edition, discipline = EXCLUDED.discipline,
        event_rsc = EXCLUDED.event_rsc, phase_rsc = EXCLUDED.phase_rsc, status = EXCLUDED.status,
        version = EXCLUDED.version, updated_at = now()
      WHERE known_unit.version <= EXCLUDED.version`;
    const released = await this.prisma.document.updateMany({
      where: { quarantined: true, documentCode: { in: [unit.rsc, unit.phaseRsc, unit.eventRsc] } },
      data: { quarantined: false },
    });
    if (released.count > 0) this.logger.log(`${unit.rsc} is now known: ${released.count} document(s) left quarantine`);
    return released.count;
  }

  private async bootstrapFromSnapshots(baseUrl: string): Promise<void> {
    const base = baseUrl.replace(/\/+$/, '');
    try {
      const editions = editionsSchema.parse(await getJson(`${base}/v1/editions`));
      let count = 0;
      for (const edition of editions) {
        const snapshot = snapshotSchema.parse(await getJson(`${base}/v1/editions/${edition.code}/snapshot`));
        for (const unit of snapshot.units) {
          await this.remember({
            rsc: unit.rsc,
            edition: unit.edition,
            discipline: unit.discipline,
            eventRsc: eventCodeOf(unit.rsc),
            phaseRsc: phaseCodeOf(unit.rsc),
            status: unit.status,
            version: unit.version,
          });
          count++;
        }
      }
      this.logger.log(`Known units bootstrapped from ${base}: ${count} unit(s) in ${editions.length} edition(s)`);
    } catch (error) {
      // Not fatal: the SCHEDULES stream brings the same units; until then results are quarantined, never dropped.
      this.logger.warn(`Could not bootstrap known units from ${base}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  return res.json() as Promise<unknown>;
}
