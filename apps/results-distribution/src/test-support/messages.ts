/**
 * Builders of what results-ingest and schedules publish, for this app's tests (the payloads are validated by the
 * contracts exactly as the service validates them).
 */
import {
  entryChanged,
  type EntryState,
  envelopeFor,
  resultsCurrentPublished,
  resultsDocumentPublished,
  resultsEventId,
  type ResultsMessage,
  resultsSubjectOf,
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
import { headers as natsHeaders, type JetStreamClient } from 'nats';

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

/** Publishes a results message as results-ingest does (envelope, Nats-Msg-Id); returns the stream sequence. */
export async function publishResult(js: JetStreamClient, prefix: string, data: ResultsMessage): Promise<number> {
  const key = data.documentType === 'DT_CURRENT' ? resultsCurrentPublished.subject : resultsDocumentPublished.subject;
  const id = resultsEventId(data.documentKey, data.version, data.resent ? `resent:${Date.now()}` : '');
  const envelope = envelopeFor(key, data as never, { id });
  const h = natsHeaders();
  h.set('x-correlation-id', id);
  const ack = await js.publish(`${prefix}${resultsSubjectOf(data)}`, Buffer.from(JSON.stringify(envelope)), {
    msgID: id,
    headers: h,
  });
  return ack.seq;
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

export async function publishScheduleUnit(js: JetStreamClient, prefix: string, unit: ScheduleUnitState): Promise<number> {
  const envelope = envelopeFor(scheduleUnitUpdated.subject, unit);
  const ack = await js.publish(
    `${prefix}oms.schedules.v1.unit.${unit.discipline}.updated`,
    Buffer.from(JSON.stringify(envelope)),
    { msgID: envelope.id },
  );
  return ack.seq;
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

export async function publishEntry(js: JetStreamClient, prefix: string, data: EntryState): Promise<number> {
  const envelope = envelopeFor(entryChanged.subject, data);
  const ack = await js.publish(
    `${prefix}oms.entries.v1.entry.${data.discipline}.changed`,
    Buffer.from(JSON.stringify(envelope)),
    { msgID: envelope.id },
  );
  return ack.seq;
}
