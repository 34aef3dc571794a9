import { createPrismaAdapter } from './prisma.adapter';
import { parseDatabaseUrl, redactDatabaseUrl, searchPathOption } from './prisma.url';

describe('database URL helpers', () => {
  it('takes the schema parameter off the URL', () => {
    expect(parseDatabaseUrl('postgres://u:p@db:5432/app?schema=t_1&sslmode=disable')).toEqual({
      connectionString: 'postgres://u:p@db:5432/app?sslmode=disable',
      schema: 't_1',
    });
    expect(parseDatabaseUrl('postgresql://db/app')).toEqual({
      connectionString: 'postgresql://db/app',
      schema: undefined,
    });
  });

  it('rejects what is not a PostgreSQL URL or a bad schema name', () => {
    expect(() => parseDatabaseUrl('not a url')).toThrow('DATABASE_URL is not a valid URL');
    expect(() => parseDatabaseUrl('mysql://db/app')).toThrow('postgres://');
    expect(() => parseDatabaseUrl('postgres://db/app?schema=a;drop')).toThrow('invalid schema');
  });

  it('masks the password', () => {
    expect(redactDatabaseUrl('postgres://app:s3cret@db:5432/app')).toBe('postgres://app:***@db:5432/app');
    expect(redactDatabaseUrl('postgres://db/app')).toBe('postgres://db/app');
    expect(redactDatabaseUrl('::')).toBe('(invalid database URL)');
  });

  it('sets the search path for a schema', () => {
    expect(searchPathOption('t_1')).toBe('-c search_path="t_1"');
    expect(searchPathOption(undefined)).toBeUndefined();
  });

  it('builds a PrismaPg adapter', () => {
    const adapter = createPrismaAdapter('postgres://u:p@127.0.0.1:5432/app?schema=s1');
    expect(adapter.provider).toBe('postgres');
  });
});
