import { DEMO_CAMPAIGN } from '../test-support/campaign';
import { type Harness, startVolunteers } from '../test-support/harness';

describe('volunteers: campaign', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startVolunteers();
  });

  afterAll(async () => {
    await h?.close();
  });

  it('is ready: database and NATS', async () => {
    expect((await h.request('/health/ready')).status).toBe(200);
  });

  it('is set by a volunteer-manager and read by recruiters; others get 401/403 problem+json', async () => {
    const path = '/v1/editions/OG2024/campaign';
    expect((await h.request(path, { method: 'PUT', json: DEMO_CAMPAIGN })).status).toBe(401);
    const recruiter = await h.token(['volunteer-recruiter'], { sub: 'rec-1' });
    const refused = await h.request(path, { method: 'PUT', json: DEMO_CAMPAIGN, token: recruiter });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await h.request(path, { token: recruiter })).status).toBe(404);

    const manager = await h.token(['volunteer-manager'], { sub: 'mgr-1' });
    const put = await h.request(path, { method: 'PUT', json: DEMO_CAMPAIGN, token: manager });
    expect(put.status).toBe(200);
    const read = await h.request(path, { token: recruiter });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ ...DEMO_CAMPAIGN, edition: 'OG2024', updatedBy: 'mgr-1' });
    expect((await h.request(path, { token: await h.token(['ioc-observer']) })).status).toBe(403);
  });

  it('refuses a campaign with bad dates or an option not named in the host language, naming the field', async () => {
    const manager = await h.token(['volunteer-manager']);
    const put = (body: unknown) => h.request('/v1/editions/OG2028/campaign', { method: 'PUT', json: body, token: manager });
    const reversed = await put({ ...DEMO_CAMPAIGN, availableFrom: '2024-09-09' });
    expect(reversed.status).toBe(400);
    expect(JSON.stringify(await reversed.json())).toContain('availableTo');
    const unnamed = await put({ ...DEMO_CAMPAIGN, options: { ...DEMO_CAMPAIGN.options, skills: [{ code: 'driving', names: { en: 'Driving' } }] } });
    expect(unnamed.status).toBe(400);
    expect(JSON.stringify(await unnamed.json())).toContain("host's language");
    expect((await put({ ...DEMO_CAMPAIGN, bornOnOrBefore: '2006-02-30' })).status).toBe(400);
    expect((await h.request('/v1/editions/OG2028/campaign', { token: manager })).status).toBe(404);
  });
});
