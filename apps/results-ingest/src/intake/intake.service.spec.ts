import { makeResultMessage } from '@podium/odf-message';
import type { NatsConnectionService, NatsPublisher, OutboxRelay, OutboxWriter, PgPool } from '@podium/platform';
import { strictMock } from '@podium/testing';

import type { ResultsIngestConfig } from '../app/config';
import type { PrismaService } from '../database/prisma.service';
import type { IngestMetrics } from './ingest-metrics';
import { IngestError, parseXmlInput } from './intake.logic';
import { IntakeService } from './intake.service';
import type { PublishWaiter } from './publish-waiter';

describe('IntakeService', () => {
  const service = new IntakeService(
    strictMock<PrismaService>('prisma'),
    strictMock<PgPool>('pg'),
    strictMock<OutboxWriter>('outbox'),
    strictMock<OutboxRelay>('relay'),
    strictMock<NatsPublisher>('publisher'),
    strictMock<NatsConnectionService>('nats'),
    strictMock<PublishWaiter>('waiter'),
    strictMock<IngestMetrics>('metrics'),
    strictMock<ResultsIngestConfig>('config'),
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
    await expect(service.ingest(input, ['SEQATH1'], 'http')).rejects.toThrow('unexpected call to pg.pool.query');
    await expect(service.ingest(input, '*', 'nats')).rejects.toThrow('unexpected call to pg.pool.query');
  });
});
