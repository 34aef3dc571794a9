/**
 * The venue API key of `POST /v1/messages` is checked before anything of the body is read: in a Fastify onRequest
 * hook, which runs before the body is parsed (the platform parses JSON bodies, gzip inflated, in a preValidation hook;
 * the controller reads XML bodies itself). A request without a valid key is answered 401 at once, so a client without
 * a key cannot make the service parse, inflate or even buffer a body of up to INGEST_MAX_BYTES.
 */
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { HttpRequest } from '@podium/platform';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';

import { type ApiKeyCheck, ApiKeyRegistry } from './api-keys';
import { IngestMetrics } from './ingest-metrics';
import { IngestError } from './intake.logic';

/** The route the gate guards (IntakeController: `@Controller('v1/messages')` + `@Post()`). */
export const INTAKE_ROUTE = '/v1/messages';

type Sources = Extract<ApiKeyCheck, { ok: true }>['sources'];

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The 401 for a missing or unknown key. */
export function invalidApiKey(reason: 'missing' | 'unknown'): IngestError {
  return new IngestError(
    'invalid-api-key',
    reason === 'missing' ? 'The X-API-KEY header is required.' : 'The X-API-KEY is not valid.',
  );
}

@Injectable()
export class IntakeGate implements OnApplicationBootstrap {
  /** The Sources of each request's key, as the hook found them (the controller does not check the key twice). */
  private readonly checked = new WeakMap<IncomingMessage, Sources>();
  private installed = false;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly keys: ApiKeyRegistry,
    private readonly metrics: IngestMetrics,
  ) {}

  private get fastify(): FastifyInstance {
    return this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
  }

  /**
   * Adds the onRequest hook (IntakeModule.configure: before the routes are registered, so that the route gets it).
   * `toProblem` renders the refusal: the error reaches Nest's error handler and the platform's problem filter, as the
   * body parser's errors do.
   */
  install(toProblem: (error: IngestError) => Error): void {
    if (this.installed) return;
    this.installed = true;
    this.fastify.addHook('onRequest', (request, _reply, done) => {
      if (request.method !== 'POST' || request.routeOptions.url !== INTAKE_ROUTE) {
        done();
        return;
      }
      const check = this.keys.check(headerValue(request.headers['x-api-key']));
      if (check.ok) {
        this.checked.set(request.raw, check.sources);
        done();
        return;
      }
      this.metrics.reject('invalid-api-key', 'http');
      // Nothing of the body was read: Node discards it once the answer is sent (never parsed nor inflated).
      done(toProblem(invalidApiKey(check.reason)));
    });
  }

  /** The Sources the request's key may send for: found by the hook, else checked now (an IngestError when invalid). */
  sourcesOf(request: HttpRequest): Sources {
    const sources = this.checked.get(request.raw);
    if (sources !== undefined) return sources;
    const check = this.keys.check(headerValue(request.headers['x-api-key']));
    if (!check.ok) throw invalidApiKey(check.reason);
    return check.sources;
  }

  /** A gate on a route that does not exist would guard nothing: the service refuses to start. */
  onApplicationBootstrap(): void {
    if (!this.installed || !this.fastify.hasRoute({ method: 'POST', url: INTAKE_ROUTE })) {
      throw new Error(`IntakeGate: the API key check must guard POST ${INTAKE_ROUTE} before its body is read`);
    }
  }
}
