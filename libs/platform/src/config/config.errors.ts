/** One invalid environment variable and why. The message never contains a secret's value. */
export interface ConfigIssue {
  variable: string;
  message: string;
}

/**
 * Thrown at boot when the environment does not satisfy the service's config schema. The message
 * names every bad variable on one line, e.g.
 * `Invalid configuration: PORT: expected a number between 1 and 65535, got 'abc'`.
 */
export class ConfigValidationError extends Error {
  override readonly name = 'ConfigValidationError';

  constructor(readonly issues: readonly ConfigIssue[]) {
    super(`Invalid configuration: ${issues.map((issue) => `${issue.variable}: ${issue.message}`).join('; ')}`);
  }
}
