/**
 * The podium chart, rendered offline with the pinned helm: lint, schema validation of every object (unknown fields
 * included) with the defaults and every k8s/ overlay, and the properties ops rely on.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { helmTemplate, type K8sObject, overlayValueSets, prepareChart, type PreparedChart, type Rendered, runHelm } from './helm';
import { validateObjects } from './k8s-validate';
import { declaredPort, listApps, platformHealthRoutes } from './workspace';

interface Container {
  name: string;
  image?: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: Record<string, unknown> }[];
  envFrom?: unknown[];
  securityContext?: Record<string, unknown>;
  startupProbe?: { httpGet?: { path?: string; port?: unknown } };
  readinessProbe?: { httpGet?: { path?: string; port?: unknown } };
  livenessProbe?: { httpGet?: { path?: string; port?: unknown } };
  ports?: { name?: string; containerPort: number }[];
}
interface PodSpec {
  containers: Container[];
  securityContext?: Record<string, unknown>;
  automountServiceAccountToken?: boolean;
  terminationGracePeriodSeconds?: number;
  topologySpreadConstraints?: { topologyKey: string }[];
  serviceAccountName?: string;
}

const apps = listApps();
const routes = platformHealthRoutes();

let chart: PreparedChart;
let defaults: Rendered;
let scratch: string;

beforeAll(() => {
  chart = prepareChart();
  defaults = helmTemplate(chart.dir);
  scratch = mkdtempSync(join(tmpdir(), 'podium-values-'));
});

afterAll(() => {
  chart?.cleanup();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function find(objects: readonly K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata.name === name);
}

function podSpecOf(obj: K8sObject): PodSpec | undefined {
  const spec = obj['spec'] as { template?: { spec?: PodSpec } } & Partial<PodSpec>;
  if (obj.kind === 'Pod') return spec as PodSpec;
  return spec?.template?.spec;
}

function valuesFile(name: string, content: unknown): string {
  const file = join(scratch, `${name}.yaml`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function templateFails(values: unknown): string {
  const file = valuesFile(`bad-${Math.random().toString(36).slice(2)}`, values);
  const result = runHelm(['template', 'podium', chart.dir, '--values', file]);
  expect(result.status).not.toBe(0);
  return result.stderr;
}

describe('helm lint --strict', () => {
  it('passes with the default values', () => {
    const result = runHelm(['lint', '--strict', chart.dir]);
    expect(`${result.stdout}${result.stderr}`).toContain('0 chart(s) failed');
    expect(result.status).toBe(0);
  });

  it.each(overlayValueSets().map((s) => [s.name, s.files] as const))('passes with the %s overlay', (_name, files) => {
    const result = runHelm(['lint', '--strict', chart.dir, ...files.flatMap((f) => ['--values', f])]);
    expect(`${result.stdout}${result.stderr}`).toContain('0 chart(s) failed');
    expect(result.status).toBe(0);
  });
});

describe('every rendered object is valid Kubernetes (schemas and unknown fields)', () => {
  it('with the default values', () => {
    expect(defaults.objects.length).toBeGreaterThan(10);
    expect(validateObjects(defaults.objects)).toEqual([]);
  });

  it.each(overlayValueSets().map((s) => [s.name, s.files] as const))('with the %s overlay', (_name, files) => {
    const rendered = helmTemplate(chart.dir, { valuesFiles: files });
    expect(validateObjects(rendered.objects)).toEqual([]);
  });

  it('with an external database, external NATS, public-key auth and autoscaling', () => {
    const rendered = helmTemplate(chart.dir, {
      valuesFiles: [
        valuesFile('external', {
          postgresql: { enabled: false },
          nats: { enabled: false },
          messaging: { url: 'nats://nats.example.org:4222', egress: [{ ipBlock: { cidr: '10.20.0.0/16' } }] },
          auth: { mode: 'public-key', publicKey: { configMapName: 'idp-public-key', key: 'public.pem' } },
          serviceDefaults: { autoscaling: { enabled: true } },
          services: Object.fromEntries(apps.map((a) => [a, { database: { existingSecret: `${a}-database` } }])),
        }),
      ],
    });
    expect(validateObjects(rendered.objects)).toEqual([]);
    expect(rendered.objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')).toHaveLength(apps.length);
    expect(rendered.objects.filter((o) => o.kind === 'Cluster')).toHaveLength(0);
  });

  it('the validator itself flags an unknown field and a wrong type (it can fail)', () => {
    const deployment = find(defaults.objects, 'Deployment', 'podium-schedules');
    expect(deployment).toBeDefined();
    const broken = JSON.parse(JSON.stringify(deployment)) as K8sObject & { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
    const container = broken.spec.template.spec.containers[0];
    if (!container) throw new Error('no container');
    container['readinessprobe'] = container['readinessProbe'];
    (broken.spec as Record<string, unknown>)['replicas'] = 'many';
    const problems = validateObjects([broken]).map((p) => p.problem);
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringContaining('/spec/replicas'), 'spec.template.spec.containers[0].readinessprobe: unknown field']),
    );
  });
});

describe('every app in apps/ is in the chart', () => {
  it('has at least one app to deploy', () => {
    expect(apps.length).toBeGreaterThan(0);
  });

  it.each(apps)('%s has a values entry, a Deployment, Service, ConfigMap, ServiceAccount, PDB and NetworkPolicy', (app) => {
    const values = parse(readFileSync(join(chart.dir, 'values.yaml'), 'utf8')) as { services: Record<string, unknown> };
    expect(Object.keys(values.services)).toContain(app);
    for (const kind of ['Deployment', 'Service', 'ConfigMap', 'ServiceAccount', 'PodDisruptionBudget', 'NetworkPolicy']) {
      expect({ kind, found: Boolean(find(defaults.objects, kind, `podium-${app}`)) }).toEqual({ kind, found: true });
    }
  });

  it.each(apps)('gives %s the port the app declares', (app) => {
    const declared = declaredPort(app);
    const service = find(defaults.objects, 'Service', `podium-${app}`)?.['spec'] as { ports: { port: number }[] };
    expect({ app, port: service.ports[0]?.port }).toEqual({ app, port: declared ?? service.ports[0]?.port });
    expect(declared).toBeDefined();
  });

  it('has no values entry for a service that is not an app', () => {
    const values = parse(readFileSync(join(chart.dir, 'values.yaml'), 'utf8')) as { services: Record<string, unknown> };
    expect(Object.keys(values.services).filter((s) => !apps.includes(s))).toEqual([]);
  });
});

describe('pods are hardened', () => {
  const pods = (): { obj: K8sObject; spec: PodSpec }[] =>
    defaults.objects.flatMap((obj) => {
      const spec = podSpecOf(obj);
      return spec ? [{ obj, spec }] : [];
    });

  it('covers every Deployment, Job and test Pod', () => {
    const kinds = new Set(pods().map((p) => p.obj.kind));
    expect([...kinds].sort()).toEqual(['Deployment', 'Job', 'Pod']);
  });

  it('runs as non-root with RuntimeDefault seccomp, a read-only root filesystem, no capabilities and no token', () => {
    for (const { obj, spec } of pods()) {
      const where = `${obj.kind}/${obj.metadata.name}`;
      expect({ where, pod: spec.securityContext }).toEqual({
        where,
        pod: expect.objectContaining({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }),
      });
      expect({ where, automount: spec.automountServiceAccountToken }).toEqual({ where, automount: false });
      for (const c of spec.containers) {
        expect({ where, container: c.name, sc: c.securityContext }).toEqual({
          where,
          container: c.name,
          sc: expect.objectContaining({
            runAsNonRoot: true,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            privileged: false,
            capabilities: { drop: ['ALL'] },
          }),
        });
      }
    }
  });

  it('ServiceAccounts do not automount API tokens', () => {
    const accounts = defaults.objects.filter((o) => o.kind === 'ServiceAccount');
    expect(accounts.length).toBeGreaterThanOrEqual(apps.length);
    for (const sa of accounts) expect({ sa: sa.metadata.name, automount: sa['automountServiceAccountToken'] }).toEqual({ sa: sa.metadata.name, automount: false });
  });
});

describe.each(apps)('the %s Deployment', (app) => {
  const deployment = (): K8sObject => {
    const d = find(defaults.objects, 'Deployment', `podium-${app}`);
    if (!d) throw new Error(`no Deployment podium-${app}`);
    return d;
  };
  const container = (): Container => {
    const c = podSpecOf(deployment())?.containers[0];
    if (!c) throw new Error('no container');
    return c;
  };

  it(`probes the platform's health routes (${routes.source}) on the http port`, () => {
    const c = container();
    expect(c.startupProbe?.httpGet).toEqual({ path: routes.startup, port: 'http' });
    expect(c.readinessProbe?.httpGet).toEqual({ path: routes.ready, port: 'http' });
    expect(c.livenessProbe?.httpGet).toEqual({ path: routes.live, port: 'http' });
    expect(c.ports).toEqual([expect.objectContaining({ name: 'http' })]);
  });

  it('gives a termination grace period longer than preStop + the drain time', () => {
    const values = parse(readFileSync(join(chart.dir, 'values.yaml'), 'utf8')) as {
      serviceDefaults: { shutdown: { preStopSeconds: number; drainSeconds: number } };
    };
    const { preStopSeconds, drainSeconds } = values.serviceDefaults.shutdown;
    expect(podSpecOf(deployment())?.terminationGracePeriodSeconds).toBeGreaterThan(preStopSeconds + drainSeconds);
  });

  it('spreads replicas over zones and nodes', () => {
    expect(podSpecOf(deployment())?.topologySpreadConstraints?.map((t) => t.topologyKey)).toEqual([
      'topology.kubernetes.io/zone',
      'kubernetes.io/hostname',
    ]);
  });

  it('takes DATABASE_URL and the NATS password from Secret references', () => {
    const env = container().env ?? [];
    expect(env.find((e) => e.name === 'DATABASE_URL')).toEqual({
      name: 'DATABASE_URL',
      valueFrom: { secretKeyRef: { name: `podium-${app}-db-app`, key: 'uri' } },
    });
    expect(env.find((e) => e.name === 'NATS_PASSWORD')?.valueFrom).toEqual({
      secretKeyRef: { name: 'podium-nats-credentials', key: app.toUpperCase().replace(/-/g, '_') },
    });
  });

  it('passes the edition settings through its ConfigMap', () => {
    const cm = find(defaults.objects, 'ConfigMap', `podium-${app}`);
    expect(cm?.['data']).toEqual(
      expect.objectContaining({ SERVICE_NAME: app, EDITION_CODE: 'DEV', TZ: 'UTC', LOCALE: 'en-GB', NATS_URL: 'nats://podium-nats:4222', NATS_USER: app }),
    );
  });

  it('has a PodDisruptionBudget by default and a NetworkPolicy with DNS egress', () => {
    expect(find(defaults.objects, 'PodDisruptionBudget', `podium-${app}`)?.['spec']).toEqual(expect.objectContaining({ maxUnavailable: 1 }));
    const np = find(defaults.objects, 'NetworkPolicy', `podium-${app}`)?.['spec'] as {
      policyTypes: string[];
      egress: { ports: { port: number; protocol: string }[] }[];
    };
    expect(np.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.egress[0]?.ports).toEqual([
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
    ]);
    expect(np.egress.flatMap((e) => e.ports.map((p) => p.port)).sort((a, b) => a - b)).toEqual([53, 53, 443, 4222, 5432]);
  });
});

describe('no secret in plain text', () => {
  const SECRET_NAME = /(PASSWORD|SECRET|TOKEN|PRIVATE|DATABASE_URL|CREDENTIAL)/i;
  const CREDENTIAL_URL = /[a-z]+:\/\/[^/\s:@]+:[^/\s@]+@/i;

  it.each([['defaults', [] as string[]], ...overlayValueSets().map((s) => [s.name, s.files] as [string, string[]])])(
    'with %s: no Secret objects, secret-like variables only from references, no credentials in URLs',
    (_name, files) => {
      const rendered = files.length ? helmTemplate(chart.dir, { valuesFiles: files }) : defaults;
      expect(rendered.objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name)).toEqual([]);
      for (const obj of rendered.objects) {
        for (const c of podSpecOf(obj)?.containers ?? []) {
          for (const e of c.env ?? []) {
            if (SECRET_NAME.test(e.name)) expect({ env: e.name, value: e.value, ref: Boolean(e.valueFrom) }).toEqual({ env: e.name, value: undefined, ref: true });
          }
        }
        if (obj.kind === 'ConfigMap') {
          for (const [key, value] of Object.entries((obj['data'] as Record<string, string>) ?? {})) {
            if (key !== 'auth.conf') expect({ key, secretLike: SECRET_NAME.test(key) }).toEqual({ key, secretLike: false });
            expect({ key, credentialUrl: CREDENTIAL_URL.test(value) }).toEqual({ key, credentialUrl: false });
          }
        }
      }
    },
  );

  it('the NATS auth.conf only references passwords as environment variables', () => {
    const conf = (find(defaults.objects, 'ConfigMap', 'podium-nats-auth')?.['data'] as Record<string, string>)['auth.conf'] ?? '';
    const passwords = [...conf.matchAll(/password:\s*(\S+)/g)].map((m) => m[1]);
    expect(passwords.length).toBe(apps.length + 2);
    for (const p of passwords) expect(p).toMatch(/^\$PODIUM_NATS_[A-Z0-9_]+$/);
  });

  it('refuses a plain DATABASE_URL in services.<name>.env', () => {
    expect(templateFails({ services: { [apps[0] ?? 'schedules']: { port: 3001, env: { DATABASE_URL: 'postgres://u:p@db/x' } } } })).toContain('DATABASE_URL');
  });
});

describe('the migration Job', () => {
  const job = (rendered: Rendered, app: string): K8sObject | undefined => find(rendered.objects, 'Job', `podium-${app}-migrate`);

  it.each(apps)('runs `main.js migrate` for %s as a hook, after its new CloudNativePG cluster exists', (app) => {
    const j = job(defaults, app);
    expect(j?.metadata.annotations).toEqual(
      expect.objectContaining({ 'helm.sh/hook': 'post-install,post-upgrade', 'helm.sh/hook-delete-policy': 'before-hook-creation' }),
    );
    expect(podSpecOf(j as K8sObject)?.containers[0]?.args).toEqual(['migrate']);
  });

  it.each(apps)('runs before install and upgrade (pre-install,pre-upgrade) against an existing database (%s)', (app) => {
    const rendered = helmTemplate(chart.dir, {
      valuesFiles: [
        valuesFile('external-db', {
          postgresql: { enabled: false },
          services: Object.fromEntries(apps.map((a) => [a, { database: { existingSecret: `${a}-db` } }])),
        }),
      ],
    });
    const j = job(rendered, app);
    expect(j?.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(podSpecOf(j as K8sObject)?.containers[0]?.env?.find((e) => e.name === 'DATABASE_URL')?.valueFrom).toEqual({
      secretKeyRef: { name: `${app}-db`, key: 'DATABASE_URL' },
    });
    // Its ServiceAccount and NetworkPolicy are hooks too, created before it.
    for (const kind of ['ServiceAccount', 'NetworkPolicy']) {
      expect(find(rendered.objects, kind, `podium-${app}-migrate`)?.metadata.annotations?.['helm.sh/hook-weight']).toBe('-10');
    }
  });

  it('requires the database Secret when the chart does not create the database', () => {
    expect(templateFails({ postgresql: { enabled: false } })).toContain('database.existingSecret is required');
  });
});

describe('helm test pods', () => {
  const tests = (): K8sObject[] => defaults.objects.filter((o) => o.kind === 'Pod' && o.metadata.annotations?.['helm.sh/hook'] === 'test');

  it.each(apps)('call the readiness endpoint of %s', (app) => {
    const pod = tests().find((p) => p.metadata.name === `podium-${app}-test-ready`);
    const env = podSpecOf(pod as K8sObject)?.containers[0]?.env ?? [];
    expect(env).toContainEqual({ name: 'READY_URL', value: `http://podium-${app}:${String(portOf(app))}${routes.ready}` });
  });

  it('do a NATS request/reply as the helm-test user', () => {
    const pod = tests().find((p) => p.metadata.name === 'podium-test-nats');
    const c = podSpecOf(pod as K8sObject)?.containers[0];
    expect(c?.args?.[0]).toContain('nc.request(');
    expect(c?.env).toContainEqual({ name: 'NATS_PASSWORD', valueFrom: { secretKeyRef: { name: 'podium-nats-credentials', key: 'HELM_TEST' } } });
  });

  function portOf(app: string): number {
    const svc = find(defaults.objects, 'Service', `podium-${app}`)?.['spec'] as { ports: { port: number }[] };
    return svc.ports[0]?.port ?? 0;
  }
});

describe('values', () => {
  it.each([
    ['a replica count that is not a number', { serviceDefaults: { replicaCount: 'many' } }, 'replicaCount'],
    ['a service replica count that is not a number', { services: { schedules: { port: 3001, replicaCount: 'many' } } }, 'replicaCount'],
    ['an unknown top-level key (replicaCount belongs to serviceDefaults)', { replicaCount: 'many' }, 'replicaCount'],
    ['an unknown key in a service', { services: { schedules: { port: 3001, replicas: 3 } } }, 'replicas'],
    ['a service without a port', { services: { volunteers: { enabled: true } } }, 'port'],
    ['a lower-case edition code', { edition: { code: 'og2024' } }, 'edition.code'],
    ['the dev auth mode', { auth: { mode: 'dev' } }, 'auth.mode'],
    ['a negative drain time', { serviceDefaults: { shutdown: { drainSeconds: -1 } } }, 'drainSeconds'],
    ['a service name with capitals', { services: { Results: { port: 3007 } } }, 'Results'],
  ])('the schema rejects %s', (_what, values, mention) => {
    expect(templateFails(values)).toContain(mention);
  });

  it('adding a service is adding a values entry', () => {
    const rendered = helmTemplate(chart.dir, {
      valuesFiles: [valuesFile('new-service', { services: { 'sample-service': { port: 3999, database: { enabled: false } } }, messaging: { auth: { enabled: false } } })],
    });
    expect(find(rendered.objects, 'Deployment', 'podium-sample-service')).toBeDefined();
    expect(find(rendered.objects, 'Service', 'podium-sample-service')).toBeDefined();
    expect(find(rendered.objects, 'Job', 'podium-sample-service-migrate')).toBeUndefined();
    expect(validateObjects(rendered.objects)).toEqual([]);
  });

  it('a service missing from the generated NATS permissions fails with the fix', () => {
    expect(templateFails({ services: { 'sample-service': { port: 3999 } } })).toContain('npx tsx tools/helm/nats-permissions.ts');
  });

  it('the NATS subchart mounts the auth ConfigMap and reads the credentials Secret the services use', () => {
    const values = parse(readFileSync(join(chart.dir, 'values.yaml'), 'utf8')) as {
      messaging: { auth: { existingSecret: string; configMapName: string } };
      nats: {
        config: { merge: Record<string, string> };
        container: { merge: { envFrom: { prefix: string; secretRef: { name: string } }[] }; patch: { value: { name: string; mountPath: string } }[] };
        reloader: { patch: { value: { name: string; mountPath: string } }[] };
        podTemplate: { patch: { value: { name: string; configMap: { name: string } } }[] };
      };
    };
    const { existingSecret, configMapName } = values.messaging.auth;
    expect(values.nats.container.merge.envFrom).toEqual([{ prefix: 'PODIUM_NATS_', secretRef: { name: existingSecret } }]);
    const volume = values.nats.podTemplate.patch[0]?.value;
    expect(volume?.configMap.name).toBe(configMapName);
    const mount = values.nats.container.patch[0]?.value;
    expect(mount?.name).toBe(volume?.name);
    expect(values.nats.reloader.patch[0]?.value).toEqual(mount);
    // nats.conf lives in /etc/nats-config: the include is relative to it.
    expect(join('/etc/nats-config', values.nats.config.merge['$include'] ?? '')).toBe(`${mount?.mountPath}/auth.conf`);
  });
});
