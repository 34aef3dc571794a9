import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@podium/auth';
import {
  disciplineCodeSchema,
  editionCodeSchema,
  isoDateSchema,
  rscSchema,
  scheduleEditionSchema,
  scheduleEditionsResponseSchema,
  scheduleEventsResponseSchema,
  scheduleSessionSchema,
  scheduleSnapshotSchema,
  scheduleUnitStateSchema,
} from '@podium/contracts';
import { ApiProblemResponses, ApiZodResponse, Etag, ZodParam, ZodQuery } from '@podium/platform';
import { z } from 'zod';
import { sessionCodeSchema, venueCodeSchema } from '../domain/data-pack.schema';
import { type UnitQuery, unitQuerySchema } from '../units/units.query';
import { ScheduleQueryService } from './schedule-query.service';

const sessionQuerySchema = z.strictObject({
  venue: venueCodeSchema.optional(),
  logicalDate: isoDateSchema.optional(),
});
const eventQuerySchema = z.strictObject({ discipline: disciplineCodeSchema.optional() });

/** A page of units: `nextCursor` asks for the next one (null: the last page). */
const unitPageSchema = z.object({ items: z.array(scheduleUnitStateSchema), nextCursor: z.string().nullable() });

/** A session with its units. */
const sessionWithUnitsSchema = scheduleSessionSchema.extend({ units: z.array(scheduleUnitStateSchema) });

/** Short shared caching for published schedule reads: CDNs may serve a few seconds stale while revalidating. */
const PUBLISHED = { cacheControl: 'public, max-age=5, s-maxage=5, stale-while-revalidate=30' };

/** The published schedule: readable without a token. */
@ApiTags('schedule')
@Public()
@ApiProblemResponses(400, 404)
@Controller('v1/editions')
export class ScheduleController {
  constructor(private readonly query: ScheduleQueryService) {}

  @Get()
  @Etag(PUBLISHED)
  @ApiOperation({ summary: 'Games editions' })
  @ApiZodResponse(scheduleEditionsResponseSchema)
  editions() {
    return this.query.editions();
  }

  @Get(':edition')
  @Etag(PUBLISHED)
  @ApiOperation({ summary: 'One edition' })
  @ApiZodResponse(scheduleEditionSchema)
  edition(@ZodParam('edition', editionCodeSchema) edition: string) {
    return this.query.edition(edition);
  }

  @Get(':edition/disciplines')
  @Etag(PUBLISHED)
  @ApiOperation({ summary: 'Disciplines of an edition' })
  disciplines(@ZodParam('edition', editionCodeSchema) edition: string) {
    return this.query.disciplines(edition);
  }

  @Get(':edition/venues')
  @Etag(PUBLISHED)
  @ApiOperation({ summary: 'Venues, their time zones, opening days and locations' })
  venues(@ZodParam('edition', editionCodeSchema) edition: string) {
    return this.query.venues(edition);
  }

  @Get(':edition/events')
  @Etag(PUBLISHED)
  @ApiOperation({ summary: 'Events with their phases' })
  @ApiZodResponse(scheduleEventsResponseSchema)
  events(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodQuery(eventQuerySchema) q: z.infer<typeof eventQuerySchema>,
  ) {
    return this.query.events(edition, q.discipline);
  }

  @Get(':edition/units')
  @Etag(PUBLISHED)
  @ApiOperation({
    summary: 'Units (by date, logical date, venue, discipline, event, session, status, medal, running now), paginated',
  })
  @ApiZodResponse(unitPageSchema)
  units(@ZodParam('edition', editionCodeSchema) edition: string, @ZodQuery(unitQuerySchema) q: UnitQuery): Promise<z.output<typeof unitPageSchema>> {
    return this.query.units(edition, q);
  }

  @Get(':edition/units/:rsc')
  @Etag(PUBLISHED)
  @ApiOperation({ summary: 'One unit, with UTC and venue-local times' })
  @ApiZodResponse(scheduleUnitStateSchema)
  unit(@ZodParam('edition', editionCodeSchema) edition: string, @ZodParam('rsc', rscSchema) rsc: string): Promise<z.output<typeof scheduleUnitStateSchema>> {
    return this.query.unit(edition, rsc);
  }

  @Get(':edition/sessions')
  @Etag(PUBLISHED)
  @ApiOperation({ summary: 'Sessions, by venue and logical date' })
  @ApiZodResponse(z.array(scheduleSessionSchema))
  sessions(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodQuery(sessionQuerySchema) q: z.infer<typeof sessionQuerySchema>,
  ): Promise<z.output<typeof scheduleSessionSchema>[]> {
    return this.query.sessions(edition, q);
  }

  @Get(':edition/sessions/:code')
  @Etag(PUBLISHED)
  @ApiOperation({ summary: 'One session with its units' })
  @ApiZodResponse(sessionWithUnitsSchema)
  session(
    @ZodParam('edition', editionCodeSchema) edition: string,
    @ZodParam('code', sessionCodeSchema) code: string,
  ): Promise<z.output<typeof sessionWithUnitsSchema>> {
    return this.query.session(edition, code);
  }

  @Get(':edition/snapshot')
  @Etag({ cacheControl: 'no-cache' })
  @ApiOperation({
    summary: 'The whole schedule and the SCHEDULES stream sequence it reflects',
    description:
      'Start from this snapshot, then follow oms.schedules.v1.unit.*.updated from sequence + 1: events carry the ' +
      "unit's full state and version, so an event already reflected here has a version <= the snapshot's and is skipped.",
  })
  @ApiZodResponse(scheduleSnapshotSchema)
  snapshot(@ZodParam('edition', editionCodeSchema) edition: string) {
    return this.query.snapshot(edition);
  }
}
