import type { z } from 'zod';

export type ContractIssue = z.core.$ZodIssue;

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    const name = String(key);
    return acc ? `${acc}.${name}` : name;
  }, '');
}

/** Thrown when a payload or envelope does not match its contract. Carries the zod issues. */
export class ContractViolationError extends Error {
  override readonly name = 'ContractViolationError';

  constructor(
    /** What was being validated, e.g. the subject key. */
    readonly contract: string,
    readonly issues: readonly ContractIssue[],
    /** 'payload' (data only) or 'envelope'. */
    readonly part: 'payload' | 'envelope' = 'payload',
  ) {
    super(
      `Invalid ${part} for ${contract}: ${issues
        .map((issue) => `${formatPath(issue.path) || '(root)'}: ${issue.message}`)
        .join('; ')}`,
    );
  }

  /** Issues as `{ field, message }`, the shape used in problem+json `errors`. */
  get fieldErrors(): { field: string; message: string }[] {
    return this.issues.map((issue) => ({ field: formatPath(issue.path), message: issue.message }));
  }
}
