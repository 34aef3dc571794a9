export { NatsModule, type NatsModuleAsyncOptions, type ServiceNatsOptions } from './nats.module';
export { NatsConnectionService } from './nats.connection';
export {
  NatsPublisher,
  type PublishArgs,
  type PublishOptions,
  type PublishResult,
  type EnvelopeLike,
} from './nats.publisher';
export {
  NatsConsumerRunner,
  type ConsumerHandle,
  type ConsumerStats,
  type MessageContext,
  type MessageHandler,
} from './nats.consumer';
export {
  NatsRpc,
  NatsReplyError,
  NatsRequestError,
  type HandleOptions,
  type NatsReplyErrorCode,
  type ReplyContext,
  type ReplyHandler,
  type RequestOptions,
} from './nats.rpc';
export {
  CONSUMER_DEFAULTS,
  type ConsumerDefinition,
  type NatsModuleOptions,
  type ResolvedNatsOptions,
  resolveNatsOptions,
} from './nats.options';
export {
  CORRELATION_ID_HEADER,
  DEAD_LETTER_HEADERS,
  NATS_OPTIONS,
  REPLY_ERROR_HEADER,
} from './nats.constants';
export {
  DEAD_LETTER_STREAM,
  DEAD_LETTER_SUBJECT_ROOT,
  NatsNaming,
  normalizePrefix,
} from './nats.naming';
export { type DeadLetterReason } from './nats.dead-letter';
export {
  consumerTarget,
  deadLetterStream,
  ensureConsumer,
  ensureStream,
  SERVER_DELIVERY_MARGIN,
  streamConfig,
  type DeclarationOutcome,
} from './nats.declarations';
