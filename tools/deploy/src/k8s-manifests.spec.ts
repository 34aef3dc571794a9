/** The cluster-level manifests of k8s/ (namespaces, monitoring, example Ingress) are valid and consistent. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { K8S_DIR, type K8sObject, parseManifests } from './helm';
import { validateObjects } from './k8s-validate';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry) ? [path] : [];
  });
}

/** Manifests are the YAML files outside the Helm values overlays (k8s/values, k8s/editions). */
const manifestFiles = yamlFiles(K8S_DIR).filter((f) => !/\/(values|editions)\//.test(f));
const objects: K8sObject[] = manifestFiles.flatMap((f) => parseManifests(readFileSync(f, 'utf8'), relative(K8S_DIR, f)).objects);
const editions = readdirSync(join(K8S_DIR, 'editions')).sort();

describe('k8s/', () => {
  it('has namespaces, monitors and the results Ingress', () => {
    expect(objects.map((o) => o.kind).sort()).toEqual(['Ingress', 'Namespace', 'Namespace', 'PodMonitor', 'ServiceMonitor']);
  });

  it('validates every manifest (schemas and unknown fields)', () => {
    expect(validateObjects(objects)).toEqual([]);
  });

  it('has a namespace for every edition overlay, labelled with its edition code', () => {
    for (const edition of editions) {
      const values = parse(readFileSync(join(K8S_DIR, 'editions', edition, 'values.yaml'), 'utf8')) as { edition: { code: string } };
      const ns = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === edition);
      expect(ns?.metadata.labels?.['podium.dev/edition']).toBe(values.edition.code);
      expect(ns?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('baseline');
    }
  });

  it('monitors every edition namespace', () => {
    for (const monitor of objects.filter((o) => o.kind.endsWith('Monitor'))) {
      const spec = monitor['spec'] as { namespaceSelector: { matchNames: string[] } };
      expect(spec.namespaceSelector.matchNames.sort()).toEqual(editions);
    }
  });

  it("keeps the services' own `service` label, which the dashboards and rules read (honorLabels)", () => {
    const monitor = objects.find((o) => o.kind === 'ServiceMonitor');
    const spec = monitor?.['spec'] as { endpoints: { honorLabels?: boolean }[] };
    expect(spec.endpoints.map((e) => e.honorLabels)).toEqual([true]);
  });

  it('routes the public API and the widget, not /metrics, /docs nor the health routes', () => {
    const ingress = objects.find((o) => o.kind === 'Ingress');
    const rules = (ingress?.['spec'] as { rules: { http: { paths: { path: string; pathType: string }[] } }[] }).rules;
    const paths = rules.flatMap((r) => r.http.paths);
    /** Whether a request path is routed (Kubernetes: Exact; Prefix matches whole path elements). */
    const routed = (requestPath: string): boolean =>
      paths.some(({ path, pathType }) => {
        if (pathType === 'Exact') return requestPath === path;
        if (pathType !== 'Prefix') throw new Error(`pathType ${pathType}: use Exact or Prefix, whose matching is defined`);
        const prefix = path.replace(/\/+$/, '').split('/');
        return prefix.every((element, i) => requestPath.split('/')[i] === element);
      });
    for (const path of ['/v1/documents/ATHM100M/RESULT', '/v1/cis', '/v1/stream', '/v1/feed', '/v1/medals', '/widget.js', '/widget.html']) {
      expect({ path, routed: routed(path) }).toEqual({ path, routed: true });
    }
    for (const path of ['/metrics', '/docs', '/docs/json', '/docs/static/index.html', '/health/ready', '/health/live', '/', '/v10', '/widget.jsx']) {
      expect({ path, routed: routed(path) }).toEqual({ path, routed: false });
    }
  });

  it('serves the public results API over TLS only', () => {
    const ingress = objects.find((o) => o.kind === 'Ingress');
    const spec = ingress?.['spec'] as { tls: { hosts: string[]; secretName: string }[]; rules: { host: string }[] };
    expect(spec.tls[0]?.secretName).toBeTruthy();
    expect(spec.rules.map((r) => r.host)).toEqual(spec.tls.flatMap((t) => t.hosts));
    expect(ingress?.metadata.annotations?.['nginx.ingress.kubernetes.io/force-ssl-redirect']).toBe('true');
  });
});
