import { randomBytes } from 'node:crypto';
import { z } from 'zod';

import { ProblemException } from '../http/problem';
import { EnvelopeCipher } from './envelope';
import { NO_PERSONAL_COLUMNS, openPersonalColumns, sealedOfColumns, sealPersonalColumns } from './personal-columns';

const ring = (kid: string, key = randomBytes(32)) => ({ current: kid, keys: new Map([[kid, key]]) });
const schema = z.strictObject({ email: z.string() });

describe('personal columns', () => {
  it('seal a value into three columns that open on the same context only, never holding it in clear', () => {
    const cipher = new EnvelopeCipher(ring('k1'));
    const columns = sealPersonalColumns(cipher, { email: 'zoe@example.org' }, 'app:1');
    expect(columns.personalKid).toBe('k1');
    expect(Buffer.from(columns.personalData ?? []).includes('zoe@example.org')).toBe(false);
    expect(openPersonalColumns(cipher, columns, 'app:1', schema, 'application 1')).toEqual({ email: 'zoe@example.org' });
    expect(openPersonalColumns(cipher, NO_PERSONAL_COLUMNS, 'app:1', schema, 'application 1')).toBeUndefined();
    expect(sealedOfColumns(NO_PERSONAL_COLUMNS)).toBeUndefined();
  });

  it('answer a 500 problem naming the reason and the key id, never the data, when a value cannot be opened', () => {
    const cipher = new EnvelopeCipher(ring('k1'));
    const columns = sealPersonalColumns(cipher, { email: 'zoe@example.org' }, 'app:1');
    const problem = (fn: () => unknown): ProblemException => {
      try {
        fn();
      } catch (error) {
        if (error instanceof ProblemException) return error;
        throw error;
      }
      throw new Error('no problem thrown');
    };
    const moved = problem(() => openPersonalColumns(cipher, columns, 'app:2', schema, 'application 2'));
    expect(moved.getStatus()).toBe(500);
    expect(JSON.stringify(moved.getResponse())).toContain('personal-data-unreadable');
    expect(JSON.stringify(moved.getResponse())).toContain('k1');
    expect(JSON.stringify(moved.getResponse())).not.toContain('zoe');
    const unknownKey = problem(() => openPersonalColumns(new EnvelopeCipher(ring('k2')), columns, 'app:1', schema, 'application 1'));
    expect(JSON.stringify(unknownKey.getResponse())).toContain('application 1');
  });
});
