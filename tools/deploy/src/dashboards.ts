/**
 * The Grafana dashboards the chart ships (charts/podium/files/dashboards/*.json, ConfigMaps for the Grafana sidecar):
 * their shape as Grafana loads it, and the metric names of every query, checked against the metrics that exist.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHART_DIR } from './helm';
import { metricNames, variableQueryMetricNames } from './promql';

export const DASHBOARDS_DIR = join(CHART_DIR, 'files', 'dashboards');

/** The datasource reference every panel, target and query variable uses: the dashboard's `datasource` variable. */
export const DATASOURCE_REF = { type: 'prometheus', uid: '${datasource}' } as const;

/** Grafana's built-in variables a query may use. */
const BUILTIN_VARIABLES = new Set(['__rate_interval', '__interval', '__interval_ms', '__range', '__range_s', '__range_ms', '__from', '__to', '__dashboard']);

export interface DashboardFile {
  file: string;
  /** The parsed JSON, or the parse error. */
  json: unknown;
  error?: string;
}

export function readDashboards(dir: string = DASHBOARDS_DIR): DashboardFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      try {
        return { file, json: JSON.parse(text) as unknown };
      } catch (err) {
        return { file, json: undefined, error: err instanceof Error ? err.message : String(err) };
      }
    });
}

interface Panel {
  id?: unknown;
  type?: unknown;
  title?: unknown;
  gridPos?: { h?: unknown; w?: unknown; x?: unknown; y?: unknown };
  datasource?: unknown;
  targets?: { refId?: unknown; expr?: unknown; datasource?: unknown }[];
  panels?: Panel[];
}

interface Variable {
  name?: unknown;
  type?: unknown;
  query?: unknown;
  datasource?: unknown;
}

interface Dashboard {
  uid?: unknown;
  title?: unknown;
  schemaVersion?: unknown;
  panels?: Panel[];
  templating?: { list?: Variable[] };
  __inputs?: unknown;
}

/** Every query of a dashboard: panels' targets (rows' nested panels included) and query variables. */
export interface DashboardQuery {
  where: string;
  expr: string;
  kind: 'panel' | 'variable';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function allPanels(panels: readonly Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(Array.isArray(p.panels) ? p.panels : [])]);
}

function sameRef(value: unknown): boolean {
  return isObject(value) && value['type'] === DATASOURCE_REF.type && value['uid'] === DATASOURCE_REF.uid && Object.keys(value).length === 2;
}

/** Every `datasource` value anywhere in the JSON, with its path. */
function datasourceRefs(value: unknown, path = ''): { path: string; ref: unknown }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => datasourceRefs(v, `${path}[${i}]`));
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const here = path ? `${path}.${key}` : key;
    return key === 'datasource' ? [{ path: here, ref: child }] : datasourceRefs(child, here);
  });
}

export function dashboardQueries(dashboard: unknown): DashboardQuery[] {
  if (!isObject(dashboard)) return [];
  const d = dashboard as Dashboard;
  const queries: DashboardQuery[] = [];
  for (const panel of allPanels(Array.isArray(d.panels) ? d.panels : [])) {
    for (const target of Array.isArray(panel.targets) ? panel.targets : []) {
      if (typeof target.expr === 'string') queries.push({ where: `panel '${String(panel.title)}' ${String(target.refId)}`, expr: target.expr, kind: 'panel' });
    }
  }
  for (const variable of d.templating?.list ?? []) {
    if (variable.type !== 'query') continue;
    const query = isObject(variable.query) ? variable.query['query'] : variable.query;
    if (typeof query === 'string') queries.push({ where: `variable '${String(variable.name)}'`, expr: query, kind: 'variable' });
  }
  return queries;
}

/** What is wrong with a dashboard's shape (empty: Grafana loads it, every query on the `datasource` variable). */
export function shapeProblems(dashboard: unknown): string[] {
  if (!isObject(dashboard)) return ['not a JSON object'];
  const d = dashboard as Dashboard;
  const problems: string[] = [];
  if (typeof d.title !== 'string' || d.title.trim() === '') problems.push('no title');
  if (typeof d.uid !== 'string' || !/^[A-Za-z0-9_-]{1,40}$/.test(d.uid)) problems.push(`uid ${JSON.stringify(d.uid)}: 1-40 letters, digits, - or _`);
  if (typeof d.schemaVersion !== 'number') problems.push('no schemaVersion');
  if ('__inputs' in d) problems.push('__inputs: an "export for sharing" dashboard; the sidecar does not fill its ${DS_...} inputs');
  if ('id' in d && d['id' as keyof Dashboard] !== null) problems.push('id: a dashboard id belongs to one Grafana database (null or absent)');

  const variables = d.templating?.list ?? [];
  const datasourceVar = variables.find((v) => v.name === 'datasource');
  if (datasourceVar?.type !== 'datasource' || datasourceVar.query !== 'prometheus') problems.push("no variable 'datasource' of type datasource (query: prometheus)");
  const variableNames = new Set(variables.map((v) => String(v.name)));

  const panels = allPanels(Array.isArray(d.panels) ? d.panels : []);
  if (panels.filter((p) => p.type !== 'row').length === 0) problems.push('no panels');
  const ids = new Set<unknown>();
  for (const panel of panels) {
    const name = `panel ${JSON.stringify(panel.title)}`;
    if (typeof panel.id !== 'number') problems.push(`${name}: no numeric id`);
    else if (ids.has(panel.id)) problems.push(`${name}: id ${panel.id} used twice`);
    ids.add(panel.id);
    if (typeof panel.type !== 'string') problems.push(`${name}: no type`);
    if (typeof panel.title !== 'string' || panel.title === '') problems.push(`panel ${String(panel.id)}: no title`);
    const pos = panel.gridPos;
    if (!pos || ![pos.h, pos.w, pos.x, pos.y].every((n) => typeof n === 'number') || Number(pos.x) + Number(pos.w) > 24) {
      problems.push(`${name}: gridPos must give h, w, x, y within 24 columns`);
    }
    if (panel.type === 'row' || panel.type === 'text') continue;
    if (!Array.isArray(panel.targets) || panel.targets.length === 0) {
      problems.push(`${name}: no targets`);
      continue;
    }
    const refIds = panel.targets.map((t) => t.refId);
    if (new Set(refIds).size !== refIds.length || refIds.some((r) => typeof r !== 'string')) problems.push(`${name}: refIds missing or repeated`);
    for (const target of panel.targets) {
      if (typeof target.expr !== 'string' || target.expr.trim() === '') problems.push(`${name} ${String(target.refId)}: no expr`);
    }
  }
  for (const { path, ref } of datasourceRefs(d)) {
    if (path.startsWith('templating.list') && path.endsWith('.datasource') && variables.some((v, i) => path === `templating.list[${i}].datasource` && v.type === 'datasource')) continue;
    if (!sameRef(ref)) problems.push(`${path}: ${JSON.stringify(ref)}, expected ${JSON.stringify(DATASOURCE_REF)} (no datasource uid of one Grafana)`);
  }
  for (const query of dashboardQueries(d)) {
    for (const match of query.expr.matchAll(/\$\{?([A-Za-z0-9_]+)/g)) {
      const name = match[1] ?? '';
      if (!BUILTIN_VARIABLES.has(name) && !variableNames.has(name)) problems.push(`${query.where}: variable $${name} is not defined`);
    }
  }
  return problems;
}

/** Queries whose metric names are not in `known` (or that do not parse). */
export function unknownMetricProblems(dashboard: unknown, known: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const query of dashboardQueries(dashboard)) {
    let names: string[];
    try {
      names = query.kind === 'variable' ? variableQueryMetricNames(query.expr) : metricNames(query.expr);
    } catch (err) {
      problems.push(`${query.where}: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    if (names.length === 0 && query.kind === 'panel') problems.push(`${query.where}: reads no metric: ${query.expr}`);
    for (const name of names) if (!known.has(name)) problems.push(`${query.where}: no metric '${name}'`);
  }
  return problems;
}
