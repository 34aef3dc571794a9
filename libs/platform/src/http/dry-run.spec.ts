import { ProblemException } from './problem';
import { dryRunQuerySchema, parseRequestValue } from './validation';

describe('dryRunQuerySchema', () => {
  it('is false when absent or false, true only for true', async () => {
    await expect(parseRequestValue(dryRunQuerySchema, {}, 'query')).resolves.toEqual({ dryRun: false });
    await expect(parseRequestValue(dryRunQuerySchema, { dryRun: 'false' }, 'query')).resolves.toEqual({ dryRun: false });
    await expect(parseRequestValue(dryRunQuerySchema, { dryRun: 'true' }, 'query')).resolves.toEqual({ dryRun: true });
  });

  it('refuses another value and unknown parameters with a 400 naming the field', async () => {
    for (const [query, field] of [
      [{ dryRun: '1' }, 'query.dryRun'],
      [{ dryrun: 'true' }, 'query.dryrun'],
    ] as const) {
      const error = await parseRequestValue(dryRunQuerySchema, query, 'query').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProblemException);
      expect((error as ProblemException).errors?.[0]?.field).toBe(field);
    }
  });
});
