import { EnvelopeCipher, ProblemException } from '@podium/platform';
import { randomBytes } from 'node:crypto';

import { openPersonal, sealPersonal } from './personal.logic';

const cipher = new EnvelopeCipher({ current: 'k1', keys: new Map([['k1', randomBytes(32)]]) });
const data = { email: 'zoe@example.org', phone: '+33 6 11 22 33 44', dateOfBirth: '1980-02-03', nationality: 'FRA' };

describe('personal data sealing', () => {
  it('seals email, phone, date of birth and nationality so that none is readable, and opens them on the same application only', () => {
    const sealed = sealPersonal(cipher, 'app-1', data);
    expect(sealed.personalKid).toBe('k1');
    for (const value of Object.values(data)) expect(Buffer.from(sealed.personalData ?? []).includes(value)).toBe(false);
    expect(openPersonal(cipher, { id: 'app-1', ...sealed })).toEqual(data);
    const moved = (() => {
      try {
        openPersonal(cipher, { id: 'app-2', ...sealed });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(moved).toBeInstanceOf(ProblemException);
    expect((moved as ProblemException).slug).toBe('personal-data-unreadable');
    expect(JSON.stringify((moved as ProblemException).getResponse())).not.toContain(data.email);
  });

  it('reads nothing once erased (null columns)', () => {
    expect(openPersonal(cipher, { id: 'app-1', personalKid: null, personalKey: null, personalData: null })).toBeUndefined();
  });
});
