import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';

import type { Stage } from '../applications/application.logic';
import { datesToRanges } from '../applications/applications.view';
import { PrismaService } from '../database/prisma.service';
import { csvLine, type Funnel, funnelOf } from './pipeline.logic';

/** Rows read per page of the CSV export (keyset on id: each page is one index range, whatever the offset). */
const EXPORT_PAGE = 1_000;

/**
 * The export's columns: what a recruiter works with, never the contact details nor the date of birth (sealed at rest;
 * docs/volunteers-pipeline.md#csv-export says why).
 */
export const EXPORT_COLUMNS = [
  'id',
  'stage',
  'familyName',
  'givenName',
  'languages',
  'skills',
  'drivingLicence',
  'availability',
  'fields',
  'tshirtSize',
  'locale',
  'interviewSlotId',
  'offerRole',
  'offerArea',
  'offerVenue',
  'offerDeadline',
  'version',
  'createdAt',
  'updatedAt',
] as const;

/** The funnel (counts per stage, conversion) and the CSV export of an edition's applications. */
@Injectable()
export class FunnelExportService {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Counts per stage by one GROUP BY on application (edition, stage, ...): an index-only scan of the (edition, stage, id)
   * index, a few tens of milliseconds at 266,000 applications. Offers past their deadline count as `offered` until the
   * sweep writes their lapse (at most a sweep interval later).
   */
  async funnel(edition: string): Promise<Funnel & { edition: string }> {
    const rows = await this.prisma.$queryRaw<{ stage: string; count: number }[]>`
      SELECT stage, count(*)::int AS count FROM application WHERE edition = ${edition} GROUP BY stage`;
    return { edition, ...funnelOf(rows) };
  }

  /** The CSV of the edition's applications (one stage, or all), streamed page by page in id order; a header line first. */
  csv(edition: string, stage: Stage | undefined): Readable {
    const prisma = this.prisma;
    async function* lines(): AsyncGenerator<string> {
      yield csvLine(EXPORT_COLUMNS);
      let after: string | undefined;
      for (;;) {
        const rows = await prisma.application.findMany({
          where: { edition, ...(stage ? { stage } : {}), ...(after ? { id: { gt: after } } : {}) },
          select: {
            id: true,
            stage: true,
            familyName: true,
            givenName: true,
            languages: true,
            skills: true,
            drivingLicence: true,
            availableDates: true,
            fields: true,
            tshirtSize: true,
            locale: true,
            interviewSlotId: true,
            offerRole: true,
            offerArea: true,
            offerVenue: true,
            offerDeadline: true,
            version: true,
            createdAt: true,
            updatedAt: true,
          },
          orderBy: { id: 'asc' },
          take: EXPORT_PAGE,
        });
        if (rows.length === 0) return;
        let page = '';
        for (const r of rows) {
          const languages = Array.isArray(r.languages) ? (r.languages as { code: string; level: string }[]).map((l) => `${l.code}:${l.level}`).join(' ') : '';
          page += csvLine([
            r.id,
            r.stage,
            r.familyName,
            r.givenName,
            languages,
            r.skills.join(' '),
            r.drivingLicence,
            datesToRanges(r.availableDates)
              .map((d) => (d.from === d.to ? d.from : `${d.from}/${d.to}`))
              .join(' '),
            r.fields.join(' '),
            r.tshirtSize,
            r.locale,
            r.interviewSlotId,
            r.offerRole,
            r.offerArea,
            r.offerVenue,
            r.offerDeadline?.toISOString(),
            r.version,
            r.createdAt.toISOString(),
            r.updatedAt.toISOString(),
          ]);
        }
        yield page;
        if (rows.length < EXPORT_PAGE) return;
        after = rows[rows.length - 1]?.id;
      }
    }
    return Readable.from(lines());
  }
}
