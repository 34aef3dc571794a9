/**
 * The one setup of results-distribution's integration spec files, on @podium/testing's startTestService: the real
 * AppModule with its own migrated database and NATS prefix, on a random port, set up as main.ts sets it up (CORS,
 * OpenAPI), returned once it has replayed its streams (GET /health/ready answers 200).
 *
 *   const rd = distributionForThisFile({ REPLAY_BUFFER_MESSAGES: '20' });
 *   it('...', async () => { await publishResult(rd.app, result({ rsc: UNIT, version: 1 })); ... });
 */
import { startTestService, type TestService } from '@podium/testing';
import { AppModule } from '../app/app.module';
import { configureDistributionApp } from '../app/configure';
import { CIS_PATH } from '../cis/cis.gateway';
import { ResultsState } from '../state/results-state';

export interface Distribution extends Omit<TestService, 'restart' | 'replica'> {
  /** The instance's live state, to wait until a published sequence is applied. */
  state: ResultsState;
  /** ws://127.0.0.1:<port>/v1/cis */
  cisUrl: string;
  restart(): Promise<Distribution>;
  /** A second replica on the same database and NATS prefix (its own INSTANCE_ID, so its own durables). */
  replica(instanceId: string): Promise<Distribution>;
}

/** Checkpoints every 200 ms (default 2 s), so that restarts in tests find recent ones. */
const TEST_ENV = {
  INSTANCE_ID: 'it',
  SNAPSHOT_INTERVAL_MS: '200',
  LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'error',
};

function distribution(service: TestService): Distribution {
  return {
    ...service,
    state: service.app.get(ResultsState),
    cisUrl: `${service.wsUrl}${CIS_PATH}`,
    restart: async () => distribution(await service.restart()),
    replica: async (instanceId) => distribution(await service.replica({ env: { INSTANCE_ID: instanceId } })),
  };
}

/** Starts results-distribution (see the file comment); `env` adds or overrides variables (e.g. REPLAY_BUFFER_MESSAGES). */
export async function startDistribution(env: Record<string, string> = {}): Promise<Distribution> {
  return distribution(
    await startTestService({
      service: 'results-distribution',
      module: AppModule,
      env: { ...TEST_ENV, ...env },
      openApi: { title: 'results-distribution', description: 'integration test', version: '1.0.0' },
      configure: configureDistributionApp,
      ready: true,
    }),
  );
}

export interface DistributionFile {
  /** The running instance: the one started before the file's tests, or the latest `restart()`. */
  readonly app: Distribution;
  /** Restarts the service on the same database and NATS prefix (graceful stop, then a new instance), as a deployment does. */
  restart(): Promise<Distribution>;
}

/** One results-distribution for the spec file that calls it: started in beforeAll, closed (database, streams) in afterAll. */
export function distributionForThisFile(env: Record<string, string> = {}): DistributionFile {
  let current: Distribution | undefined;
  const running = (): Distribution => {
    if (!current) throw new Error('results-distribution is not started (beforeAll failed?)');
    return current;
  };
  beforeAll(async () => {
    current = await startDistribution(env);
  });
  afterAll(async () => {
    await current?.close();
  });
  return {
    get app() {
      return running();
    },
    restart: async () => (current = await running().restart()),
  };
}
