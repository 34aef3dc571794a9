/**
 * Every metric name a Prometheus query may use against Podium: the series the services expose on GET /metrics, the
 * recording rules the chart ships, and the NATS exporter's series.
 *
 * The services' series come from their code, read without running them:
 * - each registration `<x>metrics.counter|gauge|histogram|summary({ name: '...', help: '...' })` (or `this.<type>(...)`
 *   in MetricsService, or `new Counter|Gauge|Histogram|Summary({ name })`) in apps/<app>/src and libs/<lib>/src, spec
 *   files excepted, read with the TypeScript parser. A registration whose name is not a string literal (or a const of
 *   one in the same file) is reported as a problem: the check must see every name. Why not boot the apps: their
 *   metrics are created by Nest providers that need PostgreSQL, NATS, keys and config; booting every app in a unit test
 *   is slow and would only register the metrics of the code paths that ran at boot. The source is where a rename
 *   happens, so a renamed metric fails the dashboards' check at once.
 * - the default process/Node.js metrics and the HTTP ones, by booting the platform's real MetricsService (its own
 *   registry, the options the services use): what prom-client registers on this platform, no hand-kept list.
 * A histogram exposes `<name>_bucket`, `<name>_sum`, `<name>_count` (not `<name>`); a summary `<name>`, `_sum`, `_count`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { parse } from 'yaml';
import { WORKSPACE_ROOT } from './apps';

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

export interface CodeMetric {
  name: string;
  type: MetricType;
  /** Where it is registered: `apps/<app>/...` or `libs/<lib>/...`. */
  file: string;
  /** The app that exposes it, or 'platform' (a lib's: every app using that part of the lib). */
  owner: string;
}

export interface CatalogProblem {
  file: string;
  line: number;
  problem: string;
}

const TYPES: Record<string, MetricType> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  summary: 'summary',
  Counter: 'counter',
  Gauge: 'gauge',
  Histogram: 'histogram',
  Summary: 'summary',
};

/** The series names a metric exposes. */
export function seriesNames(name: string, type: MetricType): string[] {
  if (type === 'histogram') return [`${name}_bucket`, `${name}_sum`, `${name}_count`];
  if (type === 'summary') return [name, `${name}_sum`, `${name}_count`];
  return [name];
}

function property(object: ts.ObjectLiteralExpression, key: string): ts.PropertyAssignment | undefined {
  return object.properties.find(
    (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === key,
  );
}

/** `const X = 'literal'` declarations of a file. */
function stringConstants(source: ts.SourceFile): Map<string, string> {
  const constants = new Map<string, string>();
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclarationList(node) && node.flags & ts.NodeFlags.Const) {
      for (const d of node.declarations) {
        if (ts.isIdentifier(d.name) && d.initializer && (ts.isStringLiteral(d.initializer) || ts.isNoSubstitutionTemplateLiteral(d.initializer))) {
          constants.set(d.name.text, d.initializer.text);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return constants;
}

/** The metric registrations of one source file. */
export function metricsInSource(text: string, file: string, owner: string): { metrics: CodeMetric[]; problems: CatalogProblem[] } {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const constants = stringConstants(source);
  const metrics: CodeMetric[] = [];
  const problems: CatalogProblem[] = [];
  const lineOf = (node: ts.Node): number => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;

  const record = (node: ts.Node, type: MetricType, config: ts.ObjectLiteralExpression): void => {
    const nameProperty = property(config, 'name');
    if (!nameProperty) {
      // MetricsService's own `new Counter({ ...config, registers })`: the name is its caller's
      if (config.properties.some(ts.isSpreadAssignment)) return;
      problems.push({ file, line: lineOf(node), problem: `a ${type} without a name` });
      return;
    }
    const init = nameProperty.initializer;
    let name: string | undefined;
    if (ts.isStringLiteral(init) || ts.isNoSubstitutionTemplateLiteral(init)) name = init.text;
    else if (ts.isIdentifier(init)) name = constants.get(init.text);
    if (name === undefined) {
      problems.push({ file, line: lineOf(node), problem: `the ${type}'s name is not a string literal (or a const of one): the dashboards' check cannot read it` });
      return;
    }
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) problems.push({ file, line: lineOf(node), problem: `'${name}' is not a valid Prometheus metric name` });
    metrics.push({ name, type, file, owner });
  };

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const type = TYPES[method];
      const receiver = node.expression.expression.getText(source);
      if (type && method === method.toLowerCase()) {
        const arg = node.arguments[0];
        const isRegistration = arg !== undefined && ts.isObjectLiteralExpression(arg) && property(arg, 'help') !== undefined;
        if (isRegistration) record(node, type, arg);
        else if (/metrics$/i.test(receiver)) {
          problems.push({ file, line: lineOf(node), problem: `${receiver}.${method}(...) without an object literal { name, help }: the dashboards' check cannot read it` });
        }
      }
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
      const type = TYPES[node.expression.text];
      const arg = node.arguments?.[0];
      if (type && node.expression.text !== node.expression.text.toLowerCase() && arg && ts.isObjectLiteralExpression(arg)) record(node, type, arg);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { metrics, problems };
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'generated' || entry === 'node_modules' || entry === '__fixtures__' ? [] : sourceFiles(path);
    return /\.ts$/.test(entry) && !/\.(spec|integration-spec|e2e-spec|d)\.ts$/.test(entry) ? [path] : [];
  });
}

/** Libraries whose metrics are not served by a service (test helpers). */
const NOT_SERVED_LIBS = new Set(['testing']);

/** Every metric registered in the code of apps/ and libs/. */
export function codeMetrics(root: string = WORKSPACE_ROOT): { metrics: CodeMetric[]; problems: CatalogProblem[] } {
  const metrics: CodeMetric[] = [];
  const problems: CatalogProblem[] = [];
  for (const [top, ownerOf] of [
    ['apps', (name: string) => name],
    ['libs', () => 'platform'],
  ] as const) {
    const base = join(root, top);
    if (!existsSync(base)) continue;
    for (const project of readdirSync(base).sort()) {
      if (top === 'libs' && NOT_SERVED_LIBS.has(project)) continue;
      for (const path of sourceFiles(join(base, project, 'src'))) {
        const text = readFileSync(path, 'utf8');
        if (!/\b(counter|gauge|histogram|summary|Counter|Gauge|Histogram|Summary)\b/.test(text)) continue;
        const found = metricsInSource(text, relative(root, path), ownerOf(project));
        metrics.push(...found.metrics);
        problems.push(...found.problems);
      }
    }
  }
  // one name, one type: prom-client refuses otherwise in one registry, Prometheus would mix them across services
  const types = new Map<string, CodeMetric>();
  for (const metric of metrics) {
    const seen = types.get(metric.name);
    if (seen && seen.type !== metric.type) {
      problems.push({ file: metric.file, line: 0, problem: `'${metric.name}' is a ${metric.type} here and a ${seen.type} in ${seen.file}` });
    } else if (!seen) types.set(metric.name, metric);
  }
  return { metrics, problems };
}

/** A metric as a prom-client registry describes it (getMetricsAsJSON). */
export interface RegistryMetric {
  name: string;
  /** prom-client's MetricType (a string enum: 'counter', 'gauge', 'histogram', 'summary'). */
  type: unknown;
}

/** The series names of the metrics of a live prom-client registry. */
export function registrySeries(metrics: readonly RegistryMetric[]): string[] {
  return metrics.flatMap((m) => {
    const type = TYPES[String(m.type)];
    if (!type) throw new Error(`metric ${m.name}: unknown type ${String(m.type)}`);
    return seriesNames(m.name, type);
  });
}

/**
 * The NATS exporter's series the dashboards may use: prometheus-nats-exporter (natsio/prometheus-nats-exporter, the
 * image the vendored NATS chart's promExporter runs) with the chart's arguments `-prefix=nats -varz -connz -routez
 * -subz -jsz=all`: `-prefix` replaces both namespaces (gnatsd_ and jetstream_), so the JetStream series are
 * nats_server_*, nats_stream_*, nats_consumer_* (collector/jsz.go, labels server_id, server_name, cluster, account,
 * stream_name, consumer_name...), the core ones nats_varz_<field> (collector/collector.go: every number of /varz).
 * Only the names used are listed; each was read in the exporter's source.
 */
export const NATS_EXPORTER_SERIES: readonly string[] = [
  // jsz: server
  'nats_server_total_streams',
  'nats_server_total_consumers',
  'nats_server_total_messages',
  'nats_server_total_message_bytes',
  'nats_server_max_memory',
  'nats_server_max_storage',
  // jsz: streams
  'nats_stream_total_messages',
  'nats_stream_total_bytes',
  'nats_stream_first_seq',
  'nats_stream_last_seq',
  'nats_stream_consumer_count',
  // jsz: consumers
  'nats_consumer_delivered_consumer_seq',
  'nats_consumer_delivered_stream_seq',
  'nats_consumer_num_ack_pending',
  'nats_consumer_num_redelivered',
  'nats_consumer_num_waiting',
  'nats_consumer_num_pending',
  'nats_consumer_ack_floor_stream_seq',
  'nats_consumer_ack_floor_consumer_seq',
  // varz
  'nats_varz_connections',
  'nats_varz_in_msgs',
  'nats_varz_out_msgs',
  'nats_varz_in_bytes',
  'nats_varz_out_bytes',
  'nats_varz_slow_consumers',
  'nats_varz_mem',
  'nats_varz_cpu',
  'nats_varz_subscriptions',
];

/** Where the chart's Prometheus rules live (PrometheusRule groups, written as plain rule files). */
export const RULES_DIR = join(WORKSPACE_ROOT, 'charts', 'podium', 'files', 'prometheus');

function ruleFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return ruleFiles(path);
    return /\.ya?ml$/.test(entry) && !/test/i.test(entry) ? [path] : [];
  });
}

interface RuleGroup {
  rules?: { record?: unknown; labels?: unknown }[];
}

export interface RecordingRule {
  record: string;
  labels: Record<string, string>;
  file: string;
}

/** The recording rules of the chart's rule files (`groups[].rules[].record`, or `spec.groups` of a PrometheusRule). */
export function recordingRules(dir: string = RULES_DIR): RecordingRule[] {
  const rules: RecordingRule[] = [];
  for (const file of ruleFiles(dir)) {
    const doc = parse(readFileSync(file, 'utf8')) as { groups?: RuleGroup[]; spec?: { groups?: RuleGroup[] } } | null;
    const groups = doc?.groups ?? doc?.spec?.groups ?? [];
    for (const group of groups) {
      for (const rule of group.rules ?? []) {
        if (typeof rule.record !== 'string') continue;
        const labels = typeof rule.labels === 'object' && rule.labels !== null ? (rule.labels as Record<string, string>) : {};
        rules.push({ record: rule.record, labels, file: relative(WORKSPACE_ROOT, file) });
      }
    }
  }
  return rules;
}

/** The recording rule names of the chart's rule files. */
export function recordingRuleNames(dir: string = RULES_DIR): string[] {
  return [...new Set(recordingRules(dir).map((r) => r.record))];
}
