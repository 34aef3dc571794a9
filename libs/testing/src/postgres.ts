import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { applyMigrations, dropDatabase, ensureDatabase, withDatabase } from '@podium/platform';
import { postgresServer } from '@podium/test-servers';
import { z } from 'zod';
import { workspaceRoot } from './workspace';

export interface TestDatabase {
  /** postgres://... of the new database: hand it to the code under test as DATABASE_URL. */
  url: string;
  name: string;
  /** Drops the database (disconnecting its sessions). Safe to call twice. */
  drop(): Promise<void>;
}

const optionsSchema = z
  .object({
    /** A service of apps/: its prisma/migrations are applied. */
    service: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a service is a folder name of apps/, e.g. "schedules"').optional(),
    /** Or any Prisma migrations directory. */
    migrationsDir: z.string().min(1).optional(),
  })
  .refine((o) => o.service !== undefined || o.migrationsDir !== undefined, 'Pass { service } or { migrationsDir }');
export type CreateTestDatabaseOptions = z.input<typeof optionsSchema>;

/**
 * A new, uniquely named database (podium_t_<service>_<random>) with the service's migrations applied,
 * for one test file: create it in beforeAll, drop it in afterAll. Test files running in parallel never share one.
 */
export async function createTestDatabase(options: CreateTestDatabaseOptions): Promise<TestDatabase> {
  const { service, migrationsDir } = optionsSchema.parse(options);
  const dir = migrationsDir ?? join(workspaceRoot(), 'apps', service ?? '', 'prisma', 'migrations');
  const { url: serverUrl } = await postgresServer();
  const name = `podium_t_${(service ?? 'db').replace(/-/g, '_')}_${randomBytes(5).toString('hex')}`.slice(0, 63);
  const url = withDatabase(serverUrl, name);
  await ensureDatabase(url);
  const drop = async (): Promise<void> => {
    await dropDatabase(url);
  };
  try {
    await applyMigrations({ databaseUrl: url, migrationsDir: dir });
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  return { url, name, drop };
}
