import { DEAD_LETTER_HEADERS } from './nats.constants';
import { sanitizeHeaderValue } from './nats.headers';

export type DeadLetterReason = 'invalid-payload' | 'max-attempts';

export interface DeadLetterFacts {
  reason: DeadLetterReason;
  error: string;
  service: string;
  consumer: string;
  /** Logical subject of the original message. */
  subject: string;
  stream: string;
  sequence: number;
  deliveries: number;
  time: Date;
}

/**
 * Headers of a dead letter: the original headers (minus the JetStream control headers such as Nats-Msg-Id and
 * Nats-Expected-*, which would make the dead-letter stream reject or de-duplicate it) plus the failure facts.
 */
export function deadLetterHeaders(
  original: Readonly<Record<string, string>>,
  facts: DeadLetterFacts,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(original)) {
    if (!/^nats-/i.test(name)) out[name] = value;
  }
  out[DEAD_LETTER_HEADERS.reason] = facts.reason;
  out[DEAD_LETTER_HEADERS.error] = sanitizeHeaderValue(facts.error);
  out[DEAD_LETTER_HEADERS.service] = facts.service;
  out[DEAD_LETTER_HEADERS.consumer] = facts.consumer;
  out[DEAD_LETTER_HEADERS.subject] = facts.subject;
  out[DEAD_LETTER_HEADERS.stream] = facts.stream;
  out[DEAD_LETTER_HEADERS.sequence] = String(facts.sequence);
  out[DEAD_LETTER_HEADERS.deliveries] = String(facts.deliveries);
  out[DEAD_LETTER_HEADERS.time] = facts.time.toISOString();
  return out;
}

/** Dedupe key of a dead letter: the same stored message dead-lettered twice (crash before term) is stored once. */
export function deadLetterMsgId(stream: string, sequence: number, consumer: string): string {
  return `dlq:${stream}:${sequence}:${consumer}`;
}
