import {
  envelopeFor,
  type EnvelopeOf,
  type PayloadOf,
  subjectFor,
  type SubjectKey,
  type TokenArgs,
} from '@podium/contracts';
import { CORRELATION_ID_HEADER, type PublishArgs } from '@podium/platform';
import { headers as natsHeaders, type NatsConnection } from 'nats';
import type { TestNats } from '@podium/test-servers';

/** What {@link publishEvent} sent, and where JetStream stored it. */
export interface PublishedEvent<K extends SubjectKey> {
  /** Stream sequence. */
  seq: number;
  /** True when JetStream dropped it as a duplicate of an earlier publish with the same envelope id. */
  duplicate: boolean;
  /** The subject without the test's NATS prefix, e.g. 'oms.schedules.v1.unit.ATH.updated'. */
  subject: string;
  envelope: EnvelopeOf<K>;
}

/**
 * Publishes `data` on a subject of the contracts' typed map, as a service does through the platform's NatsPublisher:
 * the envelope built and validated by `envelopeFor` (type, source, dataschema from the registry; a wrong payload is a
 * compile error, an invalid one a ContractViolationError), the envelope id as Nats-Msg-Id, an `x-correlation-id`
 * header (default: the envelope id), on the concrete subject with the test's NATS prefix. Options as
 * `NatsPublisher.publish`: `tokens` (required when the template has tokens), `id`, `time`, `headers`.
 *
 * ```ts
 * await publishEvent(nc, nats, 'oms.schedules.v1.unit.{discipline}.updated', unit, { tokens: { discipline: 'ATH' } });
 * ```
 */
export async function publishEvent<K extends SubjectKey>(
  nc: NatsConnection,
  nats: Pick<TestNats, 'prefix'>,
  key: K,
  data: PayloadOf<K>,
  ...[options]: PublishArgs<K>
): Promise<PublishedEvent<K>> {
  const opts: { tokens?: unknown; id?: string; time?: Date | string; headers?: Readonly<Record<string, string>> } =
    options ?? {};
  const subject = subjectFor(key, ...([opts.tokens] as TokenArgs<K>));
  const envelope = envelopeFor(key, data, { id: opts.id, time: opts.time });
  const headers = natsHeaders();
  headers.set(CORRELATION_ID_HEADER, envelope.id);
  for (const [name, value] of Object.entries(opts.headers ?? {})) headers.set(name, value);
  const ack = await nc.jetstream().publish(`${nats.prefix}${subject}`, JSON.stringify(envelope), {
    msgID: envelope.id,
    headers,
  });
  return { seq: ack.seq, duplicate: ack.duplicate, subject, envelope };
}
