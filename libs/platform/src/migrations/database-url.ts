import type { ClientConfig } from 'pg';

/** Quotes a PostgreSQL identifier: `my"db` -> `"my""db"`. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function parse(databaseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error('Invalid database URL: expected postgres://user@host:port/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`Invalid database URL: protocol must be postgres: or postgresql:, got ${url.protocol}`);
  }
  return url;
}

/** The database name of a postgres:// URL (its path), or throws when there is none. */
export function databaseNameOf(databaseUrl: string): string {
  const name = decodeURIComponent(parse(databaseUrl).pathname.replace(/^\//, ''));
  if (!name) throw new Error('The database URL names no database (expected postgres://user@host:port/<database>)');
  return name;
}

/** The same server and credentials, another database. */
export function withDatabase(databaseUrl: string, database: string): string {
  const url = parse(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** The PostgreSQL schema Prisma would use: the `schema` query parameter, default `public`. */
export function schemaOf(databaseUrl: string): string {
  return parse(databaseUrl).searchParams.get('schema') || 'public';
}

/** `host:port/database` without credentials: safe to log. */
export function describeDatabaseUrl(databaseUrl: string): string {
  const url = parse(databaseUrl);
  return `${url.hostname || 'localhost'}:${url.port || '5432'}/${decodeURIComponent(url.pathname.replace(/^\//, ''))}`;
}

/** A `pg` client config for the URL: Prisma's `schema` parameter is removed (pg does not know it). */
export function clientConfig(databaseUrl: string, extra: Partial<ClientConfig> = {}): ClientConfig {
  const url = parse(databaseUrl);
  url.searchParams.delete('schema');
  return { connectionString: url.toString(), ...extra };
}
