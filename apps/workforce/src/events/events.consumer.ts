import {
  applicationErased,
  cardChanged,
  cardIssued,
  cardRevoked,
  cardSuspended,
  volunteerConfirmed,
  volunteerErased,
  volunteerWithdrawn,
} from '@podium/contracts';
import type { ConsumerDefinition } from '@podium/platform';
import { scheduleUnitsConsumer } from '@podium/schedule-follower';

/**
 * The workforce service's durable consumers (declared in NatsModule; their names are granted in the NATS permissions,
 * tools/helm/nats-permissions.ts). One consumer per contract subject, each from the start of its stream: consumers are
 * not ordered between them, the events' versions (and the erasure tombstones) order them.
 */
export const VOLUNTEERS_CONFIRMED_DURABLE = 'workforce-volunteers-confirmed';
export const VOLUNTEERS_WITHDRAWN_DURABLE = 'workforce-volunteers-withdrawn';
export const VOLUNTEERS_ERASED_DURABLE = 'workforce-volunteers-erased';
export const CARDS_ISSUED_DURABLE = 'workforce-cards-issued';
export const CARDS_CHANGED_DURABLE = 'workforce-cards-changed';
export const CARDS_SUSPENDED_DURABLE = 'workforce-cards-suspended';
export const CARDS_REVOKED_DURABLE = 'workforce-cards-revoked';
export const APPLICATIONS_ERASED_DURABLE = 'workforce-applications-erased';
export const SCHEDULE_UNITS_DURABLE = 'workforce-schedule-units';

export const volunteersConfirmedConsumer = (): ConsumerDefinition<typeof volunteerConfirmed.subject> => ({
  key: volunteerConfirmed.subject,
  durable: VOLUNTEERS_CONFIRMED_DURABLE,
  deliverPolicy: 'all',
});
export const volunteersWithdrawnConsumer = (): ConsumerDefinition<typeof volunteerWithdrawn.subject> => ({
  key: volunteerWithdrawn.subject,
  durable: VOLUNTEERS_WITHDRAWN_DURABLE,
  deliverPolicy: 'all',
});
export const volunteersErasedConsumer = (): ConsumerDefinition<typeof volunteerErased.subject> => ({
  key: volunteerErased.subject,
  durable: VOLUNTEERS_ERASED_DURABLE,
  deliverPolicy: 'all',
});

/** The four card subjects carry the same payload (the card's whole state): one consumer each. */
export const cardConsumers = () =>
  [
    { key: cardIssued.subject, durable: CARDS_ISSUED_DURABLE, deliverPolicy: 'all' } satisfies ConsumerDefinition<typeof cardIssued.subject>,
    { key: cardChanged.subject, durable: CARDS_CHANGED_DURABLE, deliverPolicy: 'all' } satisfies ConsumerDefinition<typeof cardChanged.subject>,
    { key: cardSuspended.subject, durable: CARDS_SUSPENDED_DURABLE, deliverPolicy: 'all' } satisfies ConsumerDefinition<typeof cardSuspended.subject>,
    { key: cardRevoked.subject, durable: CARDS_REVOKED_DURABLE, deliverPolicy: 'all' } satisfies ConsumerDefinition<typeof cardRevoked.subject>,
  ] as const;

export const applicationsErasedConsumer = (): ConsumerDefinition<typeof applicationErased.subject> => ({
  key: applicationErased.subject,
  durable: APPLICATIONS_ERASED_DURABLE,
  deliverPolicy: 'all',
});

/** Every consumer of the event reactions, for NatsModule (the schedule follower's units consumer included). */
export function eventConsumers(): ConsumerDefinition[] {
  return [
    volunteersConfirmedConsumer(),
    volunteersWithdrawnConsumer(),
    volunteersErasedConsumer(),
    ...cardConsumers(),
    applicationsErasedConsumer(),
    scheduleUnitsConsumer(SCHEDULE_UNITS_DURABLE),
  ] as ConsumerDefinition[];
}
