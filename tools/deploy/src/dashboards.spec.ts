/**
 * The chart's Grafana dashboards: valid JSON in Grafana's shape, on the `datasource` variable, and every query reads
 * metrics that exist: a service's (registered in its code, or the platform's process and HTTP metrics), a recording
 * rule of the chart, or the NATS exporter's. Renaming a metric in code, or a rule, fails here until the dashboards follow.
 */
import { MetricsService } from '@podium/platform';
import { dashboardQueries, readDashboards, shapeProblems, unknownMetricProblems } from './dashboards';
import { codeMetrics, NATS_EXPORTER_SERIES, recordingRuleNames, recordingRules, registrySeries, seriesNames } from './metric-catalog';

const dashboards = readDashboards();
let known: Set<string>;

beforeAll(async () => {
  // The platform's registry as the services boot it: default process/Node.js metrics and the HTTP ones.
  type Config = ConstructorParameters<typeof MetricsService>[0];
  const platform = new MetricsService({ SERVICE_NAME: 'dashboards-check' } as Config, {});
  const { metrics } = codeMetrics();
  known = new Set([
    ...registrySeries(await platform.registry.getMetricsAsJSON()),
    ...metrics.flatMap((m) => seriesNames(m.name, m.type)),
    ...recordingRuleNames(),
    ...NATS_EXPORTER_SERIES,
  ]);
});

function dashboardFrom(expr: string, variableQuery = 'label_values(http_requests_total, service)'): unknown {
  const ds = { type: 'prometheus', uid: '${datasource}' };
  return {
    uid: 'x',
    title: 'X',
    schemaVersion: 39,
    templating: {
      list: [
        { name: 'datasource', type: 'datasource', query: 'prometheus' },
        { name: 'service', type: 'query', datasource: ds, query: { query: variableQuery, refId: 'V' } },
      ],
    },
    panels: [{ id: 1, type: 'timeseries', title: 'P', gridPos: { h: 8, w: 12, x: 0, y: 0 }, datasource: ds, targets: [{ refId: 'A', datasource: ds, expr }] }],
  };
}

describe('the Grafana dashboards of the chart', () => {
  it('are the five of the service levels, services, NATS, outbox and results distribution, each valid JSON', () => {
    expect(dashboards.filter((d) => d.error)).toEqual([]);
    expect(dashboards.map((d) => (d.json as { title: string }).title).sort()).toEqual([
      'Podium / NATS',
      'Podium / Outbox',
      'Podium / Results distribution',
      'Podium / Service levels',
      'Podium / Services',
    ]);
  });

  it.each(dashboards.map((d) => [d.file, d.json] as const))('%s has the shape Grafana loads, on the datasource variable', (_file, json) => {
    expect(shapeProblems(json)).toEqual([]);
  });

  it('have unique uids', () => {
    const uids = dashboards.map((d) => (d.json as { uid: string }).uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it.each(dashboards.map((d) => [d.file, d.json] as const))('%s only queries metrics that exist', (_file, json) => {
    expect(dashboardQueries(json).length).toBeGreaterThan(2);
    expect(unknownMetricProblems(json, known)).toEqual([]);
  });

  it('the service levels dashboard shows every SLO of the chart`s rules (SLI and objective), the outbox age and consumer lag', () => {
    const json = dashboards.find((d) => d.file === 'service-levels.json')?.json;
    const queries = dashboardQueries(json).map((q) => q.expr);
    const slos = [...new Set(recordingRules().flatMap((r) => (r.labels['slo'] ? [r.labels['slo']] : [])))].sort();
    expect(slos.length).toBeGreaterThanOrEqual(5);
    for (const slo of slos) {
      const reads = (name: string): boolean => queries.some((q) => q.includes(name) && q.includes(`slo="${slo}"`));
      expect({ slo, sli: reads('slo:sli_error:ratio_rate'), objective: reads('slo:objective:ratio') }).toEqual({ slo, sli: true, objective: true });
    }
    for (const metric of ['outbox_oldest_pending_age_seconds', 'nats_consumer_pending_messages']) {
      expect({ metric, read: queries.some((q) => q.includes(metric)) }).toEqual({ metric, read: true });
    }
  });
});

describe('the checks can fail', () => {
  it('a renamed metric, a misspelt function, a histogram read without its suffix', () => {
    expect(unknownMetricProblems(dashboardFrom('sum(rate(http_requests_totals[5m]))'), known)).toEqual(["panel 'P' A: no metric 'http_requests_totals'"]);
    expect(unknownMetricProblems(dashboardFrom('histogram_quantle(0.99, http_request_duration_seconds_bucket)'), known)[0]).toMatch(/unknown function/);
    expect(unknownMetricProblems(dashboardFrom('rate(http_request_duration_seconds[5m])'), known)).toEqual(["panel 'P' A: no metric 'http_request_duration_seconds'"]);
    expect(unknownMetricProblems(dashboardFrom('up', 'label_values(no_such_metric, service)'), known)).toEqual([
      "panel 'P' A: no metric 'up'",
      "variable 'service': no metric 'no_such_metric'",
    ]);
    expect(unknownMetricProblems(dashboardFrom('sum(rate(http_requests_total[5m]))'), known)).toEqual([]);
  });

  it('a hard-coded datasource uid, an undefined variable, a repeated panel id, a missing uid', () => {
    const broken = dashboardFrom('rate(http_requests_total{service="$svc"}[5m])') as {
      uid?: string;
      panels: { id: number; datasource: unknown; title: string; gridPos: unknown; type: string; targets: unknown[] }[];
    };
    broken.panels[0] = { ...broken.panels[0]!, datasource: { type: 'prometheus', uid: 'P1809F7CD0C75ACF3' } };
    broken.panels.push({ ...broken.panels[0]!, datasource: { type: 'prometheus', uid: '${datasource}' } });
    delete broken.uid;
    expect(shapeProblems(broken)).toEqual([
      'uid undefined: 1-40 letters, digits, - or _',
      'panel "P": id 1 used twice',
      'panels[0].datasource: {"type":"prometheus","uid":"P1809F7CD0C75ACF3"}, expected {"type":"prometheus","uid":"${datasource}"} (no datasource uid of one Grafana)',
      "panel 'P' A: variable $svc is not defined",
      "panel 'P' A: variable $svc is not defined",
    ]);
  });
});
