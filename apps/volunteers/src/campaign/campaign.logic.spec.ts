import { DEMO_CAMPAIGN } from '../test-support/campaign';
import { campaignInputSchema, daysBetween } from './campaign.logic';

describe('campaign input', () => {
  it('accepts the demo campaign, open by default', () => {
    const { open: _open, ...rest } = DEMO_CAMPAIGN;
    expect(campaignInputSchema.parse(rest).open).toBe(true);
  });

  it('refuses more than 120 days, a code given twice, and an option without its host-language name', () => {
    expect(campaignInputSchema.safeParse({ ...DEMO_CAMPAIGN, availableTo: '2024-12-31' }).success).toBe(false);
    const twice = { ...DEMO_CAMPAIGN.options, fields: [...DEMO_CAMPAIGN.options.fields, DEMO_CAMPAIGN.options.fields[0]] };
    expect(campaignInputSchema.safeParse({ ...DEMO_CAMPAIGN, options: twice }).success).toBe(false);
    const unnamed = { ...DEMO_CAMPAIGN.options, languages: [{ code: 'it', names: { en: 'Italian' } }] };
    expect(campaignInputSchema.safeParse({ ...DEMO_CAMPAIGN, options: unnamed }).success).toBe(false);
    expect(campaignInputSchema.safeParse({ ...DEMO_CAMPAIGN, hostLanguage: 'en', options: unnamed }).success).toBe(true);
  });

  it('counts whole days between two dates', () => {
    expect(daysBetween('2024-07-13', '2024-09-08')).toBe(57);
    expect(daysBetween('2024-03-30', '2024-03-31')).toBe(1);
  });
});
