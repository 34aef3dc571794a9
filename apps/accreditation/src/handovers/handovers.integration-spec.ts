/**
 * Volunteers' and staff's applications from their services' events: the accreditation service consumes
 * `oms.volunteers.v1.volunteer.{edition}.confirmed|withdrawn|erased` and `oms.workforce.v1.member.{edition}.changed`
 * (published here as those services would, on the test's NATS prefix) and makes, follows and withdraws their
 * applications, never retyping a name.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MemberState, VolunteerHandover } from '@podium/contracts';
import { waitFor } from '@podium/testing';

import { HandoversService, type HandoverView } from './handovers.service';
import { type Harness, json, startAccreditation } from '../test-support/harness';

const EDITION = 'OG2024';
const TOKENS = { tokens: { edition: EDITION } };

interface Pack {
  edition: { code: string; validFrom: string; validTo: string };
  organisations: { code: string; quotas: Record<string, number> }[];
}
/** The demo pack, valid until 2099 (its cards must be valid today), with the OC's quota of volunteers set. */
function pack(volunteers: number): Pack {
  const p = JSON.parse(readFileSync(join(__dirname, '..', '..', 'data', 'demo-og2024.json'), 'utf8')) as Pack;
  p.edition.validTo = '2099-12-31T00:00:00Z';
  const oc = p.organisations.find((o) => o.code === 'PARIS2024');
  if (!oc) throw new Error('the demo pack has no PARIS2024');
  oc.quotas['VOL'] = volunteers;
  return p;
}

function volunteer(over: Partial<VolunteerHandover> = {}): VolunteerHandover {
  return {
    id: randomUUID(),
    edition: EDITION,
    familyName: 'MARTIN',
    givenName: 'Léa',
    dateOfBirth: '1996-05-14',
    nationality: 'FRA',
    role: 'Spectator services',
    functionalArea: 'SPS',
    venue: 'STA',
    languages: ['fr', 'en'],
    skills: ['first aid'],
    drivingLicence: true,
    availability: [{ from: '2024-07-20', to: '2024-08-11' }],
    version: 1,
    updatedAt: new Date().toISOString(),
    ...over,
  };
}

function member(over: Partial<MemberState> = {}): MemberState {
  return {
    id: randomUUID(),
    edition: EDITION,
    type: 'staff',
    volunteerId: null,
    familyName: 'BERNARD',
    givenName: 'Hugo',
    dateOfBirth: '1988-11-23',
    nationality: 'FRA',
    organisation: 'PARIS2024',
    role: 'Venue manager',
    functionalArea: 'VEN',
    homeVenue: 'STA',
    status: 'active',
    version: 1,
    updatedAt: new Date().toISOString(),
    ...over,
  };
}

interface Application {
  id: string;
  organisation: string;
  category: string;
  familyName: string;
  givenName: string;
  dateOfBirth: string;
  nationality: string;
  state: string;
  submittedBy: string;
}

describe('accreditation: volunteers and staff from their services', () => {
  let h: Harness;
  let admin: string;
  let security: string;
  let paris: string;

  const handovers = async (token = admin): Promise<HandoverView[]> => {
    const res = await h.request(`/v1/editions/${EDITION}/handovers?limit=500`, { token });
    return (await json<{ items: HandoverView[] }>(res, 200)).items;
  };
  /** Waits until the hand-over `id` is at `version` and `ready` says it is done. */
  const handover = async (id: string, version: number, ready: (x: HandoverView) => boolean = () => true): Promise<HandoverView> => {
    let found: HandoverView | undefined;
    await waitFor(
      async () => {
        found = (await handovers()).find((x) => x.id === id && x.version === version);
        return found !== undefined && ready(found);
      },
      { timeoutMs: 15_000, intervalMs: 100, description: `hand-over ${id} version ${version} taken in` },
    );
    return found as HandoverView;
  };
  const application = async (id: string | null): Promise<Application> =>
    json<Application>(await h.request(`/v1/editions/${EDITION}/applications/${String(id)}`, { token: admin }), 200);
  const history = async (id: string | null) =>
    (await json<{ items: { by: string; action: string; to: string; reason: string | null }[] }>(
      await h.request(`/v1/editions/${EDITION}/applications/${String(id)}/history`, { token: admin }),
      200,
    )).items;
  const importPack = async (p: Pack) => json(await h.request(`/v1/editions/${EDITION}/reference-data`, { method: 'POST', token: admin, json: p }), 200);
  /** Applications of the OC's category `category` not rejected (the places taken). */
  const placesTaken = async (category: string) => {
    const page = await json<{ items: Application[] }>(
      await h.request(`/v1/editions/${EDITION}/applications?organisation=PARIS2024&category=${category}&limit=500`, { token: admin }),
      200,
    );
    return page.items.filter((a) => a.state !== 'rejected').length;
  };

  beforeAll(async () => {
    h = await startAccreditation();
    admin = await h.token(['oc-admin']);
    security = await h.token(['accreditation-security']);
    paris = await h.token(['ro-officer'], { org: 'PARIS2024' });
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  it('keeps a volunteer confirmed before the reference data pending, and applies it once the pack is imported', async () => {
    const v = volunteer({ familyName: 'EARLY' });
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', v, TOKENS);
    const pending = await handover(v.id, 1, (x) => x.attemptedAt !== null);
    expect(pending).toMatchObject({ source: 'volunteers', kind: 'volunteer', statusReason: 'no-reference-data', applicationId: null, familyName: 'EARLY' });

    await importPack(pack(10));
    await h.app.get(HandoversService).sweep(); // what the timer does every 30 s
    const applied = await handover(v.id, 1, (x) => x.status === 'applied');
    expect(await application(applied.applicationId)).toMatchObject({
      organisation: 'PARIS2024',
      category: 'VOL',
      familyName: 'EARLY',
      givenName: 'Léa',
      dateOfBirth: '1996-05-14',
      nationality: 'FRA',
      state: 'submitted',
      submittedBy: 'volunteers',
    });
    // Only the OC's roles see the hand-overs.
    expect((await h.request(`/v1/editions/${EDITION}/handovers`, { token: paris })).status).toBe(403);
  }, 60_000);

  it("makes a confirmed volunteer's application with the event's names, follows a newer version, ignores an older one and a redelivery, and withdraws it", async () => {
    const v = volunteer({ familyName: 'DURAND', givenName: 'Chloé' });
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', v, TOKENS);
    const first = await handover(v.id, 1, (x) => x.status === 'applied');
    const id = first.applicationId;
    expect(await application(id)).toMatchObject({ organisation: 'PARIS2024', category: 'VOL', familyName: 'DURAND', givenName: 'Chloé', nationality: 'FRA' });

    // The same event delivered again: nothing more (one application, one history entry).
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', v, TOKENS);
    // A newer version corrects the name; then the older one arrives late.
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', { ...v, familyName: 'DURAND-PETIT', nationality: 'BEL', version: 2 }, TOKENS);
    await handover(v.id, 2);
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', { ...v, familyName: 'STALE', version: 1 }, TOKENS);
    const marker = volunteer({ familyName: 'MARKER' });
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', marker, TOKENS);
    await handover(marker.id, 1, (x) => x.status === 'applied'); // consumed in order: the stale version was handled before it

    expect(await application(id)).toMatchObject({ familyName: 'DURAND-PETIT', givenName: 'Chloé', nationality: 'BEL', state: 'submitted' });
    expect((await handovers()).filter((x) => x.id === v.id)).toEqual([expect.objectContaining({ version: 2, applicationId: id, familyName: 'DURAND-PETIT' })]);
    const durands = await json<{ items: Application[] }>(await h.request(`/v1/editions/${EDITION}/applications?name=durand&limit=50`, { token: admin }), 200);
    expect(durands.items.map((a) => a.id)).toEqual([id]);
    expect((await history(id)).map((e) => [e.by, e.action, e.to])).toEqual([
      ['volunteers', 'submit', 'submitted'],
      ['volunteers', 'update-from-volunteers', 'submitted'],
    ]);

    const before = await placesTaken('VOL');
    await h.publish('oms.volunteers.v1.volunteer.{edition}.withdrawn', { id: v.id, edition: EDITION, reason: 'Withdrew', version: 3, updatedAt: new Date().toISOString() }, TOKENS);
    const withdrawn = await handover(v.id, 3, (x) => x.status === 'withdrawn');
    expect(withdrawn).toMatchObject({ active: false, statusReason: 'application-withdrawn', applicationId: id, familyName: 'DURAND-PETIT' });
    expect(await application(id)).toMatchObject({ state: 'rejected' });
    expect((await history(id)).at(-1)).toMatchObject({ by: 'volunteers', action: 'reject', to: 'rejected', reason: 'volunteer withdrawn' });
    expect(await placesTaken('VOL')).toBe(before - 1); // the place comes back

    // Confirmed again later (a higher version): a new application, the withdrawn one stays as it is.
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', { ...v, familyName: 'DURAND-PETIT', version: 4 }, TOKENS);
    const again = await handover(v.id, 4, (x) => x.status === 'applied');
    expect(again.applicationId).not.toBe(id);
    expect(await application(again.applicationId)).toMatchObject({ familyName: 'DURAND-PETIT', state: 'submitted' });
    expect(await application(id)).toMatchObject({ state: 'rejected' });
  }, 60_000);

  it("revokes the card of a volunteer who withdraws, and never fills an erased application again", async () => {
    const v = volunteer({ familyName: 'CARDHOLDER' });
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', v, TOKENS);
    const { applicationId: id } = await handover(v.id, 1, (x) => x.status === 'applied');
    const post = (path: string, body: unknown, token = admin) => h.request(path, { method: 'POST', token, json: body });
    await json(await post(`/v1/editions/${EDITION}/applications/${String(id)}/transitions`, { to: 'vetting', reason: 'checks' }), 200);
    await json(await h.request(`/v1/editions/${EDITION}/applications/${String(id)}/vetting`, { method: 'PUT', json: { result: 'cleared' }, token: security }), 200);
    await json(await post(`/v1/editions/${EDITION}/applications/${String(id)}/transitions`, { to: 'approved', reason: 'ok' }), 200);
    const card = await json<{ cardNumber: string; source: unknown }>(await post(`/v1/editions/${EDITION}/applications/${String(id)}/card`, {}), 201);
    // The card names the volunteer it was made for: how workforce finds its members' cards in the card events.
    expect(card.source).toEqual({ service: 'volunteers', id: v.id });
    await waitFor(
      async () =>
        (await h.readStream('ACCREDITATION')).some(
          (m) => m.subject === `oms.accreditation.v1.card.${EDITION}.issued` && JSON.stringify(m.json).includes(`"source":{"service":"volunteers","id":"${v.id}"}`),
        ),
      { timeoutMs: 15_000, intervalMs: 100, description: 'the card issued event naming its source' },
    );

    await h.publish('oms.volunteers.v1.volunteer.{edition}.withdrawn', { id: v.id, edition: EDITION, reason: 'Released', version: 2, updatedAt: new Date().toISOString() }, TOKENS);
    expect(await handover(v.id, 2, (x) => x.status === 'withdrawn')).toMatchObject({ statusReason: 'card-revoked' });
    expect(await json(await h.request(`/v1/cards/${card.cardNumber}`, { token: admin }), 200)).toMatchObject({ status: 'revoked' });
    expect(await application(id)).toMatchObject({ state: 'revoked' });
    expect((await history(id)).at(-1)).toMatchObject({ by: 'volunteers', action: 'revoke', reason: 'volunteer withdrawn' });

    // Erased, then confirmed again with new names: nothing is filled, no application is made, the copy here is emptied.
    const w = volunteer({ familyName: 'FORGET' });
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', w, TOKENS);
    const { applicationId: erasedId } = await handover(w.id, 1, (x) => x.status === 'applied');
    await json(await post(`/v1/editions/${EDITION}/applications/${String(erasedId)}/erasure`, { reason: 'GDPR request' }), 200);
    // emptied by the erasure's own transaction, not later by the timer
    expect((await handovers()).find((x) => x.id === w.id)).toMatchObject({ status: 'erased', familyName: null, givenName: null, dateOfBirth: null, nationality: null });
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', { ...w, familyName: 'FORGET-AGAIN', version: 2 }, TOKENS);
    const erased = await handover(w.id, 2, (x) => x.status === 'erased');
    expect(erased).toMatchObject({ applicationId: erasedId, familyName: null, givenName: null, dateOfBirth: null, nationality: null });
    expect(await application(erasedId)).toMatchObject({ familyName: '[erased]' });
    const forget = await json<{ items: Application[] }>(await h.request(`/v1/editions/${EDITION}/applications?name=forget&limit=50`, { token: admin }), 200);
    expect(forget.items).toEqual([]);
  }, 60_000);

  it("empties the hand-over of a volunteer the volunteers service erased, withdrawing its application (kept), whatever the order of the events", async () => {
    const erasedEvent = (id: string) => ({ id, edition: EDITION, erasedAt: new Date().toISOString() });
    const withdrawnEvent = (id: string, version: number) => ({ id, edition: EDITION, reason: 'Personal data erased', version, updatedAt: new Date().toISOString() });
    const emptied = { status: 'erased', statusReason: 'source-erased', active: false, familyName: null, givenName: null, dateOfBirth: null, nationality: null };

    // Withdrawn, then erased (the volunteers service's order).
    const a = volunteer({ familyName: 'ERASEDAFTER' });
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', a, TOKENS);
    const { applicationId: aApp } = await handover(a.id, 1, (x) => x.status === 'applied');
    await h.publish('oms.volunteers.v1.volunteer.{edition}.withdrawn', withdrawnEvent(a.id, 2), TOKENS);
    await handover(a.id, 2, (x) => x.status === 'withdrawn');
    await h.publish('oms.volunteers.v1.volunteer.{edition}.erased', erasedEvent(a.id), TOKENS);
    expect(await handover(a.id, 2, (x) => x.status === 'erased')).toMatchObject({ ...emptied, statusDetail: 'application-withdrawn', applicationId: aApp });
    // The application stays, withdrawn (accreditation's own record: its own erasure by its data-protection officer).
    expect(await application(aApp)).toMatchObject({ state: 'rejected', familyName: 'ERASEDAFTER' });
    // A later confirmation fills nothing and makes no application.
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', { ...a, familyName: 'ERASEDAFTER-AGAIN', version: 3 }, TOKENS);
    expect(await handover(a.id, 3)).toMatchObject({ status: 'erased', familyName: null, applicationId: aApp });

    // Erased before its withdrawal came (two consumers, not ordered between them): withdrawn by the erasure, once.
    const b = volunteer({ familyName: 'ERASEDFIRST' });
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', b, TOKENS);
    const { applicationId: bApp } = await handover(b.id, 1, (x) => x.status === 'applied');
    await h.publish('oms.volunteers.v1.volunteer.{edition}.erased', erasedEvent(b.id), TOKENS);
    expect(await handover(b.id, 1, (x) => x.status === 'erased')).toMatchObject({ ...emptied, statusDetail: 'application-withdrawn', applicationId: bApp });
    expect(await application(bApp)).toMatchObject({ state: 'rejected' });
    expect((await history(bApp)).at(-1)).toMatchObject({ by: 'volunteers', action: 'reject', reason: 'volunteer withdrawn' });
    await h.publish('oms.volunteers.v1.volunteer.{edition}.withdrawn', withdrawnEvent(b.id, 2), TOKENS);
    expect(await handover(b.id, 2)).toMatchObject({ status: 'erased', familyName: null });
    expect((await history(bApp)).filter((e) => e.action === 'reject')).toHaveLength(1);

    // Erased before its confirmation was taken in: kept empty, never filled, no application made.
    const c = volunteer({ familyName: 'NEVERFILLED' });
    await h.publish('oms.volunteers.v1.volunteer.{edition}.erased', erasedEvent(c.id), TOKENS);
    expect(await handover(c.id, 0, (x) => x.status === 'erased')).toMatchObject({ ...emptied, applicationId: null });
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', c, TOKENS);
    expect(await handover(c.id, 1)).toMatchObject({ status: 'erased', familyName: null, dateOfBirth: null, applicationId: null });
    const never = await json<{ items: Application[] }>(await h.request(`/v1/editions/${EDITION}/applications?name=neverfilled&limit=50`, { token: admin }), 200);
    expect(never.items).toEqual([]);
    // A redelivery of the erasure changes nothing.
    await h.app.get(HandoversService).eraseVolunteer(erasedEvent(b.id));
    expect((await handovers()).find((x) => x.id === b.id)).toMatchObject({ status: 'erased', statusDetail: 'application-withdrawn' });
  }, 60_000);

  it('keeps an over-quota volunteer visible as refused, saying by how much, and applies it once a new pack gives a place', async () => {
    const taken = await placesTaken('VOL');
    await importPack(pack(taken)); // every place taken
    const v = volunteer({ familyName: 'OVERQUOTA' });
    await h.publish('oms.volunteers.v1.volunteer.{edition}.confirmed', v, TOKENS);
    const refused = await handover(v.id, 1, (x) => x.status === 'refused');
    expect(refused).toMatchObject({ statusReason: 'quota-exceeded', applicationId: null, familyName: 'OVERQUOTA' });
    expect(refused.statusDetail).toContain('1 over the quota');
    // A retry with no more places: still refused.
    expect(await json(await h.request(`/v1/editions/${EDITION}/handovers/retry`, { method: 'POST', token: admin }), 200)).toMatchObject({ tried: 1, refused: 1 });

    await importPack(pack(taken + 1));
    await h.app.get(HandoversService).sweep();
    const applied = await handover(v.id, 1, (x) => x.status === 'applied');
    expect(await application(applied.applicationId)).toMatchObject({ familyName: 'OVERQUOTA', category: 'VOL' });
  }, 60_000);

  it("makes staff's and contractors' applications from workforce, follows and withdraws them, and leaves its volunteers to the volunteers service", async () => {
    const staff = member({ familyName: 'STAFFER' });
    const contractor = member({ type: 'contractor', organisation: 'ACME', familyName: 'BUILDER', givenName: 'Bob' });
    const asVolunteer = member({ type: 'volunteer', volunteerId: randomUUID(), familyName: 'WFVOLUNTEER' });
    await h.publish('oms.workforce.v1.member.{edition}.changed', asVolunteer, TOKENS);
    await h.publish('oms.workforce.v1.member.{edition}.changed', staff, TOKENS);
    await h.publish('oms.workforce.v1.member.{edition}.changed', contractor, TOKENS);
    const s = await handover(staff.id, 1, (x) => x.status === 'applied');
    const c = await handover(contractor.id, 1, (x) => x.status === 'applied');
    expect(s).toMatchObject({ source: 'workforce', kind: 'staff', employer: 'PARIS2024' });
    expect(await application(s.applicationId)).toMatchObject({ organisation: 'PARIS2024', category: 'OC', familyName: 'STAFFER', givenName: 'Hugo', submittedBy: 'workforce' });
    expect(await application(c.applicationId)).toMatchObject({ organisation: 'PARIS2024', category: 'CON', familyName: 'BUILDER', givenName: 'Bob' });
    // The volunteer member was consumed before them and ignored: no hand-over, no application.
    expect((await handovers()).some((x) => x.id === asVolunteer.id)).toBe(false);
    const wf = await json<{ items: Application[] }>(await h.request(`/v1/editions/${EDITION}/applications?name=wfvolunteer&limit=50`, { token: admin }), 200);
    expect(wf.items).toEqual([]);

    await h.publish('oms.workforce.v1.member.{edition}.changed', { ...staff, familyName: 'STAFFER-NEW', role: 'Venue director', version: 2 }, TOKENS);
    await handover(staff.id, 2);
    await h.publish('oms.workforce.v1.member.{edition}.changed', { ...staff, familyName: 'STAFFER-NEW', role: 'Venue director', status: 'released', version: 3 }, TOKENS);
    const released = await handover(staff.id, 3, (x) => x.status === 'withdrawn');
    expect(released).toMatchObject({ active: false, statusReason: 'application-withdrawn', role: 'Venue director' });
    expect(await application(s.applicationId)).toMatchObject({ familyName: 'STAFFER-NEW', state: 'rejected' });
    expect((await history(s.applicationId)).map((e) => [e.by, e.action, e.reason])).toEqual([
      ['workforce', 'submit', null],
      ['workforce', 'update-from-workforce', 'workforce changed the staff (version 2)'],
      ['workforce', 'reject', 'workforce member released'],
    ]);
    // The list filters and refuses a cursor that is not one.
    expect((await json<{ items: HandoverView[] }>(await h.request(`/v1/editions/${EDITION}/handovers?source=workforce&limit=500`, { token: admin }), 200)).items.map((x) => x.id).sort()).toEqual(
      [staff.id, contractor.id].sort(),
    );
    expect((await h.request(`/v1/editions/${EDITION}/handovers?cursor=nope`, { token: admin })).status).toBe(400);
  }, 60_000);
});
