/** The demo edition's campaign as the tests and the demo set it (PUT /v1/editions/{edition}/campaign). */
export const DEMO_CAMPAIGN = {
  bornOnOrBefore: '2006-07-26',
  hostLanguage: 'fr',
  options: {
    fields: [
      { code: 'spectator-services', names: { en: 'Spectator services', fr: 'Services aux spectateurs' } },
      { code: 'sport', names: { en: 'Sport', fr: 'Sport' } },
      { code: 'medical', names: { en: 'Medical services', fr: 'Services médicaux' } },
      { code: 'press', names: { en: 'Press operations', fr: 'Opérations presse' } },
      { code: 'transport', names: { en: 'Transport', fr: 'Transport' } },
    ],
    skills: [
      { code: 'first-aid', names: { en: 'First aid', fr: 'Premiers secours' } },
      { code: 'sign-language', names: { en: 'Sign language', fr: 'Langue des signes' } },
      { code: 'photography', names: { en: 'Photography', fr: 'Photographie' } },
    ],
    languages: [
      { code: 'fr', names: { en: 'French', fr: 'Français' } },
      { code: 'en', names: { en: 'English', fr: 'Anglais' } },
      { code: 'es', names: { en: 'Spanish', fr: 'Espagnol' } },
      { code: 'de', names: { en: 'German', fr: 'Allemand' } },
    ],
  },
  availableFrom: '2024-07-13',
  availableTo: '2024-09-08',
  privacyNotice: '2024-01',
  open: true,
};
