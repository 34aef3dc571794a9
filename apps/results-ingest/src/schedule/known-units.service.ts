import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CONFIG } from '@podium/platform';
import { ScheduleFollower } from '@podium/schedule-follower';

import type { ResultsIngestConfig } from '../app/config';
import { PrismaService } from '../database/prisma.service';

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

/**
 * The RSCs the schedule knows, kept in `known_unit` by the schedule follower (the schedules service's snapshots at
 * boot when SCHEDULES_URL is set, then oms.schedules.v1.unit.*.updated from the start of the SCHEDULES stream). A unit
 * becoming known releases the quarantine of the documents of its unit, phase and event.
 */
@Injectable()
export class KnownUnitsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('KnownUnits');

  constructor(
    private readonly prisma: PrismaService,
    private readonly follower: ScheduleFollower,
    @Inject(CONFIG) private readonly config: ResultsIngestConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.follower.followUnits({
      schedulesUrl: this.config.SCHEDULES_URL,
      durable: KNOWN_UNITS_DURABLE,
      onUnit: async (unit) => {
        await this.remember(unit);
      },
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
}
