/**
 * Test harness for the schedules service's integration tests, on @podium/testing's startTestService (own database,
 * NATS prefix, random port, NATS through a proxy that a test can cut), plus readers of the published events.
 * Test-only code (excluded from the app build).
 */
import { type EnvelopeOf, parseEnvelope } from '@podium/contracts';
import { OutboxRelay } from '@podium/platform';
import { startTestService, type TcpProxy, type TestService } from '@podium/testing';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppModule } from '../app/app.module';
import { EVENT_UPDATED, UNIT_UPDATED } from '../schedule/schedule-publisher';

export type UnitEvent = EnvelopeOf<typeof UNIT_UPDATED>;
export type EventEvent = EnvelopeOf<typeof EVENT_UPDATED>;

export interface Harness extends Omit<TestService, 'token'> {
  natsProxy: TcpProxy;
  /** A token for `sub` with these roles (default: schedule-manager). */
  token(roles?: string[], sub?: string): Promise<string>;
  /** Every unit.updated message on the SCHEDULES stream after `afterSeq`, validated against the contract. */
  readEvents(afterSeq?: number): Promise<{ seq: number; subject: string; event: UnitEvent }[]>;
  /** Every event.updated message on the SCHEDULES stream after `afterSeq`, validated against the contract. */
  readEventDefinitions(afterSeq?: number): Promise<{ seq: number; subject: string; event: EventEvent }[]>;
  relay(): OutboxRelay;
}

export async function demoPack(): Promise<unknown> {
  return JSON.parse(await readFile(join(__dirname, '..', '..', 'data', 'demo-og2024.json'), 'utf8'));
}

export async function startSchedules(): Promise<Harness> {
  const service = await startTestService({ service: 'schedules', module: AppModule, natsProxy: true });
  const natsProxy = service.natsProxy;
  if (!natsProxy) throw new Error('startTestService did not start the NATS proxy');
  const read = async (afterSeq: number, kind: 'unit' | 'event') =>
    (await service.readStream('SCHEDULES', afterSeq)).filter((m) => m.subject.startsWith(`oms.schedules.v1.${kind}.`));
  return {
    ...service,
    natsProxy,
    token: (roles = ['schedule-manager'], sub = 'tester') => service.token(roles, { sub }),
    readEvents: async (afterSeq = 0) =>
      (await read(afterSeq, 'unit')).map((m) => ({ seq: m.seq, subject: m.subject, event: parseEnvelope(UNIT_UPDATED, m.json) })),
    readEventDefinitions: async (afterSeq = 0) =>
      (await read(afterSeq, 'event')).map((m) => ({ seq: m.seq, subject: m.subject, event: parseEnvelope(EVENT_UPDATED, m.json) })),
    relay: () => service.app.get(OutboxRelay),
  };
}
