import type { DynamicModule, Type } from '@nestjs/common';
import { serviceDefinition } from '@podium/contracts';
import { applyMigrations } from '../migrations/apply-migrations';
import { ensureDatabase } from '../migrations/database';
import { type BootstrapServiceOptions, bootstrapService } from './bootstrap';

export interface ServiceMainOptions extends Omit<BootstrapServiceOptions, 'defaultPort'> {
  /** The service's name in libs/contracts/src/services.json, which gives its default PORT. */
  name: string;
  /** The service's Prisma migrations in the build output (e.g. `join(__dirname, 'prisma', 'migrations')`). */
  migrationsDir?: string;
}

/** What runService boots a listed service with: its SERVICE_NAME and default PORT from the service list. */
export function serviceBootOptions(options: ServiceMainOptions): BootstrapServiceOptions {
  const { migrationsDir: _migrationsDir, ...boot } = options;
  return { ...boot, defaultPort: serviceDefinition(options.name).port };
}

/** `node main.js migrate`: creates the database if missing and applies the service's migrations to DATABASE_URL. */
export async function migrateService(name: string, migrationsDir: string, env = process.env): Promise<void> {
  const databaseUrl = env['DATABASE_URL'];
  if (!databaseUrl) throw new Error('DATABASE_URL is required to migrate');
  await ensureDatabase(databaseUrl);
  const result = await applyMigrations({
    databaseUrl,
    migrationsDir,
    logger: { info: (m: string) => console.log(m), warn: (m: string) => console.warn(m) },
  });
  console.log(`${name}: ${result.applied.length} migration(s) applied, ${result.alreadyApplied} already applied`);
}

/**
 * A service's entry point: `node main.js` starts it (bootstrapService, SERVICE_NAME and PORT defaulting to the
 * service list's); `node main.js migrate` applies its migrations and exits (npm start, the Helm migration hook Job),
 * with exit code 1 and the reason on failure.
 */
export function runService(rootModule: Type<unknown> | DynamicModule, options: ServiceMainOptions): void {
  if (process.argv[2] === 'migrate') {
    if (!options.migrationsDir) {
      console.error(`${options.name} has no database: nothing to migrate`);
      process.exit(1);
    }
    migrateService(options.name, options.migrationsDir).catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
    return;
  }
  void bootstrapService(rootModule, serviceBootOptions(options));
}
