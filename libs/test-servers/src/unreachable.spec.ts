import { resolveNatsServer } from './nats';
import { resolvePostgresServer } from './postgres';

// Port 1 on the loopback: nothing listens there. Docker is switched off so that only the local path is taken.
describe('without services', () => {
  it('fails with instructions instead of skipping when PostgreSQL is not reachable', async () => {
    const error = await resolvePostgresServer({ PODIUM_TESTCONTAINERS: 'off', TEST_DATABASE_URL: 'postgres://postgres:pw@127.0.0.1:1/x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/^Integration tests need PostgreSQL, and there is none: .*127\.0\.0\.1:1\/postgres/);
    expect(message).toContain('`npm start`');
    expect(message).toContain('tools/dev/services.sh');
    expect(message).toContain('pg_ctlcluster 15 main start');
    expect(message).not.toContain(':pw@');
  });

  it('fails with instructions when NATS is not reachable', async () => {
    const error = await resolveNatsServer({ PODIUM_TESTCONTAINERS: 'off', NATS_URL: 'nats://127.0.0.1:1' }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^Integration tests need NATS with JetStream, and there is none: .*nats:\/\/127\.0\.0\.1:1/);
    expect((error as Error).message).toContain('`npm start`');
  });
});
