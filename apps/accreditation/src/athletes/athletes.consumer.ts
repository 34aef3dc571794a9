import { athleteChanged, type AthleteState } from '@podium/contracts';
import type { ConsumerDefinition } from '@podium/platform';

/** The durable consumer of entries' athletes (declared in NatsModule; its name is granted in the NATS permissions). */
export const ENTRIES_ATHLETES_DURABLE = 'accreditation-entries-athletes';

/** `oms.entries.v1.athlete.*.changed` from the start of the ENTRIES stream: every athlete's latest state. */
export function entriesAthletesConsumer(): ConsumerDefinition<typeof athleteChanged.subject> {
  return { key: athleteChanged.subject, durable: ENTRIES_ATHLETES_DURABLE, deliverPolicy: 'all' };
}

export type { AthleteState };
