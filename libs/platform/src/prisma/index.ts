export { createPrismaAdapter, type PrismaAdapterOptions } from './prisma.adapter';
export {
  connectWithRetry,
  PrismaLifecycle,
  registerDatabaseHealth,
  type ConnectWithRetryOptions,
  type DatabaseHealthOptions,
  type PrismaClientLike,
} from './prisma.lifecycle';
export {
  isSerializationFailure,
  isUniqueViolation,
  prismaErrorCode,
  sqlState,
  withSerializableRetry,
  type SerializableRetryOptions,
} from './prisma.errors';
export { parseDatabaseUrl, redactDatabaseUrl, searchPathOption, type ParsedDatabaseUrl } from './prisma.url';
export { DatabaseModule, type PrismaClientClass } from './database.module';
export {
  SERIALIZABLE_TRANSACTION_DEFAULTS,
  SERIALIZATION_CONFLICT_SLUG,
  serializableTransaction,
  type InteractiveTransactionClient,
  type SerializableTransactionOptions,
} from './serializable-transaction';
