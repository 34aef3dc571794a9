/**
 * The portal's pages as HTML (server-rendered, no script: they work with JavaScript off). Accessibility: `lang` on the
 * page and on the switch's links, a skip link, one h1, every control labelled, groups in fieldsets with legends,
 * hints and errors tied to their control with aria-describedby, aria-invalid, an error summary (focusable, linking
 * to each control) and "Error:" in the page title; errors are said in words, never by colour alone. Pure.
 */
import type { FieldProblem } from '../applications/application.logic';
import { LANGUAGE_LEVELS, TSHIRT_SIZES } from '../applications/application.logic';
import type { ApplicationView } from '../applications/applications.view';
import type { CampaignOption, CampaignView } from '../campaign/campaign.logic';
import { WITHDRAWAL_REASONS, WITHDRAWAL_TEXT_MAX } from '../pipeline/pipeline.logic';
import { type Candidate, FIELD_CHOICES, type FormValues, groupTarget, HONEYPOT, PERIODS, placeProblems } from './form';
import { attr, type Fragment, type Html, html } from './html';
import { LANGUAGE_NAMES, type MessageKey, type Translator } from './messages';

/** Path of the stylesheet (the only asset; CSP style-src 'self', no inline style). */
export const STYLESHEET_PATH = '/portal.css';

export interface PageContext {
  t: Translator;
  /** The languages offered (the switch lists the others). */
  languages: readonly string[];
  /** The page's path (without query), for the switch's links. */
  path: string;
  edition: string;
}

function layout(ctx: PageContext, title: string, main: Fragment, options: { error?: boolean } = {}): Html {
  const { t } = ctx;
  const others = ctx.languages.filter((l) => l !== t.locale);
  const switcher = others.length
    ? html`<nav aria-label="${t.t('lang.nav')}"><ul class="langs">${others.map(
        (l) => html`<li><a href="${ctx.path}?lang=${l}" hreflang="${l}" lang="${l}">${LANGUAGE_NAMES[l] ?? l}</a></li>`,
      )}</ul></nav>`
    : '';
  const fullTitle = `${options.error ? `${t.t('errors.page')}: ` : ''}${title} – ${t.t('site.name')}`;
  return html`<!doctype html>
<html lang="${t.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${fullTitle}</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<a class="skip" href="#main">${t.t('skip')}</a>
<header class="site"><p class="brand">${t.t('site.name')} <span class="edition">${t.t('site.edition', { edition: ctx.edition })}</span></p>${switcher}</header>
<main id="main" tabindex="-1">
${main}
</main>
<footer class="site"><p>${t.t('footer.privacy')}</p></footer>
</body>
</html>
`;
}

/** An option's name in the page's language (English when it has none). */
export function optionName(option: CampaignOption | undefined, code: string, locale: string): string {
  if (!option) return code;
  return option.names[locale] ?? option.names.en;
}

// ---------------------------------------------------------------------------------------------------------------
// The form

/** The message of a problem, in the page's language (the schema's message keys, then per-control fallbacks). */
export function problemText(slot: string, key: string, values: FormValues, t: Translator, campaign: CampaignView): string {
  const known = `v.${key}` as MessageKey;
  const period = /^availability-(\d)(?:-(from|to))?$/.exec(slot);
  if (period) {
    const row = values.availability[Number(period[1])];
    const typed = period[2] ? row?.[period[2] as 'from' | 'to'] : `${row?.from ?? ''}${row?.to ?? ''}`;
    if (period[2] && typed === '') return t.t('v.both dates');
  }
  const empty = typedValue(slot, values) === '';
  if (empty && key !== 'too young') return t.t('v.required');
  const args = {
    date: t.date(campaign.bornOnOrBefore),
    from: t.date(campaign.availableFrom),
    to: t.date(campaign.availableTo),
  };
  if (slot === 'tshirtSize') return t.t('v.tshirtSize');
  if (slot === 'drivingLicence') return t.t('v.drivingLicence');
  if (slot.startsWith('language-') && key !== 'not a known code') return t.t('v.level');
  if (known in CATALOGUE_KEYS) return t.t(known, args);
  return t.t('v.invalid');
}

const CATALOGUE_KEYS: Record<string, true> = Object.fromEntries(
  [
    'required',
    'at most 100 characters',
    'not an email address',
    'not a phone number',
    'must be a date YYYY-MM-DD',
    'must be a 3-letter IOC code in uppercase, e.g. JPN',
    'at least one language',
    'each language once',
    'not a known code',
    'at least one date',
    'from is after to',
    'at least one field of activity',
    'at most 3 fields of activity',
    'each field once',
    'consent is required',
    'too young',
    'outside the Games dates',
    'duplicate',
    'closed',
  ].map((k) => [`v.${k}`, true]),
);

/** What was typed in a single control ('' when empty), or undefined for groups. */
function typedValue(slot: string, values: FormValues): string | undefined {
  switch (slot) {
    case 'familyName':
    case 'givenName':
    case 'email':
    case 'phone':
    case 'dateOfBirth':
    case 'nationality':
    case 'tshirtSize':
      return values[slot].trim();
    case 'drivingLicence':
      return values.drivingLicence;
    default:
      return undefined;
  }
}

/** A problem placed on the form, with its text. */
interface ShownError {
  slot: string;
  target: string;
  label: string;
  text: string;
}

export interface FormPageInput {
  campaign: CampaignView;
  values: FormValues;
  /** Problems of the check or the service, with the candidate that maps them back to controls. */
  problems?: { list: readonly FieldProblem[]; candidate: Candidate };
  /** A problem of the whole form (a duplicate, the campaign closed). */
  formError?: MessageKey;
}

/** GET /apply, and POST /apply with errors (everything typed kept). */
export function formPage(ctx: PageContext, input: FormPageInput): Html {
  const { t } = ctx;
  const { campaign, values } = input;
  const labels = controlLabels(t, campaign);
  const errors: ShownError[] = (input.problems ? placeProblems(input.problems.list, input.problems.candidate) : []).map((p) => ({
    slot: p.slot,
    target: p.slot === 'form' ? 'apply-form' : groupTarget(p.slot, campaign),
    label: labels[p.slot] ?? '',
    text: problemText(p.slot, p.message, values, t, campaign),
  }));
  if (input.formError) errors.unshift({ slot: 'form', target: 'apply-form', label: '', text: t.t(input.formError) });
  const error = (slot: string) => errors.find((e) => e.slot === slot);

  const summary = errors.length
    ? html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" id="error-summary">
<h2 id="error-summary-title">${t.t('errors.title')}</h2>
<p>${t.t('errors.intro')}</p>
<ul>${errors.map((e) => html`<li><a href="#${e.target}">${e.label ? `${e.label}: ` : ''}${e.text}</a></li>`)}</ul>
</div>`
    : '';
  const formLevel = errors.filter((e) => e.slot === 'form');

  const main = html`<h1>${t.t('apply.title')}</h1>
${summary}
<p>${t.t('apply.intro')}</p>
<p>${t.t('apply.required')}</p>
${formLevel.map((e) => html`<p class="form-error" id="form-error"><strong>${t.t('errors.page')}:</strong> ${e.text}</p>`)}
<form id="apply-form" method="post" action="/apply" novalidate>
<input type="hidden" name="locale" value="${t.locale}">
<fieldset>
<legend>${t.t('name.legend')}</legend>
${textControl({ id: 'familyName', label: t.t('familyName'), value: values.familyName, required: true, autocomplete: 'family-name', t, error: error('familyName') })}
${textControl({ id: 'givenName', label: t.t('givenName'), value: values.givenName, required: true, autocomplete: 'given-name', t, error: error('givenName') })}
</fieldset>
<fieldset>
<legend>${t.t('contact.legend')}</legend>
${textControl({ id: 'email', type: 'email', label: t.t('email'), hint: t.t('email.hint'), value: values.email, required: true, autocomplete: 'email', t, error: error('email') })}
${textControl({ id: 'phone', type: 'tel', label: t.t('phone'), hint: t.t('phone.hint'), value: values.phone, required: false, autocomplete: 'tel', t, error: error('phone') })}
</fieldset>
${textControl({
  id: 'dateOfBirth',
  type: 'date',
  label: t.t('dateOfBirth'),
  hint: t.t('dateOfBirth.hint', { date: t.date(campaign.bornOnOrBefore) }),
  value: values.dateOfBirth,
  required: true,
  autocomplete: 'bday',
  t,
  error: error('dateOfBirth'),
})}
${textControl({
  id: 'nationality',
  label: t.t('nationality'),
  hint: t.t('nationality.hint'),
  value: values.nationality,
  required: true,
  autocomplete: 'off',
  t,
  error: error('nationality'),
})}
${group({
  id: 'languages',
  legend: t.t('languages.legend'),
  hint: t.t('languages.hint'),
  required: true,
  t,
  error: error('languages'),
  body: campaign.options.languages.map((l) => {
    const id = `language-${l.code}`;
    const e = error(id);
    const level = values.languages[l.code] ?? '';
    return html`<div class="field${e ? ' has-error' : ''}">
<label for="${id}">${optionName(l, l.code, t.locale)}</label>
${errorLine(id, e, t)}
<select id="${id}" name="language.${l.code}"${describedBy([e ? `${id}-error` : undefined])}${attr('aria-invalid="true"', !!e)}>
<option value=""${attr('selected', level === '')}>${t.t('level.none')}</option>
${LANGUAGE_LEVELS.map(
  (lv) => html`<option value="${lv}"${attr('selected', level === lv)}>${lv === 'native' ? t.t('level.native') : t.t('level.cefr', { level: lv })}</option>`,
)}
</select>
</div>`;
  }),
})}
${campaign.options.skills.length
  ? group({
      id: 'skills',
      legend: t.t('skills.legend'),
      hint: t.t('skills.hint'),
      required: false,
      t,
      error: error('skills'),
      body: html`<div class="choices">${campaign.options.skills.map(
        (s) => html`<div class="choice"><input type="checkbox" id="skill-${s.code}" name="skills" value="${s.code}"${attr('checked', values.skills.includes(s.code))}>
<label for="skill-${s.code}">${optionName(s, s.code, t.locale)}</label></div>`,
      )}</div>`,
    })
  : ''}
${group({
  id: 'drivingLicence',
  legend: t.t('drivingLicence.legend'),
  required: true,
  t,
  error: error('drivingLicence'),
  body: html`<div class="choices inline">${(['yes', 'no'] as const).map(
    (v) => html`<div class="choice"><input type="radio" id="drivingLicence-${v}" name="drivingLicence" value="${v}"${attr('checked', values.drivingLicence === v)}>
<label for="drivingLicence-${v}">${t.t(v)}</label></div>`,
  )}</div>`,
})}
${group({
  id: 'availability',
  legend: t.t('availability.legend'),
  hint: t.t('availability.hint', { from: t.date(campaign.availableFrom), to: t.date(campaign.availableTo) }),
  required: true,
  t,
  error: error('availability'),
  body: Array.from({ length: PERIODS }, (_, n) => {
    const id = `availability-${n}`;
    const e = error(id);
    const period = values.availability[n] ?? { from: '', to: '' };
    const dateInput = (end: 'from' | 'to') =>
      textControl({
        id: `${id}-${end}`,
        name: `availability.${n}.${end}`,
        type: 'date',
        label: t.t(end === 'from' ? 'availability.from' : 'availability.to'),
        value: period[end],
        required: n === 0,
        min: campaign.availableFrom,
        max: campaign.availableTo,
        t,
        error: error(`${id}-${end}`),
        extraDescribedBy: e ? `${id}-error` : undefined,
        mark: false,
      });
    return html`<fieldset class="period${e ? ' has-error' : ''}" id="${id}"${describedBy([e ? `${id}-error` : undefined])}>
<legend>${t.t('availability.period', { n: n + 1 })}${n === 0 ? html` <span class="req">(${t.t('required')})</span>` : html` <span class="req">(${t.t('optional')})</span>`}</legend>
${errorLine(id, e, t)}
<div class="range">${dateInput('from')}${dateInput('to')}</div>
</fieldset>`;
  }),
})}
${group({
  id: 'fields',
  legend: t.t('fields.legend'),
  hint: t.t('fields.hint'),
  required: true,
  t,
  error: error('fields'),
  body: Array.from({ length: FIELD_CHOICES }, (_, n) => {
    const id = `fields-${n}`;
    const e = error(id);
    const chosen = values.fields[n] ?? '';
    return html`<div class="field${e ? ' has-error' : ''}">
<label for="${id}">${t.t('fields.choice', { n: n + 1 })}${n === 0 ? html` <span class="req">(${t.t('required')})</span>` : ''}</label>
${errorLine(id, e, t)}
<select id="${id}" name="fields.${n}"${attr('required', n === 0)}${describedBy([e ? `${id}-error` : undefined])}${attr('aria-invalid="true"', !!e)}>
<option value=""${attr('selected', chosen === '')}>${n === 0 ? t.t('choose') : t.t('fields.none')}</option>
${campaign.options.fields.map((f) => html`<option value="${f.code}"${attr('selected', chosen === f.code)}>${optionName(f, f.code, t.locale)}</option>`)}
</select>
</div>`;
  }),
})}
${(() => {
  const e = error('tshirtSize');
  return html`<div class="field${e ? ' has-error' : ''}">
<label for="tshirtSize">${t.t('tshirtSize')} <span class="req">(${t.t('required')})</span></label>
${errorLine('tshirtSize', e, t)}
<select id="tshirtSize" name="tshirtSize" required${describedBy([e ? 'tshirtSize-error' : undefined])}${attr('aria-invalid="true"', !!e)}>
<option value=""${attr('selected', values.tshirtSize === '')}>${t.t('choose')}</option>
${TSHIRT_SIZES.map((s) => html`<option value="${s}"${attr('selected', values.tshirtSize === s)}>${s}</option>`)}
</select>
</div>`;
})()}
${(() => {
  const e = error('consent');
  return html`<fieldset${e ? html` class="has-error"` : ''}>
<legend>${t.t('consent.legend')}</legend>
${errorLine('consent', e, t)}
<div class="choice"><input type="checkbox" id="consent" name="consent" value="yes" required${attr('checked', values.consent)}${describedBy([e ? 'consent-error' : undefined])}${attr('aria-invalid="true"', !!e)}>
<label for="consent">${t.t('consent', { version: campaign.privacyNotice })} <span class="req">(${t.t('required')})</span></label></div>
</fieldset>`;
})()}
<div class="hp"><label for="${HONEYPOT}">${t.t('honeypot')}</label><input type="text" id="${HONEYPOT}" name="${HONEYPOT}" value="${values.honeypot}" tabindex="-1" autocomplete="off"></div>
<button type="submit">${t.t('apply.submit')}</button>
</form>`;
  return layout(ctx, t.t('apply.title'), main, { error: errors.length > 0 });
}

/** The labels of the summary's links, per slot. */
function controlLabels(t: Translator, campaign: CampaignView): Record<string, string> {
  const labels: Record<string, string> = {
    familyName: t.t('familyName'),
    givenName: t.t('givenName'),
    email: t.t('email'),
    phone: t.t('phone'),
    dateOfBirth: t.t('dateOfBirth'),
    nationality: t.t('nationality'),
    languages: t.t('languages.legend'),
    skills: t.t('skills.legend'),
    drivingLicence: t.t('drivingLicence.legend'),
    availability: t.t('availability.legend'),
    fields: t.t('fields.legend'),
    tshirtSize: t.t('tshirtSize'),
    consent: t.t('consent.legend'),
  };
  for (const l of campaign.options.languages) labels[`language-${l.code}`] = optionName(l, l.code, t.locale);
  for (let n = 0; n < PERIODS; n++) {
    const period = t.t('availability.period', { n: n + 1 });
    labels[`availability-${n}`] = period;
    labels[`availability-${n}-from`] = `${period}, ${t.t('availability.from')}`;
    labels[`availability-${n}-to`] = `${period}, ${t.t('availability.to')}`;
  }
  for (let n = 0; n < FIELD_CHOICES; n++) labels[`fields-${n}`] = t.t('fields.choice', { n: n + 1 });
  return labels;
}

function describedBy(ids: readonly (string | undefined)[]): Html {
  const list = ids.filter((id): id is string => id !== undefined);
  return list.length ? html` aria-describedby="${list.join(' ')}"` : html``;
}

function errorLine(id: string, error: ShownError | undefined, t: Translator): Fragment {
  return error ? html`<p class="error-message" id="${id}-error"><strong>${t.t('errors.page')}:</strong> ${error.text}</p>` : '';
}

interface TextControl {
  id: string;
  name?: string;
  type?: 'text' | 'email' | 'tel' | 'date';
  label: string;
  hint?: string;
  value: string;
  required: boolean;
  autocomplete?: string;
  min?: string;
  max?: string;
  t: Translator;
  error: ShownError | undefined;
  extraDescribedBy?: string | undefined;
  /** Say "(required)" or "(optional)" after the label (default true; false inside a group that says it). */
  mark?: boolean;
}

function textControl(c: TextControl): Html {
  const { t } = c;
  const hintId = c.hint ? `${c.id}-hint` : undefined;
  const errorId = c.error ? `${c.id}-error` : undefined;
  const mark = c.mark === false ? '' : html` <span class="req">(${t.t(c.required ? 'required' : 'optional')})</span>`;
  return html`<div class="field${c.error ? ' has-error' : ''}">
<label for="${c.id}">${c.label}${mark}</label>
${c.hint ? html`<p class="hint" id="${hintId}">${c.hint}</p>` : ''}
${errorLine(c.id, c.error, t)}
<input type="${c.type ?? 'text'}" id="${c.id}" name="${c.name ?? c.id}" value="${c.value}"${attr('required', c.required)}${
    c.autocomplete ? html` autocomplete="${c.autocomplete}"` : ''
  }${c.min ? html` min="${c.min}"` : ''}${c.max ? html` max="${c.max}"` : ''}${c.type === 'date' ? html` placeholder="YYYY-MM-DD"` : ''}${describedBy([
    hintId,
    errorId,
    c.extraDescribedBy,
  ])}${attr('aria-invalid="true"', !!c.error)}>
</div>`;
}

interface Group {
  id: string;
  legend: string;
  hint?: string;
  required: boolean;
  t: Translator;
  error: ShownError | undefined;
  body: Fragment;
}

function group(g: Group): Html {
  const hintId = g.hint ? `${g.id}-hint` : undefined;
  const errorId = g.error ? `${g.id}-error` : undefined;
  return html`<fieldset class="group${g.error ? ' has-error' : ''}" id="${g.id}"${describedBy([hintId, errorId])}>
<legend>${g.legend} <span class="req">(${g.t.t(g.required ? 'required' : 'optional')})</span></legend>
${g.hint ? html`<p class="hint" id="${hintId}">${g.hint}</p>` : ''}
${errorLine(g.id, g.error, g.t)}
${g.body}
</fieldset>`;
}

// ---------------------------------------------------------------------------------------------------------------
// After the form, the status page, the error pages

/** POST /apply accepted: the private status link (and, for the honeypot, the same page with a link to nothing). */
export function donePage(ctx: PageContext, input: { givenName: string; token: string; host: string | undefined }): Html {
  const { t } = ctx;
  const path = `/status/${input.token}`;
  const main = html`<h1>${t.t('done.title')}</h1>
<p>${t.t('done.body', { name: input.givenName })}</p>
<p>${t.t('done.link')}</p>
<p class="status-link"><a href="${path}">${input.host ? `${input.host}${path}` : path}</a></p>
<p class="warning"><strong>${t.t('done.warn')}</strong></p>`;
  return layout(ctx, t.t('done.title'), main);
}

export interface StatusPageInput {
  application: ApplicationView;
  campaign: CampaignView | undefined;
  token: string;
  /** The applicant's moves from the current stage (pipeline.logic.ts allowedMoves for `applicant`). */
  canAnswer: boolean;
  canWithdraw: boolean;
  /** A message after a POST: recorded, or refused (with its reason), or the withdrawal not confirmed. */
  notice?: { kind: 'ok' | 'error'; text: string };
}

/** GET /status/{token}: where the application stands, the offer and its answer, withdrawal. */
export function statusPage(ctx: PageContext, input: StatusPageInput): Html {
  const { t } = ctx;
  const { application: a, campaign } = input;
  const base = `/status/${input.token}`;
  const fieldName = (code: string) => optionName(campaign?.options.fields.find((f) => f.code === code), code, t.locale);
  const notice = input.notice
    ? input.notice.kind === 'ok'
      ? html`<div class="notice" role="status"><p>${input.notice.text}</p></div>`
      : html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary"><h2>${t.t('errors.title')}</h2><p>${input.notice.text}</p></div>`
    : '';
  const offer = a.offer
    ? html`<section aria-labelledby="offer-title">
<h2 id="offer-title">${t.t('status.offer')}</h2>
<dl class="offer">
${a.offer.role ? html`<dt>${t.t('status.offer.role')}</dt><dd>${a.offer.role}</dd>` : ''}
${a.offer.area ? html`<dt>${t.t('status.offer.area')}</dt><dd>${a.offer.area}</dd>` : ''}
${a.offer.venue ? html`<dt>${t.t('status.offer.venue')}</dt><dd>${a.offer.venue}</dd>` : ''}
${a.offer.deadline ? html`<dt>${t.t('status.offer.deadline')}</dt><dd>${t.date(a.offer.deadline, true)}</dd>` : ''}
</dl>
${input.canAnswer
  ? html`<div class="actions">
<form method="post" action="${base}/answer"><input type="hidden" name="answer" value="accept"><input type="hidden" name="locale" value="${t.locale}"><button type="submit">${t.t('status.accept')}</button></form>
<form method="post" action="${base}/answer"><input type="hidden" name="answer" value="decline"><input type="hidden" name="locale" value="${t.locale}"><button type="submit" class="secondary" aria-describedby="decline-note">${t.t('status.decline')}</button></form>
</div>
<p class="hint" id="decline-note">${t.t('status.decline.note')}</p>`
  : ''}
</section>`
    : '';
  const withdraw = input.canWithdraw
    ? html`<section aria-labelledby="withdraw-title">
<h2 id="withdraw-title">${t.t('status.withdraw.legend')}</h2>
<form method="post" action="${base}/withdraw">
<input type="hidden" name="locale" value="${t.locale}">
<div class="field">
<label for="withdraw-reason">${t.t('status.withdraw.reason')} <span class="req">(${t.t('optional')})</span></label>
<select id="withdraw-reason" name="reason">
<option value="">${t.t('status.withdraw.reason.none')}</option>
${WITHDRAWAL_REASONS.map((code) => html`<option value="${code}">${t.t(`withdraw.reason.${code}`)}</option>`)}
</select>
</div>
<div class="field">
<label for="withdraw-text">${t.t('status.withdraw.text')} <span class="req">(${t.t('optional')})</span></label>
<p class="hint" id="withdraw-text-hint">${t.t('status.withdraw.text.hint', { max: WITHDRAWAL_TEXT_MAX })}</p>
<textarea id="withdraw-text" name="reasonText" maxlength="${String(WITHDRAWAL_TEXT_MAX)}" rows="3" aria-describedby="withdraw-text-hint"></textarea>
</div>
<div class="choice"><input type="checkbox" id="confirm" name="confirm" value="yes" required>
<label for="confirm">${t.t('status.withdraw.confirm')}</label></div>
<button type="submit" class="secondary">${t.t('status.withdraw')}</button>
</form>
</section>`
    : '';
  const data = html`<section aria-labelledby="data-title">
<h2 id="data-title">${t.t('data.legend')}</h2>
<p>${t.t('data.intro')}</p>
<ul class="data-actions">
<li><a href="${base}/personal-data" download>${t.t('data.export')}</a></li>
<li><a href="${base}/erase">${t.t('data.erase')}</a></li>
</ul>
</section>`;
  const main = html`<h1>${t.t('status.title')}</h1>
${notice}
<p class="who">${a.givenName} ${a.familyName} · ${t.t('status.submitted', { date: t.date(a.createdAt.slice(0, 10)) })}</p>
${a.erased ? html`<p>${t.t('status.erased')}</p>` : ''}
<section aria-labelledby="stage-title">
<h2 id="stage-title">${t.t('status.stage')}</h2>
<p class="stage stage-${a.stage}">${t.t(`stage.${a.stage}` as MessageKey)}</p>
</section>
${offer}
<section aria-labelledby="fields-title">
<h2 id="fields-title">${t.t('status.fields')}</h2>
<ol>${a.fields.map((f) => html`<li>${fieldName(f)}</li>`)}</ol>
</section>
${withdraw}
${data}`;
  return layout(ctx, t.t('status.title'), main, { error: input.notice?.kind === 'error' });
}

/**
 * GET /status/{token}/erase: what an erasure does, a copy to download first, and the form that erases (a box to tick,
 * then the button; `missing`: posted without the box, said next to it). `novalidate`, as the application form: the
 * server's message is the accessible one, in the page's language.
 */
export function erasePage(ctx: PageContext, input: { token: string; missing?: boolean }): Html {
  const { t } = ctx;
  const base = `/status/${input.token}`;
  const summary = input.missing
    ? html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" id="error-summary">
<h2 id="error-summary-title">${t.t('errors.title')}</h2>
<ul><li><a href="#erase-confirm">${t.t('status.confirm.required')}</a></li></ul>
</div>`
    : '';
  const main = html`<h1>${t.t('erase.title')}</h1>
${summary}
<p>${t.t('erase.body')}</p>
<p class="warning"><strong>${t.t('erase.link')}</strong></p>
<p><a href="${base}/personal-data" download>${t.t('data.export')}</a></p>
<form method="post" action="${base}/erase" novalidate>
<input type="hidden" name="locale" value="${t.locale}">
<div class="choice${input.missing ? ' has-error' : ''}">
${input.missing ? html`<p class="error-message" id="erase-confirm-error"><strong>${t.t('errors.page')}:</strong> ${t.t('status.confirm.required')}</p>` : ''}
<input type="checkbox" id="erase-confirm" name="confirm" value="yes" required${input.missing ? html` aria-invalid="true" aria-describedby="erase-confirm-error"` : ''}>
<label for="erase-confirm">${t.t('erase.confirm')}</label></div>
<button type="submit" class="secondary">${t.t('erase.submit')}</button>
</form>
<p><a href="${base}">${t.t('erase.back')}</a></p>`;
  return layout(ctx, t.t('erase.title'), main, { error: input.missing === true });
}

/** POST /status/{token}/erase done: the data is gone, the link with it (no link back to it). */
export function erasedPage(ctx: PageContext): Html {
  const { t } = ctx;
  return layout(ctx, t.t('erased.title'), html`<h1>${t.t('erased.title')}</h1><div class="notice" role="status"><p>${t.t('erased.body')}</p></div>`);
}

export type ErrorStatus = 400 | 404 | 413 | 415 | 429 | 500 | 503;

/** An error page (400 a body cut short, 404 unknown token, 413, 415, 429, 500, 503), with a way back to the form. */
export function errorPage(ctx: PageContext, status: ErrorStatus, values: Record<string, string | number> = {}): Html {
  const { t } = ctx;
  const title = t.t(`error.${status}.title` as MessageKey);
  const main = html`<h1>${title}</h1>
<p>${t.t(`error.${status}.body` as MessageKey, values)}</p>
<p><a href="/apply">${t.t('error.back')}</a></p>`;
  return layout(ctx, title, main, { error: true });
}

/** The campaign is closed (or not set): GET /apply says so instead of showing the form. */
export function closedPage(ctx: PageContext): Html {
  const { t } = ctx;
  return layout(ctx, t.t('apply.closed.title'), html`<h1>${t.t('apply.closed.title')}</h1><p>${t.t('apply.closed.body')}</p>`);
}
