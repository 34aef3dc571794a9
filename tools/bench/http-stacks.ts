/**
 * Which HTTP stack? The same pre-serialised 1.2 KB JSON answer (with its ETag and Cache-Control) served by each
 * candidate, one at a time, in its own process, measured with the same wrk run; nginx serving the same bytes is the floor.
 *
 *   npx tsx tools/bench/http-stacks.ts [--seconds 5] [--connections 100] [--competitors 8]
 *
 * Candidates: node:http alone, express alone, fastify alone, Nest on its Express adapter, Nest on its Fastify adapter.
 * What a service adds on top of the adapter (correlation id, metrics, access log, guards, validation) is measured by
 * tools/bench/http.ts against the real services. Results and the choice they led to: docs/performance.md.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { formatWrk, runWrk, wrkAvailable } from './wrk';
import { startStaticNginx, waitListening } from './nginx';

/** A DT_RESULT-like document of `competitors` results (8: 898 bytes; 50: about 4.8 KB, the size of the HTTP benchmark's). */
function documentOf(competitors: number): string {
  const nocs = ['USA', 'JAM', 'GBR', 'CAN', 'KEN', 'ITA', 'FRA', 'JPN'];
  return JSON.stringify({
    documentCode: 'ATHM100M--------------FNL-000100--',
    documentType: 'DT_RESULT',
    version: 7,
    resultStatus: 'LIVE',
    competition: {
      results: Array.from({ length: competitors }, (_, i) => ({
        rank: i + 1,
        bib: String(1000 + i),
        name: `Competitor Number ${i + 1}`,
        organisation: nocs[i % nocs.length],
        result: (9.8 + i * 0.05).toFixed(2),
      })),
    },
    stream: 'RESULTS',
    seq: 123456,
  });
}
const HEADERS = { etag: '"r123456-abcdefghijkl"', 'cache-control': 'public, max-age=1', 'content-type': 'application/json; charset=utf-8' };
const STACKS = ['node-http', 'express', 'fastify', 'nest-express', 'nest-fastify'] as const;
type Stack = (typeof STACKS)[number];

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

async function serve(stack: Stack, port: number): Promise<void> {
  const body = Buffer.from(documentOf(arg('competitors', 8)));
  switch (stack) {
    case 'node-http': {
      createServer((_req, res) => {
        res.writeHead(200, { ...HEADERS, 'content-length': body.length });
        res.end(body);
      }).listen(port, '127.0.0.1');
      return;
    }
    case 'express': {
      const express = (await import('express')).default;
      const app = express();
      app.disable('x-powered-by');
      app.get('/doc', (_req, res) => {
        res.set(HEADERS).end(body);
      });
      app.listen(port, '127.0.0.1');
      return;
    }
    case 'fastify': {
      const fastify = (await import('fastify')).default;
      const app = fastify();
      app.get('/doc', (_req, reply) => {
        void reply.headers(HEADERS).send(body);
      });
      await app.listen({ port, host: '127.0.0.1' });
      return;
    }
    case 'nest-express':
    case 'nest-fastify': {
      const { Controller, Get, Module, Res } = await import('@nestjs/common');
      const { NestFactory } = await import('@nestjs/core');
      class DocController {
        doc(res: { setHeader?: unknown; headers: (h: object) => { send: (b: Buffer) => void } } & Record<string, unknown>): void {
          if (stack === 'nest-fastify') res.headers(HEADERS).send(body);
          else {
            const express = res as unknown as { set: (h: object) => { end: (b: Buffer) => void } };
            express.set(HEADERS).end(body);
          }
        }
      }
      // Decorators applied by hand: tsx (esbuild) does not emit decorator metadata, and none is needed here.
      Res()(DocController.prototype, 'doc', 0);
      Get('doc')(DocController.prototype, 'doc', Object.getOwnPropertyDescriptor(DocController.prototype, 'doc') as PropertyDescriptor);
      Controller()(DocController);
      class AppModule {}
      Module({ controllers: [DocController] })(AppModule);
      if (stack === 'nest-fastify') {
        const { FastifyAdapter } = await import('@nestjs/platform-fastify');
        const app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false });
        await app.listen(port, '127.0.0.1');
      } else {
        const app = await NestFactory.create(AppModule, { logger: false });
        await app.listen(port, '127.0.0.1');
      }
      return;
    }
  }
}

async function main(): Promise<void> {
  const serveIndex = process.argv.indexOf('--serve');
  if (serveIndex !== -1) {
    await serve(process.argv[serveIndex + 1] as Stack, arg('port', 0));
    return;
  }
  if (!wrkAvailable()) throw new Error('wrk not found: apt-get install wrk');
  const seconds = arg('seconds', 5);
  const connections = arg('connections', 100);
  const competitors = arg('competitors', 8);
  const BODY = documentOf(competitors);
  console.log(`HTTP stacks: ${Buffer.byteLength(BODY)} bytes of JSON, wrk -t1 -c${connections} -d${seconds}s (after a 2 s warm-up)`);
  const rows: { stack: string; rps: number; line: string }[] = [];
  const nginx = await startStaticNginx({ 'doc.json': BODY }, 18_080);
  try {
    runWrk({ url: nginx.urlOf('doc.json'), connections, seconds: 2 });
    const result = runWrk({ url: nginx.urlOf('doc.json'), connections, seconds });
    if (result.errors.status > 0) throw new Error(`nginx: ${result.errors.status} non-2xx answers`);
    rows.push({ stack: 'nginx (1 worker)', rps: result.requestsPerSecond, line: formatWrk(result) });
  } finally {
    await nginx.stop();
  }
  for (const [index, stack] of STACKS.entries()) {
    const port = 18_081 + index;
    const args = ['--serve', stack, '--port', String(port), '--competitors', String(competitors)];
    const child = spawn(process.execPath, [...process.execArgv, __filename, ...args], {
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    try {
      await waitListening(port, child, 30_000);
      const url = `http://127.0.0.1:${port}/doc`;
      runWrk({ url, connections, seconds: 2 });
      const result = runWrk({ url, connections, seconds });
      if (result.errors.status > 0) throw new Error(`${stack}: ${result.errors.status} non-2xx answers`);
      rows.push({ stack, rps: result.requestsPerSecond, line: formatWrk(result) });
    } finally {
      child.kill('SIGKILL');
    }
  }
  const floor = rows[0].rps;
  for (const row of rows) console.log(`${row.stack.padEnd(18)} ${row.line}  (${(row.rps / floor).toFixed(2)}x nginx)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
