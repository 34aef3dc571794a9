/**
 * HTML built from tagged templates: every interpolated value is escaped unless it is already {@link Html} (made by
 * the `html` tag itself). There is no other way to put text in a page, so no value an applicant typed (or a
 * campaign option, or a recruiter's offer) can become markup. Pure.
 */

/** Markup that is safe to embed as is: only `html` and `raw` make it. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text escaped for an element's content or a double- or single-quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** What may be interpolated: text (escaped), markup, nothing (null, undefined, false: empty), or a list of them. */
export type Fragment = Html | string | number | null | undefined | false | readonly Fragment[];

function render(value: Fragment): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return (value as readonly Fragment[]).map(render).join('');
  return escapeHtml(String(value));
}

/** `html\`<p>${text}</p>\``: the literal parts are markup, the values are escaped (see {@link Fragment}). */
export function html(strings: TemplateStringsArray, ...values: Fragment[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** Markup from a constant of this code (never from input). */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** ` name="value"` when the condition holds, for boolean attributes (`checked`, `selected`, `required`). */
export function attr(name: string, on: boolean): Html {
  return new Html(on ? ` ${name}` : '');
}
