import { createHash } from 'node:crypto';

import { DEMO_CAMPAIGN } from '../test-support/campaign';
import type { CampaignView } from '../campaign/campaign.logic';
import { datesToRanges } from './applications.view';
import { expandDates } from './application.logic';
import { bulkReport } from './bulk.logic';
import { checkApplication, isStatusTokenShaped, newStatusToken, pgTextArray, tokenHashOf } from './submission.logic';

const campaign: CampaignView = { ...DEMO_CAMPAIGN, edition: 'OG2024', updatedBy: 'mgr', updatedAt: '2024-01-01T00:00:00.000Z' };
const input = {
  familyName: 'Dupont',
  givenName: 'Éloïse',
  email: ' Eloise@Example.ORG ',
  dateOfBirth: '1990-05-17',
  nationality: 'fra',
  languages: [{ code: 'fr', level: 'native' }],
  drivingLicence: false,
  availability: [{ from: '2024-07-20', to: '2024-07-22' }],
  fields: ['sport'],
  tshirtSize: 'S',
  consent: true,
  locale: 'fr',
};

describe('status tokens', () => {
  it('are 32 random bytes in base64url, different each time, stored as their SHA-256', () => {
    const a = newStatusToken();
    const b = newStatusToken();
    expect(a).not.toBe(b);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(isStatusTokenShaped(a)).toBe(true);
    expect(tokenHashOf(a).equals(createHash('sha256').update(a).digest())).toBe(true);
    expect(tokenHashOf(a).equals(tokenHashOf(b))).toBe(false);
    for (const bad of ['', a.slice(1), `${a}=`, `${a.slice(1)}+`, `${a.slice(1)}/`]) expect(isStatusTokenShaped(bad)).toBe(false);
  });
});

describe('checkApplication', () => {
  it('accepts a valid application, normalising the email and defaulting the skills', () => {
    const checked = checkApplication(input, campaign);
    expect(checked.ok && checked.input).toMatchObject({ email: 'eloise@example.org', skills: [] });
  });

  it("names the schema's fields with dots, `required` for a missing value, then the campaign's rules", () => {
    const { familyName: _, ...noName } = input;
    expect(checkApplication({ ...noName, languages: [{ code: 'fr', level: 'X' }] }, campaign)).toEqual({
      ok: false,
      errors: [
        { field: 'familyName', message: 'required' },
        { field: 'languages.0.level', message: expect.any(String) },
      ],
    });
    expect(checkApplication({ ...input, dateOfBirth: '2006-07-27', skills: ['juggling'] }, campaign)).toEqual({
      ok: false,
      errors: [
        { field: 'dateOfBirth', message: 'too young' },
        { field: 'skills.0', message: 'not a known code' },
      ],
    });
    expect(checkApplication('nonsense', campaign)).toEqual({ ok: false, errors: [{ field: '(root)', message: expect.any(String) }] });
  });

  it('says "too young" together with the schema\'s problems when the date of birth itself is well formed', () => {
    const { familyName: _, ...noName } = input;
    expect(checkApplication({ ...noName, dateOfBirth: '2006-07-27' }, campaign)).toEqual({
      ok: false,
      errors: [
        { field: 'familyName', message: 'required' },
        { field: 'dateOfBirth', message: 'too young' },
      ],
    });
    // The day of the rule is old enough; a malformed date gets its own problem only.
    expect(checkApplication({ ...noName, dateOfBirth: campaign.bornOnOrBefore }, campaign)).toEqual({ ok: false, errors: [{ field: 'familyName', message: 'required' }] });
    expect(checkApplication({ ...noName, dateOfBirth: '2006-13-01' }, campaign)).toEqual({
      ok: false,
      errors: [
        { field: 'familyName', message: 'required' },
        { field: 'dateOfBirth', message: expect.any(String) },
      ],
    });
  });
});

describe('datesToRanges', () => {
  it('is the inverse of expandDates, across month ends, and merges overlapping ranges', () => {
    const ranges = [
      { from: '2024-07-30', to: '2024-08-02' },
      { from: '2024-08-05', to: '2024-08-05' },
    ];
    expect(datesToRanges(expandDates(ranges))).toEqual(ranges);
    expect(datesToRanges(expandDates([...ranges, { from: '2024-08-01', to: '2024-08-04' }]))).toEqual([{ from: '2024-07-30', to: '2024-08-05' }]);
    expect(datesToRanges(['2024-08-02', '2024-08-01', '2024-08-01'])).toEqual([{ from: '2024-08-01', to: '2024-08-02' }]);
    expect(datesToRanges([])).toEqual([]);
  });
});

describe('pgTextArray', () => {
  it('quotes and escapes each value', () => {
    expect(pgTextArray([])).toBe('{}');
    expect(pgTextArray(['a', 'b-c'])).toBe('{"a","b-c"}');
    expect(pgTextArray(['x"y', 'a\\b', 'p,q}'])).toBe('{"x\\"y","a\\\\b","p,q}"}');
  });
});

describe('bulkReport', () => {
  it('counts, and gives a created row its id and token, a refused one its reason and errors', () => {
    const report = bulkReport([
      { index: 0, status: 'created', id: 'i0', token: 't0', application: {} as never },
      { index: 1, status: 'refused', reason: 'invalid', errors: [{ field: 'email', message: 'not an email address' }] },
      { index: 2, status: 'refused', reason: 'duplicate-application' },
    ]);
    expect(report).toEqual({
      accepted: 1,
      refused: 2,
      rows: [
        { index: 0, status: 'created', id: 'i0', token: 't0' },
        { index: 1, status: 'refused', reason: 'invalid', errors: [{ field: 'email', message: 'not an email address' }] },
        { index: 2, status: 'refused', reason: 'duplicate-application' },
      ],
    });
  });
});
