import { forbidden } from '@podium/auth';
import { ProblemException } from '@podium/platform';
import type { Violation } from '../domain/eligibility';
import type { PackError } from '../domain/rules-pack';

/** 422 'entry-rejected': every rule the request breaks, each with its numbers; `violations` names the rules. */
export function entryRejected(violations: readonly Violation[], slug = 'entry-rejected', title = 'Entry rejected'): ProblemException {
  return new ProblemException({
    status: 422,
    slug,
    title,
    detail: violations.map((v) => v.message).join('; '),
    errors: violations.map((v) => ({ field: v.field, message: v.message })),
    extensions: { violations: violations.map((v) => ({ rule: v.rule, field: v.field, message: v.message })) },
  });
}

export function rulesPackRejected(errors: readonly PackError[]): ProblemException {
  return new ProblemException({
    status: 422,
    slug: 'rules-pack-rejected',
    title: 'Rules pack rejected',
    detail: `${errors.length} error(s) in the rules pack; nothing was written`,
    errors: [...errors],
  });
}

export function noRulesPack(edition: string): ProblemException {
  return new ProblemException({
    status: 409,
    slug: 'no-rules-pack',
    title: 'No rules pack',
    detail: `Edition ${edition} has no entry rules yet: the organising committee imports its rules pack first (PUT /v1/editions/${edition}/rules)`,
  });
}

export function notFound(slug: string, detail: string): ProblemException {
  return ProblemException.notFound(detail, slug);
}

export function notAllowedForNoc(noc: string): Error {
  return forbidden(`Not allowed to act for NOC '${noc}'`);
}
