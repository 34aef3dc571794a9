import { Module } from '@nestjs/common';
import { CONFIG, MetricsService } from '@podium/platform';
import type { DistributionConfig } from '../app/config';
import { ResultsState } from '../state/results-state';
import { StateModule } from '../state/state.module';
import { ConnectionBudget } from './connection-budget';
import { DistributionHub } from './hub';
import { QueuedBytesBudget } from './queued-bytes-budget';
import { CHANNEL_LANES } from './write-batch';

/**
 * Buckets of results_distribution_delivery_seconds: 0.3 and 2 are the service levels' thresholds (CIS under 0.3 s, web
 * under 2 s, docs/operations.md), so the ratio of deliveries under them is exact.
 */
export const DELIVERY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10, 30];

/** How often the sockets' share of the queued bytes is measured (and the budget enforced on it). */
const BUDGET_SWEEP_MS = 1_000;

/**
 * Fan-out of the state's changes to the connected clients (CIS and SSE), and the budgets they share: connections
 * (overall and per address) and the bytes queued for them.
 */
@Module({
  imports: [StateModule],
  providers: [
    {
      provide: DistributionHub,
      inject: [ResultsState, CONFIG, MetricsService],
      useFactory: (state: ResultsState, config: DistributionConfig, metrics: MetricsService) => {
        const lag = metrics.histogram({
          name: 'results_distribution_fanout_lag_seconds',
          help:
            'From acceptance by results-ingest (receivedAt) to the update written to the clients\' sockets, per document ' +
            'fanned out (LIVE updates conflated away are not counted).',
          labelNames: ['stream'],
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        });
        const results = lag.labels({ stream: 'results' });
        const current = lag.labels({ stream: 'current' });
        const delivery = metrics.histogram({
          name: 'results_distribution_delivery_seconds',
          help:
            "From acceptance by results-ingest (the envelope's receivedAt) to the update written to a channel's client " +
            'sockets (cis, sse), per document and channel it reached in a fan-out round: the CIS and web service levels. ' +
            'A write queued behind a slow reader counts when queued.',
          labelNames: ['channel'],
          buckets: DELIVERY_BUCKETS,
        });
        const channels = [
          { bit: 1 << CHANNEL_LANES.cis, lane: CHANNEL_LANES.cis, histogram: delivery.labels({ channel: 'cis' }) },
          { bit: 1 << CHANNEL_LANES.sse, lane: CHANNEL_LANES.sse, histogram: delivery.labels({ channel: 'sse' }) },
        ];
        let max = 0;
        const hub = new DistributionHub({
          maxHoldMs: config.FANOUT_MAX_HOLD_MS,
          onFannedOut: (entries, at, lanes, laneAt) => {
            entries.forEach((entry, i) => {
              const receivedAt = Date.parse(entry.data.receivedAt);
              const seconds = (at - receivedAt) / 1000;
              if (!Number.isFinite(seconds) || seconds < 0) return;
              (entry.stream === 'RESULTS' ? results : current).observe(seconds);
              if (seconds > max) max = seconds;
              const reached = lanes[i] ?? 0;
              for (const channel of channels) {
                if ((reached & channel.bit) === 0) continue;
                // The lane's write time; `at` when it wrote nothing itself (its clients were busy: the frames queued).
                const written = laneAt[channel.lane] || at;
                channel.histogram.observe(Math.max(0, written - receivedAt) / 1000);
              }
            });
          },
        });
        metrics.gauge({
          name: 'results_distribution_fanout_lag_max_seconds',
          help: 'The largest results_distribution_fanout_lag_seconds observed since this instance started.',
          collect() {
            this.set(max);
          },
        });
        const deliveries = metrics.counter({
          name: 'results_distribution_deliveries_total',
          help: 'Updates and protocol messages handed to client sockets, by channel (cis, sse).',
          labelNames: ['channel'],
          collect() {
            deliveries.reset();
            for (const [channel, counter] of hub.deliveryCounts) deliveries.inc({ channel }, counter.written);
          },
        });
        metrics.gauge({
          name: 'results_distribution_conflated_updates',
          help:
            'LIVE updates never fanned out because a newer one of the same document came before their fan-out round ' +
            '(the service was behind: see results_distribution_consumer_pending).',
          collect() {
            this.set(hub.conflated);
          },
        });
        metrics.gauge({
          name: 'results_distribution_fanout_rounds',
          help: 'Fan-out rounds since start (each fans out what was announced since the previous one).',
          collect() {
            this.set(hub.rounds);
          },
        });
        const holds = metrics.counter({
          name: 'results_distribution_fanout_holds_total',
          help:
            'Fan-out rounds held back while a stream had a backlog on the server, by how the hold ended ' +
            '(backlog-read, or max-hold: FANOUT_MAX_HOLD_MS passed first).',
          labelNames: ['ended'],
          collect() {
            holds.reset();
            for (const [ended, count] of Object.entries(hub.holds)) holds.inc({ ended }, count);
          },
        });
        metrics.gauge({
          name: 'results_distribution_consumer_pending',
          help:
            'Messages this instance is behind by, last seen: waiting on the NATS server (its consumers\' pending count) ' +
            'or received and not yet handled; 1 when only their lateness (FANOUT_LATE_MS) shows it.',
          collect() {
            this.set(hub.backlogMessages);
          },
        });
        state.setListener(hub);
        return hub;
      },
    },
    ConnectionBudget,
    {
      provide: QueuedBytesBudget,
      inject: [CONFIG, MetricsService],
      useFactory: (config: DistributionConfig, metrics: MetricsService) => {
        const budget = new QueuedBytesBudget(config.CLIENT_QUEUED_BYTES_BUDGET);
        metrics.gauge({
          name: 'results_distribution_client_queued_bytes',
          help:
            'Bytes written for CIS and SSE clients and not yet handed to the kernel: their queues plus their sockets\' ' +
            'user-space buffers, over all connections (bounded by CLIENT_QUEUED_BYTES_BUDGET: the largest are disconnected). ' +
            'High while the fan-out is quick means the time goes in delivering to slow readers.',
          collect() {
            budget.enforce();
            this.set(budget.measure());
          },
        });
        budget.startSweeping(BUDGET_SWEEP_MS);
        return budget;
      },
    },
  ],
  exports: [DistributionHub, ConnectionBudget, QueuedBytesBudget],
})
export class FanoutModule {}
