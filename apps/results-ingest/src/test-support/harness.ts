/**
 * Test harness for the results-ingest integration tests: its own migrated database and NATS prefix (@podium/testing),
 * the real AppModule on a random loopback port, tokens, and JetStream readers of the published results.
 * Test-only code (excluded from the app build).
 */
import { anyEnvelopeSchema, type Envelope, type ScheduleUnitState } from '@podium/contracts';
import { eventCodeOf, phaseCodeOf } from '@podium/odf';
import { startTestService, type TestDatabase, type TestService, waitFor } from '@podium/testing';

import { AppModule } from '../app/app.module';
import { PrismaService } from '../database/prisma.service';

export const SOURCE_KEY = 'venue-key-athletics-0123456789';

export interface StreamMessage {
  seq: number;
  subject: string;
  msgId: string | undefined;
  envelope: Envelope<Record<string, unknown>>;
}

export interface Harness extends Omit<TestService, 'token' | 'readStream'> {
  db: TestDatabase;
  token(roles?: string[], sub?: string): Promise<string>;
  /** POST /v1/messages with the demo key (or `apiKey`), XML by default. */
  post(body: string | Uint8Array, init?: { apiKey?: string | null; contentType?: string; gzip?: boolean }): Promise<Response>;
  /** Messages of a stream (logical name, e.g. RESULTS) after `afterSeq`. */
  readStream(stream: string, afterSeq?: number): Promise<StreamMessage[]>;
  /** Publishes a schedule unit event on the SCHEDULES stream, as the schedules service would, and waits until it is known. */
  publishUnit(rsc: string, version?: number): Promise<void>;
}

export async function startResultsIngest(env: Record<string, string> = {}): Promise<Harness> {
  const service = await startTestService({
    service: 'results-ingest',
    module: AppModule,
    env: {
      INGEST_API_KEYS: JSON.stringify({ [SOURCE_KEY]: ['ATHVEN1'] }),
      LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'error',
      ...env,
    },
  });
  const { app, url } = service;
  const db = service.db;
  if (!db) throw new Error('startTestService did not create the database');

  return {
    ...service,
    db,
    token: (roles = ['ods-operator'], sub = 'operator') => service.token(roles, { sub }),
    post: async (body, init = {}) => {
      const headers = new Headers({ 'content-type': init.contentType ?? 'application/xml' });
      const apiKey = init.apiKey === undefined ? 'demo-venue-key' : init.apiKey;
      if (apiKey !== null) headers.set('x-api-key', apiKey);
      let payload: string | Uint8Array = body;
      if (init.gzip) {
        const { gzipSync } = await import('node:zlib');
        payload = gzipSync(typeof body === 'string' ? Buffer.from(body) : body);
        headers.set('content-encoding', 'gzip');
      }
      return fetch(`${url}/v1/messages`, { method: 'POST', headers, body: payload });
    },
    readStream: async (stream, afterSeq = 0) =>
      (await service.readStream(stream, afterSeq)).map((m) => ({
        seq: m.seq,
        subject: m.subject,
        msgId: m.msgId,
        envelope: anyEnvelopeSchema.parse(m.json) as Envelope<Record<string, unknown>>,
      })),
    publishUnit: async (rsc, version = 1) => {
      const data: ScheduleUnitState = {
        edition: 'OG2024',
        rsc,
        discipline: rsc.slice(0, 3),
        eventRsc: eventCodeOf(rsc),
        phaseRsc: phaseCodeOf(rsc),
        name: `Unit ${rsc}`,
        medal: false,
        status: 'SCHEDULED',
        startUtc: null,
        endUtc: null,
        venue: null,
        location: null,
        timeZone: null,
        startLocal: null,
        endLocal: null,
        logicalDate: null,
        session: null,
        version,
        change: null,
        updatedAt: new Date().toISOString(),
      };
      await service.publish('oms.schedules.v1.unit.{discipline}.updated', data, { tokens: { discipline: data.discipline } });
      const prisma = app.get(PrismaService);
      await waitFor(async () => ((await prisma.knownUnit.findUnique({ where: { rsc } }))?.version ?? 0) >= version, {
        timeoutMs: 15_000,
        description: `schedule unit ${rsc} known`,
      });
    },
  };
}
