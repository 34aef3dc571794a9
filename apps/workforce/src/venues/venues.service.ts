import { Injectable } from '@nestjs/common';
import { ProblemException, serializableTransaction } from '@podium/platform';

import { PrismaService } from '../database/prisma.service';
import type { Venue } from '../generated/prisma/client';

export interface VenueView {
  edition: string;
  code: string;
  name: string;
  timeZone: string;
}

export const venueView = (row: Venue): VenueView => ({ edition: row.edition, code: row.code, name: row.name, timeZone: row.timeZone });

/** The 422 of a shift (or member) naming a venue the edition does not have. */
export const unknownVenue = (edition: string, code: string, field = 'body.venue'): ProblemException =>
  new ProblemException({
    status: 422,
    slug: 'unknown-venue',
    title: 'Unknown venue',
    detail: `${edition} has no venue ${code}; PUT /v1/editions/${edition}/venues/${code} first`,
    errors: [{ field, message: 'not a venue of the edition' }],
  });

/** The edition's venues with their time zones (set here by managers, and from the schedules' events). */
@Injectable()
export class VenuesService {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates or replaces a venue; a history entry says who. */
  async put(edition: string, code: string, input: { name: string; timeZone: string }, by: string): Promise<VenueView> {
    return serializableTransaction(this.prisma, async (tx) => {
      const before = await tx.venue.findUnique({ where: { edition_code: { edition, code } } });
      const row = await tx.venue.upsert({
        where: { edition_code: { edition, code } },
        create: { edition, code, name: input.name, timeZone: input.timeZone },
        update: { name: input.name, timeZone: input.timeZone },
      });
      await tx.historyEntry.create({
        data: {
          edition,
          entity: 'venue',
          entityId: code,
          action: before ? 'update' : 'create',
          by,
          details: { name: input.name, timeZone: input.timeZone, ...(before ? { previousTimeZone: before.timeZone } : {}) },
        },
      });
      return venueView(row);
    });
  }

  /** The edition's venues in code order; only those of `scope` when given (a token's `venues` claim). */
  async list(edition: string, scope?: readonly string[]): Promise<VenueView[]> {
    const rows = await this.prisma.venue.findMany({ where: { edition, ...(scope ? { code: { in: [...scope] } } : {}) }, orderBy: { code: 'asc' } });
    return rows.map(venueView);
  }
}
