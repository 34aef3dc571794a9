import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root (tools/db/src -> ../../..). */
export const WORKSPACE_ROOT = resolve(__dirname, '../../..');

export interface ServicePaths {
  service: string;
  prismaDir: string;
  schemaPath: string;
  migrationsDir: string;
}

/** Services are the folders of apps/ that own a prisma/schema.prisma. */
export function listServices(root = WORKSPACE_ROOT): string[] {
  const apps = join(root, 'apps');
  if (!existsSync(apps)) return [];
  return readdirSync(apps, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(apps, entry.name, 'prisma', 'schema.prisma')))
    .map((entry) => entry.name)
    .sort();
}

export function servicePaths(service: string, root = WORKSPACE_ROOT): ServicePaths {
  const prismaDir = join(root, 'apps', service, 'prisma');
  return { service, prismaDir, schemaPath: join(prismaDir, 'schema.prisma'), migrationsDir: join(prismaDir, 'migrations') };
}

/** `all` -> every service; a name -> that service, or an error listing the ones there are. */
export function resolveServices(arg: string | undefined, root = WORKSPACE_ROOT): string[] {
  const services = listServices(root);
  if (!arg) throw new UsageError(`Name a service or "all" (services: ${services.join(', ') || 'none'})`);
  if (arg === 'all') return services;
  if (!services.includes(arg)) {
    throw new UsageError(`Unknown service "${arg}": services are the apps with a prisma/schema.prisma (${services.join(', ') || 'none'})`);
  }
  return [arg];
}

/** The local development database of a service: postgres://postgres@127.0.0.1:5432/podium_<service_with_underscores>. */
export function defaultDatabaseUrl(service: string): string {
  return `postgres://postgres@127.0.0.1:5432/podium_${service.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** The server on which scratch (shadow) databases are created: SHADOW_DATABASE_URL, else DATABASE_URL's server, else local. */
export function scratchServerUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env['SHADOW_DATABASE_URL'] || env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** A mistake on the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
