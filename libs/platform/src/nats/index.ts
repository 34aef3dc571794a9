export { NatsModule } from './nats.module';
export { NatsConnectionService } from './nats.connection';
export { NatsPublisher, type PublishArgs } from './nats.publisher';
export { NatsConsumerRunner, PULL_EXPIRES_MS } from './nats.consumer';
export { NatsMetrics, NATS_DURATION_BUCKETS, type ConsumeOutcome, type PublishOutcome } from './nats.metrics';
export { NatsRpc, NatsReplyError, type ReplyContext } from './nats.rpc';
export { type ConsumerDefinition } from './nats.options';
export { CORRELATION_ID_HEADER, DEAD_LETTER_HEADERS } from './nats.constants';
export { DEAD_LETTER_STREAM, DEAD_LETTER_SUBJECT_ROOT } from './nats.naming';
