export { applyMigrations, describeSqlError, getMigrationStatus } from './apply-migrations';
export { ensureDatabase, dropDatabase } from './database';
export { describeDatabaseUrl, withDatabase } from './database-url';
