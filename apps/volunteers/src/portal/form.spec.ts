import type { CampaignView } from '../campaign/campaign.logic';
import { checkApplication } from '../applications/submission.logic';
import { applicationForm } from '../test-support/browser';
import { DEMO_CAMPAIGN } from '../test-support/campaign';
import { candidateOf, emptyForm, formValues, groupTarget, placeProblems, slotOf } from './form';

const campaign: CampaignView = { ...DEMO_CAMPAIGN, edition: 'OG2024', updatedBy: 'm', updatedAt: '2024-01-01T00:00:00.000Z' };

describe('the application form', () => {
  it('turns a complete form into an ApplicationInput the shared check accepts', () => {
    const checked = checkApplication(candidateOf(formValues(applicationForm(), campaign)).value, campaign);
    expect(checked).toEqual({
      ok: true,
      input: {
        familyName: 'Lefèvre',
        givenName: 'Camille',
        email: 'camille.lefevre@example.org',
        phone: '+33 6 12 34 56 78',
        dateOfBirth: '1994-04-12',
        nationality: 'FRA',
        languages: [
          { code: 'fr', level: 'native' },
          { code: 'en', level: 'C1' },
        ],
        skills: ['first-aid', 'photography'],
        drivingLicence: true,
        availability: [{ from: '2024-07-20', to: '2024-08-11' }],
        fields: ['sport', 'medical'],
        tshirtSize: 'M',
        consent: true,
        locale: 'en',
      },
    });
  });

  it('keeps what was typed as typed, ignoring languages not offered and periods or choices beyond the form', () => {
    const values = formValues(applicationForm({ 'language.xx': 'C2', 'availability.5.from': '2024-08-01', 'fields.7': 'press', phone: '' }), campaign);
    expect(Object.keys(values.languages)).toEqual(['fr', 'en', 'es', 'de']);
    expect(values.availability).toHaveLength(3);
    expect(values.fields).toEqual(['sport', 'medical', '']);
    expect(candidateOf(values).value).not.toHaveProperty('phone');
    expect(emptyForm(campaign, 'fr')).toMatchObject({ locale: 'fr', consent: false, fields: ['', '', ''] });
  });

  it('places each problem of the shared check on the control it is about', () => {
    const values = formValues(
      applicationForm({
        'language.fr': '',
        'language.en': '',
        'language.de': 'Z9',
        'availability.0.from': '',
        'availability.0.to': '',
        'availability.2.from': '2024-08-10',
        'availability.2.to': '2024-08-01',
        'fields.0': '',
        'fields.2': 'nope',
        drivingLicence: '',
        tshirtSize: 'XXXXL',
      }),
      campaign,
    );
    const candidate = candidateOf(values);
    const checked = checkApplication(candidate.value, campaign);
    expect(checked.ok).toBe(false);
    const placed = checked.ok ? [] : placeProblems(checked.errors, candidate);
    expect(Object.fromEntries(placed.map((p) => [p.slot, p.message]))).toEqual({
      'language-de': expect.any(String),
      drivingLicence: 'required',
      'availability-2': 'from is after to',
      tshirtSize: expect.any(String),
    });
    // The campaign's own rules (the schema passed) land on their controls too.
    expect(slotOf('fields.1', candidate)).toBe('fields-2');
    expect(slotOf('languages.0.code', candidate)).toBe('language-de');
    expect(slotOf('body.availability[0].from', candidate)).toBe('availability-2-from');
    expect(slotOf('locale', candidate)).toBe('form');
    expect(groupTarget('availability-2', campaign)).toBe('availability-2-from');
    expect(groupTarget('languages', campaign)).toBe('language-fr');
  });
});
