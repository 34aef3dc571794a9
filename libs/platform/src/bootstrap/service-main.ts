import type { DynamicModule, Type } from '@nestjs/common';
import { serviceDefinition } from '@podium/contracts';
import { writeFileSync } from 'node:fs';
import { applyMigrations } from '../migrations/apply-migrations';
import { ensureDatabase } from '../migrations/database';
import { type BootstrapServiceOptions, bootstrapService, createServiceOpenApiDocument } from './bootstrap';

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

/** The arguments of `main.js openapi`: `[--out <file>]` (default: standard output). */
export function parseOpenApiArgs(args: readonly string[]): { out: string | undefined } {
  let out: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--out' && args[i + 1] !== undefined && !args[i + 1]?.startsWith('--')) out = args[++i];
    else if (arg?.startsWith('--out=') && arg.length > '--out='.length) out = arg.slice('--out='.length);
    else throw new Error(`Unexpected argument '${arg}'. Usage: main.js openapi [--out <file>]`);
  }
  return { out };
}

/**
 * `node main.js openapi [--out file]`: the service's OpenAPI document as JSON (2-space indent, final newline), built
 * from its modules without configuration, database, NATS or a listening socket (createServiceOpenApiDocument).
 */
export async function writeServiceOpenApi(
  rootModule: Type<unknown> | DynamicModule,
  options: ServiceMainOptions,
  args: readonly string[],
): Promise<void> {
  const { out } = parseOpenApiArgs(args);
  const boot = serviceBootOptions(options);
  if (boot.openApi === false) throw new Error(`${options.name} serves no OpenAPI document`);
  const document = await createServiceOpenApiDocument(rootModule, { ...boot, openApi: boot.openApi });
  const text = `${JSON.stringify(document, null, 2)}\n`;
  if (out !== undefined) writeFileSync(out, text);
  else await new Promise<void>((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
}

/**
 * A service's entry point: `node main.js` starts it (bootstrapService, SERVICE_NAME and PORT defaulting to the
 * service list's); `node main.js migrate` applies its migrations and exits (npm start, the Helm migration hook Job);
 * `node main.js openapi [--out file]` prints (or writes) its OpenAPI document and exits, needing no database, NATS
 * or configuration (`npm run openapi`). Both exit with code 1 and the reason on failure.
 */
export function runService(rootModule: Type<unknown> | DynamicModule, options: ServiceMainOptions): void {
  if (process.argv[2] === 'openapi') {
    writeServiceOpenApi(rootModule, options, process.argv.slice(3)).then(
      // Exits at once: module files may have opened handles at import (none is needed for the document).
      () => process.exit(0),
      (error: unknown) => {
        console.error(error instanceof Error ? error.message : error);
        process.exit(1);
      },
    );
    return;
  }
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
