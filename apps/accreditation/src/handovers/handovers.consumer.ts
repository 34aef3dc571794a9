import { memberChanged, volunteerConfirmed, volunteerErased, volunteerWithdrawn } from '@podium/contracts';
import type { ConsumerDefinition } from '@podium/platform';

/** The durable consumers of the hand-overs (declared in NatsModule; their names are granted in the NATS permissions). */
export const VOLUNTEERS_CONFIRMED_DURABLE = 'accreditation-volunteers-confirmed';
export const VOLUNTEERS_WITHDRAWN_DURABLE = 'accreditation-volunteers-withdrawn';
export const VOLUNTEERS_ERASED_DURABLE = 'accreditation-volunteers-erased';
export const WORKFORCE_MEMBERS_DURABLE = 'accreditation-workforce-members';

/**
 * `oms.volunteers.v1.volunteer.*.confirmed` from the start of the VOLUNTEERS stream. One consumer per subject (a
 * consumer follows one contract subject): the two are not ordered between them, the versions order them.
 */
export function volunteersConfirmedConsumer(): ConsumerDefinition<typeof volunteerConfirmed.subject> {
  return { key: volunteerConfirmed.subject, durable: VOLUNTEERS_CONFIRMED_DURABLE, deliverPolicy: 'all' };
}

/** `oms.volunteers.v1.volunteer.*.withdrawn` from the start of the VOLUNTEERS stream. */
export function volunteersWithdrawnConsumer(): ConsumerDefinition<typeof volunteerWithdrawn.subject> {
  return { key: volunteerWithdrawn.subject, durable: VOLUNTEERS_WITHDRAWN_DURABLE, deliverPolicy: 'all' };
}

/** `oms.volunteers.v1.volunteer.*.erased` (ids only) from the start of the VOLUNTEERS stream: the hand-over's copy emptied. */
export function volunteersErasedConsumer(): ConsumerDefinition<typeof volunteerErased.subject> {
  return { key: volunteerErased.subject, durable: VOLUNTEERS_ERASED_DURABLE, deliverPolicy: 'all' };
}

/** `oms.workforce.v1.member.*.changed` from the start of the WORKFORCE stream (staff and contractors are kept). */
export function workforceMembersConsumer(): ConsumerDefinition<typeof memberChanged.subject> {
  return { key: memberChanged.subject, durable: WORKFORCE_MEMBERS_DURABLE, deliverPolicy: 'all' };
}

/** Every hand-over consumer, for NatsModule. */
export function handoverConsumers(): ConsumerDefinition[] {
  return [volunteersConfirmedConsumer(), volunteersWithdrawnConsumer(), volunteersErasedConsumer(), workforceMembersConsumer()] as ConsumerDefinition[];
}
