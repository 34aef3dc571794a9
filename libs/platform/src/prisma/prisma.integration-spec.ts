/** The adapter against the integration tests' PostgreSQL (@podium/test-servers), in a database of its own (dropped afterwards). */
import { postgresServer } from '@podium/test-servers';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { withDatabase } from '../migrations/database-url';
import { createPrismaAdapter } from './prisma.adapter';
import { isSerializationFailure, isUniqueViolation, sqlState } from './prisma.errors';

const databaseName = `podium_it_prisma_${randomBytes(4).toString('hex')}`;
let databaseUrl: string;
let adminDb: Client;

beforeAll(async () => {
  const { url: serverUrl } = await postgresServer();
  databaseUrl = withDatabase(serverUrl, databaseName);
  adminDb = new Client({ connectionString: serverUrl });
  await adminDb.connect();
  await adminDb.query(`CREATE DATABASE "${databaseName}"`);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query('CREATE SCHEMA tenant_a; CREATE TABLE tenant_a.item (code TEXT PRIMARY KEY)');
  await db.end();
});

afterAll(async () => {
  await adminDb.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  await adminDb.end();
});

describe('createPrismaAdapter', () => {
  it('runs raw SQL in the schema named by ?schema= and surfaces classifiable errors', async () => {
    const adapter = await createPrismaAdapter(`${databaseUrl}?schema=tenant_a`).connect();
    try {
      const schema = await adapter.queryRaw({ sql: 'SELECT current_schema()', args: [], argTypes: [] });
      expect(schema.rows).toEqual([['tenant_a']]);
      const insert = () => ({
        sql: 'INSERT INTO item (code) VALUES ($1)',
        args: ['ATH'],
        argTypes: [{ scalarType: 'string' as const, arity: 'scalar' as const }],
      });
      await expect(adapter.executeRaw(insert())).resolves.toBe(1);
      const duplicate = await adapter.executeRaw(insert()).catch((err: unknown) => err);
      expect(sqlState(duplicate)).toBe('23505');
      expect(isUniqueViolation(duplicate)).toBe(true);
      expect(isSerializationFailure(duplicate)).toBe(false);
    } finally {
      await adapter.dispose();
    }
  });
});
