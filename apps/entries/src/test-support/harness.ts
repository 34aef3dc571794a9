/**
 * Test harness for the entries service's integration tests: its own migrated database and NATS prefix (from
 * @podium/testing), the real AppModule on a random loopback port with a settable clock, tokens, a publisher of
 * schedules events (as the schedules service would publish them) and a JetStream reader of the ENTRIES stream.
 * Test-only code (excluded from the app build).
 */
import { entriesStream, parseEnvelope, type ScheduleEventState, schedulesStream } from '@podium/contracts';
import { OutboxRelay } from '@podium/platform';
import { startTestService, type TestDatabase, type TestService, waitFor } from '@podium/testing';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppModule } from '../app/app.module';
import { Clock } from '../common/clock';
import { ATHLETE_CHANGED, ENTRY_CHANGED, QUOTA_CHANGED } from '../publishing/entries-publisher';

/** A clock the tests move (deadlines are checked against it). */
export class FakeClock extends Clock {
  /** Before every deadline of the demo rules pack (Entry by Number closes 2030-06-10). */
  static readonly DEFAULT = '2030-06-01T10:00:00Z';

  private current = new Date(FakeClock.DEFAULT);

  override now(): Date {
    return new Date(this.current);
  }

  set(iso: string): void {
    this.current = new Date(iso);
  }
}

export type StreamMessage =
  | { seq: number; subject: string; kind: 'entry'; event: ReturnType<typeof parseEnvelope<typeof ENTRY_CHANGED>> }
  | { seq: number; subject: string; kind: 'athlete'; event: ReturnType<typeof parseEnvelope<typeof ATHLETE_CHANGED>> }
  | { seq: number; subject: string; kind: 'quota'; event: ReturnType<typeof parseEnvelope<typeof QUOTA_CHANGED>> };

export interface TokenOptions {
  roles: string[];
  sub?: string;
  noc?: string;
}

export interface Harness extends Omit<TestService, 'token' | 'db'> {
  db: TestDatabase;
  clock: FakeClock;
  token(options: TokenOptions): Promise<string>;
  /** Publishes an event state on the SCHEDULES stream, as the schedules service does. */
  publishScheduleEvent(data: ScheduleEventState): Promise<void>;
  /** Every message of the ENTRIES stream after `afterSeq`, validated against its contract. */
  readEntriesStream(afterSeq?: number): Promise<StreamMessage[]>;
  relay(): OutboxRelay;
}

const DATA = join(__dirname, '..', '..', 'data');

export async function demoFile(name: string): Promise<string> {
  return readFile(join(DATA, name), 'utf8');
}

/** The events of the schedules demo pack, as schedules publishes them on oms.schedules.v1.event.*.updated. */
export async function scheduleDemoEvents(updatedAt = '2024-06-01T00:00:00Z'): Promise<ScheduleEventState[]> {
  const pack = JSON.parse(await readFile(join(__dirname, '..', '..', '..', 'schedules', 'data', 'demo-og2024.json'), 'utf8')) as {
    events: { rsc: string; name: string; gender: ScheduleEventState['gender']; medal: boolean }[];
    phases: { rsc: string; name: string; order: number }[];
  };
  return pack.events.map((e) => ({
    edition: 'OG2024',
    rsc: e.rsc,
    discipline: e.rsc.slice(0, 3),
    name: e.name,
    gender: e.gender,
    medal: e.medal,
    phases: pack.phases.filter((p) => p.rsc.slice(0, 22) === e.rsc.slice(0, 22)),
    updatedAt,
  }));
}

/** Starts entries; without `env.SCHEDULES_URL` it follows the schedule from the SCHEDULES stream alone. */
export async function startEntries(env: Record<string, string> = {}): Promise<Harness> {
  delete process.env['SCHEDULES_URL'];
  const clock = new FakeClock();
  const service = await startTestService({
    service: 'entries',
    module: AppModule,
    // Rejections (4xx) are logged at warn and are what these tests provoke: keep the output to errors.
    env: { LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'error', ...env },
    override: (builder) => builder.overrideProvider(Clock).useValue(clock),
  });
  const { app, nats, reader: client } = service;
  const db = service.db;
  if (!db) throw new Error('startTestService did not create the database');
  // The app declared both streams at boot; wait for them before publishing or reading.
  await waitFor(async () => {
    const jsm = await client.jetstreamManager();
    await jsm.streams.info(`${nats.namePrefix}${schedulesStream.name}`);
    await jsm.streams.info(`${nats.namePrefix}${entriesStream.name}`);
    return true;
  });

  return {
    ...service,
    db,
    clock,
    token: ({ roles, sub = 'tester', noc }: TokenOptions) => service.token(roles, { sub, noc }),
    publishScheduleEvent: async (data) => {
      await service.publish('oms.schedules.v1.event.{discipline}.updated', data, { tokens: { discipline: data.discipline } });
    },
    readEntriesStream: async (afterSeq = 0) =>
      (await service.readStream(entriesStream.name, afterSeq)).map((m): StreamMessage => {
        if (m.subject.includes('.entry.')) return { seq: m.seq, subject: m.subject, kind: 'entry', event: parseEnvelope(ENTRY_CHANGED, m.json) };
        if (m.subject.includes('.athlete.')) return { seq: m.seq, subject: m.subject, kind: 'athlete', event: parseEnvelope(ATHLETE_CHANGED, m.json) };
        return { seq: m.seq, subject: m.subject, kind: 'quota', event: parseEnvelope(QUOTA_CHANGED, m.json) };
      }),
    relay: () => app.get(OutboxRelay),
  };
}
