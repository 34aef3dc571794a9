import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, apiClient, ok, pool } from './client';

/** A loopback server answering each request with the next of `answers` (and recording what it got). */
async function serve(answers: ((req: IncomingMessage, body: string, res: ServerResponse) => void)[]) {
  const seen: { method: string; url: string; authorization?: string; contentType?: string; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, contentType: req.headers['content-type'], body });
      const answer = answers[seen.length - 1];
      if (!answer) {
        res.writeHead(500).end();
        return;
      }
      answer(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => (_req: IncomingMessage, _body: string, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers }).end(JSON.stringify(body));
};

const conflict = json(409, { type: 'https://podium.dev/problems/serialization-conflict', title: 'Conflict', status: 409, detail: 'retry the request' });

describe('apiClient', () => {
  it('sends the bearer token and the typed path, query and body, and gives the typed answer', async () => {
    const server = await serve([json(200, { status: 'imported', edition: 'OG2024', checksum: 'x', importId: 'i', counts: null })]);
    try {
      const schedules = apiClient('schedules', { baseUrl: server.url, token: 't0k' });
      const report = await ok(schedules.POST('/v1/data-packs', { body: { format: 'podium.datapack/v1' }, params: { query: { dryRun: 'true' } } }));
      expect(report.status).toBe('imported');
      expect(server.seen).toEqual([
        { method: 'POST', url: '/v1/data-packs?dryRun=true', authorization: 'Bearer t0k', contentType: 'application/json', body: '{"format":"podium.datapack/v1"}' },
      ]);
    } finally {
      await server.close();
    }
  });

  it('fills path parameters, encoded', async () => {
    const server = await serve([json(200, { items: [], nextCursor: null })]);
    try {
      const accreditation = apiClient('accreditation', { baseUrl: server.url });
      await ok(accreditation.GET('/v1/editions/{edition}/applications', { params: { path: { edition: 'OG 2024' }, query: { limit: 1 } } }));
      expect(server.seen[0]?.url).toBe('/v1/editions/OG%202024/applications?limit=1');
      expect(server.seen[0]?.authorization).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('turns a problem+json answer into ApiError with its status, problem and Retry-After', async () => {
    const problem = { type: 'https://podium.dev/problems/validation', title: 'Bad Request', status: 400, detail: 'bad', errors: [{ field: 'limit', message: 'too big' }] };
    const server = await serve([json(400, problem, { 'retry-after': '3' })]);
    try {
      const entries = apiClient('entries', { baseUrl: server.url });
      const error = await ok(entries.GET('/v1/editions/{edition}/events', { params: { path: { edition: 'OG2024' } } })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      const apiError = error as ApiError;
      expect(apiError.status).toBe(400);
      expect(apiError.problem).toEqual(problem);
      expect(apiError.retryAfterSeconds).toBe(3);
      expect(apiError.is('validation')).toBe(true);
      expect(apiError.message).toBe('HTTP 400 Bad Request: bad');
    } finally {
      await server.close();
    }
  });

  it('sends a 409 serialization-conflict again (same body) and counts it; gives up after conflictRetries', async () => {
    const server = await serve([conflict, conflict, json(200, { planId: 'p' })]);
    let retried = 0;
    try {
      const workforce = apiClient('workforce', { baseUrl: server.url, conflictBackoffMs: 1, onConflictRetry: () => retried++ });
      await ok(workforce.POST('/v1/editions/{edition}/shifts/publish', { params: { path: { edition: 'OG2024' } }, body: { localDate: '2026-12-05' } }));
      expect(retried).toBe(2);
      expect(server.seen.map((s) => s.body)).toEqual(Array(3).fill('{"localDate":"2026-12-05"}'));
    } finally {
      await server.close();
    }

    const stubborn = await serve([conflict, conflict, conflict]);
    try {
      const workforce = apiClient('workforce', { baseUrl: stubborn.url, conflictRetries: 2, conflictBackoffMs: 1 });
      const error = await ok(workforce.POST('/v1/editions/{edition}/shifts/publish', { params: { path: { edition: 'OG2024' } }, body: { localDate: '2026-12-05' } })).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).is('serialization-conflict')).toBe(true);
      expect(stubborn.seen).toHaveLength(3);
    } finally {
      await stubborn.close();
    }
  });

  it('never sends another 409 again (a conflict the caller must resolve)', async () => {
    const server = await serve([json(409, { type: 'https://podium.dev/problems/quota-exceeded', title: 'Conflict', status: 409, detail: 'over' })]);
    try {
      const accreditation = apiClient('accreditation', { baseUrl: server.url, conflictBackoffMs: 1 });
      const error = await ok(accreditation.POST('/v1/cards/{cardNumber}/suspend', { params: { path: { cardNumber: 'C1' } }, body: { reason: 'lost' } })).catch((e: unknown) => e);
      expect((error as ApiError).status).toBe(409);
      expect(server.seen).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('sends a request again after a failed connection only when networkRetries allows', async () => {
    const closed = await serve([]);
    await closed.close(); // nothing listens on its port any more
    const once = apiClient('schedules', { baseUrl: closed.url });
    await expect(once.GET('/v1/editions')).rejects.toThrow();
    const server = await serve([json(200, [])]);
    try {
      // The first attempt to a closed port fails, the client is pointed at a live one: proves the retry path runs.
      let calls = 0;
      const flaky = apiClient('schedules', { baseUrl: server.url, networkRetries: 1 });
      const realFetch = globalThis.fetch;
      globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
        calls++;
        return calls === 1 ? Promise.reject(new TypeError('fetch failed')) : realFetch(input, init);
      }) as typeof fetch;
      try {
        expect(await ok(flaky.GET('/v1/editions'))).toEqual([]);
      } finally {
        globalThis.fetch = realFetch;
      }
      expect(calls).toBe(2);
    } finally {
      await server.close();
    }
  });
});

describe('pool', () => {
  it('runs every item, at most `concurrency` at a time', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await pool([1, 2, 3, 4, 5, 6, 7], 3, async (item, index) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      done.push(item * 10 + index);
      running--;
    });
    expect(most).toBe(3);
    expect(done.sort((a, b) => a - b)).toEqual([10, 21, 32, 43, 54, 65, 76]);
  });
});
