import { parseEnvelope } from '@podium/contracts';
import { waitFor } from '@podium/testing';
import { randomUUID } from 'node:crypto';

import { PrismaService } from '../database/prisma.service';
import { DEMO_CAMPAIGN } from '../test-support/campaign';
import { insertApplication } from '../test-support/fixtures';
import { type Harness, startVolunteers } from '../test-support/harness';
import { PipelineService } from './pipeline.service';

const EDITION = 'OG2024';
const HOUR = 3_600_000;

interface View {
  id: string;
  stage: string;
  version: number;
  interviewSlotId: string | null;
  offer: { role: string; area: string; venue: string; deadline: string } | null;
}
interface Problem {
  type: string;
  detail: string;
  stage?: string;
  allowed?: string[];
}

describe('volunteers: the recruiting pipeline', () => {
  let h: Harness;
  let recruiter: string;
  let pipeline: PipelineService;
  let prisma: PrismaService;

  const post = (path: string, json: unknown, token = recruiter) => h.request(path, { method: 'POST', json, token });
  const move = (id: string, body: Record<string, unknown>, token = recruiter) => post(`/v1/editions/${EDITION}/applications/${id}/transitions`, body, token);
  async function ok<T>(response: Response | Promise<Response>, status = 200): Promise<T> {
    const r = await response;
    const body = await r.text();
    if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${body}`);
    return JSON.parse(body) as T;
  }
  async function refused(response: Response | Promise<Response>, status = 409): Promise<Problem> {
    const r = await response;
    expect(r.status).toBe(status);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    return (await r.json()) as Problem;
  }
  const newSlot = async (capacity = 2, startsAt = new Date(Date.now() + 48 * HOUR)) =>
    ok<{ id: string; capacity: number; booked: number; free: number }>(
      post(`/v1/editions/${EDITION}/interview-slots`, { startsAt: startsAt.toISOString(), location: 'Stade de France, room 2', capacity }),
      201,
    );
  const offer = (deadline = new Date(Date.now() + 72 * HOUR)) => ({ role: 'Spectator services', area: 'SPS', venue: 'STA', deadline: deadline.toISOString() });
  const slotBooked = async (id: string) => (await prisma.interviewSlot.findUniqueOrThrow({ where: { id } })).booked;

  beforeAll(async () => {
    h = await startVolunteers();
    recruiter = await h.token(['volunteer-recruiter'], { sub: 'rec-1' });
    pipeline = h.app.get(PipelineService);
    prisma = h.app.get(PrismaService);
    await ok(h.request(`/v1/editions/${EDITION}/campaign`, { method: 'PUT', json: DEMO_CAMPAIGN, token: await h.token(['volunteer-manager']) }));
  });

  afterAll(async () => {
    await h?.close();
  });

  it('walks every legal move of the main line, each with its history entry (who, when, why) and version + 1', async () => {
    const { row, token } = await insertApplication(h, { nationality: 'FRA' });
    const slot = await newSlot();
    expect((await ok<View>(move(row.id, { to: 'screened', reason: 'profile fits' }))).stage).toBe('screened');
    const booked = await ok<View>(post(`/v1/editions/${EDITION}/applications/${row.id}/interview`, { slotId: slot.id }));
    expect(booked).toMatchObject({ stage: 'interview-booked', interviewSlotId: slot.id });
    expect(await slotBooked(slot.id)).toBe(1);
    expect((await ok<View>(move(row.id, { to: 'interviewed', reason: 'good interview' }))).stage).toBe('interviewed');
    expect((await ok<View>(move(row.id, { to: 'trained' }))).stage).toBe('trained');
    const offered = await ok<View>(move(row.id, { to: 'offered', ...offer() }));
    expect(offered).toMatchObject({ stage: 'offered', offer: { role: 'Spectator services', area: 'SPS', venue: 'STA' } });
    expect((await pipeline.applicantAnswer(token, 'accept')).stage).toBe('accepted');
    const confirmed = await ok<View>(move(row.id, { to: 'confirmed', expectedVersion: 7 }));
    expect(confirmed).toMatchObject({ stage: 'confirmed', version: 8 });
    expect(await slotBooked(slot.id)).toBe(1);

    const history = await ok<{ items: { by: string; action: string; from: string | null; to: string; reason: string | null; at: string }[] }>(
      h.request(`/v1/editions/${EDITION}/applications/${row.id}/history`, { token: recruiter }),
    );
    expect(history.items.map((i) => [i.action, i.from, i.to, i.by])).toEqual([
      ['apply', null, 'applied', 'fixture'],
      ['screen', 'applied', 'screened', 'rec-1'],
      ['book-interview', 'screened', 'interview-booked', 'rec-1'],
      ['interview', 'interview-booked', 'interviewed', 'rec-1'],
      ['train', 'interviewed', 'trained', 'rec-1'],
      ['offer', 'trained', 'offered', 'rec-1'],
      ['accept', 'offered', 'accepted', 'applicant'],
      ['confirm', 'accepted', 'confirmed', 'rec-1'],
    ]);
    expect(history.items[1]?.reason).toBe('profile fits');
    expect(history.items.every((i) => !Number.isNaN(Date.parse(i.at)))).toBe(true);
  });

  it('moves off the main line: a booking cancelled frees its place, rejected, declined, withdrawn by the applicant', async () => {
    const slot = await newSlot();
    const a = await insertApplication(h, { stage: 'screened' });
    await ok(post(`/v1/editions/${EDITION}/applications/${a.row.id}/interview`, { slotId: slot.id }));
    expect(await slotBooked(slot.id)).toBe(1);
    expect((await ok<View>(move(a.row.id, { to: 'screened', reason: 'asked for another day' }))).interviewSlotId).toBeNull();
    expect(await slotBooked(slot.id)).toBe(0);
    await ok(post(`/v1/editions/${EDITION}/applications/${a.row.id}/interview`, { slotId: slot.id }));
    expect((await ok<View>(move(a.row.id, { to: 'rejected', reason: 'did not come' }))).stage).toBe('rejected');
    expect(await slotBooked(slot.id)).toBe(0);

    for (const stage of ['applied', 'trained', 'offered'] as const) {
      const r = await insertApplication(h, { stage, ...(stage === 'offered' ? { offer: { ...offer(), deadline: new Date(Date.now() + HOUR) } } : {}) });
      expect((await ok<View>(move(r.row.id, { to: 'rejected', reason: 'not this time' }))).stage).toBe('rejected');
    }
    const declining = await insertApplication(h, { stage: 'offered', offer: { ...offer(), deadline: new Date(Date.now() + HOUR) } });
    expect((await pipeline.applicantAnswer(declining.token, 'decline')).stage).toBe('declined');
    const leaving = await insertApplication(h, { stage: 'interviewed' });
    expect((await pipeline.applicantWithdraw(leaving.token, { code: 'not-available', text: 'moving abroad' })).stage).toBe('withdrawn');
    await expect(pipeline.applicantWithdraw(leaving.token)).rejects.toMatchObject({ slug: 'illegal-transition' });
  });

  it('refuses an illegal move with 409 and the allowed ones, and a reason-less rejection with 400', async () => {
    const { row } = await insertApplication(h);
    const skip = await refused(move(row.id, { to: 'interviewed' }));
    expect(skip.type).toContain('illegal-transition');
    expect(skip).toMatchObject({ stage: 'applied', allowed: ['screened', 'rejected'] });
    // Only the applicant answers an offer.
    expect((await refused(move(row.id, { to: 'accepted' }))).allowed).toEqual(['screened', 'rejected']);
    await refused(move(row.id, { to: 'rejected' }), 400);
    await ok(move(row.id, { to: 'rejected', reason: 'incomplete' }));
    expect(await refused(move(row.id, { to: 'screened' }))).toMatchObject({ stage: 'rejected', allowed: [] });
    expect((await refused(move(row.id, { to: 'screened', expectedVersion: 1 }))).type).toContain('stale-version');
    // An offer needs its role, area, venue and a deadline in the future.
    const trained = await insertApplication(h, { stage: 'trained' });
    await refused(move(trained.row.id, { to: 'offered', role: 'Driver' }), 400);
    await refused(move(trained.row.id, { to: 'offered', ...offer(new Date(Date.now() - HOUR)) }), 400);
    // Not a recruiter, another edition's id, an unknown status token.
    expect((await move(row.id, { to: 'screened' }, await h.token(['ioc-observer']))).status).toBe(403);
    expect((await h.request(`/v1/editions/${EDITION}/applications/${row.id}/transitions`, { method: 'POST', json: { to: 'screened' } })).status).toBe(401);
    await refused(post(`/v1/editions/OG2028/applications/${row.id}/transitions`, { to: 'screened' }), 404);
    await expect(pipeline.applicantAnswer('A'.repeat(43), 'accept')).rejects.toMatchObject({ status: 404 });
  });

  it('gives the last place of an interview slot to exactly one of two recruiters booking it at once', async () => {
    const other = await h.token(['volunteer-recruiter'], { sub: 'rec-2' });
    for (let round = 0; round < 3; round++) {
      const slot = await newSlot();
      const first = await insertApplication(h, { stage: 'screened' });
      await ok(post(`/v1/editions/${EDITION}/applications/${first.row.id}/interview`, { slotId: slot.id }));
      const [a, b] = await Promise.all([insertApplication(h, { stage: 'screened' }), insertApplication(h, { stage: 'screened' })]);
      const answers = await Promise.all([
        post(`/v1/editions/${EDITION}/applications/${a.row.id}/interview`, { slotId: slot.id }),
        post(`/v1/editions/${EDITION}/applications/${b.row.id}/interview`, { slotId: slot.id }, other),
      ]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      const loser = answers.find((r) => r.status === 409);
      expect(((await loser?.json()) as Problem).type).toContain('slot-full');
      expect(await slotBooked(slot.id)).toBe(2);
      const stages = await prisma.application.findMany({ where: { id: { in: [a.row.id, b.row.id] } }, select: { stage: true } });
      expect(stages.map((s) => s.stage).sort()).toEqual(['interview-booked', 'screened']);
    }
    const listed = await ok<{ items: { id: string; free: number }[] }>(h.request(`/v1/editions/${EDITION}/interview-slots?available=true`, { token: recruiter }));
    expect(listed.items.every((s) => s.free > 0)).toBe(true);
  });

  it('refuses an offer answered after its deadline: the offer lapses (history by system), and the sweep lapses the others', async () => {
    const late = await insertApplication(h, { stage: 'offered', offer: { ...offer(), deadline: new Date(Date.now() - 1_000) } });
    const error = await pipeline.applicantAnswer(late.token, 'accept').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 409, slug: 'offer-lapsed' });
    expect((error as Error).message).toContain('had to be answered by');
    const row = await prisma.application.findUniqueOrThrow({ where: { id: late.row.id } });
    expect(row).toMatchObject({ stage: 'lapsed', version: 2 });
    await expect(pipeline.applicantAnswer(late.token, 'decline')).rejects.toMatchObject({ status: 409 });

    const swept = await insertApplication(h, { stage: 'offered', offer: { ...offer(), deadline: new Date(Date.now() - 1_000) } });
    const open = await insertApplication(h, { stage: 'offered', offer: { ...offer(), deadline: new Date(Date.now() + HOUR) } });
    expect(await pipeline.sweepLapsed()).toBeGreaterThanOrEqual(1);
    expect((await prisma.application.findUniqueOrThrow({ where: { id: swept.row.id } })).stage).toBe('lapsed');
    expect((await prisma.application.findUniqueOrThrow({ where: { id: open.row.id } })).stage).toBe('offered');
    const history = await pipeline.history(EDITION, swept.row.id);
    expect(history.items.at(-1)).toMatchObject({ by: 'system', action: 'lapse', from: 'offered', to: 'lapsed', reason: 'no answer by the deadline' });
    expect(await pipeline.sweepLapsed()).toBe(0);
  });

  it('applies a bulk action to the rows allowed and reports each refused one with why', async () => {
    const applied = await Promise.all([0, 1, 2].map(() => insertApplication(h)));
    const trained = await insertApplication(h, { stage: 'trained' });
    const confirmed = await insertApplication(h, { stage: 'confirmed' });
    const unknown = randomUUID();
    const ids = [...applied.map((a) => a.row.id), trained.row.id, confirmed.row.id, unknown];
    const report = await ok<{ matched: number; applied: number; refused: number; items: { id: string; status: string; reason?: string; allowed?: string[] }[] }>(
      post(`/v1/editions/${EDITION}/applications/bulk-transitions`, { filter: { ids }, to: 'screened', reason: 'first sift' }),
    );
    expect(report).toMatchObject({ matched: 5, applied: 3, refused: 3 });
    const byId = new Map(report.items.map((i) => [i.id, i]));
    for (const a of applied) expect(byId.get(a.row.id)).toMatchObject({ status: 'applied', from: 'applied', to: 'screened', version: 2 });
    expect(byId.get(trained.row.id)).toMatchObject({ status: 'refused', reason: 'illegal-transition', allowed: ['offered', 'rejected'] });
    expect(byId.get(confirmed.row.id)).toMatchObject({ status: 'refused', reason: 'illegal-transition' });
    expect(byId.get(unknown)).toMatchObject({ status: 'refused', reason: 'application-not-found' });
    const history = await pipeline.history(EDITION, applied[0]!.row.id);
    expect(history.items.at(-1)).toMatchObject({ by: 'rec-1', action: 'screen', reason: 'first sift', details: { bulk: true } });

    // Offer by filter (stage + field); an offer without its deadline is a 400.
    const t2 = await insertApplication(h, { stage: 'trained', fields: ['medical'] });
    await refused(post(`/v1/editions/${EDITION}/applications/bulk-transitions`, { filter: { stage: 'trained' }, to: 'offered', reason: 'wave 1' }), 400);
    const offers = await ok<{ applied: number; items: { id: string; status: string }[] }>(
      post(`/v1/editions/${EDITION}/applications/bulk-transitions`, { filter: { stage: 'trained', field: 'medical' }, to: 'offered', reason: 'wave 1', offer: offer() }),
    );
    expect(offers.items).toEqual([expect.objectContaining({ id: t2.row.id, status: 'applied' })]);
    expect(await prisma.application.findUniqueOrThrow({ where: { id: t2.row.id } })).toMatchObject({ stage: 'offered', offerVenue: 'STA', offerArea: 'SPS' });
    expect((await post(`/v1/editions/${EDITION}/applications/bulk-transitions`, { filter: {}, to: 'screened', reason: 'x' })).status).toBe(400);
  });

  it('publishes exactly one hand-over when confirmed (date of birth and nationality, no contact details), and withdrawn on release', async () => {
    const { row } = await insertApplication(h, {
      stage: 'accepted',
      familyName: 'DUPONT',
      givenName: 'Zoé',
      email: 'zoe.dupont@example.org',
      phone: '+33 6 12 34 56 78',
      dateOfBirth: '1990-02-03',
      nationality: 'FRA',
      offer: offer(),
    });
    await ok(move(row.id, { to: 'confirmed' }));
    const ofThis = async (subject: string) => (await h.readStream('VOLUNTEERS')).filter((m) => m.subject === subject && JSON.stringify(m.json).includes(row.id));
    const confirmedSubject = `oms.volunteers.v1.volunteer.${EDITION}.confirmed`;
    await waitFor(async () => (await ofThis(confirmedSubject)).length > 0, { timeoutMs: 15_000, description: 'the hand-over event' });
    await waitFor(async () => (await prisma.outboxEvent.count({ where: { publishedAt: null } })) === 0, { timeoutMs: 15_000, description: 'the outbox relayed' });
    const events = await ofThis(confirmedSubject);
    expect(events).toHaveLength(1);
    const text = JSON.stringify(events[0]?.json);
    expect(text).not.toContain('zoe.dupont@example.org');
    expect(text).not.toContain('12 34 56');
    expect(text).not.toMatch(/email|phone/i);
    expect(parseEnvelope('oms.volunteers.v1.volunteer.{edition}.confirmed', events[0]?.json).data).toEqual({
      id: row.id,
      edition: EDITION,
      familyName: 'DUPONT',
      givenName: 'Zoé',
      dateOfBirth: '1990-02-03',
      nationality: 'FRA',
      role: 'Spectator services',
      functionalArea: 'SPS',
      venue: 'STA',
      languages: ['fr', 'en'],
      skills: ['first-aid'],
      drivingLicence: true,
      availability: [
        { from: '2024-07-20', to: '2024-07-22' },
        { from: '2024-08-01', to: '2024-08-01' },
      ],
      version: 2,
      updatedAt: expect.any(String),
    });

    await ok(move(row.id, { to: 'withdrawn', reason: 'Released: no longer available' }));
    const withdrawn = await waitFor(
      async () => {
        const found = await ofThis(`oms.volunteers.v1.volunteer.${EDITION}.withdrawn`);
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 15_000, description: 'the withdrawn event' },
    );
    expect(parseEnvelope('oms.volunteers.v1.volunteer.{edition}.withdrawn', withdrawn?.[0]?.json).data).toMatchObject({ id: row.id, reason: 'Released: no longer available', version: 3 });
    expect(await ofThis(confirmedSubject)).toHaveLength(1);
  });

  it('counts applications per stage with the conversion between consecutive stages', async () => {
    const edition = 'PG2024';
    const plan: [string, number][] = [
      ['applied', 4],
      ['screened', 3],
      ['interviewed', 1],
      ['offered', 1],
      ['confirmed', 1],
      ['rejected', 2],
    ];
    for (const [stage, n] of plan) {
      for (let i = 0; i < n; i++) {
        await insertApplication(h, { edition, stage: stage as 'applied', ...(stage === 'offered' ? { offer: offer() } : {}) });
      }
    }
    const funnel = await ok<{ total: number; counts: Record<string, number>; conversion: { from: string; to: string; reachedFrom: number; reachedTo: number; rate: number | null }[] }>(
      h.request(`/v1/editions/${edition}/funnel`, { token: recruiter }),
    );
    expect(funnel.total).toBe(12);
    expect(funnel.counts).toMatchObject({ applied: 4, screened: 3, 'interview-booked': 0, interviewed: 1, offered: 1, confirmed: 1, rejected: 2, withdrawn: 0 });
    expect(funnel.conversion[0]).toEqual({ from: 'applied', to: 'screened', reachedFrom: 12, reachedTo: 6, rate: 0.5 });
    expect(funnel.conversion.find((c) => c.from === 'offered')).toEqual({ from: 'offered', to: 'accepted', reachedFrom: 2, reachedTo: 1, rate: 0.5 });
    expect((await ok<{ total: number }>(h.request('/v1/editions/XX2000/funnel', { token: recruiter }))).total).toBe(0);
  });

  it('exports CSV: streamed, escaped, formulas defused, no contact details, one stage with ?stage=', async () => {
    const edition = 'YOG2026';
    const evil = await insertApplication(h, { edition, familyName: '=HYPERLINK("http://evil.example","x")', givenName: 'Anne, "Nan"', email: 'anne@example.org' });
    await insertApplication(h, { edition, stage: 'screened', familyName: '@SUM(A1)', givenName: '-2+3' });
    const response = await h.request(`/v1/editions/${edition}/applications.csv`, { token: recruiter });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const text = await response.text();
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(
      'id,stage,familyName,givenName,languages,skills,drivingLicence,availability,fields,tshirtSize,locale,interviewSlotId,offerRole,offerArea,offerVenue,offerDeadline,version,createdAt,updatedAt',
    );
    expect(lines).toHaveLength(3);
    const line = lines.find((l) => l.startsWith(evil.row.id));
    expect(line).toContain(`${evil.row.id},applied,"'=HYPERLINK(""http://evil.example"",""x"")","Anne, ""Nan""",fr:native en:B2 es:A2,first-aid,true,2024-07-20/2024-07-22 2024-08-01,`);
    expect(text).toContain(`'@SUM(A1),'-2+3`);
    expect(text).not.toContain('anne@example.org');
    expect(text).not.toContain('1995-04-12');
    const screened = await (await h.request(`/v1/editions/${edition}/applications.csv?stage=screened`, { token: recruiter })).text();
    expect(screened.split('\r\n').filter(Boolean)).toHaveLength(2);
    expect((await h.request(`/v1/editions/${edition}/applications.csv?stage=nope`, { token: recruiter })).status).toBe(400);
    expect((await h.request(`/v1/editions/${edition}/applications.csv`, { token: await h.token(['ioc-observer']) })).status).toBe(403);
  });
});
