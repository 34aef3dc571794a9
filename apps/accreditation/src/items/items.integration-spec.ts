import { parseEnvelope } from '@podium/contracts';
import { waitFor } from '@podium/testing';

import { type Harness, startAccreditation } from '../test-support/harness';
import { ITEM_CREATED } from './items.service';

describe('accreditation: items', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startAccreditation();
  });

  afterAll(async () => {
    await h?.close();
  });

  it('is ready: database and NATS', async () => {
    const res = await h.request('/health/ready');
    expect(res.status).toBe(200);
  });

  it('answers 401 problem+json without a token, and 403 without a write role', async () => {
    const anonymous = await h.request('/v1/editions/OG2024/items', { method: 'POST', json: { name: 'Hall A' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    const reader = await h.request('/v1/editions/OG2024/items', {
      method: 'POST',
      json: { name: 'Hall A' },
      token: await h.token(['ioc-observer']),
    });
    expect(reader.status).toBe(403);
  });

  it('creates a new item and publishes it through the outbox, exactly once', async () => {
    const token = await h.token(['oc-admin'], { sub: 'admin-1' });
    const res = await h.request('/v1/editions/OG2024/items', { method: 'POST', json: { name: 'Main stadium' }, token });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; name: string; createdBy: string };
    expect(created).toMatchObject({ name: 'Main stadium', createdBy: 'admin-1' });

    const read = await h.request(`/v1/editions/OG2024/items/${created.id}`, { token });
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(created);

    const messages = await waitFor(
      async () => {
        const found = (await h.readStream('ACCREDITATION')).filter((m) => m.subject === 'oms.accreditation.v1.item.OG2024.created');
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 15_000, description: 'item created event on ACCREDITATION' },
    );
    expect(messages).toHaveLength(1);
    const envelope = parseEnvelope(ITEM_CREATED, messages?.[0]?.json);
    expect(envelope.data).toEqual(created);
    expect(messages?.[0]?.msgId).toBe(envelope.id);
  });

  it('refuses bad input with the field, and a duplicate name with 409, writing nothing more', async () => {
    const token = await h.token(['oc-admin']);
    const bad = await h.request('/v1/editions/OG2024/items', { method: 'POST', json: { name: '' }, token });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('name');
    const hallB = async () => (await h.readStream('ACCREDITATION')).filter((m) => JSON.stringify(m.json).includes('Hall B'));
    const first = await h.request('/v1/editions/OG2024/items', { method: 'POST', json: { name: 'Hall B' }, token });
    expect(first.status).toBe(201);
    await waitFor(async () => (await hallB()).length === 1, { timeoutMs: 15_000, description: 'Hall B published' });
    const again = await h.request('/v1/editions/OG2024/items', { method: 'POST', json: { name: 'Hall B' }, token });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    // The relay publishes within its poll interval: a second event, had one been written, would be there by now.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await hallB()).toHaveLength(1);
  });

  it('answers 404 problem+json for an unknown item', async () => {
    const res = await h.request('/v1/editions/OG2024/items/5b0c3c52-2f3e-4c36-9d2a-0d4c4f3b2a11', { token: await h.token(['ioc-observer']) });
    expect(res.status).toBe(404);
  });
});
