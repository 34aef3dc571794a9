/**
 * Athletes' applications made from entries' athletes: the accreditation service consumes
 * `oms.entries.v1.athlete.{noc}.changed` (published here as entries would, on the test's NATS prefix), lists an NOC's
 * athletes, applies for one without retyping a name, follows entries' later changes, and keeps another NOC's out.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AthleteState } from '@podium/contracts';
import { waitFor } from '@podium/testing';

import { type Harness, startAccreditation } from '../test-support/harness';

const EDITION = 'OG2024';
const PACK = readFileSync(join(__dirname, '..', '..', 'data', 'demo-og2024.json'), 'utf8');

function athlete(over: Partial<AthleteState> = {}): AthleteState {
  return {
    edition: EDITION,
    id: randomUUID(),
    ifId: `IF-${Math.floor(Math.random() * 1e9)}`,
    noc: 'FRA',
    familyName: 'DUPONT',
    givenName: 'Marie',
    printName: 'DUPONT Marie',
    gender: 'W',
    birthDate: '1999-04-02',
    sportClass: null,
    classificationStatus: null,
    entries: [{ entryId: randomUUID(), event: 'ATHW100M--------------------------', discipline: 'ATH', role: 'STARTER' }],
    version: 1,
    updatedAt: new Date().toISOString(),
    ...over,
  };
}

interface AthleteView {
  id: string;
  noc: string;
  familyName: string;
  events: string[];
  version: number;
  applicationId: string | null;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

describe('accreditation: athletes from entries', () => {
  let h: Harness;
  let admin: string;
  let fra: string;
  let ken: string;

  const list = async (token: string, query = ''): Promise<Page<AthleteView>> => {
    const res = await h.request(`/v1/editions/${EDITION}/athletes${query}`, { token });
    expect(res.status).toBe(200);
    return (await res.json()) as Page<AthleteView>;
  };
  const seen = async (id: string, version: number) =>
    waitFor(async () => (await list(admin, '?limit=500')).items.some((a) => a.id === id && a.version === version), {
      timeoutMs: 15_000,
      intervalMs: 100,
      description: `athlete ${id} version ${version} taken in from entries' event`,
    });

  beforeAll(async () => {
    h = await startAccreditation();
    admin = await h.token(['oc-admin']);
    fra = await h.token(['noc-official'], { noc: 'FRA' });
    ken = await h.token(['noc-official'], { noc: 'KEN' });
    const imported = await h.request(`/v1/editions/${EDITION}/reference-data`, { method: 'POST', token: admin, json: JSON.parse(PACK) });
    expect(imported.status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  it("applies for an athlete with entries' names, never retyped, and follows entries' changes", async () => {
    const a = athlete();
    await h.publish('oms.entries.v1.athlete.{noc}.changed', a, { tokens: { noc: 'FRA' } });
    await seen(a.id, 1);

    const mine = await list(fra, '?applied=false');
    expect(mine.items.find((x) => x.id === a.id)).toMatchObject({ noc: 'FRA', familyName: 'DUPONT', events: ['ATHW100M--------------------------'], applicationId: null });

    const applied = await h.request(`/v1/editions/${EDITION}/athletes/${a.id}/application`, { method: 'POST', token: fra, json: { category: 'AA', passportNumber: '12AB34567' } });
    expect(applied.status).toBe(201);
    const application = (await applied.json()) as Record<string, unknown>;
    expect(application).toMatchObject({
      organisation: 'FRA',
      category: 'AA',
      familyName: 'DUPONT',
      givenName: 'Marie',
      dateOfBirth: '1999-04-02',
      nationality: 'FRA',
      entriesAthleteId: a.id,
      state: 'submitted',
      passportNumber: '12AB34567',
    });
    expect((await list(fra, '?applied=true')).items.map((x) => [x.id, x.applicationId])).toContainEqual([a.id, application['id']]);

    // Names are not typed here: a body carrying one is refused (strict), and a second application is a 409.
    const typed = await h.request(`/v1/editions/${EDITION}/athletes/${a.id}/application`, { method: 'POST', token: fra, json: { category: 'AA', familyName: 'X' } });
    expect(typed.status).toBe(400);
    const again = await h.request(`/v1/editions/${EDITION}/athletes/${a.id}/application`, { method: 'POST', token: fra, json: { category: 'AA' } });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ type: 'https://podium.dev/problems/athlete-already-applied', applicationId: application['id'] });

    // entries corrects the name (version 2), then an older version arrives late (version 1 again): the application
    // follows version 2 only, with a history entry by entries.
    await h.publish('oms.entries.v1.athlete.{noc}.changed', { ...a, familyName: 'DUPONT-MARTIN', printName: 'DUPONT-MARTIN Marie', version: 2 }, { tokens: { noc: 'FRA' } });
    await seen(a.id, 2);
    await h.publish('oms.entries.v1.athlete.{noc}.changed', { ...a, familyName: 'STALE', version: 1 }, { tokens: { noc: 'FRA' } });
    const later = athlete();
    await h.publish('oms.entries.v1.athlete.{noc}.changed', later, { tokens: { noc: 'FRA' } });
    await seen(later.id, 1); // consumed in order: the stale version was handled before it
    const got = await h.request(`/v1/editions/${EDITION}/applications/${String(application['id'])}`, { token: fra });
    expect(await got.json()).toMatchObject({ familyName: 'DUPONT-MARTIN', givenName: 'Marie' });
    const history = (await (await h.request(`/v1/editions/${EDITION}/applications/${String(application['id'])}/history`, { token: fra })).json()) as {
      items: { by: string; action: string; from: string | null; to: string }[];
    };
    expect(history.items.map((e) => [e.by, e.action, e.to])).toEqual([
      [expect.any(String), 'submit', 'submitted'],
      ['entries', 'update-from-entries', 'submitted'],
    ]);
  }, 60_000);

  it('never fills an erased application again from entries', async () => {
    const a = athlete({ familyName: 'ERASE' });
    await h.publish('oms.entries.v1.athlete.{noc}.changed', a, { tokens: { noc: 'FRA' } });
    await seen(a.id, 1);
    const applied = await h.request(`/v1/editions/${EDITION}/athletes/${a.id}/application`, { method: 'POST', token: fra, json: { category: 'AA' } });
    const { id } = (await applied.json()) as { id: string };
    const erased = await h.request(`/v1/editions/${EDITION}/applications/${id}/erasure`, { method: 'POST', token: admin, json: { reason: 'GDPR request' } });
    expect(erased.status).toBe(200);
    await h.publish('oms.entries.v1.athlete.{noc}.changed', { ...a, familyName: 'ERASE-AGAIN', version: 2 }, { tokens: { noc: 'FRA' } });
    await seen(a.id, 2);
    const got = (await (await h.request(`/v1/editions/${EDITION}/applications/${id}`, { token: admin })).json()) as { familyName: string };
    expect(got.familyName).toBe('[erased]');
  }, 60_000);

  it("keeps another NOC's athletes out: not listed, 404 to apply, and an unknown athlete is 404 too", async () => {
    const a = athlete({ noc: 'KEN', familyName: 'KIPCHOGE' });
    await h.publish('oms.entries.v1.athlete.{noc}.changed', a, { tokens: { noc: 'KEN' } });
    await seen(a.id, 1);
    expect((await list(fra, '?limit=500')).items.some((x) => x.id === a.id)).toBe(false);
    expect((await list(fra, '?organisation=KEN')).items).toEqual([]);
    expect((await list(ken)).items.map((x) => x.id)).toContain(a.id);
    const other = await h.request(`/v1/editions/${EDITION}/athletes/${a.id}/application`, { method: 'POST', token: fra, json: { category: 'AA' } });
    expect(other.status).toBe(404);
    const unknown = await h.request(`/v1/editions/${EDITION}/athletes/${randomUUID()}/application`, { method: 'POST', token: admin, json: { category: 'AA' } });
    expect(unknown.status).toBe(404);
    // The OC applies for any NOC's athlete, within that NOC's quota.
    const byOc = await h.request(`/v1/editions/${EDITION}/athletes/${a.id}/application`, { method: 'POST', token: admin, json: { category: 'AA' } });
    expect(byOc.status).toBe(201);
    expect(await byOc.json()).toMatchObject({ organisation: 'KEN', familyName: 'KIPCHOGE' });
  }, 60_000);

  it('pages the athletes by family name with a cursor, and two officers racing for one athlete get one application', async () => {
    const names = ['ANDRE', 'BERNARD', 'CLEMENT', 'DURAND', 'EVRARD'];
    const many = names.map((familyName) => athlete({ familyName, printName: `${familyName} X` }));
    for (const a of many) await h.publish('oms.entries.v1.athlete.{noc}.changed', a, { tokens: { noc: 'FRA' } });
    await seen(many.at(-1)?.id ?? '', 1);
    const collected: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page: Page<AthleteView> = await list(fra, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      collected.push(...page.items.map((x) => x.familyName));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(collected).toEqual([...collected].sort());
    for (const n of names) expect(collected).toContain(n);
    expect((await h.request(`/v1/editions/${EDITION}/athletes?cursor=not-a-cursor`, { token: fra })).status).toBe(400);

    const target = many[0];
    const answers = await Promise.all(
      [fra, admin, fra, admin].map((token) => h.request(`/v1/editions/${EDITION}/athletes/${target?.id}/application`, { method: 'POST', token, json: { category: 'AA' } })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
  }, 60_000);
});
