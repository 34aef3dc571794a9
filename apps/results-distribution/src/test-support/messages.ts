/**
 * What results-ingest, schedules and entries publish, for this app's tests: builders of the payloads, and publishers
 * that send them as those services do (typed subjects of the contracts; payloads validated by the contracts exactly as
 * this service validates them).
 */
import {
  entryChanged,
  type EntryState,
  type PayloadOf,
  resultsCurrentPublished,
  resultsDocumentPublished,
  resultsEventId,
  type ResultsMessage,
  resultsSubjectTokens,
  syntheticResultsData,
  scheduleUnitUpdated,
  type ScheduleUnitState,
} from '@podium/contracts';
import {
  makeCurrentMessage,
  makeMedallistsMessage,
  makeResultMessage,
  type SyntheticMedallistsOptions,
  type SyntheticResultOptions,
} from '@podium/odf-message';
import { parseRsc } from '@podium/odf';
import type { TestService } from '@podium/testing';

export const UNIT = 'ATHM100M--------------FNL-000100--';
export const HEAT = 'ATHM100M--------------HEAT000100--';
export const SWIM_UNIT = 'SWMW100MFR------------FNL-000100--';

export function result(options: SyntheticResultOptions, extra: Partial<ResultsMessage> = {}): ResultsMessage {
  return syntheticResultsData(makeResultMessage(options).json, extra);
}

export function current(options: SyntheticResultOptions): ResultsMessage {
  return syntheticResultsData(makeCurrentMessage(options).json);
}

export function medallists(options: SyntheticMedallistsOptions, extra: Partial<ResultsMessage> = {}): ResultsMessage {
  return syntheticResultsData(makeMedallistsMessage(options).json, extra);
}

/** What publishes for a test: a started service (TestService.publish, the test's NATS prefix). */
type Publisher = Pick<TestService, 'publish'>;

/** Publishes a results message as results-ingest does (subject, envelope id = Nats-Msg-Id, time); returns the stream sequence. */
export async function publishResult(to: Publisher, data: ResultsMessage): Promise<number> {
  const id = resultsEventId(data.documentKey, data.version, data.resent ? `resent:${Date.now()}` : '');
  const options = { tokens: resultsSubjectTokens(data), id, time: data.receivedAt };
  const sent =
    data.documentType === 'DT_CURRENT'
      ? await to.publish(resultsCurrentPublished.subject, data as PayloadOf<typeof resultsCurrentPublished.subject>, options)
      : await to.publish(resultsDocumentPublished.subject, data as PayloadOf<typeof resultsDocumentPublished.subject>, options);
  return sent.seq;
}

/** A schedule unit state as the schedules service publishes it. */
export function scheduleUnit(rsc: string, overrides: Partial<ScheduleUnitState> = {}): ScheduleUnitState {
  const parsed = parseRsc(rsc);
  if (!parsed.ok) throw new Error(parsed.error);
  return {
    ...scheduleUnitUpdated.example,
    rsc,
    discipline: parsed.value.discipline,
    eventRsc: parsed.value.eventCode,
    phaseRsc: parsed.value.phaseCode,
    name: `Unit ${rsc}`,
    version: 1,
    change: null,
    ...overrides,
  };
}

/** Publishes a schedule unit as the schedules service does; returns the stream sequence. */
export async function publishScheduleUnit(to: Publisher, unit: ScheduleUnitState): Promise<number> {
  return (await to.publish(scheduleUnitUpdated.subject, unit, { tokens: { discipline: unit.discipline } })).seq;
}

export const EVENT = 'ATHM100M--------------------------';

/** An entry state as the entries service publishes it: one athlete of `noc` in EVENT unless overridden. */
export function entry(
  id: string,
  noc: string,
  familyName: string,
  overrides: Partial<EntryState> = {},
): EntryState {
  const member = { athleteId: id, ifId: null, familyName, givenName: 'A', gender: 'M', role: 'STARTER', slot: null } as const;
  return { ...entryChanged.example, id, noc, event: EVENT, discipline: 'ATH', members: [member], version: 1, ...overrides };
}

/** Publishes an entry as the entries service does; returns the stream sequence. */
export async function publishEntry(to: Publisher, data: EntryState): Promise<number> {
  return (await to.publish(entryChanged.subject, data, { tokens: { discipline: data.discipline } })).seq;
}
