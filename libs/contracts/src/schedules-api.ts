/**
 * Responses of the schedules service's read API that other services depend on (the schedule followers read them at
 * boot, then follow the SCHEDULES stream). schedules documents and types its responses with these same schemas, so
 * the producer and its consumers cannot drift apart.
 */
import { GENDERS } from '@podium/odf';
import { z } from 'zod';
import {
  disciplineCodeSchema,
  editionCodeSchema,
  isoDateSchema,
  offsetDateTimeSchema,
  rscSchema,
  scheduleStatusSchema,
  timeZoneSchema,
  utcDateTimeSchema,
} from './primitives';
import { scheduleChangeSchema, scheduleUnitStateSchema } from './subjects/schedules';

/** `GET /v1/editions` (an array) and `GET /v1/editions/{edition}`. */
export const scheduleEditionSchema = z
  .object({
    code: editionCodeSchema,
    name: z.string().min(1),
    kind: z.string().min(1).meta({ description: 'OG (Olympic) or PG (Paralympic)' }),
    timeZone: timeZoneSchema.meta({ description: "The edition's time zone (of units without a venue)" }),
    locale: z.string().min(1),
    logicalDayEnd: z.string().meta({ description: "Local time the competition day ends at ('HH:mm')", examples: ['03:00'] }),
    startDate: isoDateSchema,
    endDate: isoDateSchema,
  })
  .meta({ id: 'ScheduleEdition' });
export type ScheduleEdition = z.infer<typeof scheduleEditionSchema>;

/** An edition as `GET /v1/editions` lists it (documentation, and the fixtures of the schedule's followers). */
export const scheduleEditionExample: ScheduleEdition = {
  code: 'OG2024',
  name: 'Paris 2024',
  kind: 'OG',
  timeZone: 'Europe/Paris',
  locale: 'fr-FR',
  logicalDayEnd: '03:00',
  startDate: '2024-07-24',
  endDate: '2024-08-11',
};
export const scheduleEditionsResponseSchema = z.array(scheduleEditionSchema);

/** An item of `GET /v1/editions/{edition}/events`: an event with its phases, in order. */
export const scheduleEventSchema = z
  .object({
    rsc: rscSchema.meta({ description: 'RSC of the event (phase and unit all "-")' }),
    discipline: disciplineCodeSchema,
    name: z.string().min(1),
    gender: z.enum(GENDERS).meta({ description: 'M men, W women, X mixed, O open' }),
    medal: z.boolean(),
    phases: z.array(z.object({ rsc: rscSchema, name: z.string().min(1), order: z.int().min(0) })),
  })
  .meta({ id: 'ScheduleEvent' });
export type ScheduleEvent = z.infer<typeof scheduleEventSchema>;
export const scheduleEventsResponseSchema = z.array(scheduleEventSchema);

/** A session as the read API and the snapshot show it. */
export const scheduleSessionSchema = z
  .object({
    edition: editionCodeSchema,
    code: z.string().min(1),
    name: z.string().min(1),
    venue: z.string().min(1),
    location: z.string().nullable(),
    status: scheduleStatusSchema,
    startUtc: utcDateTimeSchema,
    endUtc: utcDateTimeSchema,
    timeZone: timeZoneSchema,
    startLocal: offsetDateTimeSchema,
    endLocal: offsetDateTimeSchema,
    logicalDate: isoDateSchema,
    version: z.int().min(1),
    change: scheduleChangeSchema.nullable(),
    updatedAt: utcDateTimeSchema,
  })
  .meta({ id: 'ScheduleSession' });
export type ScheduleSession = z.infer<typeof scheduleSessionSchema>;

/** `GET /v1/editions/{edition}/snapshot`: the whole schedule and the SCHEDULES stream sequence it reflects. */
export const scheduleSnapshotSchema = z
  .object({
    edition: editionCodeSchema,
    sequence: z.int().min(0).meta({ description: 'Last SCHEDULES stream sequence reflected: follow from sequence + 1' }),
    takenAt: utcDateTimeSchema,
    sessions: z.array(scheduleSessionSchema),
    units: z.array(scheduleUnitStateSchema),
  })
  .meta({ id: 'ScheduleSnapshot' });
export type ScheduleSnapshot = z.infer<typeof scheduleSnapshotSchema>;
