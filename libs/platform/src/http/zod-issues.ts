import type { z } from 'zod';
import type { ProblemFieldError } from './problem';

/** Where a request value comes from; prefixes the field of a validation error. */
export type RequestLocation = 'body' | 'query' | 'path' | 'headers';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['units', 0, 'rsc']` with prefix 'body' -> `body.units[0].rsc`; odd keys are quoted (`body["a-b"]`). */
export function formatIssuePath(path: readonly PropertyKey[], prefix?: string): string {
  let out = prefix ?? '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = String(segment);
      out += IDENTIFIER.test(key) ? `${out === '' ? '' : '.'}${key}` : `[${JSON.stringify(key)}]`;
    }
  }
  return out === '' ? '(root)' : out;
}

/**
 * One entry per problem: unknown keys of a strict object become one 'Unknown field' entry each,
 * a missing value reads 'Required'. Issues must come from a parse with `reportInput: true` for the
 * 'Required' wording; the input itself is never echoed.
 */
export function zodIssuesToFieldErrors(issues: readonly z.core.$ZodIssue[], location?: string): ProblemFieldError[] {
  return issues.flatMap((issue): ProblemFieldError[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: formatIssuePath([...issue.path, key], location), message: 'Unknown field' }));
    }
    const missing = issue.code === 'invalid_type' && 'input' in issue && issue.input === undefined;
    return [{ field: formatIssuePath(issue.path, location), message: missing ? 'Required' : issue.message }];
  });
}
