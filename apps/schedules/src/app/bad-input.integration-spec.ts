import { type Harness, demoPack, startSchedules } from '../test-support/harness';

interface Problem {
  type: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
  conflicts?: { code: string }[];
}

const HEAT1 = 'ATHM100M--------------HEAT000100--';
const SEMI1 = 'ATHM100M--------------SFNL000100--';

/** Every bad input answers problem+json with a stable type, and leaves the schedule as it was. */
describe('schedules: bad input', () => {
  let h: Harness;
  let manager: string;

  beforeAll(async () => {
    h = await startSchedules();
    manager = await h.token(['schedule-manager']);
    const res = await h.request('/v1/data-packs', { method: 'POST', token: manager, json: await demoPack() });
    expect(res.status).toBe(200);
    await h.relay().flush(20_000);
  });
  afterAll(() => h?.close());

  async function problem(res: Response, status: number, type: string): Promise<Problem> {
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as Problem;
    expect(body).toMatchObject({ status, type: `https://podium.dev/problems/${type}` });
    expect(JSON.stringify(body)).not.toMatch(/\bat .*\.(ts|js):\d+/); // never a stack trace
    expect(res.status).toBe(status);
    return body;
  }

  async function unit(rsc: string): Promise<{ version: number; startUtc: string; status: string }> {
    return (await (await h.request(`/v1/editions/OG2024/units/${rsc}`)).json()) as { version: number; startUtc: string; status: string };
  }

  const change = (json: unknown) => h.request('/v1/editions/OG2024/changes', { method: 'POST', token: manager, json });

  it('rejects a malformed RSC in a path and in a change, naming the field', async () => {
    const get = await problem(await h.request('/v1/editions/OG2024/units/ATHM100M-HEAT1'), 400, 'validation-failed');
    expect(get.errors?.[0]?.field).toBe('path.rsc');
    expect(get.errors?.[0]?.message).toMatch(/34 characters/);
    const post = await problem(await change({ change: { kind: 'cancelUnit', rsc: 'ATHM100M' } }), 400, 'validation-failed');
    expect(post.errors?.map((e) => e.field)).toContain('body.change.rsc');
  });

  it('answers 404 for an unknown venue, unit and edition', async () => {
    const before = await unit(HEAT1);
    await problem(
      await change({ change: { kind: 'moveUnit', rsc: HEAT1, venue: 'ZZZ' }, expectedVersions: { units: { [HEAT1]: before.version } } }),
      404,
      'not-found',
    );
    await problem(await h.request('/v1/editions/OG2024/units/ATHM100M--------------HEAT009900--'), 404, 'unit-not-found');
    await problem(await h.request('/v1/editions/OG1900/units'), 404, 'edition-not-found');
    expect(await unit(HEAT1)).toEqual(before);
  });

  it('rejects an end before the start', async () => {
    const before = await unit(HEAT1);
    const res = await change({
      change: { kind: 'moveUnit', rsc: HEAT1, start: '2024-08-02T10:30:00+02:00', end: '2024-08-02T10:20:00+02:00' },
      expectedVersions: { units: { [HEAT1]: before.version } },
    });
    const body = await problem(res, 400, 'invalid-change');
    expect(body.detail).toMatch(/end/i);
    expect(await unit(HEAT1)).toEqual(before);
  });

  it('refuses an overlapping booking and a broken phase order with 409 and the conflicts, and writes nothing', async () => {
    const heat1 = await unit(HEAT1);
    const heat2 = await unit('ATHM100M--------------HEAT000200--');
    // Heat 1 onto heat 2's slot, same track.
    const overlap = await problem(
      await change({
        change: { kind: 'moveUnit', rsc: HEAT1, start: heat2.startUtc },
        expectedVersions: { units: { [HEAT1]: heat1.version } },
      }),
      409,
      'schedule-conflict',
    );
    expect(overlap.conflicts?.map((c) => c.code)).toContain('VENUE_OVERLAP');
    // A heat after its semi-final (the semi is the next day at 19:50).
    const semi = await unit(SEMI1);
    const late = new Date(Date.parse(semi.startUtc) + 60 * 60_000).toISOString();
    const order = await problem(
      await change({
        change: { kind: 'moveUnit', rsc: HEAT1, start: late, session: null },
        expectedVersions: { units: { [HEAT1]: heat1.version } },
      }),
      409,
      'schedule-conflict',
    );
    expect(order.conflicts?.map((c) => c.code)).toContain('PHASE_ORDER');
    expect(await unit(HEAT1)).toEqual(heat1);
    // The dry run of the same change shows the conflicts without refusing.
    const dry = await h.request('/v1/editions/OG2024/changes?dryRun=true', {
      method: 'POST',
      token: manager,
      json: { change: { kind: 'moveUnit', rsc: HEAT1, start: heat2.startUtc } },
    });
    expect(dry.status).toBe(200);
    expect(((await dry.json()) as { conflicts: { code: string }[] }).conflicts.map((c) => c.code)).toContain('VENUE_OVERLAP');
  });

  it('answers 409 to a stale version and 428 when the versions are missing', async () => {
    const before = await unit(HEAT1);
    await problem(
      await change({ change: { kind: 'postponeUnit', rsc: HEAT1 }, expectedVersions: { units: { [HEAT1]: before.version + 7 } } }),
      409,
      'stale-version',
    );
    await problem(await change({ change: { kind: 'postponeUnit', rsc: HEAT1 } }), 428, 'expected-versions-required');
    expect(await unit(HEAT1)).toEqual(before);
  });

  it('rejects unknown fields, malformed JSON, a non-JSON body and an oversize body', async () => {
    const unknown = await problem(
      await change({ change: { kind: 'cancelUnit', rsc: HEAT1, color: 'red' }, extra: true }),
      400,
      'validation-failed',
    );
    expect(unknown.errors?.map((e) => e.field).join(' ')).toMatch(/body/);
    await problem(
      await h.request('/v1/editions/OG2024/changes', {
        method: 'POST',
        token: manager,
        headers: { 'content-type': 'application/json' },
        body: '{"change": {"kind": ',
      }),
      400,
      'malformed-json',
    );
    await problem(
      await h.request('/v1/editions/OG2024/changes', {
        method: 'POST',
        token: manager,
        headers: { 'content-type': 'text/plain' },
        body: 'cancel please',
      }),
      415,
      'unsupported-media-type',
    );
    const huge = JSON.stringify({ change: { kind: 'cancelUnit', rsc: HEAT1 }, reason: 'x'.repeat(11 * 1024 * 1024) });
    await problem(
      await h.request('/v1/editions/OG2024/changes', {
        method: 'POST',
        token: manager,
        headers: { 'content-type': 'application/json' },
        body: huge,
      }),
      413,
      'payload-too-large',
    );
    expect((await unit(HEAT1)).status).not.toBe('CANCELLED');
  });

  it('answers 401 without a token and 403 without the schedule-manager role', async () => {
    await problem(
      await h.request('/v1/editions/OG2024/changes', { method: 'POST', json: { change: { kind: 'cancelUnit', rsc: HEAT1 } } }),
      401,
      'unauthorized',
    );
    const observer = await h.token(['ioc-observer']);
    await problem(
      await h.request('/v1/editions/OG2024/changes', { method: 'POST', token: observer, json: { change: { kind: 'cancelUnit', rsc: HEAT1 } } }),
      403,
      'forbidden',
    );
    await problem(await h.request('/v1/data-packs', { method: 'POST', token: observer, json: {} }), 403, 'forbidden');
  });

  it('rejects a data pack with bad rows as a whole, naming every row, and writes nothing', async () => {
    const pack = (await demoPack()) as { units: Record<string, unknown>[]; venues: Record<string, unknown>[] };
    pack.units[0] = { ...pack.units[0], name: 'Renamed heat' }; // a valid change that must not be written
    pack.units[1] = { ...pack.units[1], rsc: 'ATHM100M--HEAT2' };
    pack.units[2] = { ...pack.units[2], start: '2024-08-02T11:00', end: '2024-08-02T10:00' };
    const tahiti = pack.venues.findIndex((v) => v['code'] === 'TEA'); // not the athletics venue: its units are reported too
    pack.venues[tahiti] = { ...pack.venues[tahiti], timeZone: 'Mars/Olympus' };
    const before = await (await h.request('/v1/editions/OG2024/snapshot')).json();
    const body = await problem(await h.request('/v1/data-packs', { method: 'POST', token: manager, json: pack }), 422, 'data-pack-rejected');
    const fields = body.errors?.map((e) => e.field) ?? [];
    expect(fields).toEqual(expect.arrayContaining(['units[1].rsc', `venues[${tahiti}].timeZone`]));
    expect(fields.some((f) => f.startsWith('units[2]'))).toBe(true);
    const after = (await (await h.request('/v1/editions/OG2024/snapshot')).json()) as { takenAt: string };
    expect({ ...after, takenAt: '' }).toEqual({ ...(before as object), takenAt: '' });
    expect((await unit(HEAT1)).version).toBe(1);
  });
});
