/**
 * The list reads (entries, athletes, quota places, Entries by Number, Late Athlete Replacements) on the demo data:
 * order, filters, pages and NOC scope, and a write seen by the next read.
 */
import { waitFor } from '@podium/testing';
import { ev } from '../domain/__fixtures__/pack';
import { demoFile, FakeClock, type Harness, scheduleDemoEvents, startEntries } from '../test-support/harness';

const M100 = ev('ATHM100M');
const RELAY = ev('ATHX4X400M');
const E = '/v1/editions/OG2024';

interface Entry {
  id: string;
  noc: string;
  event: string;
  status: string;
  quotaPlace: string | null;
  members: { athleteId: string; ifId: string | null; familyName: string; role: string; slot: string | null }[];
}
interface Athlete {
  id: string;
  ifId: string | null;
  noc: string;
  familyName: string;
  givenName: string;
  printName: string;
  entries: { entryId: string; event: string; role: string }[];
}
interface Place {
  id: string;
  event: string;
  noc: string;
  status: string;
  usedBy: string | null;
}
interface EntryNumber {
  noc: string;
  event: string;
  count: number;
}
interface Replacement {
  id: string;
  noc: string;
  status: string;
  out: { athleteId: string; name: string };
  in: { athleteId: string; name: string };
}

/** Code point order: the demo's codes and names (plain capitalised ASCII) sort so in every collation. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('the list reads', () => {
  let h: Harness;
  let oc: string;
  let jpn: string;
  let usa: string;
  let nocless: string;

  const get = async <T>(path: string, token: string): Promise<T> => {
    const res = await h.request(`${E}/${path}`, { token });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    h = await startEntries();
    oc = await h.token({ roles: ['oc-admin'], sub: 'oc-1' });
    jpn = await h.token({ roles: ['noc-official'], sub: 'noc-jpn', noc: 'JPN' });
    usa = await h.token({ roles: ['noc-official'], sub: 'noc-usa', noc: 'USA' });
    nocless = await h.token({ roles: ['noc-official'], sub: 'noc-none' });
    const events = await scheduleDemoEvents();
    for (const e of events) await h.publishScheduleEvent(e);
    await waitFor(async () => ((await get<unknown[]>('events', oc)).length === events.length ? true : null), { timeoutMs: 20_000 });
    const rules = await h.request(`${E}/rules`, { method: 'PUT', token: oc, json: JSON.parse(await demoFile('rules-og2024.json')) });
    expect(rules.status).toBe(200);
    const imported = await h.request(`${E}/imports`, {
      method: 'POST',
      token: oc,
      json: {
        athletes: await demoFile('athletes-og2024.csv'),
        performances: await demoFile('performances-og2024.csv'),
        entryNumbers: await demoFile('entry-numbers-og2024.csv'),
        entries: await demoFile('entries-og2024.csv'),
      },
    });
    expect(await imported.json()).toMatchObject({ status: 'imported' });
  });
  afterAll(() => h?.close());

  it('lists entries by event then NOC, filtered, in pages, starters before alternates', async () => {
    const all = await get<Entry[]>('entries', oc);
    expect(all.length).toBe(22);
    const keys = all.map((e) => `${e.event} ${e.noc}`);
    expect(keys).toEqual([...keys].sort(byText));
    const pages = [...(await get<Entry[]>('entries?limit=5', oc)), ...(await get<Entry[]>('entries?limit=5&offset=5', oc))];
    expect(pages).toEqual(all.slice(0, 10));
    expect(await get<Entry[]>('entries?offset=22', oc)).toEqual([]);
    expect(await get<Entry[]>(`entries?event=${M100}`, oc)).toEqual(all.filter((e) => e.event === M100));
    expect(await get<Entry[]>('entries?noc=USA&status=ENTERED', oc)).toEqual(all.filter((e) => e.noc === 'USA'));
    expect(await get<Entry[]>('entries?status=WITHDRAWN', oc)).toEqual([]);
    const relay = all.find((e) => e.event === RELAY && e.noc === 'USA');
    expect(relay?.members.map((m) => m.role)).toEqual(['STARTER', 'STARTER', 'STARTER', 'STARTER', 'ALTERNATE']);
  });

  it("shows an NOC official only their NOC's entries, athletes, places and numbers", async () => {
    const all = await get<Entry[]>('entries', oc);
    expect(await get<Entry[]>('entries', jpn)).toEqual(all.filter((e) => e.noc === 'JPN'));
    expect(await get<Entry[]>('entries?noc=USA', jpn)).toEqual([]);
    expect(await get<Entry[]>('entries', nocless)).toEqual([]);
    const athletes = await get<Athlete[]>('athletes', jpn);
    expect(athletes.length).toBeGreaterThan(0);
    expect(new Set(athletes.map((a) => a.noc))).toEqual(new Set(['JPN']));
    expect(await get<Athlete[]>('athletes?noc=USA', jpn)).toEqual([]);
    expect(new Set((await get<Place[]>('quota-places', usa)).map((p) => p.noc))).toEqual(new Set(['USA']));
    expect(await get<Place[]>('quota-places', nocless)).toEqual([]);
    const numbers = await get<EntryNumber[]>('entry-numbers', oc);
    expect(await get<EntryNumber[]>('entry-numbers', usa)).toEqual(numbers.filter((n) => n.noc === 'USA'));
    expect(await get<EntryNumber[]>(`entry-numbers?noc=USA&event=${M100}`, oc)).toEqual(
      numbers.filter((n) => n.noc === 'USA' && n.event === M100),
    );
    expect(await get<EntryNumber[]>('entry-numbers?noc=USA', jpn)).toEqual([]);
  });

  it('lists athletes by NOC and name with the events they are entered in', async () => {
    const all = await get<Athlete[]>('athletes?limit=1000', oc);
    expect(all.length).toBe(29);
    const keys = all.map((a) => [a.noc, a.familyName, a.givenName]);
    expect(keys).toEqual(
      [...keys].sort((a, b) => byText(a[0] ?? '', b[0] ?? '') || byText(a[1] ?? '', b[1] ?? '') || byText(a[2] ?? '', b[2] ?? '')),
    );
    expect([...(await get<Athlete[]>('athletes?limit=7', oc)), ...(await get<Athlete[]>('athletes?limit=7&offset=7', oc))]).toEqual(
      all.slice(0, 14),
    );
    const entries = await get<Entry[]>('entries', oc);
    for (const athlete of all) {
      const entered = entries.filter((e) => e.members.some((m) => m.athleteId === athlete.id)).map((e) => e.event);
      expect(athlete.entries.map((x) => x.event)).toEqual([...entered].sort(byText));
    }
  });

  it('names the entry using each quota place', async () => {
    const places = await get<Place[]>('quota-places', oc);
    const entries = await get<Entry[]>('entries', oc);
    const used = places.filter((p) => p.usedBy !== null);
    expect(used.length).toBeGreaterThan(0);
    for (const place of places) {
      expect(place.usedBy).toBe(entries.find((e) => e.quotaPlace === place.id)?.id ?? null);
    }
    expect(await get<Place[]>(`quota-places?event=${RELAY}&status=ALLOCATED`, oc)).toEqual(places.filter((p) => p.event === RELAY));
    expect(await get<Place[]>('quota-places?status=DECLINED', oc)).toEqual([]);
  });

  it('shows a withdrawal in the next read of every list', async () => {
    const [entry] = await get<Entry[]>(`entries?event=${RELAY}&noc=USA`, oc);
    if (!entry?.quotaPlace) throw new Error('no USA relay entry on a quota place');
    const withdrawn = await h.request(`${E}/entries/${entry.id}/withdraw`, { method: 'POST', token: usa, json: { reason: 'injury' } });
    expect(withdrawn.status).toBe(200);
    expect((await get<Entry[]>('entries?status=WITHDRAWN', oc)).map((e) => e.id)).toEqual([entry.id]);
    expect((await get<Entry[]>(`entries?event=${RELAY}&status=ENTERED`, oc)).map((e) => e.noc)).toEqual(['JPN']);
    const place = (await get<Place[]>('quota-places?noc=USA', oc)).find((p) => p.id === entry.quotaPlace);
    expect(place?.usedBy).toBeNull();
    const members = new Set(entry.members.map((m) => m.athleteId));
    for (const athlete of await get<Athlete[]>('athletes?noc=USA', oc)) {
      if (members.has(athlete.id)) expect(athlete.entries.map((x) => x.event)).not.toContain(RELAY);
    }
  });

  it('lists Late Athlete Replacements with the names of the athletes, to the NOC and the OC', async () => {
    expect(await get<Replacement[]>('replacements', oc)).toEqual([]);
    const [entry] = await get<Entry[]>(`entries?event=${M100}&noc=JPN`, jpn);
    const out = entry?.members[0];
    if (!entry || !out) throw new Error('no JPN 100m entry');
    const newcomer = await h.request(`${E}/athletes`, {
      method: 'POST',
      token: jpn,
      json: {
        noc: 'JPN',
        ifId: 'ATH-JPN-004',
        familyName: 'Kimura',
        givenName: 'Sho',
        gender: 'M',
        birthDate: '2002-02-02',
        performances: [{ event: M100, mark: '9.99', date: '2024-06-09' }],
      },
    });
    const { id: inId } = (await newcomer.json()) as { id: string };
    h.clock.set('2030-07-15T10:00:00Z'); // after the Entry by Name deadline, before the replacement deadline
    try {
      const requested = await h.request(`${E}/entries/${entry.id}/replacements`, {
        method: 'POST',
        token: jpn,
        json: { outAthleteId: out.athleteId, inAthleteId: inId, reason: 'MEDICAL', eligibilityConfirmed: true },
      });
      expect(requested.status).toBe(201);
    } finally {
      h.clock.set(FakeClock.DEFAULT);
    }
    const listed = await get<Replacement[]>('replacements', jpn);
    expect(listed).toMatchObject([
      { noc: 'JPN', status: 'PENDING', out: { athleteId: out.athleteId, name: 'Taro YAMADA' }, in: { athleteId: inId, name: 'Sho KIMURA' } },
    ]);
    const [one] = listed;
    expect(await get<Replacement>(`replacements/${one?.id}`, oc)).toEqual(one);
    expect(await get<Replacement[]>('replacements', usa)).toEqual([]);
    expect(await get<Replacement[]>('replacements?status=PENDING', oc)).toEqual(listed);
    expect(await get<Replacement[]>('replacements?status=APPROVED', oc)).toEqual([]);
  });
});
