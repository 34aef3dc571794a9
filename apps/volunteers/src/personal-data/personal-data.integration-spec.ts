/**
 * Personal data (docs/volunteers-core.md#personal-data), against real PostgreSQL and NATS: the contact details for
 * their role only, each read recorded; the GDPR export by staff; the erasure (a confirmed volunteer withdrawn and its
 * events, an interview place freed, the rows and the outbox searched for the person afterwards, the erased event with
 * ids only, a second erasure 409 with no second event, the token leading nowhere, the person applying again); roles;
 * nothing of it in the service's logs.
 */
import { parseEnvelope } from '@podium/contracts';
import { createLogger, NatsConnectionService, OutboxRelay, ROOT_LOGGER } from '@podium/platform';
import { startTestService, waitFor } from '@podium/testing';
import { Client } from 'pg';

import { AppModule } from '../app/app.module';
import { ApplicationsService } from '../applications/applications.service';
import { PrismaService } from '../database/prisma.service';
import { PipelineService } from '../pipeline/pipeline.service';
import { DEMO_CAMPAIGN } from '../test-support/campaign';
import { insertApplication } from '../test-support/fixtures';
import type { Harness } from '../test-support/harness';
import { ERASED, EXPORT_FORMAT, type ExportDocument } from './personal-data.logic';
import { StreamErasure } from './stream-erasure';

const EDITION = 'OG2024';
const HOUR = 3_600_000;
/** Every line the service logs (its root logger, at debug: the access lines of successes too). */
const logLines: string[] = [];

describe('volunteers: personal data (GDPR export and erasure, contact details)', () => {
  let h: Harness;
  let pg: Client;
  let prisma: PrismaService;
  let pipeline: PipelineService;
  let recruiter: string;
  let manager: string;
  let contact: string;
  let dpo: string;
  let admin: string;

  const base = (id: string) => `/v1/editions/${EDITION}/applications/${id}`;
  const post = (path: string, json: unknown, token: string) => h.request(path, { method: 'POST', json, token });
  async function ok<T>(response: Response | Promise<Response>, status = 200): Promise<T> {
    const r = await response;
    const body = await r.text();
    if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${body}`);
    return JSON.parse(body) as T;
  }
  const status = async (response: Response | Promise<Response>) => (await response).status;
  /** Every row of the tables that could hold the person, as text. */
  const everything = async () => {
    const tables = ['application', 'application_history', 'outbox_event'];
    let text = '';
    for (const t of tables) text += `${JSON.stringify((await pg.query(`SELECT * FROM ${t}`)).rows)}\n`;
    return text;
  };
  const ofThis = async (id: string) => (await h.readStream('VOLUNTEERS')).filter((m) => JSON.stringify(m.json).includes(id));
  /** The message at `seq` on the test's VOLUNTEERS stream (its name from the platform's naming: the test prefix). */
  const streamMessage = (seq: number) => nats().manager.streams.getMessage(nats().naming.name('VOLUNTEERS'), { seq });
  const nats = () => h.app.get(NatsConnectionService);
  const relayed = () => waitFor(async () => (await prisma.outboxEvent.count({ where: { publishedAt: null } })) === 0, { timeoutMs: 15_000, description: 'the outbox relayed' });

  beforeAll(async () => {
    h = await startTestService({
      service: 'volunteers',
      module: AppModule,
      env: { LOG_LEVEL: 'debug' },
      override: (builder) =>
        builder.overrideProvider(ROOT_LOGGER).useValue(createLogger({ service: 'volunteers', level: 'debug', destination: { write: (line: string) => void logLines.push(line) } })),
    });
    pg = new Client({ connectionString: h.db?.url });
    await pg.connect();
    prisma = h.app.get(PrismaService);
    pipeline = h.app.get(PipelineService);
    recruiter = await h.token(['volunteer-recruiter'], { sub: 'rec-1' });
    manager = await h.token(['volunteer-manager'], { sub: 'mgr-1' });
    contact = await h.token(['volunteer-contact'], { sub: 'caller-1' });
    dpo = await h.token(['data-protection-officer'], { sub: 'dpo-1' });
    admin = await h.token(['oc-admin'], { sub: 'admin-1' });
    expect((await h.request(`/v1/editions/${EDITION}/campaign`, { method: 'PUT', json: { ...DEMO_CAMPAIGN, open: true }, token: manager })).status).toBe(200);
  });

  afterAll(async () => {
    await pg?.end();
    await h?.close();
  });

  it('opens the contact details for volunteer-contact only, recording each read in the history', async () => {
    const { row } = await insertApplication(h, { familyName: 'CALLME', email: 'call.me@example.org', phone: '+33 6 99 88 77 66' });
    for (const token of [recruiter, manager, dpo, admin]) expect(await status(h.request(`${base(row.id)}/contact`, { token }))).toBe(403);
    expect(await status(h.request(`${base(row.id)}/contact`))).toBe(401);
    expect(await ok(h.request(`${base(row.id)}/contact`, { token: contact }))).toEqual({
      id: row.id,
      edition: EDITION,
      familyName: 'CALLME',
      givenName: 'Léa',
      email: 'call.me@example.org',
      phone: '+33 6 99 88 77 66',
    });
    await ok(h.request(`${base(row.id)}/contact`, { token: contact }));
    const history = await ok<{ items: { by: string; action: string; at: string }[] }>(h.request(`${base(row.id)}/history`, { token: recruiter }));
    expect(history.items.filter((e) => e.action === 'read-contact').map((e) => e.by)).toEqual(['caller-1', 'caller-1']);
    // The contact role reads nothing else; an id of another edition or not a uuid: 404 / 400.
    expect(await status(h.request(base(row.id), { token: contact }))).toBe(403);
    expect(await status(h.request(`/v1/editions/XX2028/applications/${row.id}/contact`, { token: contact }))).toBe(404);
    expect(await status(h.request(`/v1/editions/${EDITION}/applications/nope/contact`, { token: contact }))).toBe(400);
  });

  it('exports and erases a confirmed volunteer: withdrawn, anonymised, its copies told to erase, once', async () => {
    const slot = await ok<{ id: string }>(
      post(`/v1/editions/${EDITION}/interview-slots`, { startsAt: new Date(Date.now() + 48 * HOUR).toISOString(), location: 'Stade de France, room 4', capacity: 2 }, recruiter),
      201,
    );
    const { row, token } = await insertApplication(h, {
      stage: 'screened',
      familyName: 'ZYLBERSTEIN',
      givenName: 'Anouk',
      email: 'anouk.zylberstein@example.org',
      phone: '+33 6 11 22 33 44',
      dateOfBirth: '1991-11-19',
      nationality: 'BEL',
    });
    const move = (body: Record<string, unknown>) => ok(post(`${base(row.id)}/transitions`, body, recruiter));
    await ok(post(`${base(row.id)}/interview`, { slotId: slot.id }, recruiter));
    await move({ to: 'interviewed' });
    await move({ to: 'trained' });
    await move({ to: 'offered', role: 'Spectator services', area: 'SPS', venue: 'STA', deadline: new Date(Date.now() + 72 * HOUR).toISOString() });
    await pipeline.applicantAnswer(token, 'accept');
    await move({ to: 'confirmed', reason: 'Anouk Zylberstein is in' });
    await ok(h.request(`${base(row.id)}/contact`, { token: contact }));
    await relayed();

    for (const t of [recruiter, manager, contact]) {
      expect(await status(h.request(`${base(row.id)}/personal-data`, { token: t }))).toBe(403);
      expect(await status(post(`${base(row.id)}/erasure`, { reason: 'x' }, t))).toBe(403);
    }
    const exported = await ok<ExportDocument>(h.request(`${base(row.id)}/personal-data`, { token: dpo }));
    expect(exported).toMatchObject({
      format: EXPORT_FORMAT,
      exportedBy: 'dpo-1',
      application: {
        id: row.id,
        stage: 'confirmed',
        familyName: 'ZYLBERSTEIN',
        givenName: 'Anouk',
        email: 'anouk.zylberstein@example.org',
        phone: '+33 6 11 22 33 44',
        dateOfBirth: '1991-11-19',
        nationality: 'BEL',
        consentNotice: '2024-01',
        erasedAt: null,
        offer: { role: 'Spectator services', area: 'SPS', venue: 'STA' },
      },
      interviewSlots: [{ id: slot.id, location: 'Stade de France, room 4', current: true }],
      offers: [{ role: 'Spectator services', area: 'SPS', venue: 'STA' }],
      handovers: [{ subject: 'oms.volunteers.v1.volunteer.{edition}.confirmed', action: 'confirm' }],
      withheld: [],
    });
    expect(exported.history.map((e) => e.action)).toEqual(['apply', 'book-interview', 'interview', 'train', 'offer', 'accept', 'confirm', 'read-contact']);
    expect(exported.history.find((e) => e.action === 'read-contact')?.by).toBe('caller-1');
    expect(exported.handoverMessages).toHaveLength(1);
    expect(exported.handoverMessages[0]).toMatchObject({ data: { id: row.id, familyName: 'ZYLBERSTEIN', dateOfBirth: '1991-11-19', nationality: 'BEL' } });
    expect(exported.handoverMessages[0]?.publishedAt).not.toBeNull();
    // The export is a personal data access too: recorded.
    expect(await prisma.applicationHistory.count({ where: { applicationId: row.id, action: 'export', by: 'dpo-1' } })).toBe(1);
    expect(await everything()).toContain('ZYLBERSTEIN');

    expect(await status(post(`${base(row.id)}/erasure`, {}, dpo))).toBe(400);
    const erased = await ok<Record<string, unknown>>(post(`${base(row.id)}/erasure`, { reason: 'GDPR request DP-2024-0042' }, dpo));
    expect(erased).toEqual({ id: row.id, edition: EDITION, stage: 'withdrawn', erasedAt: expect.any(String), erasedBy: 'dpo-1', withdrawal: 'withdraw' });
    await relayed();

    // Nothing of the person is left in the service's tables (names, contact details, date of birth, the free text).
    const after = await everything();
    for (const text of ['ZYLBERSTEIN', 'Anouk', 'anouk.zylberstein', '11 22 33', '1991-11-19', '"BEL"']) expect(after).not.toContain(text);
    const raw = await prisma.application.findUniqueOrThrow({ where: { id: row.id } });
    expect(raw).toMatchObject({ familyName: ERASED, givenName: ERASED, personalKid: null, personalKey: null, personalData: null, stage: 'withdrawn' });
    expect(Buffer.from(raw.duplicateKey).equals(Buffer.from(row.duplicateKey))).toBe(false);
    expect(Buffer.from(raw.tokenHash).equals(Buffer.from(row.tokenHash))).toBe(false);
    // The audit trail stays: who did what and when; the free-text reasons erased; the erasure recorded.
    const history = await ok<{ items: { by: string; action: string; reason: string | null; details: unknown }[] }>(h.request(`${base(row.id)}/history`, { token: recruiter }));
    expect(history.items.map((e) => [e.action, e.by])).toEqual([
      ['apply', 'fixture'],
      ['book-interview', 'rec-1'],
      ['interview', 'rec-1'],
      ['train', 'rec-1'],
      ['offer', 'rec-1'],
      ['accept', 'applicant'],
      ['confirm', 'rec-1'],
      ['read-contact', 'caller-1'],
      ['export', 'dpo-1'],
      ['withdraw', 'dpo-1'],
      ['erase', 'dpo-1'],
    ]);
    expect(history.items.find((e) => e.action === 'confirm')?.reason).toBe(ERASED);
    expect(history.items.at(-1)).toMatchObject({ reason: 'GDPR request DP-2024-0042', details: { via: 'api', withdrawal: 'withdraw' } });

    // On the stream: the hand-over deleted (right after the erasure committed), its withdrawal, then the erasure with ids only.
    const events = await ofThis(row.id);
    expect(events.map((m) => m.subject)).toEqual([`oms.volunteers.v1.volunteer.${EDITION}.withdrawn`, `oms.volunteers.v1.volunteer.${EDITION}.erased`]);
    expect(parseEnvelope('oms.volunteers.v1.volunteer.{edition}.withdrawn', events[0]?.json).data).toMatchObject({ id: row.id, reason: 'Personal data erased' });
    expect(parseEnvelope('oms.volunteers.v1.volunteer.{edition}.erased', events[1]?.json).data).toEqual({ id: row.id, edition: EDITION, erasedAt: erased['erasedAt'] });
    expect(JSON.stringify(await h.readStream('VOLUNTEERS'))).not.toContain('ZYLBERSTEIN');
    const handover = await prisma.handoverMessage.findMany({ where: { applicationId: row.id } });
    expect(handover).toEqual([expect.objectContaining({ streamSeq: expect.any(BigInt), eraseRequestedAt: new Date(erased['erasedAt'] as string), deletedAt: expect.any(Date) })]);
    await expect(streamMessage(Number(handover[0]?.streamSeq))).rejects.toMatchObject({ api_error: { err_code: 10037 } });

    // Again: 409, nothing changed, no second event. The token leads nowhere; the application moves no more.
    const again = await h.request(`${base(row.id)}/erasure`, { method: 'POST', json: { reason: 'again' }, token: admin });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { type: string }).type).toContain('already-erased');
    await relayed();
    expect((await ofThis(row.id)).filter((m) => m.subject.endsWith('.erased'))).toHaveLength(1);
    await expect(h.app.get(ApplicationsService).findByToken(token)).rejects.toMatchObject({ slug: 'application-not-found' });
    expect(await status(post(`${base(row.id)}/transitions`, { to: 'rejected', reason: 'x' }, recruiter))).toBe(409);
    expect(await status(h.request(`${base(row.id)}/contact`, { token: contact }))).toBe(409);
    // Staff may still export what is left: no personal data.
    const left = await ok<ExportDocument>(h.request(`${base(row.id)}/personal-data`, { token: admin }));
    expect(left.application).toMatchObject({ familyName: ERASED, email: null, dateOfBirth: null, nationality: null, erasedAt: erased['erasedAt'], erasedBy: 'dpo-1' });
    // The relayed hand-over kept in the outbox lost its data; the withdrawal and the erasure carry none.
    expect(left.handoverMessages.map((m) => [m.subject.replace(/^.*(oms\.)/, '$1'), m.data])).toEqual([
      [`oms.volunteers.v1.volunteer.${EDITION}.confirmed`, { id: row.id, edition: EDITION, erased: true }],
      [`oms.volunteers.v1.volunteer.${EDITION}.withdrawn`, expect.objectContaining({ id: row.id, reason: 'Personal data erased' })],
      [`oms.volunteers.v1.volunteer.${EDITION}.erased`, { id: row.id, edition: EDITION, erasedAt: erased['erasedAt'] }],
    ]);
  });

  /** A confirmed volunteer (through the pipeline: the hand-over enqueued with its handover_message row). */
  async function confirmedVolunteer(familyName: string) {
    const { row, token } = await insertApplication(h, { stage: 'trained', familyName, givenName: 'Maël', dateOfBirth: '1988-02-29', nationality: 'LUX' });
    await ok(post(`${base(row.id)}/transitions`, { to: 'offered', role: 'Spectator services', area: 'SPS', venue: 'STA', deadline: new Date(Date.now() + 72 * HOUR).toISOString() }, recruiter));
    await pipeline.applicantAnswer(token, 'accept');
    await ok(post(`${base(row.id)}/transitions`, { to: 'confirmed' }, recruiter));
    return row;
  }

  it('keeps asking until the hand-over message is deleted from the stream (NATS failing at the erasure), and takes a message already gone as deleted', async () => {
    const a = await confirmedVolunteer('QUENNEVILLE');
    const b = await confirmedVolunteer('QUARTERMAINE');
    await relayed();
    await waitFor(async () => (await prisma.handoverMessage.count({ where: { applicationId: { in: [a.id, b.id] }, streamSeq: { not: null } } })) === 2, {
      timeoutMs: 5_000,
      description: 'the sequences recorded',
    });
    const streams = nats().manager.streams;
    const deleteMessage = jest.spyOn(streams, 'deleteMessage').mockRejectedValue(new Error('TIMEOUT'));
    try {
      await ok(post(`${base(a.id)}/erasure`, { reason: 'GDPR request DP-7' }, dpo));
      await ok(post(`${base(b.id)}/erasure`, { reason: 'GDPR request DP-8' }, dpo));
    } finally {
      deleteMessage.mockRestore();
    }
    // Still on the stream, the failure recorded on the durable rows.
    expect(JSON.stringify(await h.readStream('VOLUNTEERS'))).toContain('QUENNEVILLE');
    const failed = await prisma.handoverMessage.findFirstOrThrow({ where: { applicationId: a.id } });
    expect(failed).toMatchObject({ deletedAt: null, lastError: 'TIMEOUT' });
    expect(failed.attempts).toBeGreaterThanOrEqual(1);
    // B's message went meanwhile (another replica, or an earlier try whose answer was lost): gone counts as deleted.
    const bSeq = Number((await prisma.handoverMessage.findFirstOrThrow({ where: { applicationId: b.id } })).streamSeq);
    expect(await streams.deleteMessage(nats().naming.name('VOLUNTEERS'), bSeq)).toBe(true);
    // The sweeper's next round (the timer's, called here).
    expect(await h.app.get(StreamErasure).round()).toEqual({ deleted: 2, failed: 0 });
    const text = JSON.stringify(await h.readStream('VOLUNTEERS'));
    for (const name of ['QUENNEVILLE', 'QUARTERMAINE', '1988-02-29']) expect(text).not.toContain(name);
    expect(await prisma.handoverMessage.count({ where: { applicationId: { in: [a.id, b.id] }, deletedAt: null } })).toBe(0);
    // Done: nothing more to delete.
    expect(await h.app.get(StreamErasure).round()).toEqual({ deleted: 0, failed: 0 });
  });

  it('never relays a hand-over message still waiting in the outbox at the erasure', async () => {
    const relay = h.app.get(OutboxRelay);
    await relay.stop();
    let id: string;
    try {
      const row = await confirmedVolunteer('VANDERHOEVEN');
      id = row.id;
      expect(await prisma.outboxEvent.count({ where: { publishedAt: null } })).toBeGreaterThan(0);
      await ok(post(`${base(row.id)}/erasure`, { reason: 'GDPR request DP-9' }, dpo));
      expect(await everything()).not.toContain('VANDERHOEVEN');
    } finally {
      relay.start();
    }
    await relayed();
    // The withdrawal and the erasure only: the hand-over never reached the stream.
    expect((await ofThis(id)).map((m) => m.subject)).toEqual([`oms.volunteers.v1.volunteer.${EDITION}.withdrawn`, `oms.volunteers.v1.volunteer.${EDITION}.erased`]);
    expect(JSON.stringify(await h.readStream('VOLUNTEERS'))).not.toContain('VANDERHOEVEN');
    expect(await prisma.handoverMessage.findFirstOrThrow({ where: { applicationId: id } })).toMatchObject({ streamSeq: null, eraseRequestedAt: expect.any(Date) });
  });

  it('frees the interview place of a booked applicant, and lets the person apply again after an erasure', async () => {
    const slot = await ok<{ id: string }>(
      post(`/v1/editions/${EDITION}/interview-slots`, { startsAt: new Date(Date.now() + 24 * HOUR).toISOString(), location: 'Room 1', capacity: 1 }, recruiter),
      201,
    );
    const booked = await insertApplication(h, { stage: 'screened' });
    await ok(post(`${base(booked.row.id)}/interview`, { slotId: slot.id }, recruiter));
    expect((await prisma.interviewSlot.findUniqueOrThrow({ where: { id: slot.id } })).booked).toBe(1);
    expect(await ok(post(`${base(booked.row.id)}/erasure`, { reason: 'DP-7' }, admin))).toMatchObject({ stage: 'withdrawn', withdrawal: 'withdraw' });
    expect((await prisma.interviewSlot.findUniqueOrThrow({ where: { id: slot.id } })).booked).toBe(0);
    expect((await prisma.application.findUniqueOrThrow({ where: { id: booked.row.id } })).interviewSlotId).toBeNull();

    const service = h.app.get(ApplicationsService);
    const input = {
      familyName: 'Réapplique',
      givenName: 'Inès',
      email: 'ines.r@example.org',
      dateOfBirth: '1990-01-01',
      nationality: 'FRA',
      languages: [{ code: 'fr', level: 'native' }],
      drivingLicence: false,
      availability: [{ from: '2024-07-20', to: '2024-07-21' }],
      fields: ['sport'],
      tshirtSize: 'S',
      consent: true,
      locale: 'fr',
    };
    const first = await service.submit(EDITION, input, { via: 'portal', by: 'applicant' });
    await expect(service.submit(EDITION, input, { via: 'portal', by: 'applicant' })).rejects.toMatchObject({ slug: 'duplicate-application' });
    // A rejected application (final) is erased without a move.
    await ok(post(`${base(first.application.id)}/transitions`, { to: 'rejected', reason: 'not this time' }, recruiter));
    expect(await ok(post(`${base(first.application.id)}/erasure`, { reason: 'DP-8' }, dpo))).toMatchObject({ stage: 'rejected', withdrawal: null });
    const second = await service.submit(EDITION, input, { via: 'portal', by: 'applicant' });
    expect(second.application.id).not.toBe(first.application.id);
    expect(await status(post(`/v1/editions/${EDITION}/applications/00000000-0000-4000-8000-000000000000/erasure`, { reason: 'x' }, dpo))).toBe(404);
  });

  it('never logs the personal data it opened, exported or erased (access lines of every call above, at debug)', async () => {
    const logged = logLines.join('');
    expect(logged).toContain('/contact');
    expect(logged).toContain('/erasure');
    for (const text of ['call.me@example.org', '99 88 77', 'anouk.zylberstein', '11 22 33 44', '1991-11-19', 'ZYLBERSTEIN', 'Anouk', 'ines.r@example.org', 'Réapplique']) {
      expect(logged).not.toContain(text);
    }
  });

  it("shows the recruiter the applicant's withdrawal reason", async () => {
    const { row, token } = await insertApplication(h, { stage: 'screened' });
    await pipeline.applicantWithdraw(token, { code: 'other-commitment', text: 'New job <b>abroad</b>' });
    expect(await ok(h.request(base(row.id), { token: recruiter }))).toMatchObject({
      stage: 'withdrawn',
      withdrawal: { by: 'applicant', reasonCode: 'other-commitment', reason: 'New job <b>abroad</b>', at: expect.any(String) },
    });
    const other = await insertApplication(h);
    expect(await ok(h.request(base(other.row.id), { token: recruiter }))).toMatchObject({ stage: 'applied', withdrawal: null });
  });
});
