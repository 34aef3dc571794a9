/** Injection token of the resolved {@link ResolvedNatsOptions}. */
export const NATS_OPTIONS = Symbol('NATS_OPTIONS');

/** Header carrying the correlation id across services (same name as the HTTP header). */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** Headers added to a dead letter, next to the original message's headers. */
export const DEAD_LETTER_HEADERS = {
  reason: 'x-dlq-reason',
  error: 'x-dlq-error',
  service: 'x-dlq-service',
  consumer: 'x-dlq-consumer',
  subject: 'x-dlq-original-subject',
  stream: 'x-dlq-original-stream',
  sequence: 'x-dlq-original-seq',
  deliveries: 'x-dlq-deliveries',
  time: 'x-dlq-time',
} as const;

/** Header of a request/reply error response (its body is a {@link NatsReplyError} JSON). */
export const REPLY_ERROR_HEADER = 'x-error';
