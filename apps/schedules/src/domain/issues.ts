import type { z } from 'zod';

/** A zod issue path as 'locations[1].code'. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, i) =>
      typeof segment === 'number' ? `[${segment}]` : `${i === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
}

export interface FieldIssue {
  /** Path of the field, '' for the value itself. */
  readonly field: string;
  readonly message: string;
}

/** Zod issues as field + message; an unknown key becomes one issue on that key ('unknown field'). */
export function fieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: formatPath([...issue.path, key]), message: 'unknown field' }))
      : [{ field: formatPath(issue.path), message: issue.message }],
  );
}
