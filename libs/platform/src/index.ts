// The public API of @podium/platform: what services, other libs, tools and tests outside platform use, nothing else
// (`npx nx run lint-rules:public-api` lists what is unused). A name becomes public when it is listed here, not by being in a
// folder's index.ts; list it when a caller outside platform needs it. Platform's own files import by relative path.
export {
  configureApp,
  type ConfigureAppOptions,
  PLATFORM_APP_OPTIONS,
  PlatformModule,
  runService,
} from './bootstrap';
export {
  CONFIG,
  ConfigValidationError,
  defineConfig,
  envBoolean,
  envByteSize,
  envInt,
  envUrl,
  type InferConfig,
  type PlatformConfig,
  platformConfigSchema,
  redactConfig,
  secret,
} from './config';
export {
  EnvelopeCipher,
  EnvelopeError,
  type KeyRing,
  keyRingSchema,
  NO_PERSONAL_COLUMNS,
  openPersonalColumns,
  type PersonalColumns,
  type Sealed,
  sealedOfColumns,
  sealPersonalColumns,
} from './crypto';
export { AppLifecycle, HealthRegistry } from './health';
export {
  ApiProblemResponses,
  ApiZodResponse,
  type CachedBodyOptions,
  clientAddress,
  createHttpAdapter,
  type DryRunQuery,
  dryRunQuerySchema,
  Etag,
  type HotAnswer,
  type HotReader,
  HotReads,
  type HttpReply,
  type HttpRequest,
  ifNoneMatchMatches,
  JSON_MEDIA_TYPES,
  type PlatformApp,
  parseTrustedProxies,
  ProblemException,
  Public,
  PUBLIC_ROUTE,
  requestIs,
  type ResolvedProblem,
  resolveProblem,
  sendCached,
  stableStringify,
  type TrustedProxies,
  trustedProxiesSchema,
  ZodBody,
  ZodParam,
  ZodQuery,
} from './http';
export { createLogger, getCorrelationId, ROOT_LOGGER } from './logging';
export { MetricsService } from './metrics';
export {
  applyMigrations,
  describeDatabaseUrl,
  describeSqlError,
  dropDatabase,
  ensureDatabase,
  getMigrationStatus,
  withDatabase,
} from './migrations';
export {
  type ConsumerDefinition,
  CORRELATION_ID_HEADER,
  DEAD_LETTER_HEADERS,
  DEAD_LETTER_STREAM,
  DEAD_LETTER_SUBJECT_ROOT,
  NatsConnectionService,
  NatsConsumerRunner,
  NatsModule,
  NatsPublisher,
  NatsReplyError,
  NatsRpc,
  type PublishArgs,
  PULL_EXPIRES_MS,
  type ReplyContext,
} from './nats';
export {
  OutboxModule,
  OutboxRelay,
  type OutboxRelayStats,
  type OutboxTransaction,
  OutboxWriter,
} from './outbox';
export {
  createPrismaAdapter,
  DatabaseModule,
  type InteractiveTransactionClient,
  isUniqueViolation,
  PgPool,
  PgPoolModule,
  type PgTx,
  serializableTransaction,
  type SerializableTransactionOptions,
} from './prisma';
