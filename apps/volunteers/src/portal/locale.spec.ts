import { acceptedLanguages, cookieValue, negotiateLocale, portalLanguages } from './locale';

describe('portal language', () => {
  it('offers English and the host language when the portal has its catalogue', () => {
    expect(portalLanguages('fr')).toEqual(['en', 'fr']);
    expect(portalLanguages('en')).toEqual(['en']);
    expect(portalLanguages('it')).toEqual(['en']);
  });

  it('reads Accept-Language by q then order, primary tags only, dropping q=0', () => {
    expect(acceptedLanguages('fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5')).toEqual(['fr', 'fr', 'en', 'de', '*']);
    expect(acceptedLanguages('en;q=0.2, fr')).toEqual(['fr', 'en']);
    expect(acceptedLanguages('fr;q=0, en')).toEqual(['en']);
    expect(acceptedLanguages(undefined)).toEqual([]);
  });

  it('chooses the switch, then the cookie, then the application language, then Accept-Language, then English', () => {
    const langs = ['en', 'fr'];
    expect(negotiateLocale(langs, { query: 'fr', cookie: 'en', acceptLanguage: 'en' })).toEqual({ locale: 'fr', switched: true });
    expect(negotiateLocale(langs, { query: 'de', cookie: 'fr', acceptLanguage: 'en' })).toEqual({ locale: 'fr', switched: false });
    expect(negotiateLocale(langs, { preferred: 'fr', acceptLanguage: 'en' })).toEqual({ locale: 'fr', switched: false });
    expect(negotiateLocale(langs, { acceptLanguage: 'de, fr;q=0.5' })).toEqual({ locale: 'fr', switched: false });
    expect(negotiateLocale(langs, { acceptLanguage: 'de' })).toEqual({ locale: 'en', switched: false });
    expect(negotiateLocale(['en'], { query: 'fr', cookie: 'fr' })).toEqual({ locale: 'en', switched: false });
  });

  it('reads one cookie of a Cookie header', () => {
    expect(cookieValue('a=1; lang=fr; b=2', 'lang')).toBe('fr');
    expect(cookieValue('xlang=fr', 'lang')).toBeUndefined();
    expect(cookieValue(undefined, 'lang')).toBeUndefined();
  });
});
