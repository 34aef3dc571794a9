import type { PgPool, PgTx } from '@podium/platform';
import { strictMock } from '@podium/testing';
import { UnitsCache } from './units.cache';

const CHANGE = { id: '00000000-0000-4000-8000-000000000001', kind: 'importDataPack', reason: 'data pack import', by: 'loader' };

/** A unit row as units.store selects it. */
function row(rsc: string, patch: Record<string, unknown> = {}) {
  return {
    rsc,
    discipline: rsc.slice(0, 3),
    eventRsc: `${rsc.slice(0, 22)}------------`,
    phaseRsc: `${rsc.slice(0, 25)}---------`,
    name: `Unit ${rsc.slice(0, 8)}`,
    medal: false,
    session: null,
    venue: 'STA',
    location: null,
    startUtc: new Date('2024-08-02T17:00:00Z'),
    endUtc: new Date('2024-08-02T19:00:00Z'),
    localDate: '2024-08-02',
    logicalDate: '2024-08-02',
    status: 'SCHEDULED',
    rescheduled: false,
    version: 1,
    updatedAt: new Date('2024-07-01T00:00:00Z'),
    lastChange: CHANGE,
    ...patch,
  };
}
const ATH = 'ATHM100M--------------FNL-000100--';
const SWM = 'SWMM100MFR------------FNL-000100--';

/**
 * The database as the cache reads it: the edition's revision (null: no edition) and units, which a test changes
 * between reads. `gate`, when set, holds every load inside its transaction until the test opens it.
 */
function fakeDatabase() {
  const db = {
    revision: 1 as number | null,
    units: [row(ATH), row(SWM, { venue: null })] as Record<string, unknown>[],
    revisionReads: 0,
    loads: 0,
    gate: undefined as Promise<void> | undefined,
  };
  const query = jest.fn(async (config: { name: string }) => {
    expect(config.name).toBe('units-edition-revision');
    db.revisionReads++;
    return { rows: db.revision === null ? [] : [{ revision: db.revision }] };
  });
  const transaction = jest.fn(async <T>(work: (tx: PgTx) => Promise<T>): Promise<T> => {
    db.loads++;
    // The snapshot: what the database holds when the transaction starts.
    const snapshot = { revision: db.revision, units: db.units };
    await db.gate;
    const tx = strictMock<PgTx>('tx', {
      query: (async (config: string | { name: string }) => {
        if (typeof config === 'string') {
          expect(config).toBe('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
          return { rows: [] };
        }
        switch (config.name) {
          case 'units-edition':
            return {
              rows: snapshot.revision === null ? [] : [{ code: 'OG2024', timeZone: 'Europe/Paris', logicalDayEnd: '03:00', revision: snapshot.revision }],
            };
          case 'units-venue-time-zones':
            return { rows: [{ code: 'STA', timeZone: 'Europe/Paris' }] };
          case 'units-of-edition':
            return { rows: snapshot.units };
          default:
            throw new Error(`unexpected statement ${config.name}`);
        }
      }) as unknown as PgTx['query'],
    });
    return work(tx);
  });
  const pool = strictMock<PgPool['pool']>('pg.pool', { query: query as unknown as PgPool['pool']['query'] });
  const pg = strictMock<PgPool>('pg', { pool, transaction: transaction as unknown as PgPool['transaction'] });
  return { db, pg };
}

describe('UnitsCache', () => {
  it('builds the published views once and serves them while the revision is unchanged', async () => {
    const { db, pg } = fakeDatabase();
    const cache = new UnitsCache(pg);
    const first = await cache.get('OG2024');
    expect(first?.revision).toBe(1);
    expect(first?.units.map((u) => u.rsc)).toEqual([ATH, SWM]);
    expect(first?.byDiscipline.get('SWM')?.map((u) => u.rsc)).toEqual([SWM]);
    expect(first?.byRsc.get(ATH)?.view).toMatchObject({
      edition: 'OG2024',
      rsc: ATH,
      discipline: 'ATH',
      timeZone: 'Europe/Paris',
      startLocal: '2024-08-02T19:00:00+02:00',
      endLocal: '2024-08-02T21:00:00+02:00',
      logicalDate: '2024-08-02',
      startUtc: '2024-08-02T17:00:00.000Z',
      updatedAt: '2024-07-01T00:00:00.000Z',
      change: CHANGE,
    });
    // No venue: the edition's zone.
    expect(first?.byRsc.get(SWM)?.view).toMatchObject({ venue: null, timeZone: 'Europe/Paris' });

    expect(await cache.get('OG2024')).toBe(first);
    expect(db).toMatchObject({ revisionReads: 2, loads: 1 });
  });

  it('loads again when a change bumped the revision (the change is seen by the next read)', async () => {
    const { db, pg } = fakeDatabase();
    const cache = new UnitsCache(pg);
    await cache.get('OG2024');
    db.revision = 2;
    db.units = [row(ATH, { status: 'RUNNING', version: 2 })];
    const next = await cache.get('OG2024');
    expect(next?.revision).toBe(2);
    expect(next?.units.map((u) => [u.rsc, u.status, u.view.version])).toEqual([[ATH, 'RUNNING', 2]]);
    expect(db.loads).toBe(2);
  });

  it('shares revision reads and one load between concurrent requests', async () => {
    const { db, pg } = fakeDatabase();
    const cache = new UnitsCache(pg);
    const results = await Promise.all([cache.get('OG2024'), cache.get('OG2024'), cache.get('OG2024')]);
    expect(new Set(results).size).toBe(1);
    // The first request's read, then one read for the two that came while it was in flight.
    expect(db).toMatchObject({ revisionReads: 2, loads: 1 });
  });

  it('does not serve a load that read an older snapshot than the revision a request saw', async () => {
    const { db, pg } = fakeDatabase();
    const cache = new UnitsCache(pg);
    let open = () => undefined as void;
    db.gate = new Promise<void>((resolve) => (open = resolve));
    const early = cache.get('OG2024'); // starts a load of revision 1, held at the gate
    await new Promise((resolve) => setImmediate(resolve));
    db.revision = 2;
    db.units = [row(ATH, { version: 2 })];
    const late = cache.get('OG2024'); // sees revision 2 while the load of revision 1 is pending
    await new Promise((resolve) => setImmediate(resolve));
    db.gate = undefined;
    open();
    expect((await early)?.revision).toBe(1);
    const served = await late;
    expect(served?.revision).toBe(2);
    expect(served?.units[0]?.view.version).toBe(2);
    expect(db.loads).toBe(2);
    expect(await cache.get('OG2024')).toBe(served);
  });

  it('answers null for an edition that does not exist, without loading', async () => {
    const { db, pg } = fakeDatabase();
    db.revision = null;
    expect(await new UnitsCache(pg).get('OG2024')).toBeNull();
    expect(db.loads).toBe(0);
  });

  it('serves frozen views: a caller cannot alter what the next requests get', async () => {
    const { pg } = fakeDatabase();
    const view = (await new UnitsCache(pg).get('OG2024'))?.byRsc.get(ATH)?.view;
    expect(Object.isFrozen(view)).toBe(true);
    expect(Object.isFrozen(view?.change)).toBe(true);
  });
});
