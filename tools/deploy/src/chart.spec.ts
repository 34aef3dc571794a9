/**
 * The podium chart, rendered offline with the pinned helm, the vendored NATS chart included: lint, schema validation
 * of every object (unknown fields included) with the defaults and every k8s/ overlay, and the properties ops rely on.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { streams } from '@podium/contracts';
import { parse } from 'yaml';
import {
  CHART_DIR,
  chartDependencies,
  helmTemplate,
  type K8sObject,
  overlayValueSets,
  ownObjects,
  type Rendered,
  runHelm,
  subchartObjects,
} from './helm';
import { validateObjects } from './k8s-validate';
import type { NatsPermissionsDocument } from './nats-permissions';
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
/** The generated NATS permissions: the isolated accounts' admins are NATS users too. */
const natsPermissions = JSON.parse(readFileSync(join(CHART_DIR, 'files', 'nats-permissions.json'), 'utf8')) as NatsPermissionsDocument;
const isolatedAdmins = natsPermissions.accounts.isolated.map((a) => a.admin.user);
const routes = platformHealthRoutes();

let defaults: Rendered;
let scratch: string;

beforeAll(() => {
  defaults = helmTemplate(CHART_DIR);
  scratch = mkdtempSync(join(tmpdir(), 'podium-values-'));
});

afterAll(() => {
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
  const result = runHelm(['template', 'podium', CHART_DIR, '--values', file]);
  expect(result.status).not.toBe(0);
  return result.stderr;
}

describe('the vendored dependencies', () => {
  const dependencies = chartDependencies();

  it('are the NATS chart, and nothing else sits in charts/', () => {
    expect(dependencies.map((d) => d.name)).toEqual(['nats']);
    const archives = readdirSync(join(CHART_DIR, 'charts')).sort();
    expect(archives).toEqual(dependencies.map((d) => basename(d.archive)).sort());
  });

  it.each(dependencies.map((d) => [d.name, d] as const))('%s is committed as the archive of the version Chart.yaml pins', (_name, dependency) => {
    const hint = `missing ${dependency.archive}: where ${dependency.repository} is reachable, \`helm dependency update charts/podium\` fetches it (see docs/deployment.md)`;
    expect({ archive: existsSync(dependency.archive), hint }).toEqual({ archive: true, hint });
    const shown = runHelm(['show', 'chart', dependency.archive]);
    expect(shown.status).toBe(0);
    expect(parse(shown.stdout)).toEqual(expect.objectContaining({ name: dependency.name, version: dependency.version }));
  });
});

describe('helm lint --strict', () => {
  it('passes with the default values', () => {
    const result = runHelm(['lint', '--strict', CHART_DIR]);
    expect(`${result.stdout}${result.stderr}`).toContain('0 chart(s) failed');
    expect(result.status).toBe(0);
  });

  it.each(overlayValueSets().map((s) => [s.name, s.files] as const))('passes with the %s overlay', (_name, files) => {
    const result = runHelm(['lint', '--strict', CHART_DIR, ...files.flatMap((f) => ['--values', f])]);
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
    const rendered = helmTemplate(CHART_DIR, { valuesFiles: files });
    expect(validateObjects(rendered.objects)).toEqual([]);
  });

  it('with an external database, external NATS, public-key auth and autoscaling', () => {
    const rendered = helmTemplate(CHART_DIR, {
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
    expect(subchartObjects(rendered, 'nats')).toEqual([]);
  });

  it('the validator itself flags an unknown field and a wrong type (it can fail)', () => {
    const deployment = find(defaults.objects, 'Deployment', 'podium-schedules');
    expect(deployment).toBeDefined();
    const broken = JSON.parse(JSON.stringify(deployment)) as K8sObject & { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
    const container = broken.spec.template.spec.containers[0];
    if (!container) throw new Error('no container');
    container['readinessprobe'] = container['readinessProbe'];
    (broken.spec as Record<string, unknown>)['replicas'] = 'many';
    // What the API server refuses although the schemas accept it (a subchart's mounts plus a patch did once).
    container['volumeMounts'] = [...((container['volumeMounts'] as unknown[]) ?? []), { name: 'tmp', mountPath: '/x' }, { name: 'auth', mountPath: '/x' }];
    const problems = validateObjects([broken]).map((p) => p.problem);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('/spec/replicas'),
        'spec.template.spec.containers[0].readinessprobe: unknown field',
        'spec.template.spec.containers[0].volumeMounts: /x is mounted twice',
        'spec.template.spec.containers[0].volumeMounts: auth is not a declared volume',
      ]),
    );
  });
});

describe('every app in apps/ is in the chart', () => {
  it('has at least one app to deploy', () => {
    expect(apps.length).toBeGreaterThan(0);
  });

  it.each(apps)('%s has a values entry, a Deployment, Service, ConfigMap, ServiceAccount, PDB and NetworkPolicy', (app) => {
    const values = parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as { services: Record<string, unknown> };
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
    const values = parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as { services: Record<string, unknown> };
    expect(Object.keys(values.services).filter((s) => !apps.includes(s))).toEqual([]);
  });
});

describe('pods are hardened', () => {
  // Podium's own pods; the NATS chart's meet Pod Security "baseline" (see the NATS subchart checks below).
  const pods = (): { obj: K8sObject; spec: PodSpec }[] =>
    ownObjects(defaults).flatMap((obj) => {
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
    const values = parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as {
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
      const rendered = files.length ? helmTemplate(CHART_DIR, { valuesFiles: files }) : defaults;
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
    expect(passwords.length).toBe(apps.length + 2 + isolatedAdmins.length);
    for (const p of passwords) expect(p).toMatch(/^\$PODIUM_NATS_[A-Z0-9_]+$/);
  });

  it('refuses a plain DATABASE_URL in services.<name>.env', () => {
    expect(templateFails({ services: { [apps[0] ?? 'schedules']: { port: 3001, env: { DATABASE_URL: 'postgres://u:p@db/x' } } } })).toContain('DATABASE_URL');
  });
});

describe('configuration that fails closed', () => {
  const OPENING = { NODE_ENV: 'development', PODIUM_LOCAL_DEV: 'true', AUTH_MODE: 'dev', AUTH_DEV_SECRET: 'x'.repeat(40), INGEST_DEMO_KEYS: 'true' };

  it.each(Object.entries(OPENING))('the schema refuses %s in a service`s env, serviceDefaults.env and extraSecretEnv', (name, value) => {
    const app = apps[0] ?? 'schedules';
    expect(templateFails({ services: { [app]: { port: 3001, env: { [name]: value } } } })).toContain(name);
    expect(templateFails({ serviceDefaults: { env: { [name]: value } } })).toContain(name);
    expect(templateFails({ services: { [app]: { port: 3001, extraSecretEnv: { [name]: { secretName: 's', key: 'k' } } } } })).toContain(name);
  });

  it('still takes other plain variables, and NODE_ENV and AUTH_MODE are the chart`s own', () => {
    const rendered = helmTemplate(CHART_DIR, { valuesFiles: [valuesFile('plain-env', { serviceDefaults: { env: { FANOUT_LATE_MS: 500 } } })] });
    for (const app of apps) {
      expect(find(rendered.objects, 'ConfigMap', `podium-${app}`)?.['data']).toEqual(
        expect.objectContaining({ FANOUT_LATE_MS: '500', NODE_ENV: 'production', AUTH_MODE: 'jwks' }),
      );
    }
  });
});

describe('NATS least privilege in the chart', () => {
  const authConf = (rendered: Rendered): string =>
    (find(rendered.objects, 'ConfigMap', 'podium-nats-auth')?.['data'] as Record<string, string> | undefined)?.['auth.conf'] ?? '';
  /** The users of auth.conf (the NATS config is JSON-like: the chart writes each list with toRawJson). */
  const authUsers = (rendered: Rendered): Record<string, { password: string; publish: { allow: string[]; deny?: string[] }; subscribe: { allow: string[] } }> => {
    const out: ReturnType<typeof authUsers> = {};
    for (const m of authConf(rendered).matchAll(
      /user: "([^"]+)"\s+password: (\S+)\s+permissions: \{\s+publish: \{ allow: (\[.*?\])(?:, deny: (\[.*?\]))? \}\s+subscribe: \{ allow: (\[.*?\])/g,
    )) {
      out[m[1] ?? ''] = {
        password: m[2] ?? '',
        publish: { allow: JSON.parse(m[3] ?? '[]') as string[], deny: m[4] ? (JSON.parse(m[4]) as string[]) : undefined },
        subscribe: { allow: JSON.parse(m[5] ?? '[]') as string[] },
      };
    }
    return out;
  };
  let withPartners: Rendered;

  beforeAll(() => {
    withPartners = helmTemplate(CHART_DIR, {
      valuesFiles: [
        valuesFile('partners', {
          messaging: { partners: [{ name: 'acme' }, { name: 'wire-tv', secretKey: 'WIRE' }] },
          networkPolicy: { nats: { partnerIngress: [{ ipBlock: { cidr: '203.0.113.0/24' } }] } },
        }),
      ],
    });
  });

  it('renders one NATS user per partner, with its own inbox prefix and durable, and its password from the Secret', () => {
    const users = authUsers(withPartners);
    expect(Object.keys(users).sort()).toEqual([...apps, 'helm-test', 'jetstream-admin', ...isolatedAdmins, 'partner-acme', 'partner-wire-tv'].sort());
    expect(users['partner-acme']?.password).toBe('$PODIUM_NATS_PARTNER_ACME');
    expect(users['partner-wire-tv']?.password).toBe('$PODIUM_NATS_WIRE');
    expect(users['partner-acme']?.subscribe.allow).toEqual(['ods.results.v1.>', '_INBOX_partner_acme.>']);
    expect(users['partner-acme']?.publish.allow).toContain('$JS.API.CONSUMER.MSG.NEXT.RESULTS.partner_acme');
    expect(users['partner-acme']?.publish.allow.filter((s) => s.includes('partner_wire-tv'))).toEqual([]);
    expect(users['partner-wire-tv']?.publish.allow).toContain('$JS.ACK.RESULTS.partner_wire-tv.>');
    expect(validateObjects(withPartners.objects)).toEqual([]);
  });

  /** An account block of auth.conf (`NAME: { ... }` up to the next account or the end). */
  const accountBlock = (rendered: Rendered, account: string): string => {
    const conf = authConf(rendered);
    const start = conf.indexOf(`\n  ${account}: {`);
    if (start < 0) return '';
    const next = conf.slice(start + 1).search(/\n {2}[A-Z_]+: \{/);
    return next < 0 ? conf.slice(start) : conf.slice(start, start + 1 + next);
  };
  const usersIn = (block: string): string[] => [...block.matchAll(/^\s*user: "([^"]+)"$/gm)].map((m) => m[1] ?? '').sort();

  it('puts results-distribution (naming its consumers at run time) in an account of its own, with only what its mirrors and publications need', () => {
    const [account] = natsPermissions.accounts.isolated;
    if (!account) throw new Error('no isolated account in files/nats-permissions.json');
    const main = accountBlock(withPartners, 'PODIUM');
    const own = accountBlock(withPartners, account.account);
    expect(usersIn(own)).toEqual([account.admin.user, 'results-distribution'].sort());
    expect(usersIn(main)).not.toContain('results-distribution');
    expect(main).toContain('jetstream: enabled');
    expect(own).toContain('jetstream: enabled');
    for (const link of account.links) {
      expect(main).toContain(`{ ${link.kind}: ${JSON.stringify(link.subject)}, accounts: ["${account.account}"] }`);
      expect(own).toContain(`{ ${link.kind}: { account: "PODIUM", subject: ${JSON.stringify(link.subject)} }${link.to ? `, to: ${JSON.stringify(link.to)}` : ''} }`);
    }
    expect([...main.matchAll(/accounts: \[/g)].length).toBe(account.links.length);
    // It declares no stream (they are the Job's mirrors); the other services do.
    expect(find(withPartners.objects, 'ConfigMap', 'podium-results-distribution')?.['data']).toEqual(expect.objectContaining({ NATS_DECLARE_STREAMS: 'false' }));
    expect(find(withPartners.objects, 'ConfigMap', 'podium-results-ingest')?.['data']).not.toHaveProperty('NATS_DECLARE_STREAMS');
    // The Job makes the mirrors as that account's admin, whose password it takes from the Secret.
    const job = find(withPartners.objects, 'Job', 'podium-jetstream-admin');
    const env = (job?.['spec'] as { template: { spec: { containers: { env: { name: string; value?: string; valueFrom?: { secretKeyRef: { key: string } } }[] }[] } } }).template.spec.containers[0]?.env ?? [];
    expect(JSON.parse(env.find((e) => e.name === 'MIRROR_ACCOUNTS')?.value ?? '[]')).toEqual([
      expect.objectContaining({ account: account.account, admin: account.admin.user, mirrors: account.mirrors, api: account.api }),
    ]);
    expect(env.find((e) => e.name === `NATS_PASSWORD_${account.admin.secretKey}`)?.valueFrom?.secretKeyRef.key).toBe(account.admin.secretKey);
  });

  it('has no second account, export or mirror when results-distribution is not deployed', () => {
    const without = helmTemplate(CHART_DIR, { valuesFiles: [valuesFile('no-distribution', { services: { 'results-distribution': { enabled: false } } })] });
    expect(authConf(without)).not.toContain('RESULTS_DISTRIBUTION');
    expect(authConf(without)).not.toContain('exports');
    const job = find(without.objects, 'Job', 'podium-jetstream-admin');
    expect(JSON.stringify(job)).toContain('"name":"MIRROR_ACCOUNTS","value":"[]"');
  });

  it('gives each service its own inbox prefix only, and no user the shared _INBOX.> or $JS.API.>', () => {
    const users = authUsers(withPartners);
    for (const app of apps) expect(users[app]?.subscribe.allow).toContain(`_INBOX_${app}.>`);
    for (const [user, p] of Object.entries(users)) {
      expect({ user, inbox: p.subscribe.allow.filter((s) => s === '_INBOX.>' || s === '>') }).toEqual({ user, inbox: [] });
      expect({ user, api: p.publish.allow.filter((s) => s === '$JS.API.>' || s === '$JS.ACK.>' || s === '>') }).toEqual({ user, api: [] });
    }
  });

  it.each([
    ['a duplicate partner', { messaging: { partners: [{ name: 'acme' }, { name: 'acme' }] } }, 'acme is listed twice'],
    ['two partners with one secret key', { messaging: { partners: [{ name: 'a', secretKey: 'K' }, { name: 'b', secretKey: 'K' }] } }, 'secret key K is used twice'],
    ['a partner name with capitals', { messaging: { partners: [{ name: 'ACME' }] } }, 'messaging.partners'],
    ['a partner with an unknown key', { messaging: { partners: [{ name: 'acme', durable: 'x' }] } }, 'durable'],
    ['streamReplicas 0', { messaging: { streamReplicas: 0 } }, 'streamReplicas'],
  ])('refuses %s', (_what, values, mention) => {
    expect(templateFails(values)).toContain(mention);
  });

  it('passes NATS_STREAM_REPLICAS: 1 by default, 3 with the production overlay', () => {
    for (const app of apps) expect((find(defaults.objects, 'ConfigMap', `podium-${app}`)?.['data'] as Record<string, string>)['NATS_STREAM_REPLICAS']).toBe('1');
    const production = helmTemplate(CHART_DIR, { valuesFiles: overlayValueSets().find((s) => s.name === 'production')?.files ?? [] });
    for (const app of apps) expect((find(production.objects, 'ConfigMap', `podium-${app}`)?.['data'] as Record<string, string>)['NATS_STREAM_REPLICAS']).toBe('3');
    const job = find(production.objects, 'Job', 'podium-jetstream-admin');
    expect(podSpecOf(job as K8sObject)?.containers[0]?.env).toContainEqual({ name: 'STREAM_REPLICAS', value: '3' });
  });

  it('runs the jetstream-admin Job as a hook, as the jetstream-admin user, with the partners` durables', () => {
    const job = find(withPartners.objects, 'Job', 'podium-jetstream-admin');
    expect(job?.metadata.annotations).toEqual(expect.objectContaining({ 'helm.sh/hook': 'post-install,post-upgrade' }));
    const env = podSpecOf(job as K8sObject)?.containers[0]?.env ?? [];
    expect(env).toContainEqual({ name: 'NATS_PASSWORD', valueFrom: { secretKeyRef: { name: 'podium-nats-credentials', key: 'JETSTREAM_ADMIN' } } });
    const perms = JSON.parse(readFileSync(join(CHART_DIR, 'files', 'nats-permissions.json'), 'utf8')) as { streamConfigs: unknown[] };
    expect(JSON.parse(env.find((e) => e.name === 'STREAM_CONFIGS')?.value ?? '[]')).toEqual(perms.streamConfigs);
    expect(perms.streamConfigs.length).toBe(streams.length + 1);
    expect(JSON.parse(env.find((e) => e.name === 'PARTNER_DURABLES')?.value ?? '[]')).toEqual([
      { partner: 'acme', stream: 'RESULTS', durable: 'partner_acme', filter: 'ods.results.v1.>' },
      { partner: 'wire-tv', stream: 'RESULTS', durable: 'partner_wire-tv', filter: 'ods.results.v1.>' },
    ]);
    for (const kind of ['ServiceAccount', 'NetworkPolicy']) {
      expect(find(withPartners.objects, kind, 'podium-jetstream-admin')?.metadata.annotations?.['helm.sh/hook-weight']).toBe('-10');
    }
    const external = helmTemplate(CHART_DIR, {
      valuesFiles: [valuesFile('external-nats', { nats: { enabled: false }, messaging: { url: 'nats://nats.example.org:4222' } })],
    });
    expect(find(external.objects, 'Job', 'podium-jetstream-admin')?.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
  });

  describe.each([['defaults', [] as string[]], ...overlayValueSets().map((s) => [s.name, s.files] as [string, string[]])])('the NATS NetworkPolicy with %s', (_name, files) => {
    let rendered: Rendered;
    beforeAll(() => {
      rendered = files.length ? helmTemplate(CHART_DIR, { valuesFiles: files }) : defaults;
    });
    type Peer = { podSelector?: { matchLabels: Record<string, string> }; namespaceSelector?: { matchLabels: Record<string, string> }; ipBlock?: { cidr: string } };
    type Rule = { from?: Peer[]; to?: Peer[]; ports: { port: number; protocol: string }[] };
    const policy = (r: Rendered): { podSelector: { matchLabels: Record<string, string> }; policyTypes: string[]; ingress: Rule[]; egress: Rule[] } => {
      const np = find(r.objects, 'NetworkPolicy', 'podium-nats');
      if (!np) throw new Error('no NetworkPolicy podium-nats');
      return np['spec'] as ReturnType<typeof policy>;
    };

    it('selects the NATS server pods, and lets only the release`s pods reach the client port', () => {
      const values = layeredValues(files);
      const spec = policy(rendered);
      const statefulSet = find(subchartObjects(rendered, 'nats'), 'StatefulSet', 'podium-nats')?.['spec'] as { template: { metadata: { labels: Record<string, string> } } };
      expect(statefulSet.template.metadata.labels).toEqual(expect.objectContaining(spec.podSelector.matchLabels));
      expect(spec.podSelector.matchLabels['app.kubernetes.io/component']).toBe('nats');
      expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
      const client = spec.ingress.filter((r) => r.ports.some((p) => p.port === values.messaging.port));
      expect(client).toHaveLength(1);
      expect(client[0]?.from).toEqual([
        { podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'podium', 'app.kubernetes.io/part-of': 'podium' } } },
        { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'nats', 'app.kubernetes.io/instance': 'podium', 'app.kubernetes.io/component': 'nats-box' } } },
      ]);
      // Every Podium pod that talks to NATS carries the labels the policy admits.
      for (const obj of ownObjects(rendered)) {
        const labels = obj.kind === 'Pod' ? obj.metadata.labels : (obj['spec'] as { template?: { metadata?: { labels?: Record<string, string> } } })?.template?.metadata?.labels;
        if (labels && ['Deployment', 'Job', 'Pod'].includes(obj.kind)) expect(labels).toEqual(expect.objectContaining({ 'app.kubernetes.io/instance': 'podium', 'app.kubernetes.io/part-of': 'podium' }));
      }
      const { cluster } = values.nats.config;
      const routes = spec.ingress.filter((r) => r.ports.some((p) => p.port === 6222));
      if (cluster.enabled) {
        expect(routes).toEqual([{ from: [{ podSelector: spec.podSelector }], ports: [{ port: 6222, protocol: 'TCP' }] }]);
        expect(spec.egress).toContainEqual({ to: [{ podSelector: spec.podSelector }], ports: [{ port: 6222, protocol: 'TCP' }] });
      } else {
        expect(routes).toEqual([]);
      }
      expect(spec.egress[0]?.ports).toEqual([
        { port: 53, protocol: 'UDP' },
        { port: 53, protocol: 'TCP' },
      ]);
      expect(validateObjects([find(rendered.objects, 'NetworkPolicy', 'podium-nats') as K8sObject])).toEqual([]);
    });
  });

  it('admits the partner-facing entry of the values to the client port, and nothing else', () => {
    const np = find(withPartners.objects, 'NetworkPolicy', 'podium-nats')?.['spec'] as { ingress: { from: unknown[]; ports: { port: number }[] }[] };
    expect(np.ingress).toHaveLength(1);
    expect(np.ingress[0]?.from).toContainEqual({ ipBlock: { cidr: '203.0.113.0/24' } });
    expect(np.ingress[0]?.ports).toEqual([{ port: 4222, protocol: 'TCP' }]);
  });

  it('is not rendered with an external NATS or without NetworkPolicies', () => {
    const external = helmTemplate(CHART_DIR, {
      valuesFiles: [valuesFile('external-nats-np', { nats: { enabled: false }, messaging: { url: 'nats://nats.example.org:4222' } })],
    });
    expect(find(external.objects, 'NetworkPolicy', 'podium-nats')).toBeUndefined();
    const off = helmTemplate(CHART_DIR, { valuesFiles: [valuesFile('np-off', { networkPolicy: { enabled: false } })] });
    expect(off.objects.filter((o) => o.kind === 'NetworkPolicy')).toEqual([]);
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
    const rendered = helmTemplate(CHART_DIR, {
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

describe('Grafana dashboards', () => {
  const files = readdirSync(join(CHART_DIR, 'files', 'dashboards')).filter((f) => f.endsWith('.json')).sort();
  const dashboardMaps = (objects: readonly K8sObject[]): K8sObject[] =>
    objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.['app.kubernetes.io/component'] === 'dashboards');

  it('are not rendered by default', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(dashboardMaps(defaults.objects)).toEqual([]);
  });

  it('render one valid ConfigMap per dashboard, labelled for the Grafana sidecar, with the file as it is', () => {
    const rendered = helmTemplate(CHART_DIR, { set: { 'dashboards.enabled': 'true' } });
    const maps = dashboardMaps(rendered.objects);
    expect(maps.map((m) => Object.keys(m['data'] as object)).flat()).toEqual(files);
    expect(validateObjects(rendered.objects)).toEqual([]);
    for (const map of maps) {
      const [file, content] = Object.entries(map['data'] as Record<string, string>)[0] ?? ['', ''];
      expect(map.metadata.name).toBe(`podium-dashboard-${file.replace(/\.json$/, '')}`);
      expect(map.metadata.namespace).toBe('og2024');
      expect(map.metadata.labels?.['grafana_dashboard']).toBe('1');
      expect(map.metadata.annotations).toEqual({ grafana_folder: 'Podium' });
      expect(content).toBe(readFileSync(join(CHART_DIR, 'files', 'dashboards', file), 'utf8').replace(/\n$/, ''));
      // a ConfigMap holds at most 1 MiB (the API server refuses more; the schemas do not say so)
      expect(Buffer.byteLength(JSON.stringify(map))).toBeLessThan(1024 * 1024);
    }
  });

  it("take the sidecar's label, value, folder annotation and namespace from the values", () => {
    const rendered = helmTemplate(CHART_DIR, {
      valuesFiles: [
        valuesFile('dashboards', {
          commonAnnotations: { 'example.org/owner': 'ops' },
          dashboards: { enabled: true, namespace: 'monitoring', label: 'example.org/dashboard', labelValue: 'podium', folderAnnotation: 'k8s-sidecar-target-directory', folder: '/tmp/dashboards/Podium' },
        }),
      ],
    });
    const maps = dashboardMaps(rendered.objects);
    expect(maps).toHaveLength(files.length);
    expect(validateObjects(maps)).toEqual([]);
    for (const map of maps) {
      expect(map.metadata.namespace).toBe('monitoring');
      expect(map.metadata.labels?.['example.org/dashboard']).toBe('podium');
      expect(map.metadata.labels?.['grafana_dashboard']).toBeUndefined();
      expect(map.metadata.annotations).toEqual({ 'example.org/owner': 'ops', 'k8s-sidecar-target-directory': '/tmp/dashboards/Podium' });
    }
    const noFolder = helmTemplate(CHART_DIR, { valuesFiles: [valuesFile('dashboards-no-folder', { dashboards: { enabled: true, folderAnnotation: '' } })] });
    expect(dashboardMaps(noFolder.objects).map((m) => m.metadata.annotations)).toEqual(files.map(() => undefined));
  });

  it('the schema rejects a label key Kubernetes would refuse', () => {
    expect(templateFails({ dashboards: { enabled: true, label: 'not a label' } })).toContain('dashboards.label');
  });
});

describe('Prometheus rules (the service levels, docs/operations.md)', () => {
  const rulesDir = join(CHART_DIR, 'files', 'prometheus');
  const files = readdirSync(rulesDir).filter((f) => f.endsWith('.yaml')).sort();
  type Rule = { record?: string; alert?: string; expr: string; annotations?: Record<string, string> };
  type Groups = { name: string; rules: Rule[] }[];
  const ruleObjects = (objects: readonly K8sObject[]): K8sObject[] => objects.filter((o) => o.kind === 'PrometheusRule');
  const groupsOf = (o: K8sObject): Groups => (o['spec'] as { groups: Groups }).groups;
  /** GitHub's anchor of a Markdown heading. */
  const anchorOf = (heading: string): string => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
  const operations = readFileSync(join(CHART_DIR, '..', '..', 'docs', 'operations.md'), 'utf8');
  const anchors = new Set([...operations.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1] ?? '')));

  it('are not rendered by default', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(ruleObjects(defaults.objects)).toEqual([]);
  });

  it("render one valid PrometheusRule per file, its groups the file's with every selector narrowed to the release's namespace", () => {
    const rendered = ruleObjects(ownObjects(helmTemplate(CHART_DIR, { namespace: 'pg2024', set: { 'prometheusRules.enabled': 'true' } })));
    expect(rendered.map((o) => o.metadata.name)).toEqual(files.map((f) => `podium-${f.replace(/\.yaml$/, '')}`));
    expect(validateObjects(rendered)).toEqual([]);
    for (const [i, file] of files.entries()) {
      const object = rendered[i] as K8sObject;
      expect(object.metadata.namespace).toBe('pg2024');
      const source = readFileSync(join(rulesDir, file), 'utf8');
      expect(source).toContain('namespace!=""');
      const expected = (parse(source.replaceAll('namespace!=""', 'namespace="pg2024"')) as { groups: Groups }).groups;
      expect(groupsOf(object)).toEqual(expected);
      for (const rule of groupsOf(object).flatMap((g) => g.rules)) {
        // Every series selector names the namespace: no rule reads (or records over) another edition's series.
        for (const selector of rule.expr.match(/\{[^}]*\}/g) ?? []) expect(`${rule.record ?? rule.alert}: ${selector}`).toMatch(/namespace="pg2024"/);
        expect(rule.expr).not.toMatch(/namespace!=/);
      }
    }
  });

  it("link every alert to its runbook in docs/operations.md, prefixed with runbookBaseUrl, and take the values' labels", () => {
    const rendered = ruleObjects(
      helmTemplate(CHART_DIR, {
        valuesFiles: [
          valuesFile('rules', {
            commonAnnotations: { 'example.org/owner': 'ops' },
            prometheusRules: { enabled: true, labels: { release: 'kube-prometheus-stack' }, runbookBaseUrl: 'https://github.com/example/podium/blob/main/' },
          }),
        ],
      }).objects,
    );
    expect(rendered).toHaveLength(files.length);
    const alerts = rendered.flatMap((o) => groupsOf(o).flatMap((g) => g.rules)).filter((r) => r.alert !== undefined);
    expect(alerts.length).toBeGreaterThan(0);
    for (const alert of alerts) {
      const url = alert.annotations?.['runbook_url'] ?? '';
      expect(url).toMatch(/^https:\/\/github\.com\/example\/podium\/blob\/main\/docs\/operations\.md#[a-z0-9-]+$/);
      expect(`${alert.alert}: ${url.split('#')[1]}`).toBe(`${alert.alert}: ${anchorOf(alert.alert ?? '')}`);
      expect(anchors.has(url.split('#')[1] ?? '')).toBe(true);
      expect(alert.annotations?.['summary']).toBeTruthy();
      expect(alert.annotations?.['description']).toBeTruthy();
    }
    for (const o of rendered) {
      expect(o.metadata.labels?.['release']).toBe('kube-prometheus-stack');
      expect(o.metadata.labels?.['app.kubernetes.io/component']).toBe('prometheus-rules');
      expect(o.metadata.annotations).toEqual({ 'example.org/owner': 'ops' });
    }
  });

  it('the validator flags a rule with both record and alert, and a bad duration (it can fail)', () => {
    const object = ruleObjects(helmTemplate(CHART_DIR, { set: { 'prometheusRules.enabled': 'true' } }).objects)[0];
    if (!object) throw new Error('no PrometheusRule');
    const broken = JSON.parse(JSON.stringify(object)) as K8sObject & { spec: { groups: { rules: Record<string, unknown>[] }[] } };
    const rule = broken.spec.groups[0]?.rules[0];
    if (!rule) throw new Error('no rule');
    rule['record'] = 'a:b:c';
    rule['for'] = '10 minutes';
    const problems = validateObjects([broken]).map((p) => p.problem).join('\n');
    expect(problems).toContain('a rule has either record or alert');
    expect(problems).toContain('for');
  });

  it('the schema rejects a runbook base that is not an http(s) address ending with /', () => {
    expect(templateFails({ prometheusRules: { enabled: true, runbookBaseUrl: 'https://github.com/example/podium/blob/main' } })).toContain('runbookBaseUrl');
    expect(templateFails({ prometheusRules: { enabled: true, runbookBaseUrl: 'javascript:alert(1)/' } })).toContain('runbookBaseUrl');
  });
});

describe('values', () => {
  it.each([
    ['a replica count that is not a number', { serviceDefaults: { replicaCount: 'many' } }, 'replicaCount'],
    ['a service replica count that is not a number', { services: { schedules: { port: 3001, replicaCount: 'many' } } }, 'replicaCount'],
    ['an unknown top-level key (replicaCount belongs to serviceDefaults)', { replicaCount: 'many' }, 'replicaCount'],
    ['an unknown key in a service', { services: { schedules: { port: 3001, replicas: 3 } } }, 'replicas'],
    ['a service without a port', { services: { 'sample-service': { enabled: true } } }, 'port'],
    ['a lower-case edition code', { edition: { code: 'og2024' } }, 'edition.code'],
    ['the dev auth mode', { auth: { mode: 'dev' } }, 'auth.mode'],
    ['a negative drain time', { serviceDefaults: { shutdown: { drainSeconds: -1 } } }, 'drainSeconds'],
    ['a service name with capitals', { services: { Results: { port: 3007 } } }, 'Results'],
  ])('the schema rejects %s', (_what, values, mention) => {
    expect(templateFails(values)).toContain(mention);
  });

  it('adding a service is adding a values entry', () => {
    const rendered = helmTemplate(CHART_DIR, {
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
});

// --- the NATS subchart (the vendored official chart), as rendered with Podium's values ---

interface NatsValues {
  messaging: { port: number; auth: { enabled: boolean; existingSecret: string; configMapName: string } };
  nats: {
    config: {
      cluster: { enabled: boolean; replicas: number };
      jetstream: { enabled: boolean; fileStore: { pvc: { size: string } } };
      merge: { $include: string; max_payload: number };
    };
  };
}

/** The values helm uses: values.yaml with the given files layered on it (maps merge, anything else replaces). */
function layeredValues(files: readonly string[]): NatsValues {
  const merge = (base: unknown, over: unknown): unknown => {
    if (base === null || over === null || typeof base !== 'object' || typeof over !== 'object' || Array.isArray(base) || Array.isArray(over)) return over;
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(over as Record<string, unknown>)) out[k] = k in out ? merge(out[k], v) : v;
    return out;
  };
  return [join(CHART_DIR, 'values.yaml'), ...files].map((f) => parse(readFileSync(f, 'utf8')) as unknown).reduce(merge) as NatsValues;
}

/**
 * nats.conf as the NATS chart writes it: JSON, plus `include <path>;` lines and unquoted raw values (`10Gi`,
 * `$SERVER_NAME`), which are returned as strings.
 */
function parseNatsConf(text: string): { includes: string[]; config: Record<string, unknown> } {
  const includes = [...text.matchAll(/^\s*include\s+(\S+?);\s*$/gm)].map((m) => m[1] ?? '');
  const json = text
    .replace(/^\s*include\s+\S+;\s*$/gm, '')
    .replace(/^(\s*"[^"]+":\s*)([^\s"[{][^,\n]*?)(,?)[ \t]*$/gm, (line, key: string, value: string, comma: string) => {
      try {
        JSON.parse(value);
        return line;
      } catch {
        return `${key}${JSON.stringify(value)}${comma}`;
      }
    });
  return { includes, config: JSON.parse(json) as Record<string, unknown> };
}

interface NatsContainer {
  name: string;
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  envFrom?: unknown[];
  volumeMounts?: { name: string; mountPath: string }[];
}
interface NatsPodSpec {
  containers: NatsContainer[];
  volumes?: { name: string; configMap?: { name: string } }[];
}

/** Pod Security Standards "baseline" (what the edition namespaces enforce), the checks a pod template can fail. */
const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const BASELINE_SYSCTLS = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']);

function baselineViolations(spec: Record<string, unknown>): string[] {
  type Sc = { privileged?: boolean; procMount?: string; seccompProfile?: { type?: string }; capabilities?: { add?: string[] }; windowsOptions?: { hostProcess?: boolean } };
  const problems: string[] = [];
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[field]) problems.push(field);
  const podSc = (spec['securityContext'] ?? {}) as Sc & { sysctls?: { name: string }[] };
  if (podSc.seccompProfile?.type === 'Unconfined') problems.push('pod seccompProfile Unconfined');
  for (const sysctl of podSc.sysctls ?? []) if (!BASELINE_SYSCTLS.has(sysctl.name)) problems.push(`sysctl ${sysctl.name}`);
  for (const volume of (spec['volumes'] ?? []) as { name: string; hostPath?: unknown }[]) if (volume.hostPath) problems.push(`volume ${volume.name}: hostPath`);
  const containers = [...((spec['containers'] ?? []) as Record<string, unknown>[]), ...((spec['initContainers'] ?? []) as Record<string, unknown>[])];
  for (const c of containers) {
    const sc = (c['securityContext'] ?? {}) as Sc;
    const where = `container ${String(c['name'])}`;
    if (sc.privileged) problems.push(`${where}: privileged`);
    if (sc.windowsOptions?.hostProcess) problems.push(`${where}: hostProcess`);
    if (sc.procMount && sc.procMount !== 'Default') problems.push(`${where}: procMount ${sc.procMount}`);
    if (sc.seccompProfile?.type === 'Unconfined') problems.push(`${where}: seccompProfile Unconfined`);
    for (const cap of sc.capabilities?.add ?? []) if (!BASELINE_CAPABILITIES.has(cap)) problems.push(`${where}: adds capability ${cap}`);
    for (const port of (c['ports'] ?? []) as { hostPort?: number }[]) if (port.hostPort) problems.push(`${where}: hostPort ${port.hostPort}`);
  }
  return problems;
}

describe.each([['defaults', [] as string[]], ...overlayValueSets().map((s) => [s.name, s.files] as [string, string[]])])('the NATS subchart with %s', (_name, files) => {
  let rendered: Rendered;
  let nats: K8sObject[];
  const values = layeredValues(files);
  const { merge } = values.nats.config;

  beforeAll(() => {
    rendered = files.length ? helmTemplate(CHART_DIR, { valuesFiles: files }) : defaults;
    nats = subchartObjects(rendered, 'nats');
  });

  const natsObject = (kind: string, name: string): K8sObject => {
    const obj = find(nats, kind, name);
    if (!obj) throw new Error(`the NATS chart rendered no ${kind} ${name} (it rendered ${nats.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')})`);
    return obj;
  };
  const statefulSet = (): {
    spec: {
      replicas: number;
      template: { metadata: { labels: Record<string, string> }; spec: NatsPodSpec };
      volumeClaimTemplates: { metadata: { name: string }; spec: { resources: { requests: { storage: string } } } }[];
    };
  } & K8sObject =>
    natsObject('StatefulSet', 'podium-nats') as ReturnType<typeof statefulSet>;
  const container = (name: string): NatsContainer => {
    const c = statefulSet().spec.template.spec.containers.find((x) => x.name === name);
    if (!c) throw new Error(`no ${name} container in the NATS StatefulSet`);
    return c;
  };
  const natsConf = (): ReturnType<typeof parseNatsConf> =>
    parseNatsConf((natsObject('ConfigMap', 'podium-nats-config')['data'] as Record<string, string>)['nats.conf'] ?? '');
  /** The auth.conf the server includes, as the NATS container sees it (nats.conf is /etc/nats-config/nats.conf). */
  const includedPath = (): string => join('/etc/nats-config', merge.$include);

  it('renders the StatefulSet, client and headless Services, config and PodDisruptionBudget, all valid', () => {
    expect(nats.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
      expect.arrayContaining(['ConfigMap/podium-nats-config', 'PodDisruptionBudget/podium-nats', 'Service/podium-nats', 'Service/podium-nats-headless', 'StatefulSet/podium-nats']),
    );
    expect(validateObjects(nats)).toEqual([]);
  });

  it('runs JetStream on the persistent volume, with the max_payload set and the cluster size of the values', () => {
    const { config } = natsConf();
    const size = values.nats.config.jetstream.fileStore.pvc.size;
    expect(values.nats.config.jetstream.enabled).toBe(true);
    expect(config['jetstream']).toEqual(expect.objectContaining({ store_dir: '/data', max_file_store: size }));
    const set = statefulSet();
    const claim = set.spec.volumeClaimTemplates[0];
    expect(claim?.spec.resources.requests.storage).toBe(size);
    expect(container('nats').volumeMounts).toContainEqual(expect.objectContaining({ name: claim?.metadata.name, mountPath: '/data' }));
    expect(config['max_payload']).toBe(merge.max_payload);
    expect(merge.max_payload).toBeGreaterThanOrEqual(10 * 1024 * 1024);
    const { cluster } = values.nats.config;
    expect(set.spec.replicas).toBe(cluster.enabled ? cluster.replicas : 1);
    if (cluster.enabled) expect((config['cluster'] as { routes: string[] }).routes).toHaveLength(cluster.replicas);
    else expect(config['cluster']).toBeUndefined();
  });

  it('has room for every stream of the contracts, in the storage each declares', () => {
    const jetstream = natsConf().config['jetstream'] as Record<string, unknown>;
    const limits = { file: jetstream['max_file_store'], memory: jetstream['max_memory_store'] };
    for (const stream of streams) {
      // 0 switches the storage off (the NATS chart's default for memory): declaring the stream fails.
      const limit = limits[stream.storage];
      expect({ stream: stream.name, storage: stream.storage, limit, off: limit === 0 || limit === '0' }).toEqual({
        stream: stream.name,
        storage: stream.storage,
        limit,
        off: false,
      });
    }
    expect(streams.map((s) => s.storage)).toContain('memory');
  });

  it('listens on the client port the services and their NetworkPolicies use', () => {
    const port = values.messaging.port;
    expect(natsConf().config['port']).toBe(port);
    expect(container('nats').ports).toContainEqual({ name: 'nats', containerPort: port });
    const service = natsObject('Service', 'podium-nats')['spec'] as { ports: { name: string; port: number }[]; selector: Record<string, string> };
    expect(service.ports).toContainEqual(expect.objectContaining({ name: 'nats', port }));
    const podLabels = statefulSet().spec.template.metadata.labels;
    expect(podLabels).toEqual(expect.objectContaining(service.selector));
    for (const app of apps) {
      expect((find(rendered.objects, 'ConfigMap', `podium-${app}`)?.['data'] as Record<string, string>)['NATS_URL']).toBe(`nats://podium-nats:${port}`);
      const egress = (find(rendered.objects, 'NetworkPolicy', `podium-${app}`)?.['spec'] as {
        egress: { to?: { podSelector?: { matchLabels: Record<string, string> } }[]; ports: { port: number }[] }[];
      }).egress.find((e) => e.ports.some((p) => p.port === port));
      const selector = egress?.to?.[0]?.podSelector?.matchLabels;
      expect(selector).toBeDefined();
      expect(podLabels).toEqual(expect.objectContaining(selector));
    }
  });

  it('includes the authorization the chart generates, from the ConfigMap the pod mounts', () => {
    const { includes } = natsConf();
    expect(includes).toEqual([merge.$include]);
    expect(container('nats').args).toEqual(['--config', '/etc/nats-config/nats.conf']);
    const spec = statefulSet().spec.template.spec;
    const mounts = container('nats').volumeMounts ?? [];
    const configMount = mounts.find((m) => m.mountPath === '/etc/nats-config');
    expect(spec.volumes?.find((v) => v.name === configMount?.name)?.configMap?.name).toBe('podium-nats-config');
    const authPath = includedPath();
    const authMount = mounts.find((m) => authPath.startsWith(`${m.mountPath}/`));
    const authVolume = spec.volumes?.find((v) => v.name === authMount?.name);
    expect(authVolume?.configMap?.name).toBe(values.messaging.auth.configMapName);
    const authConf = (find(ownObjects(rendered), 'ConfigMap', values.messaging.auth.configMapName)?.['data'] as Record<string, string> | undefined)?.[
      authPath.slice(`${authMount?.mountPath ?? ''}/`.length)
    ];
    expect(authConf).toContain('accounts {');
    const users = [...(authConf ?? '').matchAll(/^\s*user: "([^"]+)"$/gm)].map((m) => m[1]);
    expect(users.sort()).toEqual([...apps, 'jetstream-admin', 'helm-test', ...isolatedAdmins].sort());
  });

  it('gives the server the passwords from the credentials Secret, under the names auth.conf references', () => {
    const [envFrom] = (container('nats').envFrom ?? []) as { prefix: string; secretRef: { name: string } }[];
    expect(envFrom).toEqual({ prefix: 'PODIUM_NATS_', secretRef: { name: values.messaging.auth.existingSecret } });
    const authConf = (find(rendered.objects, 'ConfigMap', values.messaging.auth.configMapName)?.['data'] as Record<string, string>)['auth.conf'] ?? '';
    const variables = [...authConf.matchAll(/password: \$(\S+)/g)].map((m) => m[1] ?? '');
    expect(variables.length).toBe(apps.length + 2 + isolatedAdmins.length);
    for (const variable of variables) expect(variable.startsWith(envFrom?.prefix ?? '-')).toBe(true);
  });

  it('has the config reloader watch the included auth.conf', () => {
    const reloader = container('reloader');
    expect(reloader.args).toEqual(expect.arrayContaining(['-config', includedPath()]));
    const authMount = (container('nats').volumeMounts ?? []).find((m) => includedPath().startsWith(`${m.mountPath}/`));
    expect((reloader.volumeMounts ?? []).filter((m) => m.mountPath === authMount?.mountPath)).toEqual([authMount]);
  });

  it('meets Pod Security "baseline", which the edition namespaces enforce', () => {
    const pods = rendered.objects.flatMap((obj) => {
      const spec = podSpecOf(obj) as unknown as Record<string, unknown> | undefined;
      return spec ? [{ where: `${obj.kind}/${obj.metadata.name}`, spec }] : [];
    });
    expect(pods.map((p) => p.where)).toContain('StatefulSet/podium-nats');
    expect(pods.flatMap((p) => baselineViolations(p.spec).map((v) => `${p.where}: ${v}`))).toEqual([]);
  });
});

describe('tracing (OpenTelemetry) in the chart', () => {
  const OTEL = /^OTEL_/;

  it('is off by default: no OTEL_* variable, no egress to a collector', () => {
    for (const app of apps) {
      const data = (find(defaults.objects, 'ConfigMap', `podium-${app}`)?.['data'] ?? {}) as Record<string, string>;
      expect(Object.keys(data).filter((k) => OTEL.test(k))).toEqual([]);
    }
  });

  it('on: every service gets the endpoint and the parent-based ratio sampler, and may reach the collector on its port', () => {
    const peers = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }];
    const rendered = helmTemplate(CHART_DIR, {
      valuesFiles: [valuesFile('tracing-on', { tracing: { enabled: true, endpoint: 'http://otel-collector.observability.svc:4318', samplingRatio: 0.25, egress: peers } })],
    });
    for (const app of apps) {
      expect(find(rendered.objects, 'ConfigMap', `podium-${app}`)?.['data']).toEqual(
        expect.objectContaining({
          OTEL_TRACES_ENABLED: 'true',
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.observability.svc:4318',
          OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
          OTEL_TRACES_SAMPLER_ARG: '0.25',
        }),
      );
      const np = find(rendered.objects, 'NetworkPolicy', `podium-${app}`)?.['spec'] as { egress: { to?: unknown[]; ports: { port: number }[] }[] };
      expect(np.egress).toContainEqual({ to: peers, ports: [{ port: 4318, protocol: 'TCP' }] });
    }
    expect(validateObjects(rendered.objects.filter((o) => o.kind === 'NetworkPolicy' || o.kind === 'ConfigMap'))).toEqual([]);
    // An https endpoint without a port: 443.
    const https = helmTemplate(CHART_DIR, { valuesFiles: [valuesFile('tracing-https', { tracing: { enabled: true, endpoint: 'https://otlp.example.org' } })] });
    const np = find(https.objects, 'NetworkPolicy', `podium-${apps[0]}`)?.['spec'] as { egress: { ports: { port: number }[] }[] };
    expect(np.egress.at(-1)).toEqual({ ports: [{ port: 443, protocol: 'TCP' }] });
  });

  it('refuses a ratio outside 0..1 and an endpoint that is not http(s)', () => {
    expect(templateFails({ tracing: { enabled: true, samplingRatio: 2 } })).toMatch(/samplingRatio/);
    expect(templateFails({ tracing: { enabled: true, endpoint: 'grpc://collector:4317' } })).toMatch(/endpoint/);
  });
});
