import { BadRequestException, ServiceUnavailableException } from '@nestjs/common';
import { z } from 'zod';
import { problemFromBodyParserError } from './body-parser';
import { ProblemException, slugForStatus } from './problem';
import { resolveProblem } from './problem.filter';
import { formatIssuePath, zodIssuesToFieldErrors } from './zod-issues';

function bodyParserError(type: string, extra: Record<string, unknown> = {}): Error & { type: string } {
  return Object.assign(new Error(`parser said ${type}`), { type, ...extra });
}

describe('resolveProblem', () => {
  it('maps body-parser errors to stable slugs', () => {
    expect(resolveProblem(bodyParserError('entity.parse.failed', { status: 400 })).body).toMatchObject({
      type: 'https://podium.dev/problems/malformed-json',
      status: 400,
    });
    expect(resolveProblem(bodyParserError('entity.too.large', { status: 413, limit: 100 })).body).toMatchObject({
      type: 'https://podium.dev/problems/payload-too-large',
      detail: 'The request body exceeds the limit of 100 bytes.',
    });
    expect(resolveProblem(bodyParserError('charset.unsupported', { status: 415, charset: 'latin1' })).status).toBe(415);
    expect(resolveProblem(bodyParserError('encoding.unsupported', { status: 415, encoding: 'br' })).status).toBe(415);
  });

  it('maps Nest HttpExceptions by status, keeping their message as detail', () => {
    const problem = resolveProblem(new BadRequestException(['a is wrong', 'b is wrong']));
    expect(problem).toMatchObject({ status: 400, log: 'none' });
    expect(problem.body).toEqual({
      type: 'https://podium.dev/problems/bad-request',
      title: 'Bad Request',
      status: 400,
      detail: 'a is wrong; b is wrong',
    });
    expect(resolveProblem(new ServiceUnavailableException('NATS is down'))).toMatchObject({ status: 503, log: 'error' });
  });

  it('hides everything about an unknown error', () => {
    const problem = resolveProblem(new TypeError('cannot read x of undefined at /srv/app.js:1'));
    expect(problem).toMatchObject({ status: 500, log: 'error' });
    expect(problem.body['type']).toBe('https://podium.dev/problems/internal');
    expect(JSON.stringify(problem.body)).not.toContain('undefined');
    expect(resolveProblem('a string').status).toBe(500);
  });

  it('keeps ProblemException members and extensions', () => {
    const problem = resolveProblem(
      new ProblemException({ status: 422, slug: 'unit-finished', detail: 'The unit is finished', extensions: { rsc: 'X' } }),
    );
    expect(problem.body).toEqual({
      rsc: 'X',
      type: 'https://podium.dev/problems/unit-finished',
      title: 'Unprocessable Entity',
      status: 422,
      detail: 'The unit is finished',
    });
  });

  it('supports the positional constructor and the shortcut factories', () => {
    const positional = new ProblemException(409, 'duplicate-entry', 'Duplicate entry', 'Already entered', [
      { field: 'body.athleteId', message: 'already entered' },
    ]);
    expect(positional.getResponse()).toMatchObject({ type: 'https://podium.dev/problems/duplicate-entry', errors: [{ field: 'body.athleteId' }] });
    expect(ProblemException.notFound('No such unit', 'unit-not-found').type).toBe('https://podium.dev/problems/unit-not-found');
    expect(ProblemException.unauthorized('no token').headers['WWW-Authenticate']).toMatch(/^Bearer /);
    expect(ProblemException.validation([{ field: 'query.limit', message: 'Too big' }]).detail).toBe('query.limit: Too big');
  });

  it('derives slugs from statuses', () => {
    expect([400, 404, 409, 413, 415, 500, 503].map(slugForStatus)).toEqual([
      'bad-request',
      'not-found',
      'conflict',
      'payload-too-large',
      'unsupported-media-type',
      'internal',
      'service-unavailable',
    ]);
  });

  it('turns an unknown body-parser error into a generic problem', () => {
    expect(problemFromBodyParserError(bodyParserError('stream.not.readable', { status: 500 })).getStatus()).toBe(500);
  });
});

describe('zod issues to field errors', () => {
  it('formats paths with the location prefix', () => {
    expect(formatIssuePath(['units', 0, 'rsc'], 'body')).toBe('body.units[0].rsc');
    expect(formatIssuePath(['a-b', 2], 'query')).toBe('query["a-b"][2]');
    expect(formatIssuePath([], 'body')).toBe('body');
    expect(formatIssuePath([])).toBe('(root)');
    expect(formatIssuePath(['x'])).toBe('x');
  });

  it('reports each unknown key and missing values', () => {
    const schema = z.strictObject({ a: z.string(), nested: z.strictObject({ b: z.number() }) });
    const result = schema.safeParse({ nested: { b: 1, c: 2 }, d: 3 }, { reportInput: true });
    expect(result.success).toBe(false);
    expect(zodIssuesToFieldErrors(result.error?.issues ?? [], 'body')).toEqual(
      expect.arrayContaining([
        { field: 'body.a', message: 'Required' },
        { field: 'body.nested.c', message: 'Unknown field' },
        { field: 'body.d', message: 'Unknown field' },
      ]),
    );
  });
});
