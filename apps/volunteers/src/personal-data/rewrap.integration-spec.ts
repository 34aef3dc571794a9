/**
 * The key rotation of VOLUNTEERS_DATA_KEYS (docs/volunteers-core.md#key-rotation), against real PostgreSQL: rows sealed
 * under the development key, the service restarted with a new current key beside it, POST /v1/personal-data/rewrap
 * (oc-admin only) re-wraps them by rounds of `limit`, the ciphertexts untouched and every row still readable; a key
 * removed from the ring too early leaves its rows counted as unreadable, untouched.
 */
import { randomBytes } from 'node:crypto';
import { startTestService } from '@podium/testing';

import { AppModule } from '../app/app.module';
import { DEV_DATA_KEYS } from '../app/config';
import { PrismaService } from '../database/prisma.service';
import { insertApplication } from '../test-support/fixtures';
import type { Harness } from '../test-support/harness';

const EDITION = 'OG2024';
const devKeys = JSON.parse(DEV_DATA_KEYS) as { current: string; keys: Record<string, string> };
const k2 = randomBytes(32).toString('base64');
const ROTATED = JSON.stringify({ current: 'k2', keys: { ...devKeys.keys, k2 } });

describe('volunteers: the key rotation re-wrap', () => {
  let h: Harness;

  afterAll(async () => {
    await h?.close();
  });

  it('re-wraps the data keys under the new current key, by rounds, oc-admin only; the data still opens', async () => {
    h = await startTestService({ service: 'volunteers', module: AppModule });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await insertApplication(h, { familyName: `ROTATE${i}`, email: `rotate${i}@example.org` })).row.id);
    const before = await h.app.get(PrismaService).application.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } });
    expect(before.every((r) => r.personalKid === devKeys.current)).toBe(true);

    h = await h.restart({ env: { VOLUNTEERS_DATA_KEYS: ROTATED } });
    const post = (json: unknown, token: string) => h.request('/v1/personal-data/rewrap', { method: 'POST', json, token });
    const admin = await h.token(['oc-admin'], { sub: 'admin-1' });
    for (const roles of [['data-protection-officer'], ['volunteer-manager'], ['volunteer-contact']]) expect((await post({}, await h.token(roles))).status).toBe(403);
    expect((await post({ limit: 0 }, admin)).status).toBe(400);
    expect((await post({ limit: 2, extra: true }, admin)).status).toBe(400);

    const first = (await (await post({ limit: 2 }, admin)).json()) as Record<string, unknown>;
    expect(first).toEqual({ current: 'k2', rewrapped: 2, remaining: 1, unreadable: {}, failed: [] });
    expect(await (await post({}, admin)).json()).toEqual({ current: 'k2', rewrapped: 1, remaining: 0, unreadable: {}, failed: [] });
    expect(await (await post({}, admin)).json()).toMatchObject({ rewrapped: 0, remaining: 0 });

    const prisma = h.app.get(PrismaService);
    const after = await prisma.application.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } });
    after.forEach((row, i) => {
      expect(row.personalKid).toBe('k2');
      expect(Buffer.from(row.personalData ?? []).equals(Buffer.from(before[i]?.personalData ?? []))).toBe(true);
    });
    // Still readable, under the new key only: the development key can leave the ring.
    h = await h.restart({ env: { VOLUNTEERS_DATA_KEYS: JSON.stringify({ current: 'k2', keys: { k2 } }) } });
    const contact = await h.token(['volunteer-contact'], { sub: 'caller-1' });
    const read = await h.request(`/v1/editions/${EDITION}/applications/${ids[0]}/contact`, { token: contact });
    expect(await read.json()).toMatchObject({ familyName: 'ROTATE0', email: 'rotate0@example.org' });

    // A row of a key no longer in the ring: counted, never touched.
    await h.app.get(PrismaService).application.update({ where: { id: ids[1] }, data: { personalKid: 'k0' } });
    const admin2 = await h.token(['oc-admin']);
    expect(await (await h.request('/v1/personal-data/rewrap', { method: 'POST', json: {}, token: admin2 })).json()).toEqual({
      current: 'k2',
      rewrapped: 0,
      remaining: 0,
      unreadable: { k0: 1 },
      failed: [],
    });
  }, 60_000);
});
