import { clientConfig, databaseNameOf, describeDatabaseUrl, quoteIdent, schemaOf, withDatabase } from './database-url';

describe('database URLs', () => {
  const url = 'postgres://app:s3cret@db.example:6432/podium_schedules?schema=sched&sslmode=require';

  it('reads the database name and the Prisma schema parameter', () => {
    expect(databaseNameOf(url)).toBe('podium_schedules');
    expect(schemaOf(url)).toBe('sched');
    expect(schemaOf('postgresql://localhost/x')).toBe('public');
  });

  it('swaps the database and keeps credentials and parameters', () => {
    const other = withDatabase(url, 'postgres');
    expect(databaseNameOf(other)).toBe('postgres');
    expect(other).toContain('app:s3cret@db.example:6432');
    expect(other).toContain('sslmode=require');
  });

  it('describes a URL without its credentials', () => {
    expect(describeDatabaseUrl(url)).toBe('db.example:6432/podium_schedules');
    expect(describeDatabaseUrl(url)).not.toContain('s3cret');
  });

  it('removes the schema parameter pg does not understand', () => {
    expect(clientConfig(url).connectionString).not.toContain('schema=');
    expect(clientConfig(url).connectionString).toContain('sslmode=require');
  });

  it('rejects URLs without a database or of another protocol', () => {
    expect(() => databaseNameOf('postgres://localhost:5432')).toThrow(/names no database/);
    expect(() => databaseNameOf('mysql://localhost/x')).toThrow(/protocol/);
    expect(() => databaseNameOf('not a url')).toThrow(/Invalid database URL/);
  });

  it('quotes identifiers', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
  });
});
