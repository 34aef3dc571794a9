/**
 * The pure part of taking an application (ApplicationsService.submit and the bulk path): checking one submitted value
 * against the schema and the campaign, the private status token and its stored hash, and the text form of a PostgreSQL
 * array used by the multi-row INSERT. docs/volunteers-core.md.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { z } from 'zod';

import type { CampaignView } from '../campaign/campaign.logic';
import { type ApplicationInput, applicationInputSchema, campaignProblems, type FieldProblem } from './application.logic';

/** Random bytes of a status token: 256 bits, base64url (43 characters). */
export const STATUS_TOKEN_BYTES = 32;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** A new private status token (the applicant's link GET /status/{token}); only its hash is stored. */
export function newStatusToken(): string {
  return randomBytes(STATUS_TOKEN_BYTES).toString('base64url');
}

/** What the database holds of a status token (application.token_hash): its SHA-256. */
export function tokenHashOf(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** True when `token` could be a status token (43 base64url characters): anything else is unknown without a query. */
export function isStatusTokenShaped(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}

/**
 * Zod issues as the form's field problems: the field is the schema's path joined with dots (`languages.0.level`, as
 * campaignProblems names them), a missing value reads `required` (the message keys the portal translates).
 */
export function fieldProblemsOf(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  return issues.map((issue) => {
    const field = issue.path.map(String).join('.') || '(root)';
    const missing = issue.code === 'invalid_type' && 'input' in issue && issue.input === undefined;
    return { field, message: missing ? 'required' : issue.message };
  });
}

export type Checked = { ok: true; input: ApplicationInput } | { ok: false; errors: FieldProblem[] };

/**
 * One submitted value checked against the schema, then against the campaign's rules (age, options, dates, locale).
 * When the schema fails, the age rule is still checked on a well-formed date of birth, so that "too young" shows with
 * the other problems rather than once they are fixed (the other campaign rules need a well-formed value).
 */
export function checkApplication(raw: unknown, campaign: CampaignView): Checked {
  const parsed = applicationInputSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const errors = fieldProblemsOf(parsed.error.issues);
    const dateOfBirth = applicationInputSchema.shape.dateOfBirth.safeParse(typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['dateOfBirth'] : undefined);
    if (dateOfBirth.success && dateOfBirth.data > campaign.bornOnOrBefore && !errors.some((e) => e.field === 'dateOfBirth')) {
      errors.push({ field: 'dateOfBirth', message: 'too young' });
    }
    return { ok: false, errors };
  }
  const problems = campaignProblems(parsed.data, campaign);
  return problems.length > 0 ? { ok: false, errors: problems } : { ok: true, input: parsed.data };
}

/** A PostgreSQL array literal of text values (`{"a","b"}`), each quoted and escaped: any text round-trips. */
export function pgTextArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
