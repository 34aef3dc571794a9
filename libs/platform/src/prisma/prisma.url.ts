/** A DATABASE_URL split into what `pg` understands and the Prisma-style `?schema=` parameter. */
export interface ParsedDatabaseUrl {
  /** The URL without the `schema` parameter (pg does not know it). */
  connectionString: string;
  /** The PostgreSQL schema named by `?schema=`, if any. */
  schema?: string;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** Reads `?schema=` (Prisma's convention) off a PostgreSQL URL. */
export function parseDatabaseUrl(databaseUrl: string): ParsedDatabaseUrl {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error('DATABASE_URL is not a valid URL (expected postgres://user:password@host:port/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`DATABASE_URL must use postgres:// or postgresql://, got ${url.protocol}//`);
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`DATABASE_URL has an invalid schema parameter '${schema}'`);
  }
  url.searchParams.delete('schema');
  return { connectionString: url.toString(), schema };
}

/** The URL with its password masked, for logs and error messages. */
export function redactDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(invalid database URL)';
  }
}

/** pg connection settings that make unqualified names (raw SQL) resolve in the URL's schema too. */
export function searchPathOption(schema: string | undefined): string | undefined {
  return schema ? `-c search_path="${schema}"` : undefined;
}
