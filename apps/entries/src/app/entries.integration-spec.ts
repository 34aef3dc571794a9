import { waitFor } from '@podium/testing';
import { ev } from '../domain/__fixtures__/pack';
import { demoFile, FakeClock, type Harness, scheduleDemoEvents, startEntries } from '../test-support/harness';

const M100 = ev('ATHM100M');
const W100 = ev('ATHW100M');
const HIGH_JUMP = ev('ATHMHIGHJUMP');
const RELAY = ev('ATHX4X400M');
const JUDO_M60 = ev('JUDM60KG');
const E = '/v1/editions/OG2024';

interface Problem {
  type: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
  violations?: { rule: string; field: string; message: string }[];
  rows?: { file: string; line: number; status: string; messages: string[] }[];
}
interface Entry {
  id: string;
  noc: string;
  event: string;
  status: string;
  basis: string;
  quotaPlace: string | null;
  version: number;
  members: { athleteId: string; ifId: string | null; role: string; slot: string | null }[];
  change: { kind: string; reason: string | null };
  decisions?: { rule: string; message: string }[];
}
interface Athlete {
  id: string;
  ifId: string | null;
  noc: string;
}

describe('entries over HTTP and JetStream', () => {
  let h: Harness;
  let oc: string;
  const noc: Record<string, string> = {};
  let observer: string;
  let ifOfficial: string;
  let rulesPack: Record<string, unknown>;

  /** The athlete with this IF id (of `nocCode` when given: IF ids are unique per NOC only). */
  async function athleteByIf(ifId: string, nocCode?: string): Promise<Athlete> {
    const list = (await (await h.request(`${E}/athletes?limit=1000`, { token: oc })).json()) as Athlete[];
    const found = list.find((a) => a.ifId === ifId && (nocCode === undefined || a.noc === nocCode));
    if (!found) throw new Error(`no athlete ${ifId}`);
    return found;
  }

  async function problem(res: Response, status: number): Promise<Problem> {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    return (await res.json()) as Problem;
  }

  async function register(token: string, body: Record<string, unknown>): Promise<Athlete> {
    const res = await h.request(`${E}/athletes`, { method: 'POST', token, json: body });
    expect(res.status).toBe(201);
    return (await res.json()) as Athlete;
  }

  async function entryNumber(token: string, nocCode: string, event: string, count: number): Promise<Response> {
    return h.request(`${E}/entry-numbers`, { method: 'PUT', token, json: { noc: nocCode, event, count } });
  }

  beforeAll(async () => {
    h = await startEntries();
    oc = await h.token({ roles: ['oc-admin'], sub: 'oc-1' });
    for (const code of ['JPN', 'USA', 'FRA', 'GEO', 'ITA', 'BRA', 'GBR', 'CAN', 'JAM', 'KEN']) {
      noc[code] = await h.token({ roles: ['noc-official'], sub: `noc-${code.toLowerCase()}`, noc: code });
    }
    observer = await h.token({ roles: ['ioc-observer'], sub: 'ioc-1' });
    ifOfficial = await h.token({ roles: ['if-official'], sub: 'wa-1' });
    rulesPack = JSON.parse(await demoFile('rules-og2024.json')) as Record<string, unknown>;
  });
  afterAll(() => h?.close());

  it('takes its events from the schedules stream (never retyped), newest state wins', async () => {
    const events = await scheduleDemoEvents();
    for (const e of events) await h.publishScheduleEvent(e);
    const list = await waitFor(
      async () => {
        const res = await h.request(`${E}/events`, { token: oc });
        const body = (await res.json()) as { rsc: string; name: string; phases: unknown[] }[];
        return body.length === events.length ? body : null;
      },
      { timeoutMs: 20_000, description: 'the 12 schedule events' },
    );
    expect(list?.find((e) => e.rsc === M100)).toMatchObject({ name: "Men's 100m", phases: [{ order: 1 }, { order: 2 }, { order: 3 }] });

    const m100 = events.find((e) => e.rsc === M100)!;
    const w100 = events.find((e) => e.rsc === W100)!;
    await h.publishScheduleEvent({ ...m100, name: "Men's 100 metres", updatedAt: '2024-06-02T00:00:00Z' });
    // A state older than the one held, arriving late, is ignored; the W100 change after it marks the end.
    await h.publishScheduleEvent({ ...m100, name: 'stale name', updatedAt: '2024-01-01T00:00:00Z' });
    await h.publishScheduleEvent({ ...w100, name: "Women's 100 metres", updatedAt: '2024-06-02T00:00:00Z' });
    const names = await waitFor(async () => {
      const body = (await (await h.request(`${E}/events?discipline=ATH`, { token: oc })).json()) as { rsc: string; name: string }[];
      const byRsc = new Map(body.map((e) => [e.rsc, e.name]));
      return byRsc.get(W100) === "Women's 100 metres" ? byRsc : null;
    });
    expect(names?.get(M100)).toBe("Men's 100 metres");
  });

  it('imports the rules pack (oc-admin only), once', async () => {
    const denied = await h.request(`${E}/rules`, { method: 'PUT', token: noc['JPN'], json: rulesPack });
    expect(denied.status).toBe(403);
    const res = await h.request(`${E}/rules`, { method: 'PUT', token: oc, json: rulesPack });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'imported',
      version: 1,
      events: { rules: 11, notInSchedule: ['JUDXTEAM'] },
      quotaPlaces: { created: 18 },
    });
    const again = await h.request(`${E}/rules`, { method: 'PUT', token: oc, json: rulesPack });
    expect(await again.json()).toMatchObject({ status: 'unchanged', version: 1 });

    const bad = await problem(
      await h.request(`${E}/rules`, { method: 'PUT', token: oc, json: { ...rulesPack, timeZone: 'Paris' } }),
      422,
    );
    expect(bad.type).toBe('https://podium.dev/problems/rules-pack-rejected');
    expect(bad.errors).toEqual([{ field: 'timeZone', message: 'must be an IANA time zone such as Europe/Paris' }]);

    const events = (await (await h.request(`${E}/events`, { token: observer })).json()) as { rsc: string; rule: unknown }[];
    expect(events.find((e) => e.rsc === M100)?.rule).toMatchObject({
      maxPerNoc: 3,
      deadlines: { entryByName: { local: '2030-07-08T23:59:00+02:00', utc: '2030-07-08T21:59:00.000Z' } },
    });

    const nocs = (await (await h.request(`${E}/nocs`, { token: observer })).json()) as { code: string; name: string }[];
    expect(nocs.map((n) => n.code)).toContain('JPN');
  });

  it('imports the demo athletes, marks, Entries by Number and Entries by Name from CSV with a per-row report', async () => {
    const body = {
      athletes: await demoFile('athletes-og2024.csv'),
      performances: await demoFile('performances-og2024.csv'),
      entryNumbers: await demoFile('entry-numbers-og2024.csv'),
      entries: await demoFile('entries-og2024.csv'),
    };
    const dry = await h.request(`${E}/imports?dryRun=true`, { method: 'POST', token: oc, json: body });
    expect(dry.status).toBe(200);
    expect(await dry.json()).toMatchObject({ status: 'valid' });
    expect(await (await h.request(`${E}/athletes`, { token: oc })).json()).toEqual([]);

    const res = await h.request(`${E}/imports`, { method: 'POST', token: oc, json: body });
    const report = (await res.json()) as { status: string; counts: Record<string, number>; rows: { status: string }[] };
    expect(res.status).toBe(200);
    expect(report).toMatchObject({ status: 'imported', counts: { athletes: 29, performances: 19, entryNumbers: 21, entries: 29 } });
    expect(report.rows.every((r) => r.status !== 'error')).toBe(true);

    const relay = (await (await h.request(`${E}/entries?event=${RELAY}`, { token: oc })).json()) as Entry[];
    expect(relay.map((e) => [e.noc, e.basis, e.quotaPlace, e.members.length])).toEqual([
      ['JPN', 'QUOTA_NOC', 'ATHX4X400M-JPN', 4],
      ['USA', 'QUOTA_NOC', 'ATHX4X400M-USA', 5],
    ]);
    const geo = (await (await h.request(`${E}/entries?event=${M100}&noc=GEO`, { token: oc })).json()) as Entry[];
    expect(geo[0]).toMatchObject({ basis: 'UNIVERSALITY', quotaPlace: 'ATHM100M-U-GEO' });
  });

  it('writes nothing when one CSV row fails, and reports every row', async () => {
    const athletes = [
      'noc,if_id,family_name,given_name,gender,birth_date',
      'CAN,ATH-CAN-001,Roy,Liam,M,2000-01-01',
      'CAN,ATH-CAN-002,Gagnon,Noah,X,2000-01-01',
      'CAN,ATH-CAN-003,Cote,Emma,W,2000-13-01',
    ].join('\n');
    const entries = ['event,noc,if_id,eligibility_confirmed', 'ATHM100M,CAN,ATH-CAN-001,yes'].join('\n');
    const p = await problem(await h.request(`${E}/imports`, { method: 'POST', token: oc, json: { athletes, entries } }), 422);
    expect(p.type).toBe('https://podium.dev/problems/import-rejected');
    expect(p.rows?.map((r) => [r.file, r.line, r.status])).toEqual([
      ['athletes', 2, 'created'],
      ['athletes', 3, 'error'],
      ['athletes', 4, 'error'],
      ['entries', 2, 'error'],
    ]);
    expect(p.rows?.[1]?.messages[0]).toMatch(/^gender: /);
    expect(p.rows?.[3]?.messages).toContain('NOC CAN made no Entry by Number for ATHM100M: make it before the Entry by Name');
    expect(await (await h.request(`${E}/athletes?noc=CAN`, { token: oc })).json()).toEqual([]);

    const jpnForOthers = await problem(
      await h.request(`${E}/imports`, {
        method: 'POST',
        token: noc['JPN'],
        json: { athletes: 'noc,if_id,family_name,given_name,gender,birth_date\nFRA,ATH-FRA-009,Petit,Jules,M,2000-01-01\n' },
      }),
      422,
    );
    expect(jpnForOthers.rows?.[0]?.messages).toEqual(["Not allowed to act for NOC 'FRA'"]);
  });

  it('rejects a fourth entry of an NOC (quota overflow) with the rule and the numbers', async () => {
    const fourth = await register(oc, {
      noc: 'USA',
      ifId: 'ATH-USA-005',
      familyName: 'Hayes',
      givenName: 'Jordan',
      gender: 'M',
      birthDate: '2001-02-02',
      performances: [{ event: M100, mark: '9.90', date: '2024-06-01' }],
    });
    const p = await problem(
      await h.request(`${E}/entries`, {
        method: 'POST',
        token: noc['USA'],
        json: { event: M100, athleteId: fourth.id, eligibilityConfirmed: true },
      }),
      422,
    );
    expect(p.type).toBe('https://podium.dev/problems/entry-rejected');
    expect(p.violations).toContainEqual({
      rule: 'max-entries-per-noc',
      field: 'body',
      message: 'NOC USA already has 3 entries in ATHM100M, maximum 3',
    });
    expect(p.detail).toContain('NOC USA already has 3 entries in ATHM100M, maximum 3');
    const number = await problem(await entryNumber(noc['USA']!, 'USA', M100, 4), 422);
    expect(number.violations?.map((v) => v.message)).toEqual(['NOC USA cannot enter 4 in ATHM100M, maximum 3']);
  });

  it('rejects an athlete who did not meet the entry standard', async () => {
    expect((await entryNumber(noc['BRA']!, 'BRA', M100, 1)).status).toBe(200);
    const silva = await athleteByIf('ATH-BRA-001');
    const p = await problem(
      await h.request(`${E}/entries`, { method: 'POST', token: noc['BRA'], json: { event: M100, athleteId: silva.id, eligibilityConfirmed: true } }),
      422,
    );
    expect(p.violations?.[0]).toEqual({
      rule: 'standard-not-met',
      field: 'body.athleteId',
      message:
        'Entry standard not met: best mark of Rafael SILVA in ATHM100M between 2023-07-01 and 2024-06-30 is 10.35, standard 10.00 (lower is better)',
    });
  });

  it('does not count a mark achieved after the qualification window closed', async () => {
    const sato = await athleteByIf('ATH-JPN-002');
    const p = await problem(
      await h.request(`${E}/entries`, { method: 'POST', token: noc['JPN'], json: { event: M100, athleteId: sato.id, eligibilityConfirmed: true } }),
      422,
    );
    expect(p.violations?.[0]?.rule).toBe('standard-outside-window');
    expect(p.violations?.[0]?.message).toContain("Kenji SATO's 9.97 on 2024-07-05 was achieved after the window closed");
    // A dry run explains the same without writing.
    const dry = await h.request(`${E}/entries?dryRun=true`, {
      method: 'POST',
      token: noc['JPN'],
      json: { event: M100, athleteId: sato.id, eligibilityConfirmed: true },
    });
    expect(dry.status).toBe(200);
    const check = (await dry.json()) as { accepted: boolean; violations: { rule: string }[] };
    expect(check.accepted).toBe(false);
    expect(check.violations.map((v) => v.rule)).toEqual(['standard-outside-window', 'no-quota-place']);
  });

  it('rejects a mixed relay that is not 2 men and 2 women', async () => {
    const extra = await Promise.all(
      [
        ['ATH-FRA-002', 'Bernard', 'Hugo'],
        ['ATH-FRA-003', 'Petit', 'Louis'],
      ].map(([ifId, familyName, givenName]) =>
        register(noc['FRA']!, { noc: 'FRA', ifId, familyName, givenName, gender: 'M', birthDate: '2000-05-05' }),
      ),
    );
    expect((await entryNumber(noc['FRA']!, 'FRA', RELAY, 1)).status).toBe(200);
    const martin = await athleteByIf('ATH-FRA-001');
    const dubois = await athleteByIf('ATH-FRA-101');
    const members = [
      { athleteId: martin.id, slot: 'men' },
      { athleteId: extra[0]!.id, slot: 'men' },
      { athleteId: extra[1]!.id, slot: 'men' },
      { athleteId: dubois.id, slot: 'women' },
    ];
    const p = await problem(
      await h.request(`${E}/entries`, { method: 'POST', token: noc['FRA'], json: { event: RELAY, noc: 'FRA', members, eligibilityConfirmed: true } }),
      422,
    );
    expect(p.violations?.map((v) => v.message)).toEqual([
      "Slot 'men' (M) needs 2 starters, got 3",
      "Slot 'women' (W) needs 2 starters, got 1",
    ]);
  });

  it("answers 404 when an NOC reaches for another NOC's athlete or entry, and lists only its own", async () => {
    const usa = await athleteByIf('ATH-USA-001');
    expect((await h.request(`${E}/athletes/${usa.id}`, { token: noc['JPN'] })).status).toBe(404);
    const missing = await problem(await h.request(`${E}/athletes/00000000-0000-4000-8000-000000000000`, { token: noc['JPN'] }), 404);
    const foreign = await problem(await h.request(`${E}/athletes/${usa.id}`, { token: noc['JPN'] }), 404);
    expect(foreign.type).toBe(missing.type);
    const entry = await problem(
      await h.request(`${E}/entries`, { method: 'POST', token: noc['JPN'], json: { event: M100, athleteId: usa.id, eligibilityConfirmed: true } }),
      404,
    );
    expect(entry.type).toBe('https://podium.dev/problems/athlete-not-found');
    const usaEntries = (await (await h.request(`${E}/entries?noc=USA`, { token: oc })).json()) as Entry[];
    expect((await h.request(`${E}/entries/${usaEntries[0]!.id}`, { token: noc['JPN'] })).status).toBe(404);
    const mine = (await (await h.request(`${E}/entries`, { token: noc['JPN'] })).json()) as Entry[];
    expect(mine.length).toBeGreaterThan(0);
    expect(new Set(mine.map((e) => e.noc))).toEqual(new Set(['JPN']));
    expect(((await (await h.request(`${E}/entries?noc=USA`, { token: noc['JPN'] })).json()) as Entry[]).length).toBe(0);
    // Registering an athlete for another NOC is forbidden.
    const other = await h.request(`${E}/athletes`, {
      method: 'POST',
      token: noc['JPN'],
      json: { noc: 'USA', familyName: 'X', gender: 'M', birthDate: '2000-01-01' },
    });
    expect(other.status).toBe(403);
  });

  it("answers an NOC registering an IF id another NOC holds exactly as for an IF id nobody holds", async () => {
    const athlete = (ifId: string, familyName: string, nocCode: string) => ({
      noc: nocCode,
      ifId,
      familyName,
      givenName: 'Ann',
      gender: 'W',
      birthDate: '2001-01-01',
    });
    const fra = await register(noc['FRA']!, athlete('IF-HELD-BY-FRA-1', 'Martin', 'FRA'));
    // Before: 409 athlete-exists for FRA's IF id (telling JPN that FRA registered that athlete), 201 for a free one.
    const held = await h.request(`${E}/athletes`, { method: 'POST', token: noc['JPN'], json: athlete('IF-HELD-BY-FRA-1', 'Sato', 'JPN') });
    const free = await h.request(`${E}/athletes`, { method: 'POST', token: noc['JPN'], json: athlete('IF-HELD-BY-NOBODY-1', 'Sato', 'JPN') });
    expect([held.status, free.status]).toEqual([201, 201]);
    const [heldBody, freeBody] = (await Promise.all([held.json(), free.json()])) as Record<string, unknown>[];
    expect(Object.keys(heldBody ?? {}).sort()).toEqual(Object.keys(freeBody ?? {}).sort());
    expect(heldBody).toMatchObject({ noc: 'JPN', ifId: 'IF-HELD-BY-FRA-1', familyName: 'Sato', version: 1 });
    // JPN's own registration is JPN's; FRA's athlete is untouched and still out of JPN's sight.
    expect((await h.request(`${E}/athletes/${fra.id}`, { token: noc['JPN'] })).status).toBe(404);
    expect(await (await h.request(`${E}/athletes/${fra.id}`, { token: noc['FRA'] })).json()).toMatchObject({ familyName: 'Martin', version: 1 });
    // The IF id a second time for the same NOC: 409, about the caller's own athlete only.
    const again = await problem(
      await h.request(`${E}/athletes`, { method: 'POST', token: noc['JPN'], json: athlete('IF-HELD-BY-NOBODY-1', 'Sato', 'JPN') }),
      409,
    );
    expect(again.type).toBe('https://podium.dev/problems/athlete-exists');
    // CSV: a mark for an IF id only FRA holds answers like an IF id nobody holds (404), for JPN.
    const marks = (ifId: string) =>
      h.request(`${E}/imports`, {
        method: 'POST',
        token: noc['JPN'],
        json: { performances: `if_id,event,mark,date\n${ifId},${M100},10.50,2024-05-05\n` },
      });
    const onlyFra = await problem(await marks('IF-HELD-BY-FRA-2-X'), 422);
    await register(noc['FRA']!, athlete('IF-HELD-BY-FRA-2', 'Bernard', 'FRA'));
    const heldByFra = await problem(await marks('IF-HELD-BY-FRA-2'), 422);
    expect(heldByFra.rows?.[0]?.messages).toEqual(["No athlete with IF id 'IF-HELD-BY-FRA-2' in OG2024"]);
    expect(onlyFra.rows?.[0]?.messages).toEqual(["No athlete with IF id 'IF-HELD-BY-FRA-2-X' in OG2024"]);
    // The OC sees both registrations of the shared IF id, one per NOC.
    const all = (await (await h.request(`${E}/athletes?limit=1000`, { token: oc })).json()) as Athlete[];
    expect(all.filter((a) => a.ifId === 'IF-HELD-BY-FRA-1').map((a) => a.noc).sort()).toEqual(['FRA', 'JPN']);
  });

  it('lets IOC observers and IF officials read everything, and not write', async () => {
    const all = (await (await h.request(`${E}/entries`, { token: observer })).json()) as Entry[];
    expect(new Set(all.map((e) => e.noc)).size).toBeGreaterThan(5);
    const jpn = await athleteByIf('ATH-JPN-003');
    const write = await problem(
      await h.request(`${E}/entries`, { method: 'POST', token: observer, json: { event: M100, athleteId: jpn.id, eligibilityConfirmed: true } }),
      403,
    );
    expect(write.type).toBe('https://podium.dev/problems/forbidden');
    expect((await h.request(`${E}/entries/${all[0]!.id}/withdraw`, { method: 'POST', token: observer, json: {} })).status).toBe(403);
    expect((await h.request(`${E}/athletes/${jpn.id}`, { token: ifOfficial })).status).toBe(200);
    expect((await h.request(`${E}/entries`, { method: 'POST', token: ifOfficial, json: { event: M100, athleteId: jpn.id } })).status).toBe(403);
    expect((await h.request(`${E}/entries`)).status).toBe(401);
  });

  it('passes a declined quota place to the next-ranked eligible athlete within the per-NOC maximum', async () => {
    expect((await h.request(`${E}/quota-places/JUDM60KG-02/decline`, { method: 'POST', token: noc['JPN'], json: {} })).status).toBe(404);
    // Another NOC registering the ranked ITA judoka's IF id (as a woman: she would fail the gender rule) is not taken
    // for him: a ranked candidate is read from the candidate's NOC only.
    await register(noc['JPN']!, { noc: 'JPN', ifId: 'JUD-ITA-060', familyName: 'Decoy', givenName: 'Ana', gender: 'W', birthDate: '2000-01-01' });
    const res = await h.request(`${E}/quota-places/JUDM60KG-02/decline`, {
      method: 'POST',
      token: noc['GEO'],
      json: { reason: 'athlete injured' },
    });
    expect(res.status).toBe(200);
    const outcome = (await res.json()) as {
      declined: { status: string };
      reallocatedTo: { id: string; noc: string; athleteIfId: string; kind: string; reallocatedFrom: string };
      explanation: string[];
    };
    expect(outcome.declined.status).toBe('DECLINED');
    expect(outcome.reallocatedTo).toMatchObject({
      id: 'JUDM60KG-02-R1',
      noc: 'ITA',
      athleteIfId: 'JUD-ITA-060',
      kind: 'ATHLETE',
      reallocatedFrom: 'JUDM60KG-02',
    });
    expect(outcome.explanation).toEqual([
      'Reallocated from JUDM60KG-02 declined by NOC GEO: next-ranked eligible candidate Marco ROSSI (ITA, IF id JUD-ITA-060), rank 7',
      'Rank 1 Ryo NAKAMURA (JPN, IF id JUD-JPN-060) passed over: already holds quota place JUDM60KG-01',
      'Rank 2 Sota IKEDA (JPN, IF id JUD-JPN-061) passed over: NOC JPN already holds 1 quota places in JUDM60KG, maximum 1',
      'Rank 3 Giorgi BERIDZE (GEO, IF id JUD-GEO-060) passed over: NOC GEO declined a place in JUDM60KG',
      'Rank 4 Hugo LEROY (FRA, IF id JUD-FRA-060) passed over: already holds quota place JUDM60KG-03',
      'Rank 5 Pedro ALVES (BRA, IF id JUD-BRA-060) passed over: already holds quota place JUDM60KG-04',
      'Rank 6 Levan GIORGADZE (GEO, IF id JUD-GEO-061) passed over: NOC GEO declined a place in JUDM60KG',
    ]);
    expect((await entryNumber(noc['ITA']!, 'ITA', JUDO_M60, 1)).status).toBe(200);
    const rossi = await athleteByIf('JUD-ITA-060', 'ITA');
    const entered = await h.request(`${E}/entries`, {
      method: 'POST',
      token: noc['ITA'],
      json: { event: JUDO_M60, athleteId: rossi.id, eligibilityConfirmed: true },
    });
    expect(entered.status).toBe(201);
    expect(await entered.json()).toMatchObject({ basis: 'QUOTA_ATHLETE', quotaPlace: 'JUDM60KG-02-R1' });
    const inUse = await problem(await h.request(`${E}/quota-places/JUDM60KG-02-R1/decline`, { method: 'POST', token: oc, json: {} }), 409);
    expect(inUse.type).toBe('https://podium.dev/problems/quota-place-in-use');
  });

  it('lets exactly one of several NOC officials racing for the last place win', async () => {
    const pack = JSON.parse(JSON.stringify(rulesPack)) as { events: { event: string; maxPerNoc: number; fieldSize?: number }[] };
    const hj = pack.events.find((r) => r.event === HIGH_JUMP)!;
    hj.maxPerNoc = 1;
    hj.fieldSize = 2;
    expect(await (await h.request(`${E}/rules`, { method: 'PUT', token: oc, json: pack })).json()).toMatchObject({ version: 2 });

    const contenders = ['GBR', 'CAN', 'ITA', 'KEN', 'JAM'];
    const jumper = (code: string, i: number) =>
      register(noc[code]!, {
        noc: code,
        ifId: `HJ-${code}`,
        familyName: `Jumper${i}`,
        givenName: code,
        gender: 'M',
        birthDate: '2000-01-01',
        performances: [{ event: HIGH_JUMP, mark: '2.35', date: '2024-06-01' }],
      });
    const first = await jumper('BRA', 0);
    expect((await entryNumber(noc['BRA']!, 'BRA', HIGH_JUMP, 1)).status).toBe(200);
    expect(
      (await h.request(`${E}/entries`, { method: 'POST', token: noc['BRA'], json: { event: HIGH_JUMP, athleteId: first.id, eligibilityConfirmed: true } }))
        .status,
    ).toBe(201);
    const athletes = await Promise.all(contenders.map((code, i) => jumper(code, i + 1)));
    for (const code of contenders) expect((await entryNumber(noc[code]!, code, HIGH_JUMP, 1)).status).toBe(200);

    const results = await Promise.all(
      contenders.map((code, i) =>
        h.request(`${E}/entries`, {
          method: 'POST',
          token: noc[code],
          json: { event: HIGH_JUMP, athleteId: athletes[i]!.id, eligibilityConfirmed: true },
        }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 422, 422, 422, 422]);
    for (const r of results.filter((x) => x.status === 422)) {
      const p = (await r.json()) as Problem;
      expect(p.violations).toEqual([{ rule: 'field-size', field: 'body', message: 'ATHMHIGHJUMP is full: 2 of 2 places are taken' }]);
    }
    const entered = (await (await h.request(`${E}/entries?event=${HIGH_JUMP}&status=ENTERED`, { token: oc })).json()) as Entry[];
    expect(entered).toHaveLength(2);
  });

  it("lets exactly one of two officials of an NOC take the NOC's last quota place", async () => {
    const sprinters = await Promise.all(
      ['Achieng', 'Chebet'].map((familyName, i) =>
        register(noc['KEN']!, { noc: 'KEN', ifId: `ATH-KEN-2${i}`, familyName, givenName: 'Mercy', gender: 'W', birthDate: '2003-03-03' }),
      ),
    );
    expect((await entryNumber(noc['KEN']!, 'KEN', W100, 2)).status).toBe(200);
    const officials = await Promise.all(['ken-a', 'ken-b'].map((sub) => h.token({ roles: ['noc-official'], sub, noc: 'KEN' })));
    const results = await Promise.all(
      sprinters.map((a, i) =>
        h.request(`${E}/entries`, { method: 'POST', token: officials[i], json: { event: W100, athleteId: a.id, eligibilityConfirmed: true } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
    const winner = (await results.find((r) => r.status === 201)!.json()) as Entry;
    expect(winner).toMatchObject({ basis: 'UNIVERSALITY', quotaPlace: 'ATHW100M-U-KEN' });
    const loser = (await results.find((r) => r.status === 422)!.json()) as Problem;
    expect(loser.violations?.map((v) => v.rule)).toEqual(['standard-not-met', 'no-quota-place']);
    expect(loser.violations?.[1]?.message).toBe(
      'NOC KEN holds no free universality place in ATHW100M to enter an athlete without the standard',
    );
  });

  it('locks entries after the Entry by Name deadline (in the host time zone)', async () => {
    const jpnEntries = (await (await h.request(`${E}/entries?noc=JPN&event=${M100}`, { token: noc['JPN'] })).json()) as Entry[];
    const tanaka = await athleteByIf('ATH-JPN-003');
    // 2030-07-08T23:59 in Paris (UTC+2) is 21:59 UTC.
    h.clock.set('2030-07-08T22:00:00Z');
    const late = await problem(
      await h.request(`${E}/entries`, { method: 'POST', token: noc['JPN'], json: { event: W100, athleteId: tanaka.id, eligibilityConfirmed: true } }),
      422,
    );
    expect(late.violations?.[0]).toEqual({
      rule: 'deadline-passed',
      field: 'body',
      message: 'Entry by Name for ATHW100M closed at 2030-07-08T23:59:00+02:00 (Europe/Paris); only a Late Athlete Replacement is possible now',
    });
    const withdraw = await problem(
      await h.request(`${E}/entries/${jpnEntries[0]!.id}/withdraw`, { method: 'POST', token: noc['JPN'], json: {} }),
      422,
    );
    expect(withdraw.violations?.[0]?.rule).toBe('deadline-passed');
    const number = await problem(await entryNumber(noc['JPN']!, 'JPN', M100, 1), 422);
    expect(number.violations?.[0]?.message).toBe('Entry by Number for ATHM100M closed at 2030-06-10T23:59:00+02:00 (Europe/Paris)');
  });

  it('runs a Late Athlete Replacement: reason code, rules checked, OC approval, published', async () => {
    const [entry] = (await (await h.request(`${E}/entries?noc=JPN&event=${M100}`, { token: noc['JPN'] })).json()) as Entry[];
    const yamada = await athleteByIf('ATH-JPN-001');
    const sato = await athleteByIf('ATH-JPN-002');
    const newcomer = await register(noc['JPN']!, {
      noc: 'JPN',
      ifId: 'ATH-JPN-004',
      familyName: 'Kimura',
      givenName: 'Sho',
      gender: 'M',
      birthDate: '2002-02-02',
      performances: [{ event: M100, mark: '9.99', date: '2024-06-09' }],
    });
    const url = `${E}/entries/${entry!.id}/replacements`;

    h.clock.set('2030-07-01T10:00:00Z');
    const early = await problem(
      await h.request(url, { method: 'POST', token: noc['JPN'], json: { outAthleteId: yamada.id, inAthleteId: newcomer.id, reason: 'MEDICAL', eligibilityConfirmed: true } }),
      409,
    );
    expect(early.type).toBe('https://podium.dev/problems/replacement-not-needed');

    h.clock.set('2030-07-15T10:00:00Z');
    const noReason = await problem(
      await h.request(url, { method: 'POST', token: noc['JPN'], json: { outAthleteId: yamada.id, inAthleteId: newcomer.id, eligibilityConfirmed: true } }),
      400,
    );
    expect(noReason.errors?.[0]?.field).toBe('body.reason');
    const unqualified = await problem(
      await h.request(url, { method: 'POST', token: noc['JPN'], json: { outAthleteId: yamada.id, inAthleteId: sato.id, reason: 'MEDICAL', eligibilityConfirmed: true } }),
      422,
    );
    expect(unqualified.violations?.[0]?.rule).toBe('standard-outside-window');

    const requested = await h.request(url, {
      method: 'POST',
      token: noc['JPN'],
      json: { outAthleteId: yamada.id, inAthleteId: newcomer.id, reason: 'MEDICAL', note: 'hamstring', eligibilityConfirmed: true },
    });
    expect(requested.status).toBe(201);
    const lar = (await requested.json()) as { id: string; status: string };
    expect(lar.status).toBe('PENDING');
    expect((await h.request(`${E}/replacements/${lar.id}/approve`, { method: 'POST', token: noc['JPN'], json: {} })).status).toBe(403);
    expect((await h.request(`${E}/replacements/${lar.id}`, { token: noc['USA'] })).status).toBe(404);

    const approved = await h.request(`${E}/replacements/${lar.id}/approve`, { method: 'POST', token: oc, json: { note: 'certificate seen' } });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ status: 'APPROVED', decidedBy: 'oc-1' });
    const after = (await (await h.request(`${E}/entries/${entry!.id}`, { token: noc['JPN'] })).json()) as Entry;
    // The entry's change names the reason code only; the note stays on the replacement, for whom may read it.
    expect(after).toMatchObject({ version: 2, status: 'ENTERED', change: { kind: 'LATE_REPLACEMENT', reason: 'MEDICAL' } });
    expect(JSON.stringify(after)).not.toContain('hamstring');
    expect(await (await h.request(`${E}/replacements/${lar.id}`, { token: noc['JPN'] })).json()).toMatchObject({
      reason: 'MEDICAL',
      note: 'hamstring',
      decisionNote: 'certificate seen',
    });
    expect(after.members.map((m) => m.ifId)).toEqual(['ATH-JPN-004']);

    h.clock.set('2030-08-01T10:00:00Z');
    const closed = await problem(
      await h.request(url, { method: 'POST', token: noc['JPN'], json: { outAthleteId: newcomer.id, inAthleteId: yamada.id, reason: 'EXCEPTIONAL', eligibilityConfirmed: true } }),
      422,
    );
    expect(closed.violations?.[0]?.message).toBe(
      'Late Athlete Replacements for ATHM100M closed at 2030-07-31T12:00:00+02:00 (Europe/Paris)',
    );
    h.clock.set(FakeClock.DEFAULT);
  });

  it('publishes entries, athletes (DT_PARTIC-like) and quota places on the ENTRIES stream', async () => {
    await h.relay().flush(20_000);
    const messages = await h.readEntriesStream(0);
    const entries = messages.filter((m) => m.kind === 'entry');
    // 22 entries of the CSV import, the judoka on the reallocated place, 2 high jumpers, 1 sprinter, the replacement.
    expect(entries).toHaveLength(27);
    expect(entries.every((m) => m.subject === `oms.entries.v1.entry.${m.event.data.discipline}.changed`)).toBe(true);
    const lar = entries.filter((m) => m.kind === 'entry' && m.event.data.change.kind === 'LATE_REPLACEMENT');
    expect(lar).toHaveLength(1);
    expect(lar[0]?.kind === 'entry' && lar[0].event.data).toMatchObject({ version: 2, members: [{ ifId: 'ATH-JPN-004' }] });
    // Public: a change carries its kind and a replacement's reason code, never a note or who made it.
    expect(lar[0]?.kind === 'entry' && lar[0].event.data.change).toEqual({
      id: expect.any(String) as unknown,
      kind: 'LATE_REPLACEMENT',
      reason: 'MEDICAL',
      by: null,
    });
    for (const m of entries) expect(m.kind === 'entry' && m.event.data.change.by).toBeNull();
    const published = JSON.stringify(entries.map((m) => m.event.data));
    for (const secret of ['hamstring', 'certificate seen', 'oc-1', 'noc-jpn']) expect(published).not.toContain(secret);

    const athletes = messages.filter((m) => m.kind === 'athlete');
    const yamada = athletes.filter((m) => m.kind === 'athlete' && m.event.data.ifId === 'ATH-JPN-001').at(-1);
    expect(yamada?.subject).toBe(`oms.entries.v1.athlete.JPN.changed`);
    expect(yamada?.kind === 'athlete' && yamada.event.data).toMatchObject({ printName: 'YAMADA Taro', entries: [] });
    const newcomer = athletes.filter((m) => m.kind === 'athlete' && m.event.data.ifId === 'ATH-JPN-004').at(-1);
    expect(newcomer?.kind === 'athlete' && newcomer.event.data.entries.map((e) => e.event)).toEqual([M100]);

    const quota = messages.filter((m) => m.kind === 'quota');
    expect(quota.some((m) => m.kind === 'quota' && m.event.data.id === 'JUDM60KG-02-R1' && m.event.data.noc === 'ITA')).toBe(true);
    // Nothing from the rolled-back CSV import was published.
    expect(athletes.some((m) => m.kind === 'athlete' && m.event.data.noc === 'CAN' && m.event.data.familyName === 'Roy')).toBe(false);
  });
});
