import { waitFor } from '@podium/testing';
import { type Harness, demoPack, startSchedules } from '../test-support/harness';

describe('schedules: NATS down in the middle of a change', () => {
  let h: Harness;
  let manager: string;

  beforeAll(async () => {
    h = await startSchedules();
    manager = await h.token(['schedule-manager']);
    expect((await h.request('/v1/data-packs', { method: 'POST', token: manager, json: await demoPack() })).status).toBe(200);
    await h.relay().flush(20_000);
  });
  afterAll(() => h?.close());

  it('accepts the change while NATS is unreachable and publishes its events once NATS is back', async () => {
    const snapshot = (await (await h.request('/v1/editions/OG2024/snapshot')).json()) as { sequence: number };
    const session = (await (await h.request('/v1/editions/OG2024/sessions/SWM02')).json()) as {
      version: number;
      units: { rsc: string; version: number }[];
    };

    // Cut the service off NATS: live connections are reset and reconnects refused.
    h.natsProxy.refuseConnections(true);
    h.natsProxy.dropConnections();
    await waitFor(async () => (await h.request('/health/ready')).status === 503, { timeoutMs: 10_000 });

    const res = await h.request('/v1/editions/OG2024/changes', {
      method: 'POST',
      token: manager,
      json: {
        change: { kind: 'moveSession', code: 'SWM02', start: '2024-07-27T21:00:00+02:00' },
        reason: 'broadcast request',
        expectedVersions: {
          sessions: { SWM02: session.version },
          units: Object.fromEntries(session.units.map((u) => [u.rsc, u.version])),
        },
      },
    });
    expect(res.status).toBe(200); // committed with its outbox rows: NATS is not needed to accept a change

    await new Promise((r) => setTimeout(r, 1_500));
    expect(await h.relay().pendingCount()).toBe(session.units.length);
    // Operations see it too: the pending gauge and the failed attempts on /metrics.
    const metrics = await (await h.request('/metrics')).text();
    expect(metrics).toMatch(new RegExp(`^outbox_pending_events\\{[^}]*\\} ${session.units.length}$`, 'm'));
    expect(metrics).toMatch(/^outbox_publish_failures_total\{[^}]*\} [1-9]\d*$/m);
    expect(await h.readEvents(snapshot.sequence)).toHaveLength(0); // read straight from NATS, not through the proxy

    h.natsProxy.refuseConnections(false);
    await waitFor(async () => (await h.relay().pendingCount()) === 0, { timeoutMs: 45_000, intervalMs: 200 });
    const events = await h.readEvents(snapshot.sequence);
    expect(events.map((e) => e.event.data.rsc).sort()).toEqual(session.units.map((u) => u.rsc).sort());
    expect(events.every((e) => e.event.data.startLocal?.startsWith('2024-07-27T2'))).toBe(true);
    expect(events.every((e) => e.event.data.change?.reason === 'broadcast request')).toBe(true);
    await waitFor(async () => (await h.request('/health/ready')).status === 200, { timeoutMs: 10_000 });
  }, 90_000);
});
