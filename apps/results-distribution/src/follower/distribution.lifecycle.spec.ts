import type { HealthRegistry, MetricsService, NatsConnectionService } from '@podium/platform';
import { strictMock } from '@podium/testing';
import type { DistributionConfig } from '../app/config';
import type { CheckpointRepository } from '../checkpoint/checkpoint.repository';
import type { DistributionHub } from '../fanout/hub';
import { type CheckpointData, ResultsState } from '../state/results-state';
import { entry } from '../test-support/messages';
import { DistributionLifecycle } from './distribution.lifecycle';

const ID = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function setup() {
  const state = new ResultsState({ maxMessages: 100, maxBytes: 10_000_000 });
  const written: CheckpointData[] = [];
  const pending: (() => void)[] = [];
  // Each write stays in flight until the test lets it finish.
  const write = jest.fn(
    (checkpoint: CheckpointData) =>
      new Promise<void>((resolve) => {
        pending.push(() => {
          written.push(checkpoint);
          resolve();
        });
      }),
  );
  const metric = () => strictMock<never>('metric');
  const lifecycle = new DistributionLifecycle(
    { FEED: 'P', SNAPSHOT_INTERVAL_MS: 200 } as DistributionConfig,
    state,
    strictMock<CheckpointRepository>('checkpoints', { write }),
    strictMock<NatsConnectionService>('connection'),
    strictMock<HealthRegistry>('health'),
    strictMock<DistributionHub>('hub', { setBeforeRound: () => undefined, flush: () => undefined }),
    strictMock<MetricsService>('metrics', { counter: metric, histogram: metric, gauge: metric }),
  );
  /** Lets every write finish, also those started once an earlier one finished. */
  const finishWrites = async (): Promise<void> => {
    while (pending.length > 0) {
      pending.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { state, lifecycle, write, written, finishWrites };
}

describe('DistributionLifecycle', () => {
  it('writes, at shutdown, what changed while a periodic checkpoint was being written', async () => {
    const { state, lifecycle, write, written, finishWrites } = setup();
    state.applyEntry(entry(ID(1), 'USA', 'LYLES'), 1);
    const periodic = lifecycle.checkpoint();
    // Applied after the periodic checkpoint took the state, before it is written.
    state.applyEntry(entry(ID(2), 'JAM', 'THOMPSON'), 2);

    const shutdown = lifecycle.beforeApplicationShutdown();
    await finishWrites();
    await Promise.all([periodic, shutdown]);

    expect(write).toHaveBeenCalledTimes(2);
    expect(written.map((c) => c.entriesSeq)).toEqual([1, 2]);
    expect(written[1]?.entries.map((e) => e.entry.id)).toEqual([ID(2)]);
    expect(state.dirty).toBe(false);
  });

  it('writes nothing more at shutdown when nothing changed', async () => {
    const { state, lifecycle, write, finishWrites } = setup();
    state.applyEntry(entry(ID(1), 'USA', 'LYLES'), 1);
    const periodic = lifecycle.checkpoint();
    const shutdown = lifecycle.beforeApplicationShutdown();
    await finishWrites();
    await Promise.all([periodic, shutdown]);
    expect(write).toHaveBeenCalledTimes(1);
  });
});
