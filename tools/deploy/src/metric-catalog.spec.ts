import { MetricsService } from '@podium/platform';
import { codeMetrics, metricsInSource, registrySeries, seriesNames } from './metric-catalog';

type Config = ConstructorParameters<typeof MetricsService>[0];
type Options = ConstructorParameters<typeof MetricsService>[1];

function boot(options: Options): MetricsService {
  return new MetricsService({ SERVICE_NAME: 'catalog-test' } as Config, options);
}

describe('metricsInSource', () => {
  it('reads the name and type of each registration: literal, const, this.<type>, new <Type>', () => {
    const source = `
      const LAG = 'x_lag_seconds';
      class A {
        constructor(metrics: MetricsService) {
          metrics.counter({ name: 'x_total', help: 'x', labelNames: ['a'] });
          this.h = metrics.histogram({ name: \`x_duration_seconds\`, help: 'x', buckets: [1] });
          metrics.gauge({ name: LAG, help: 'x', collect() { this.set(1); } });
          this.summary({ help: 'x', name: 'x_summary' });
          new Gauge({ name: 'x_direct', help: 'x' });
          other.count({ name: 'not_a_metric' });
        }
      }`;
    const { metrics, problems } = metricsInSource(source, 'apps/x/src/a.ts', 'x');
    expect(problems).toEqual([]);
    expect(metrics.map((m) => [m.name, m.type])).toEqual([
      ['x_total', 'counter'],
      ['x_duration_seconds', 'histogram'],
      ['x_lag_seconds', 'gauge'],
      ['x_summary', 'summary'],
      ['x_direct', 'gauge'],
    ]);
  });

  it('reports a registration whose name it cannot read, or that is not a metric name', () => {
    const source = `
      metrics.counter({ name: prefix + '_total', help: 'x' });
      metrics.gauge(config);
      this.metrics.histogram({ name: \`\${svc}_seconds\`, help: 'x' });
      metrics.gauge({ name: 'bad-name', help: 'x' });`;
    const { problems } = metricsInSource(source, 'libs/y/src/b.ts', 'platform');
    expect(problems.map((p) => [p.line, p.problem.split(':')[0]])).toEqual([
      [2, "the counter's name is not a string literal (or a const of one)"],
      [3, 'metrics.gauge(...) without an object literal { name, help }'],
      [4, "the histogram's name is not a string literal (or a const of one)"],
      [5, "'bad-name' is not a valid Prometheus metric name"],
    ]);
  });
});

describe('seriesNames', () => {
  it('gives a histogram its _bucket/_sum/_count and no bare name, a summary its quantiles, _sum and _count', () => {
    expect(seriesNames('a_seconds', 'histogram')).toEqual(['a_seconds_bucket', 'a_seconds_sum', 'a_seconds_count']);
    expect(seriesNames('b_seconds', 'summary')).toEqual(['b_seconds', 'b_seconds_sum', 'b_seconds_count']);
    expect(seriesNames('c_total', 'counter')).toEqual(['c_total']);
  });
});

describe('codeMetrics (the workspace)', () => {
  const { metrics, problems } = codeMetrics();

  it('reads every registration of apps/ and libs/ (none it cannot name, one type per name)', () => {
    expect(problems).toEqual([]);
    const names = metrics.map((m) => `${m.owner}:${m.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'platform:http_request_duration_seconds',
        'platform:outbox_pending_events',
        'results-ingest:results_ingest_messages_total',
        'results-distribution:results_distribution_fanout_lag_seconds',
        'accreditation:accreditation_gate_verified_lookups_total',
      ]),
    );
  });

  it("reads the platform's MetricsService as it registers at run time (the scan and the registry agree)", async () => {
    const service = boot({ defaultMetrics: false });
    const live = registrySeries(await service.registry.getMetricsAsJSON()).sort();
    const scanned = metrics
      .filter((m) => m.file === 'libs/platform/src/metrics/metrics.service.ts')
      .flatMap((m) => seriesNames(m.name, m.type))
      .sort();
    expect(live.length).toBeGreaterThan(0);
    expect(scanned).toEqual(live);
  });
});
