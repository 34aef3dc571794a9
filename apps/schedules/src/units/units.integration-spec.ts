/**
 * The units read kept in memory (UnitsCache), with two replicas of the service on one database: a change written
 * through one replica is in the very next read of the other (no wait, no NATS), and so is a data pack import.
 */
import { startTestService, type TestService } from '@podium/testing';
import { AppModule } from '../app/app.module';
import { type Harness, demoPack, startSchedules } from '../test-support/harness';

interface UnitState {
  rsc: string;
  venue: string | null;
  status: string;
  version: number;
  startLocal: string | null;
}
interface Page {
  items: UnitState[];
  nextCursor: string | null;
}

describe('the units query with two replicas', () => {
  let a: Harness;
  let b: TestService;
  let manager: string;

  beforeAll(async () => {
    a = await startSchedules();
    if (!a.db) throw new Error('replica a has no database');
    // A second replica: the same database and NATS prefix, its own process state (and cache).
    b = await startTestService({
      service: 'schedules',
      module: AppModule,
      database: false,
      env: { DATABASE_URL: a.db.url, NATS_PREFIX: a.nats.prefix },
    });
    manager = await a.token(['schedule-manager'], 'alice');
    const imported = await a.request('/v1/data-packs', { method: 'POST', token: manager, json: await demoPack() });
    expect(imported.status).toBe(200);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const units = async (service: Pick<TestService, 'request'>, query: string) => {
    const res = await service.request(`/v1/editions/OG2024/units?${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as Page;
  };
  const unit = async (service: Pick<TestService, 'request'>, rsc: string) => {
    const res = await service.request(`/v1/editions/OG2024/units/${rsc}`);
    expect(res.status).toBe(200);
    return { etag: res.headers.get('etag'), state: (await res.json()) as UnitState };
  };

  it('answers the same on both replicas, and 404 for an unknown edition or unit', async () => {
    const query = 'discipline=ATH&medal=true&limit=3';
    expect(await units(b, query)).toEqual(await units(a, query));
    expect((await a.request('/v1/editions/XX2099/units')).status).toBe(404);
    expect(await (await b.request('/v1/editions/XX2099/units/ATHM100M--------------FNL-000100--')).json()).toMatchObject({
      type: 'https://podium.dev/problems/edition-not-found',
    });
    expect(await (await b.request('/v1/editions/OG2024/units/ATHM999M--------------FNL-000100--')).json()).toMatchObject({
      type: 'https://podium.dev/problems/unit-not-found',
    });
  });

  it("shows a change applied through one replica in the other replica's next read", async () => {
    const [target] = (await units(b, 'discipline=SWM&limit=1')).items;
    if (!target) throw new Error('no SWM unit in the demo pack');
    const before = await unit(b, target.rsc); // both replicas have read the state before the change
    await unit(a, target.rsc);
    expect((await units(b, 'runningNow=true')).items.map((u) => u.rsc)).not.toContain(target.rsc);

    const res = await a.request('/v1/editions/OG2024/changes', {
      method: 'POST',
      token: manager,
      json: {
        change: { kind: 'setUnitStatus', rsc: target.rsc, status: 'RUNNING' },
        expectedVersions: { units: { [target.rsc]: target.version } },
      },
    });
    expect(res.status).toBe(200);

    const after = await unit(b, target.rsc);
    expect(after.state).toMatchObject({ status: 'RUNNING', version: target.version + 1 });
    expect(after.etag).not.toBe(before.etag);
    expect((await units(b, 'runningNow=true')).items.map((u) => u.rsc)).toContain(target.rsc);
    expect((await unit(a, target.rsc)).state).toEqual(after.state);
  });

  it("shows a data pack imported through one replica in the other replica's next read (a venue's time zone)", async () => {
    const before = (await units(a, 'venue=STA&limit=1')).items[0];
    expect(before?.startLocal).toMatch(/\+02:00$/);
    const pack = (await demoPack()) as { venues: { code: string; timeZone: string }[] };
    const stadium = pack.venues.find((v) => v.code === 'STA');
    if (!stadium) throw new Error('no STA venue in the demo pack');
    stadium.timeZone = 'Europe/London';
    const imported = await b.request('/v1/data-packs', { method: 'POST', token: manager, json: pack });
    expect(await imported.json()).toMatchObject({ status: 'imported' });

    const after = (await units(a, 'venue=STA&limit=1')).items[0];
    expect(after?.rsc).toBe(before?.rsc);
    expect(after?.startLocal).toMatch(/\+01:00$/);
  });
});
