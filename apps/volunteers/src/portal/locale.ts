/**
 * Which language a page is served in: `?lang=` (the switch: a link, remembered in the `lang` cookie), then the `lang`
 * cookie, then the language the applicant used (status pages), then the browser's Accept-Language, then English.
 * Only the languages the campaign offers and the portal has a catalogue for count. Pure.
 */
import { CATALOGUES } from './messages';

/** The cookie that remembers the switch: a language code only, nothing that identifies anyone. */
export const LANG_COOKIE = 'lang';

/** English and the campaign's host language, when the portal has its catalogue; English first. */
export function portalLanguages(hostLanguage: string): string[] {
  return hostLanguage !== 'en' && CATALOGUES[hostLanguage] ? ['en', hostLanguage] : ['en'];
}

/** Accept-Language's languages by preference (q, then order), primary subtags lower-cased; q=0 ones dropped. */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .slice(0, 32)
    .map((part, index) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: range.trim().toLowerCase().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), index };
    })
    .filter((l) => l.tag !== '' && l.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((l) => l.tag);
}

/** The value of one cookie of a Cookie header, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface LocaleSources {
  query?: string | undefined;
  cookie?: string | undefined;
  /** The application's own language (status pages). */
  preferred?: string | undefined;
  acceptLanguage?: string | undefined;
}

/** The page's language (see the file comment); `switched` when `?lang=` chose it (the cookie is then set). */
export function negotiateLocale(languages: readonly string[], sources: LocaleSources): { locale: string; switched: boolean } {
  const offered = (value: string | undefined) => (value !== undefined && languages.includes(value) ? value : undefined);
  const query = offered(sources.query);
  if (query) return { locale: query, switched: true };
  const chosen =
    offered(sources.cookie) ?? offered(sources.preferred) ?? acceptedLanguages(sources.acceptLanguage).find((tag) => languages.includes(tag)) ?? 'en';
  return { locale: chosen, switched: false };
}
