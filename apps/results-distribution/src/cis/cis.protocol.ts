import { z } from 'zod';
import { documentFilterSchema } from '../state/filter';

/** Version of the CIS protocol (sent in `welcome`). */
export const CIS_PROTOCOL_VERSION = 1;

const subscriptionId = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'expected 1-64 characters A-Z, a-z, 0-9, "_", ".", ":" or "-"');

/**
 * `{"action":"subscribe","discipline":"ATH"}` (also `rsc`, `documentType`, combined with AND); `id` names the
 * subscription (default s1, s2…); `after` is the last sequence the client saw, to resume instead of taking a snapshot.
 * `{"action":"subscribe","medals":true}` follows the medal table; `{"action":"subscribe","schedule":true}` the schedule.
 */
export const subscribeCommandSchema = documentFilterSchema.extend({
  action: z.literal('subscribe'),
  id: subscriptionId.optional(),
  after: z.int().min(0).optional(),
  medals: z.literal(true).optional(),
  schedule: z.literal(true).optional(),
});

export const cisCommandSchema = z.discriminatedUnion('action', [
  subscribeCommandSchema,
  z.strictObject({ action: z.literal('unsubscribe'), id: subscriptionId }),
  /** Asks for a new snapshot of one subscription (or all of them). */
  z.strictObject({ action: z.literal('snapshot'), id: subscriptionId.optional() }),
  z.strictObject({ action: z.literal('ping') }),
]);

export type CisCommand = z.infer<typeof cisCommandSchema>;
export type SubscribeCommand = z.infer<typeof subscribeCommandSchema>;

/** Close codes the server uses. */
export const CIS_CLOSE = {
  /** The client did not read fast enough: its queue overflowed (reason in the close frame). */
  slowConsumer: 4008,
  /** Too many connections on this instance: try another or later. */
  tryAgainLater: 1013,
  /** The server is shutting down. */
  goingAway: 1001,
  /** No pong to the server's ping within the heartbeat interval. */
  unresponsive: 4000,
  /** No subscription for CIS_SUBSCRIBE_TIMEOUT_MS (a connection that follows nothing holds a slot for nothing). */
  noSubscription: 4001,
} as const;

/** Reasons in the close frames (at most 123 bytes). */
export const CIS_CLOSE_REASON = {
  full: 'too many connections on this instance',
  address: 'too many connections from this address',
  noSubscription: 'no subscription',
} as const;

/** Documents per snapshot message. */
export const SNAPSHOT_PART_SIZE = 200;
