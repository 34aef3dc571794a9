export { createPrismaAdapter } from './prisma.adapter';
export { isUniqueViolation } from './prisma.errors';
export { parseDatabaseUrl, searchPathOption } from './prisma.url';
export { DatabaseModule } from './database.module';
export { PgPool, type PgTx } from './pg-pool';
export { PgPoolModule } from './pg-pool.module';
export {
  serializableTransaction,
  type InteractiveTransactionClient,
  type SerializableTransactionOptions,
} from './serializable-transaction';
