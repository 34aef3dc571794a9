import { scheduleEditionsResponseSchema, scheduleEventsResponseSchema, scheduleSnapshotSchema } from '@podium/contracts';
import { type Harness, demoPack, startSchedules } from '../test-support/harness';

const ATH02 = 'ATH02';

interface UnitState {
  rsc: string;
  session: string | null;
  startUtc: string | null;
  startLocal: string | null;
  version: number;
  status: string;
}

describe('schedules over HTTP and JetStream', () => {
  let h: Harness;
  let manager: string;

  beforeAll(async () => {
    h = await startSchedules();
    manager = await h.token(['schedule-manager'], 'alice');
  });
  afterAll(() => h?.close());

  it('imports the demo data pack once, publishes one event per unit, and a re-import changes nothing', async () => {
    const first = await h.request('/v1/data-packs', { method: 'POST', token: manager, json: await demoPack() });
    expect(first.status).toBe(200);
    const report = await first.json();
    expect(report).toMatchObject({ status: 'imported', edition: 'OG2024', counts: { units: { created: 93 } } });

    await h.relay().flush(20_000);
    const events = await h.readEvents(0);
    expect(events).toHaveLength(93);
    const definitions = await h.readEventDefinitions(0);
    expect(definitions).toHaveLength(12);
    expect(definitions.find((d) => d.event.data.rsc === 'ATHM100M--------------------------')?.event.data).toMatchObject({
      gender: 'M',
      medal: true,
      phases: [{ order: 1 }, { order: 2 }, { order: 3 }],
    });
    expect(new Set(events.map((e) => e.event.data.rsc)).size).toBe(93);
    expect(events[0]?.subject.startsWith(`oms.schedules.v1.unit.`)).toBe(true);

    const again = await h.request('/v1/data-packs', { method: 'POST', token: manager, json: await demoPack() });
    expect(await again.json()).toMatchObject({ status: 'unchanged' });
    await h.relay().flush(20_000);
    expect(await h.readEvents(0)).toHaveLength(93);
    expect(await h.readEventDefinitions(0)).toHaveLength(12);
  });

  it('serves the published schedule without a token, with venue-local times, filters, pagination and ETags', async () => {
    const res = await h.request('/v1/editions/OG2024/units?discipline=ATH&logicalDate=2024-08-02&limit=5');
    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: UnitState[]; nextCursor: string | null };
    expect(page.items).toHaveLength(5);
    expect(page.nextCursor).toBe('5');
    expect(page.items[0]?.startLocal).toMatch(/^2024-08-02T10:\d\d:00\+02:00$/);

    const etag = res.headers.get('etag');
    expect(etag).toBeTruthy();
    const cached = await h.request('/v1/editions/OG2024/units?discipline=ATH&logicalDate=2024-08-02&limit=5', {
      headers: { 'if-none-match': etag ?? '' },
    });
    expect(cached.status).toBe(304);

    const medals = (await (await h.request('/v1/editions/OG2024/units?medal=true&limit=500')).json()) as { items: UnitState[] };
    expect(medals.items.length).toBeGreaterThan(0);
    const surf = (await (await h.request('/v1/editions/OG2024/units?venue=TEA&limit=1')).json()) as { items: { timeZone: string }[] };
    expect(surf.items[0]?.timeZone).toBe('Pacific/Tahiti');
  });

  it('answers editions, events and the snapshot in the shapes the contracts give the schedule followers', async () => {
    const editions = scheduleEditionsResponseSchema.parse(await (await h.request('/v1/editions')).json());
    expect(editions.map((e) => e.code)).toContain('OG2024');
    const events = scheduleEventsResponseSchema.parse(await (await h.request('/v1/editions/OG2024/events')).json());
    expect(events.length).toBeGreaterThan(0);
    const snapshot = scheduleSnapshotSchema.parse(await (await h.request('/v1/editions/OG2024/snapshot')).json());
    expect(snapshot.units.length).toBeGreaterThan(0);
    expect(snapshot.sessions.length).toBeGreaterThan(0);
  });

  it('reschedules a session over HTTP (dry run, then apply) and a NATS subscriber receives the typed events', async () => {
    const before = (await (await h.request(`/v1/editions/OG2024/sessions/${ATH02}`)).json()) as {
      version: number;
      units: UnitState[];
    };
    expect(before.units.length).toBeGreaterThan(0);
    const snapshot = (await (await h.request('/v1/editions/OG2024/snapshot')).json()) as { sequence: number; units: UnitState[] };
    expect(snapshot.sequence).toBe(93 + 12);
    expect(snapshot.units).toHaveLength(93);

    const change = { kind: 'moveSession', code: ATH02, start: '2024-08-02T19:30:00+02:00' };
    const dry = await h.request('/v1/editions/OG2024/changes?dryRun=true', {
      method: 'POST',
      token: manager,
      json: { change, reason: 'heat wave' },
    });
    expect(dry.status).toBe(200);
    const plan = (await dry.json()) as {
      diff: { units: { rsc: string }[]; sessions: { code: string }[] };
      conflicts: unknown[];
      versions: { units: Record<string, number>; sessions: Record<string, number> };
    };
    expect(plan.diff.sessions.map((s) => s.code)).toEqual([ATH02]);
    expect(plan.diff.units).toHaveLength(before.units.length);
    expect(plan.conflicts).toEqual([]);
    // A dry run writes and publishes nothing.
    await h.relay().flush(5_000);
    expect(await h.readEvents(snapshot.sequence)).toHaveLength(0);

    const applied = await h.request('/v1/editions/OG2024/changes', {
      method: 'POST',
      token: manager,
      json: { change, reason: 'heat wave', expectedVersions: plan.versions },
    });
    expect(applied.status).toBe(200);
    const outcome = (await applied.json()) as { changeId: string };

    await h.relay().flush(20_000);
    const events = await h.readEvents(snapshot.sequence);
    expect(events.map((e) => e.event.data.rsc).sort()).toEqual(before.units.map((u) => u.rsc).sort());
    for (const { event, subject } of events) {
      const old = before.units.find((u) => u.rsc === event.data.rsc);
      expect(subject).toBe(`oms.schedules.v1.unit.ATH.updated`);
      expect(event.type).toBe('podium.schedules.unit.updated.v1');
      expect(event.data.version).toBe((old?.version ?? 0) + 1);
      expect(Date.parse(event.data.startUtc ?? '') - Date.parse(old?.startUtc ?? '')).toBe(30 * 60_000);
      expect(event.data.change).toMatchObject({ id: outcome.changeId, kind: 'moveSession', reason: 'heat wave', by: 'alice' });
    }

    const history = (await (await h.request('/v1/editions/OG2024/changes', { token: manager })).json()) as {
      id: string;
      by: string;
      reason: string;
      units: string[];
    }[];
    expect(history[0]).toMatchObject({ id: outcome.changeId, by: 'alice', reason: 'heat wave' });
    expect(history[0]?.units).toHaveLength(before.units.length);
  });

  it('lets a consumer start from the snapshot and follow the stream with no gap', async () => {
    const snapshot = (await (await h.request('/v1/editions/OG2024/snapshot')).json()) as { sequence: number; units: UnitState[] };
    const state = new Map(snapshot.units.map((u) => [u.rsc, u.version]));
    const rsc = 'JUDM-90KG------------FNL-000100--';
    const unit = snapshot.units.find((u) => u.rsc === rsc);
    const target = unit ?? snapshot.units.find((u) => u.rsc.startsWith('JUD') && u.status === 'SCHEDULED');
    expect(target).toBeDefined();
    const res = await h.request('/v1/editions/OG2024/changes', {
      method: 'POST',
      token: manager,
      json: {
        change: { kind: 'postponeUnit', rsc: target?.rsc },
        reason: 'weather',
        expectedVersions: { units: { [target?.rsc ?? '']: target?.version } },
      },
    });
    expect(res.status).toBe(200);
    await h.relay().flush(20_000);
    const events = await h.readEvents(snapshot.sequence);
    expect(events.map((e) => e.event.data.rsc)).toEqual([target?.rsc]);
    for (const { event } of events) {
      expect(event.data.version).toBeGreaterThan(state.get(event.data.rsc) ?? 0);
      expect(event.data.status).toBe('POSTPONED');
    }
  });

  it('shows a unit set RUNNING among the units running now', async () => {
    const before = (await (await h.request('/v1/editions/OG2024/units?runningNow=true')).json()) as { items: UnitState[] };
    const swim = (await (await h.request('/v1/editions/OG2024/units?discipline=SWM&limit=1')).json()) as { items: UnitState[] };
    const unit = swim.items[0];
    expect(unit).toBeDefined();
    expect(before.items.map((u) => u.rsc)).not.toContain(unit?.rsc);
    const res = await h.request('/v1/editions/OG2024/changes', {
      method: 'POST',
      token: manager,
      json: {
        change: { kind: 'setUnitStatus', rsc: unit?.rsc, status: 'RUNNING' },
        expectedVersions: { units: { [unit?.rsc ?? '']: unit?.version } },
      },
    });
    expect(res.status).toBe(200);
    const after = (await (await h.request('/v1/editions/OG2024/units?runningNow=true')).json()) as { items: UnitState[] };
    expect(after.items.map((u) => u.rsc)).toContain(unit?.rsc);
    expect(after.items.find((u) => u.rsc === unit?.rsc)?.status).toBe('RUNNING');
  });

  it('lets exactly one of two concurrent edits of the same version win', async () => {
    const unit = (await (await h.request('/v1/editions/OG2024/units?discipline=BKB&limit=1')).json()) as { items: UnitState[] };
    const target = unit.items[0];
    expect(target).toBeDefined();
    const body = (minutes: number) => ({
      change: { kind: 'moveUnit', rsc: target?.rsc, start: new Date(Date.parse(target?.startUtc ?? '') + minutes * 60_000).toISOString() },
      expectedVersions: { units: { [target?.rsc ?? '']: target?.version } },
      allowConflicts: true,
    });
    const results = await Promise.all([
      h.request('/v1/editions/OG2024/changes', { method: 'POST', token: manager, json: body(10) }),
      h.request('/v1/editions/OG2024/changes', { method: 'POST', token: manager, json: body(20) }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = results.find((r) => r.status === 409);
    expect((await loser?.json()) as { type: string }).toMatchObject({ type: 'https://podium.dev/problems/stale-version' });
  });
});
