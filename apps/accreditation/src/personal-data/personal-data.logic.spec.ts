import { EnvelopeCipher, ProblemException } from '@podium/platform';
import { randomBytes } from 'node:crypto';

import { openPersonalData, passportNumberSchema, photoReferenceSchema, sealPersonalData } from './personal-data.logic';

const cipher = (current: string, keys: Record<string, Buffer>) => new EnvelopeCipher({ current, keys: new Map(Object.entries(keys)) });

describe('personal data: shapes, sealing into the application row', () => {
  it('accepts passport numbers of 5-20 letters and digits, trimmed and upper-cased', () => {
    expect(passportNumberSchema.parse(' 18ab12345 ')).toBe('18AB12345');
    for (const bad of ['1234', 'A'.repeat(21), 'AB 1234', 'AB-12345', 'ÄB12345', '']) expect(passportNumberSchema.safeParse(bad).success).toBe(false);
  });

  it('accepts object-store keys, not paths that climb or start at the root', () => {
    expect(photoReferenceSchema.parse('photos/OG2024/3f1c.jpg')).toBe('photos/OG2024/3f1c.jpg');
    for (const bad of ['/photos/a.jpg', 'photos//a.jpg', '../a.jpg', 'photos/./a.jpg', 'photos/a.jpg/', 'a b.jpg', 'x'.repeat(513), '']) {
      expect(photoReferenceSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('seals both in one value bound to the application, opens it, and leaves the columns null when there is nothing', () => {
    const c = cipher('k1', { k1: randomBytes(32) });
    expect(sealPersonalData(c, 'a1', {})).toEqual({ personalKid: null, personalKey: null, personalData: null });
    expect(openPersonalData(c, { id: 'a1', personalKid: null, personalKey: null, personalData: null })).toEqual({ passportNumber: null, photoReference: null });
    const columns = sealPersonalData(c, 'a1', { passportNumber: 'P1234567' });
    expect(columns.personalKid).toBe('k1');
    expect(openPersonalData(c, { id: 'a1', ...columns })).toEqual({ passportNumber: 'P1234567', photoReference: null });
  });

  it('answers a 500 personal-data-unreadable naming the cause and key id, never the data, for another row or a missing key', () => {
    const k1 = randomBytes(32);
    const columns = sealPersonalData(cipher('k1', { k1 }), 'a1', { passportNumber: 'P1234567' });
    const problemOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        if (error instanceof ProblemException) return { status: error.getStatus(), body: JSON.stringify(error.getResponse()) };
        throw error;
      }
      throw new Error('expected a problem');
    };
    const moved = problemOf(() => openPersonalData(cipher('k1', { k1 }), { id: 'a2', ...columns }));
    expect(moved.status).toBe(500);
    expect(moved.body).toContain('(authentication-failed, key k1)');
    const missing = problemOf(() => openPersonalData(cipher('k2', { k2: randomBytes(32) }), { id: 'a1', ...columns }));
    expect(missing.body).toContain('personal-data-unreadable');
    expect(missing.body).toContain('(unknown-key, key k1)');
    expect(missing.body).not.toContain('P1234567');
  });
});
