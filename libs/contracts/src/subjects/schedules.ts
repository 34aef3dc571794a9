import { GENDERS, parseRsc } from '@podium/odf';
import { z } from 'zod';
import {
  disciplineCodeSchema,
  isoDateSchema,
  offsetDateTimeSchema,
  rscSchema,
  scheduleStatusSchema,
  timeZoneSchema,
  utcDateTimeSchema,
} from '../primitives';
import { dataschemaFor, defineStream, defineSubject } from './define';

const MINUTE = 60_000;

/** SCHEDULES stream: every schedules event, kept (limits retention) so late consumers can replay. */
export const schedulesStream = defineStream({
  name: 'SCHEDULES',
  subjects: ['oms.schedules.v1.>'],
  description: 'Competition schedule changes published by the schedules service (OMS).',
  retention: 'limits',
  storage: 'file',
  maxAge: 0,
  duplicateWindow: 2 * MINUTE,
});

export const scheduleChangeSchema = z.object({
  id: z.string().min(1),
  kind: z.string().min(1).meta({ description: 'Kind of change, e.g. TIME_CHANGE, STATUS_CHANGE, VENUE_CHANGE' }),
  reason: z.string().nullable(),
  by: z.string().nullable().meta({ description: 'Who made the change (user id), if known' }),
});

/** State of a schedule unit (a competition unit of the ODF schedule) after a change; also the snapshot item. */
export const scheduleUnitStateSchema = z
  .object({
    edition: z.string().min(1).meta({ description: 'Games edition code', examples: ['PAR2024'] }),
    rsc: rscSchema,
    discipline: disciplineCodeSchema,
    eventRsc: rscSchema.meta({
      description: 'RSC of the event (phase and unit all "-")',
      examples: ['ATHM100M--------------------------'],
    }),
    phaseRsc: rscSchema.meta({
      description: 'RSC of the phase (unit all "-")',
      examples: ['ATHM100M--------------FNL---------'],
    }),
    name: z.string().min(1),
    medal: z.boolean().meta({ description: 'True when the unit awards medals' }),
    status: scheduleStatusSchema,
    startUtc: utcDateTimeSchema.nullable(),
    endUtc: utcDateTimeSchema.nullable(),
    venue: z.string().nullable(),
    location: z.string().nullable(),
    timeZone: timeZoneSchema.nullable(),
    startLocal: offsetDateTimeSchema.nullable(),
    endLocal: offsetDateTimeSchema.nullable(),
    logicalDate: isoDateSchema.nullable().meta({ description: 'Competition day (local date, the day ends at 03:00)' }),
    session: z.string().nullable(),
    version: z.int().min(1).meta({ description: 'Version of the unit, incremented on every change' }),
    change: scheduleChangeSchema.nullable(),
    updatedAt: utcDateTimeSchema,
  })
  .superRefine((unit, ctx) => {
    const parsed = parseRsc(unit.rsc);
    if (!parsed.ok) return; // rsc already reported
    const rsc = parsed.value;
    if (unit.discipline !== rsc.discipline) {
      ctx.addIssue({ code: 'custom', path: ['discipline'], message: `must be ${rsc.discipline}, the discipline of the RSC` });
    }
    if (unit.eventRsc !== rsc.eventCode) {
      ctx.addIssue({ code: 'custom', path: ['eventRsc'], message: `must be ${rsc.eventCode}, the event code of the RSC` });
    }
    if (unit.phaseRsc !== rsc.phaseCode) {
      ctx.addIssue({ code: 'custom', path: ['phaseRsc'], message: `must be ${rsc.phaseCode}, the phase code of the RSC` });
    }
    if (unit.startUtc && unit.endUtc && Date.parse(unit.endUtc) < Date.parse(unit.startUtc)) {
      ctx.addIssue({ code: 'custom', path: ['endUtc'], message: 'must not be before startUtc' });
    }
  })
  .meta({ title: 'ScheduleUnitState' });

export type ScheduleUnitState = z.infer<typeof scheduleUnitStateSchema>;
export type ScheduleChange = z.infer<typeof scheduleChangeSchema>;

const SCHEDULE_UNIT_UPDATED_TYPE = 'podium.schedules.unit.updated.v1';

export const scheduleUnitUpdated = defineSubject({
  subject: 'oms.schedules.v1.unit.{discipline}.updated',
  type: SCHEDULE_UNIT_UPDATED_TYPE,
  source: 'podium/schedules',
  stream: schedulesStream.name,
  title: 'Schedule unit updated',
  description:
    'The state of a schedule unit after it was created or changed (time, status, venue...). ' +
    'Carries the whole unit state, so the latest message per unit is enough to rebuild the schedule.',
  version: 1,
  dataschema: dataschemaFor(SCHEDULE_UNIT_UPDATED_TYPE),
  data: scheduleUnitStateSchema,
  tokens: {
    discipline: { description: 'ODF discipline code of the unit (the first 3 characters of its RSC)', example: 'ATH' },
  },
  example: {
    edition: 'PAR2024',
    rsc: 'ATHM100M--------------FNL-000100--',
    discipline: 'ATH',
    eventRsc: 'ATHM100M--------------------------',
    phaseRsc: 'ATHM100M--------------FNL---------',
    name: "Men's 100m Final",
    medal: true,
    status: 'SCHEDULED',
    startUtc: '2024-08-04T19:50:00Z',
    endUtc: '2024-08-04T20:00:00Z',
    venue: 'STA',
    location: 'Stade de France',
    timeZone: 'Europe/Paris',
    startLocal: '2024-08-04T21:50:00+02:00',
    endLocal: '2024-08-04T22:00:00+02:00',
    logicalDate: '2024-08-04',
    session: 'ATH11',
    version: 3,
    change: { id: 'c0a80121-7ac0-4e1c-9d4b-1f2e3d4c5b6a', kind: 'TIME_CHANGE', reason: 'TV schedule', by: 'u-1042' },
    updatedAt: '2024-08-01T09:12:00Z',
  },
});

/** An event of the schedule (a medal event or not) with its phases: what entries and results need of it. */
export const scheduleEventStateSchema = z
  .object({
    edition: z.string().min(1).meta({ description: 'Games edition code', examples: ['OG2024'] }),
    rsc: rscSchema.meta({ description: 'RSC of the event (phase and unit all "-")' }),
    discipline: disciplineCodeSchema,
    name: z.string().min(1),
    gender: z.enum(GENDERS).meta({ description: 'M men, W women, X mixed, O open' }),
    medal: z.boolean().meta({ description: 'True when the event awards medals' }),
    phases: z.array(z.object({ rsc: rscSchema, name: z.string().min(1), order: z.int().min(0) })),
    updatedAt: utcDateTimeSchema,
  })
  .superRefine((event, ctx) => {
    const parsed = parseRsc(event.rsc);
    if (!parsed.ok) return;
    if (parsed.value.eventCode !== event.rsc) {
      ctx.addIssue({ code: 'custom', path: ['rsc'], message: 'must be an event code (phase and unit all "-")' });
    }
    if (parsed.value.discipline !== event.discipline) {
      ctx.addIssue({ code: 'custom', path: ['discipline'], message: `must be ${parsed.value.discipline}, the discipline of the RSC` });
    }
  })
  .meta({ title: 'ScheduleEventState' });

export type ScheduleEventState = z.infer<typeof scheduleEventStateSchema>;

const SCHEDULE_EVENT_UPDATED_TYPE = 'podium.schedules.event.updated.v1';

export const scheduleEventUpdated = defineSubject({
  subject: 'oms.schedules.v1.event.{discipline}.updated',
  type: SCHEDULE_EVENT_UPDATED_TYPE,
  source: 'podium/schedules',
  stream: schedulesStream.name,
  title: 'Schedule event updated',
  description:
    'An event (e.g. Men\'s 100m) with its gender, medal flag and phases, published when a data pack creates or ' +
    'changes it. Entries and results take their events from here, never retyped.',
  version: 1,
  dataschema: dataschemaFor(SCHEDULE_EVENT_UPDATED_TYPE),
  data: scheduleEventStateSchema,
  tokens: {
    discipline: { description: 'ODF discipline code of the event', example: 'ATH' },
  },
  example: {
    edition: 'OG2024',
    rsc: 'ATHM100M--------------------------',
    discipline: 'ATH',
    name: "Men's 100m",
    gender: 'M',
    medal: true,
    phases: [
      { rsc: 'ATHM100M--------------HEAT--------', name: 'Round 1', order: 1 },
      { rsc: 'ATHM100M--------------FNL---------', name: 'Final', order: 3 },
    ],
    updatedAt: '2024-07-01T09:00:00Z',
  },
});

/** Schedules subjects, registered in the central registry (registry.ts). */
export const schedulesSubjects = [scheduleUnitUpdated, scheduleEventUpdated] as const;
export const schedulesStreams = [schedulesStream] as const;
