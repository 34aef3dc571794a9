/**
 * Runs the pinned helm (installed by tools/helm/install-helm.sh) on the podium chart, offline.
 *
 * The chart's dependencies are vendored (charts/podium/charts/<name>-<version>.tgz, committed), so the whole chart,
 * the official NATS chart's objects included, renders without reaching a chart repository.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { WORKSPACE_ROOT } from './apps';

export const CHART_DIR = join(WORKSPACE_ROOT, 'charts', 'podium');
export const K8S_DIR = join(WORKSPACE_ROOT, 'k8s');

let helmPath: string | undefined;

/** The helm binary: $HELM when set, else the pinned one (installed on first use, checksum-verified). */
export function helmBinary(): string {
  if (helmPath) return helmPath;
  const fromEnv = process.env['HELM'];
  if (fromEnv) {
    helmPath = fromEnv;
    return helmPath;
  }
  const output = execFileSync('bash', [join(WORKSPACE_ROOT, 'tools', 'helm', 'install-helm.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const last = output.trim().split('\n').pop();
  if (!last || !existsSync(last)) throw new Error(`install-helm.sh did not print the helm path (got ${JSON.stringify(output)})`);
  helmPath = last;
  return helmPath;
}

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function runHelm(args: readonly string[]): HelmResult {
  const result = spawnSync(helmBinary(), args, {
    encoding: 'utf8',
    env: { ...process.env, HELM_CACHE_HOME: join(tmpdir(), 'podium-helm-cache'), HELM_CONFIG_HOME: join(tmpdir(), 'podium-helm-config') },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

export interface ChartDependency {
  name: string;
  version: string;
  repository: string;
  /** The archive helm loads it from: charts/<name>-<version>.tgz. */
  archive: string;
}

/** The dependencies Chart.yaml declares, each with the path of its vendored archive. */
export function chartDependencies(chartDir: string = CHART_DIR): ChartDependency[] {
  const chart = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as { dependencies?: Omit<ChartDependency, 'archive'>[] };
  return (chart.dependencies ?? []).map((d) => ({ ...d, archive: join(chartDir, 'charts', `${d.name}-${d.version}.tgz`) }));
}

/** A Kubernetes object as rendered. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export interface Rendered {
  objects: K8sObject[];
  /** `# Source:` file of each object, same order. */
  sources: string[];
}

export function parseManifests(text: string, origin: string): Rendered {
  const objects: K8sObject[] = [];
  const sources: string[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${origin}: invalid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${origin}: a document is not an object`);
    const obj = value as Partial<K8sObject>;
    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string' || typeof obj.metadata?.name !== 'string') {
      throw new Error(`${origin}: an object lacks apiVersion, kind or metadata.name: ${JSON.stringify(value).slice(0, 200)}`);
    }
    objects.push(obj as K8sObject);
    // helm writes `# Source: <chart>/templates/<file>` after each `---`: the YAML parser attaches it to the contents.
    const comment = [doc.commentBefore, doc.contents?.commentBefore].filter(Boolean).join('\n');
    const source = /^ ?Source: (.+)$/m.exec(comment)?.[1]?.trim();
    sources.push(source ?? origin);
  }
  return { objects, sources };
}

/** The objects a subchart's templates rendered (`# Source: <chart>/charts/<subchart>/...`). */
export function subchartObjects(rendered: Rendered, subchart: string): K8sObject[] {
  return rendered.objects.filter((_, i) => rendered.sources[i]?.split('/')[1] === 'charts' && rendered.sources[i]?.split('/')[2] === subchart);
}

/** The objects the chart's own templates rendered (no subchart's). */
export function ownObjects(rendered: Rendered): K8sObject[] {
  return rendered.objects.filter((_, i) => rendered.sources[i]?.split('/')[1] === 'templates');
}

export interface TemplateOptions {
  valuesFiles?: readonly string[];
  set?: Readonly<Record<string, string>>;
  namespace?: string;
  release?: string;
}

export function templateArgs(chartDir: string, options: TemplateOptions = {}): string[] {
  const args = ['template', options.release ?? 'podium', chartDir, '--namespace', options.namespace ?? 'og2024', '--kube-version', '1.33.0'];
  for (const file of options.valuesFiles ?? []) args.push('--values', file);
  for (const [key, value] of Object.entries(options.set ?? {})) args.push('--set', `${key}=${value}`);
  return args;
}

/** `helm template` (tests included: they are objects too); throws with helm's message on failure. */
export function helmTemplate(chartDir: string, options: TemplateOptions = {}): Rendered {
  const result = runHelm(templateArgs(chartDir, options));
  if (result.status !== 0) throw new Error(`helm ${templateArgs(chartDir, options).join(' ')} failed:\n${result.stderr}`);
  return parseManifests(result.stdout, 'helm template');
}

/** The value files of the k8s/ overlays, each edition layered on the production settings. */
export function overlayValueSets(): { name: string; files: string[] }[] {
  const production = join(K8S_DIR, 'values', 'production.yaml');
  const editions = readdirSync(join(K8S_DIR, 'editions')).sort();
  return [
    { name: 'production', files: [production] },
    ...editions.map((edition) => ({ name: edition, files: [production, join(K8S_DIR, 'editions', edition, 'values.yaml')] })),
  ];
}
