/**
 * Applications (docs/volunteers-core.md), against real PostgreSQL and NATS: the one submission path (the portal's
 * ApplicationsService.submit and the recruiters' bulk path), the age rule, duplicates, a closed campaign, the per-row
 * report, personal data sealed at rest, the status token stored as its hash only, and who may read what.
 */
import { ProblemException } from '@podium/platform';
import { createHash } from 'node:crypto';
import { Client } from 'pg';

import { DEMO_CAMPAIGN } from '../test-support/campaign';
import { type Harness, startVolunteers } from '../test-support/harness';
import { ApplicationsService } from './applications.service';
import type { ApplicationView } from './applications.view';
import type { BulkReport } from './bulk.logic';

const EDITION = 'OG2024';
const bulkPath = `/v1/editions/${EDITION}/applications/bulk`;

let serial = 0;
/** A valid application of someone new (names and contact details unique to the call, to search for). */
function applicant(over: Record<string, unknown> = {}) {
  serial += 1;
  const n = String(serial).padStart(4, '0');
  return {
    familyName: `Quenneville${n}`,
    givenName: `Aurélie${n}`,
    email: `aurelie.q${n}@example.org`,
    phone: `+33 6 44 ${n.slice(0, 2)} ${n.slice(2)} 17`,
    dateOfBirth: `1987-03-${String((serial % 28) + 1).padStart(2, '0')}`,
    nationality: 'FRA',
    languages: [
      { code: 'fr', level: 'native' },
      { code: 'en', level: 'B2' },
    ],
    skills: ['first-aid'],
    drivingLicence: true,
    availability: [
      { from: '2024-07-20', to: '2024-07-24' },
      { from: '2024-08-01', to: '2024-08-02' },
    ],
    fields: ['sport', 'medical'],
    tshirtSize: 'M',
    consent: true,
    locale: 'fr',
    ...over,
  };
}

/** The problem a promise rejects with (fails the test when it resolves or rejects with something else). */
async function problemOf(promise: Promise<unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ProblemException)) throw new Error(`expected a ProblemException, got ${String(error)}`);
  return { status: error.getStatus(), body: error.getResponse() };
}

describe('volunteers: applications', () => {
  let h: Harness;
  let pg: Client;
  let service: ApplicationsService;
  let manager: string;
  let recruiter: string;

  const portal = (input: unknown) => service.submit(EDITION, input, { via: 'portal', by: 'applicant' });
  const bulk = (applications: unknown[], token = manager) => h.request(bulkPath, { method: 'POST', json: { applications }, token });
  const setCampaign = async (edition: string, open: boolean) =>
    expect((await h.request(`/v1/editions/${edition}/campaign`, { method: 'PUT', json: { ...DEMO_CAMPAIGN, open }, token: manager })).status).toBe(200);

  beforeAll(async () => {
    h = await startVolunteers();
    pg = new Client({ connectionString: h.db?.url });
    await pg.connect();
    service = h.app.get(ApplicationsService);
    manager = await h.token(['volunteer-manager'], { sub: 'mgr-1' });
    recruiter = await h.token(['volunteer-recruiter'], { sub: 'rec-1' });
    await setCampaign(EDITION, true);
  });

  afterAll(async () => {
    await pg?.end();
    await h?.close();
  });

  it('takes an application from the portal: the recruiter view and a status token that finds it, and only it', async () => {
    const input = applicant();
    const { application, token } = await portal(input);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(application).toMatchObject({
      edition: EDITION,
      stage: 'applied',
      familyName: input.familyName,
      givenName: input.givenName,
      languages: input.languages,
      skills: ['first-aid'],
      fields: ['sport', 'medical'],
      availability: input.availability,
      version: 1,
    });
    expect(await service.findByToken(token)).toEqual(application);

    const other = await portal(applicant());
    expect((await service.findByToken(other.token)).id).toBe(other.application.id);
    expect((await service.findByToken(other.token)).id).not.toBe(application.id);
    // A token one character off, another shape, or nothing: 404, never another application.
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const bad of [flipped, `${token}x`, '', 'x'.repeat(43), createHash('sha256').update(token).digest('base64url')]) {
      expect((await problemOf(service.findByToken(bad))).status).toBe(404);
    }

    const read = await h.request(`/v1/editions/${EDITION}/applications/${application.id}`, { token: recruiter });
    expect(read.status).toBe(200);
    const body = (await read.json()) as ApplicationView;
    expect(body).toEqual({ ...application, withdrawal: null });
    const text = JSON.stringify(body);
    for (const secret of [input.email, input.phone, input.dateOfBirth, token]) expect(text).not.toContain(secret);
  });

  it('refuses an under-age applicant, naming dateOfBirth, and invalid values with the schema\'s field paths', async () => {
    const young = await problemOf(portal(applicant({ dateOfBirth: '2006-07-27' })));
    expect(young.status).toBe(400);
    expect(young.body['errors']).toEqual([{ field: 'dateOfBirth', message: 'too young' }]);
    // Born on the day of the rule: accepted.
    await portal(applicant({ dateOfBirth: '2006-07-26' }));

    const bad = await problemOf(portal(applicant({ email: 'not-an-email', languages: [{ code: 'fr', level: 'fluent' }], fields: ['sport', 'knitting'], consent: false })));
    expect(bad.status).toBe(400);
    expect(bad.body['type']).toContain('validation-failed');
    const fields = (bad.body['errors'] as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['consent', 'email', 'languages.0.level']);
    // The campaign's rules once the schema is satisfied: an unknown field of activity, dates outside the Games.
    const outside = await problemOf(portal(applicant({ fields: ['sport', 'knitting'], availability: [{ from: '2024-09-01', to: '2024-09-30' }] })));
    expect(outside.body['errors']).toEqual([
      { field: 'fields.1', message: 'not a known code' },
      { field: 'availability.0', message: 'outside the Games dates' },
    ]);
    const missing = await problemOf(portal({ ...applicant(), familyName: undefined }));
    expect(missing.body['errors']).toEqual([{ field: 'familyName', message: 'required' }]);
  });

  it('refuses a duplicate (same names with other accents, case and spacing, same date of birth) with 409, revealing nothing of the first', async () => {
    const first = applicant({ familyName: 'Dupont-Lagrange', givenName: 'Éloïse Marie', dateOfBirth: '1990-05-17' });
    const created = await portal(first);
    const again = applicant({ familyName: 'DUPONT lagrange', givenName: 'eloise  MARIE', dateOfBirth: '1990-05-17' });
    const duplicate = await problemOf(portal(again));
    expect(duplicate.status).toBe(409);
    expect(duplicate.body['type']).toContain('duplicate-application');
    const text = JSON.stringify(duplicate.body);
    for (const secret of [created.application.id, first.email, first.phone, 'applied', created.token]) expect(text).not.toContain(secret);
    // Another date of birth is another person.
    expect((await portal({ ...again, dateOfBirth: '1990-05-18' })).application.stage).toBe('applied');
    const { rows } = await pg.query<{ n: string }>('SELECT count(*) AS n FROM application WHERE family_name = $1', ['DUPONT lagrange']);
    expect(rows[0]?.n).toBe('1');
  });

  it('creates exactly one application when the same person submits several times at once, from the portal and in bulk', async () => {
    const person = applicant({ familyName: 'Concurrente', givenName: 'Inès', dateOfBirth: '1995-02-14' });
    const [fromPortal, fromBulk] = await Promise.all([
      Promise.allSettled(Array.from({ length: 4 }, () => portal(person))),
      Promise.all([bulk([person]), bulk([applicant(), person])]),
    ]);
    for (const tried of fromPortal) {
      if (tried.status === 'rejected') expect((await problemOf(Promise.reject(tried.reason))).body['type']).toMatch(/duplicate-application$/);
    }
    expect(fromBulk.map((r) => r.status)).toEqual([200, 200]);
    const reports = (await Promise.all(fromBulk.map((r) => r.json()))) as BulkReport[];
    const created = fromPortal.filter((t) => t.status === 'fulfilled').length + reports.filter((r) => r.rows.at(-1)?.status === 'created').length;
    expect(created).toBe(1);
    const { rows } = await pg.query<{ n: string }>('SELECT count(*) AS n FROM application WHERE family_name = $1', ['Concurrente']);
    expect(rows[0]?.n).toBe('1');
  });

  it('refuses applications while the campaign is closed or not set (409 campaign-closed), from the portal and the bulk path', async () => {
    await setCampaign(EDITION, false);
    try {
      const closed = await problemOf(portal(applicant()));
      expect(closed.status).toBe(409);
      expect(closed.body['type']).toContain('campaign-closed');
      const refused = await bulk([applicant()]);
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { type: string }).type).toContain('campaign-closed');
    } finally {
      await setCampaign(EDITION, true);
    }
    const none = await problemOf(service.submit('OG2028', applicant(), { via: 'portal', by: 'applicant' }));
    expect(none.status).toBe(409);
    expect(none.body['type']).toContain('campaign-closed');
    expect((await portal(applicant())).application.stage).toBe('applied');
  });

  it('loads a bulk request with some bad rows: a report per row, the others created with their own token', async () => {
    const good = applicant();
    const twin = applicant({ familyName: good.familyName.toUpperCase(), givenName: good.givenName, dateOfBirth: good.dateOfBirth });
    const rows = [good, applicant({ dateOfBirth: '2012-01-01' }), applicant({ email: 'nope' }), twin, { hello: 'world' }, applicant(), 42];
    const res = await bulk(rows);
    expect(res.status).toBe(200);
    const report = (await res.json()) as BulkReport;
    expect(report.accepted).toBe(2);
    expect(report.refused).toBe(5);
    expect(report.rows.map((r) => [r.index, r.status, r.reason ?? null])).toEqual([
      [0, 'created', null],
      [1, 'refused', 'invalid'],
      [2, 'refused', 'invalid'],
      [3, 'refused', 'duplicate-application'],
      [4, 'refused', 'invalid'],
      [5, 'created', null],
      [6, 'refused', 'invalid'],
    ]);
    expect(report.rows[1]?.errors).toEqual([{ field: 'dateOfBirth', message: 'too young' }]);
    expect(report.rows[2]?.errors).toEqual([{ field: 'email', message: 'not an email address' }]);
    expect(report.rows[4]?.errors?.map((e) => e.field)).toContain('familyName');
    for (const i of [0, 5]) {
      const row = report.rows[i];
      const found = await service.findByToken(row?.token ?? '');
      expect(found.id).toBe(row?.id);
      expect((await h.request(`/v1/editions/${EDITION}/applications/${row?.id}`, { token: recruiter })).status).toBe(200);
    }
    // A second load of the same person is a duplicate of the stored application.
    const again = (await (await bulk([good])).json()) as BulkReport;
    expect(again).toEqual({ accepted: 0, refused: 1, rows: [{ index: 0, status: 'refused', reason: 'duplicate-application' }] });
    const history = await pg.query<{ by: string; action: string; to_stage: string; details: unknown }>(
      'SELECT by, action, to_stage, details FROM application_history WHERE application_id = $1',
      [report.rows[0]?.id],
    );
    expect(history.rows).toEqual([{ by: 'mgr-1', action: 'apply', to_stage: 'applied', details: { via: 'bulk' } }]);
  });

  it('keeps the email, phone and date of birth out of the raw row and the history, and stores the status token as its SHA-256 only', async () => {
    const input = applicant({ email: 'zoe.unique-marker@example.org', phone: '+33 7 99 88 77 66', dateOfBirth: '1979-11-23' });
    const { application, token } = await portal(input);
    const raw = (
      await pg.query<{ row: string; token_hash: Buffer; personal_kid: string; personal_data: Buffer; personal_key: Buffer }>(
        'SELECT a::text AS row, token_hash, personal_kid, personal_data, personal_key FROM application a WHERE id = $1',
        [application.id],
      )
    ).rows[0];
    expect(raw).toBeDefined();
    const everything = `${raw?.row}\n${(await pg.query<{ t: string }>('SELECT string_agg(x::text, E\'\\n\') AS t FROM application_history x')).rows[0]?.t}`;
    for (const secret of [input.email, 'unique-marker', input.phone, '99 88 77', input.dateOfBirth, '1979', token]) expect(everything).not.toContain(secret);
    expect(raw?.personal_data.includes(Buffer.from(input.email))).toBe(false);
    expect(raw?.personal_kid).toBe('dev-1');
    expect(raw?.token_hash.equals(createHash('sha256').update(token).digest())).toBe(true);
    expect(raw?.row).not.toContain(Buffer.from(token).toString('hex'));
    // Only the names, languages, skills... needed for search are in clear.
    expect(raw?.row).toContain(input.familyName);
  });

  it('lets managers load in bulk and recruiters read; others get 401/403; an id of another edition is 404', async () => {
    expect((await bulk([applicant()], recruiter)).status).toBe(403);
    expect((await h.request(bulkPath, { method: 'POST', json: { applications: [applicant()] } })).status).toBe(401);
    expect((await bulk([])).status).toBe(400);
    expect((await bulk(Array.from({ length: 1001 }, () => ({})))).status).toBe(400);
    const { application } = await portal(applicant());
    expect((await h.request(`/v1/editions/OG2028/applications/${application.id}`, { token: recruiter })).status).toBe(404);
    expect((await h.request(`/v1/editions/${EDITION}/applications/${application.id}`, { token: await h.token(['ioc-observer']) })).status).toBe(403);
    expect((await h.request(`/v1/editions/${EDITION}/applications/not-a-uuid`, { token: recruiter })).status).toBe(400);
    expect((await h.request(`/v1/editions/${EDITION}/applications/${application.id}`, { token: await h.token(['oc-admin']) })).status).toBe(200);
  });
});
