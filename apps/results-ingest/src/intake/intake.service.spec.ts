import { makeResultMessage } from '@podium/odf-message';
import type { NatsConnectionService, NatsPublisher, OutboxWriter } from '@podium/platform';

import type { ResultsIngestConfig } from '../app/config';
import type { PgPool } from '../database/pg-pool.service';
import type { PrismaService } from '../database/prisma.service';
import type { IngestMetrics } from './ingest-metrics';
import { IngestError, parseXmlInput } from './intake.logic';
import { IntakeService } from './intake.service';
import type { PublishWaiter } from './publish-waiter';

/** A dependency that fails the test when anything on it is used. */
function strict<T>(name: string): T {
  return new Proxy(
    {},
    {
      get: (_target, property) => {
        if (property === 'then') return undefined;
        throw new Error(`unexpected use of ${name}.${String(property)}`);
      },
    },
  ) as T;
}

describe('IntakeService', () => {
  const service = new IntakeService(
    strict<PrismaService>('prisma'),
    strict<PgPool>('pg'),
    strict<OutboxWriter>('outbox'),
    strict<NatsPublisher>('publisher'),
    strict<NatsConnectionService>('nats'),
    strict<PublishWaiter>('waiter'),
    strict<IngestMetrics>('metrics'),
    strict<ResultsIngestConfig>('config'),
  );
  const input = parseXmlInput(makeResultMessage({ rsc: 'ATHM100M--------------FNL-000100--', source: 'SEQATH1' }).xml);

  it('refuses a Source the API key is not bound to before touching anything', async () => {
    const error = await service.ingest(input, ['SEQSWM1'], 'http').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IngestError);
    expect(error).toMatchObject({ code: 'source-not-allowed', status: 403, errors: [{ field: 'body.Source' }] });
  });

  it('goes on for an allowed Source (the strict database mock stops it at the schedule check)', async () => {
    await expect(service.ingest(input, ['SEQATH1'], 'http')).rejects.toThrow('unexpected use of pg.pool');
    await expect(service.ingest(input, '*', 'nats')).rejects.toThrow('unexpected use of pg.pool');
  });
});
