/** startPostgresCluster against Debian's PostgreSQL 15: restarts, a pause that freezes without closing, removal. */
import { existsSync } from 'node:fs';
import { Client } from 'pg';
import { type PostgresCluster, startPostgresCluster } from './postgres-cluster';

async function query(url: string, sql: string, timeoutMs = 2_000): Promise<unknown> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(sql)).rows[0];
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('startPostgresCluster', () => {
  let cluster: PostgresCluster | undefined;
  afterAll(async () => {
    await cluster?.stop();
  });

  it('runs a cluster of its own that restarts on the same port, pauses and is removed', async () => {
    cluster = await startPostgresCluster();
    const { url, dir } = cluster;
    expect(url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(cluster.url).not.toContain(':5432/');
    await query(url, 'CREATE TABLE t (v int)');
    await query(url, 'INSERT INTO t VALUES (1)');

    // A session open across a fast restart is ended with 57P01; the data stays.
    const held = new Client({ connectionString: url });
    const ended = new Promise<unknown>((resolve) => held.on('error', resolve));
    await held.connect();
    const firstPid = cluster.pid;
    const { downMs } = await cluster.restart('fast');
    expect(downMs).toBeGreaterThan(0);
    expect(await ended).toMatchObject({ code: '57P01' });
    expect(cluster.pid).not.toBe(firstPid);
    expect(await query(url, 'SELECT count(*)::int AS n FROM t')).toEqual({ n: 1 });

    // An immediate shutdown is a crash: committed rows survive it.
    await query(url, 'INSERT INTO t VALUES (2)');
    await cluster.restart('immediate');
    expect(await query(url, 'SELECT count(*)::int AS n FROM t')).toEqual({ n: 2 });

    // Paused: nothing answers, nothing is closed; resumed: the same server answers.
    await cluster.pause();
    await expect(query(url, 'SELECT 1', 1_000)).rejects.toThrow();
    expect(cluster.running).toBe(true);
    await cluster.resume();
    expect(await query(url, 'SELECT 1 AS one')).toEqual({ one: 1 });

    await cluster.stop();
    expect(cluster.running).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });
});
