/**
 * The application form as posted (application/x-www-form-urlencoded) and as shown again: what was typed, kept as
 * typed; the value handed to the shared check (applications/submission.logic.ts checkApplication: the one
 * applicationInputSchema, then campaignProblems); and where each problem the check or the service names goes on the
 * page. Pure.
 *
 * Form controls: familyName, givenName, email, phone, dateOfBirth, nationality, `language.<code>` (a level per offered language,
 * '' for none), `skills` (checkboxes), drivingLicence (yes/no), `availability.<n>.from`/`.to` (n < 3),
 * `fields.<n>` (n < 3, in order of preference), tshirtSize, consent (yes), locale (hidden), and the honeypot.
 */
import type { FieldProblem } from '../applications/application.logic';
import type { CampaignView } from '../campaign/campaign.logic';

/** Periods of availability and preferred fields the form offers. */
export const PERIODS = 3;
export const FIELD_CHOICES = 3;
/**
 * The honeypot: a text input hidden from people (CSS display:none, so neither seen nor read by screen readers, and
 * not in the tab order) that form-filling robots fill in. Its name looks like something worth filling.
 */
export const HONEYPOT = 'website';

/** What was typed, as typed (strings), to show the form again. */
export interface FormValues {
  familyName: string;
  givenName: string;
  email: string;
  phone: string;
  dateOfBirth: string;
  nationality: string;
  /** Language code -> level ('' for none), for every offered language. */
  languages: Record<string, string>;
  skills: string[];
  drivingLicence: string;
  availability: { from: string; to: string }[];
  fields: string[];
  tshirtSize: string;
  consent: boolean;
  locale: string;
  honeypot: string;
}

/** The empty form. */
export function emptyForm(campaign: CampaignView, locale: string): FormValues {
  return {
    familyName: '',
    givenName: '',
    email: '',
    phone: '',
    dateOfBirth: '',
    nationality: '',
    languages: Object.fromEntries(campaign.options.languages.map((l) => [l.code, ''])),
    skills: [],
    drivingLicence: '',
    availability: Array.from({ length: PERIODS }, () => ({ from: '', to: '' })),
    fields: Array.from({ length: FIELD_CHOICES }, () => ''),
    tshirtSize: '',
    consent: false,
    locale,
    honeypot: '',
  };
}

/** A posted text value, at most `max` characters kept (the body cap bounds the whole anyway). */
function text(form: URLSearchParams, name: string, max = 300): string {
  return (form.get(name) ?? '').slice(0, max);
}

/** The posted form as typed. Languages not offered, and more periods or choices than the form has, are ignored. */
export function formValues(form: URLSearchParams, campaign: CampaignView): FormValues {
  return {
    familyName: text(form, 'familyName'),
    givenName: text(form, 'givenName'),
    email: text(form, 'email'),
    phone: text(form, 'phone'),
    dateOfBirth: text(form, 'dateOfBirth', 40),
    nationality: text(form, 'nationality', 10),
    languages: Object.fromEntries(campaign.options.languages.map((l) => [l.code, text(form, `language.${l.code}`, 20)])),
    skills: form.getAll('skills').slice(0, 50).map((s) => s.slice(0, 40)),
    drivingLicence: text(form, 'drivingLicence', 10),
    availability: Array.from({ length: PERIODS }, (_, n) => ({
      from: text(form, `availability.${n}.from`, 40),
      to: text(form, `availability.${n}.to`, 40),
    })),
    fields: Array.from({ length: FIELD_CHOICES }, (_, n) => text(form, `fields.${n}`, 40)),
    tshirtSize: text(form, 'tshirtSize', 10),
    consent: form.get('consent') === 'yes',
    locale: text(form, 'locale', 10),
    honeypot: text(form, HONEYPOT),
  };
}

/**
 * The value the shared check takes, and how its problems' fields (`languages.0.level`, `fields.1`, `availability.0`)
 * map back to the form's controls: the n-th language, period or field of the value is the one at `languages[n]`,
 * `periods[n]`, `choices[n]` of the form.
 */
export interface Candidate {
  value: Record<string, unknown>;
  languages: string[];
  periods: number[];
  choices: number[];
}

export function candidateOf(values: FormValues): Candidate {
  const languages = Object.keys(values.languages).filter((code) => values.languages[code] !== '');
  const periods = values.availability.flatMap((p, n) => (p.from !== '' || p.to !== '' ? [n] : []));
  const choices = values.fields.flatMap((f, n) => (f !== '' ? [n] : []));
  const value: Record<string, unknown> = {
    familyName: values.familyName,
    givenName: values.givenName,
    email: values.email,
    dateOfBirth: values.dateOfBirth,
    nationality: values.nationality,
    languages: languages.map((code) => ({ code, level: values.languages[code] })),
    skills: values.skills,
    availability: periods.map((n) => values.availability[n]),
    fields: choices.map((n) => values.fields[n]),
    consent: values.consent,
    locale: values.locale,
  };
  // Absent rather than empty, so that the schema reports `required` (or, for the phone, nothing: it is optional).
  if (values.phone.trim() !== '') value['phone'] = values.phone;
  if (values.drivingLicence === 'yes' || values.drivingLicence === 'no') value['drivingLicence'] = values.drivingLicence === 'yes';
  if (values.tshirtSize !== '') value['tshirtSize'] = values.tshirtSize;
  return { value, languages, periods, choices };
}

/**
 * Where a problem is shown: a control's id (the message goes under it, the summary links to it) or a group's (a
 * fieldset: the message goes under its legend, the summary links to its first control), and the message key.
 */
export interface PlacedProblem {
  slot: string;
  message: string;
}

/** Ids of the form's groups (fieldsets) and, for the summary's link, their first control. */
export function groupTarget(slot: string, campaign: CampaignView): string {
  switch (slot) {
    case 'languages':
      return `language-${campaign.options.languages[0]?.code ?? ''}`;
    case 'skills':
      return `skill-${campaign.options.skills[0]?.code ?? ''}`;
    case 'drivingLicence':
      return 'drivingLicence-yes';
    case 'availability':
      return 'availability-0-from';
    case 'fields':
      return 'fields-0';
    default: {
      const period = /^availability-(\d)$/.exec(slot);
      return period ? `availability-${period[1]}-from` : slot;
    }
  }
}

/** The slot of one problem of the shared check or of ApplicationsService.submit (`body.` prefixes and `[n]` accepted). */
export function slotOf(field: string, candidate: Candidate): string {
  const parts = field
    .replace(/^body\./, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.');
  const [head = '', index, sub] = parts;
  const n = index === undefined ? undefined : Number(index);
  switch (head) {
    case 'familyName':
    case 'givenName':
    case 'email':
    case 'phone':
    case 'dateOfBirth':
    case 'nationality':
    case 'tshirtSize':
    case 'consent':
      return head;
    case 'drivingLicence':
      return 'drivingLicence';
    case 'languages': {
      const code = n === undefined ? undefined : candidate.languages[n];
      return code === undefined ? 'languages' : `language-${code}`;
    }
    case 'skills':
      return 'skills';
    case 'availability': {
      const row = n === undefined ? undefined : candidate.periods[n];
      if (row === undefined) return 'availability';
      return sub === 'from' || sub === 'to' ? `availability-${row}-${sub}` : `availability-${row}`;
    }
    case 'fields': {
      const choice = n === undefined ? undefined : candidate.choices[n];
      return choice === undefined ? 'fields' : `fields-${choice}`;
    }
    default:
      return 'form';
  }
}

/** The problems placed on the form, the first per slot kept (one message per control). */
export function placeProblems(problems: readonly FieldProblem[], candidate: Candidate): PlacedProblem[] {
  const placed = new Map<string, string>();
  for (const problem of problems) {
    const slot = slotOf(problem.field, candidate);
    if (!placed.has(slot)) placed.set(slot, problem.message);
  }
  return [...placed].map(([slot, message]) => ({ slot, message }));
}
