import { makeResultMessage } from '@podium/odf-message';
import type { NatsConnectionService, NatsPublisher, OutboxRelay, OutboxWriter, PgPool } from '@podium/platform';
import { strictMock } from '@podium/testing';

import type { ResultsIngestConfig } from '../app/config';
import type { PrismaService } from '../database/prisma.service';
import type { IngestMetrics } from './ingest-metrics';
import { IngestError, parseXmlInput } from './intake.logic';
import { answerOutcomeOf, IntakeService } from './intake.service';
import type { PublishWaiter } from './publish-waiter';

describe('IntakeService', () => {
  const answered = jest.fn<undefined, Parameters<IngestMetrics['answered']>>();
  const service = new IntakeService(
    strictMock<PrismaService>('prisma'),
    strictMock<PgPool>('pg'),
    strictMock<OutboxWriter>('outbox'),
    strictMock<OutboxRelay>('relay'),
    strictMock<NatsPublisher>('publisher'),
    strictMock<NatsConnectionService>('nats'),
    strictMock<PublishWaiter>('waiter'),
    strictMock<IngestMetrics>('metrics', { answered }),
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

  it('refuses a Source before counting an answer to a valid message', async () => {
    answered.mockClear();
    await expect(service.ingest(input, ['SEQSWM1'], 'nats')).rejects.toBeInstanceOf(IngestError);
    expect(answered).not.toHaveBeenCalled();
  });

  it('goes on for an allowed Source (the strict database mock stops it at the schedule check), counted as failed', async () => {
    answered.mockClear();
    await expect(service.ingest(input, ['SEQATH1'], 'http')).rejects.toThrow('unexpected call to pg.pool.query');
    await expect(service.ingest(input, '*', 'nats')).rejects.toThrow('unexpected call to pg.pool.query');
    expect(answered.mock.calls).toEqual([
      ['http', 'failed'],
      ['nats', 'failed'],
    ]);
  });

  it("counts the message's own faults as refused, ours (publish-pending, anything unexpected) as failed", () => {
    expect(answerOutcomeOf(new IngestError('document-source-mismatch', 'bound to another Source'))).toBe('refused');
    expect(answerOutcomeOf(new IngestError('payload-too-large', 'too large'))).toBe('refused');
    expect(answerOutcomeOf(new IngestError('publish-pending', 'stored, not yet published'))).toBe('failed');
    expect(answerOutcomeOf(new Error('connection terminated'))).toBe('failed');
  });
});
