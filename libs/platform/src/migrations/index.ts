export {
  applyMigrations,
  describeSqlError,
  getMigrationStatus,
  PRISMA_MIGRATE_ADVISORY_LOCK,
  PRISMA_MIGRATIONS_TABLE_DDL,
  type ApplyMigrationsOptions,
  type ApplyMigrationsResult,
  type MigrationLogger,
  type MigrationStatus,
} from './apply-migrations';
export { checksumMatches, migrationChecksum } from './checksum';
export { ensureDatabase, dropDatabase } from './database';
export { databaseNameOf, describeDatabaseUrl, quoteIdent, schemaOf, withDatabase } from './database-url';
export { MigrationError, type MigrationErrorCode } from './migration-error';
export { readMigrations, type MigrationFile } from './migration-files';
export { planMigrations, migrationRowSchema, type MigrationPlan, type MigrationRow } from './migration-plan';
