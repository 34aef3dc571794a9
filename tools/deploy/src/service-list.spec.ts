/**
 * The one list of services (libs/contracts/src/services.json) against every place that names a service. Each failure
 * says which app is missing from where and how to put it there; `npm run new:service -- <name>` writes all of them.
 */
import { SERVICES } from '@podium/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { listApps, WORKSPACE_ROOT } from './workspace';

const LIST = 'libs/contracts/src/services.json';
const apps = listApps();
const read = (path: string): string => readFileSync(join(WORKSPACE_ROOT, path), 'utf8');

/** Apps that `where` lacks, as "<app> is missing from <where>: <fix>" lines (empty when none is missing). */
function missing(where: string, present: readonly string[], fix: string): string[] {
  return apps.filter((app) => !present.includes(app)).map((app) => `${app} is missing from ${where}: ${fix}`);
}

describe('the service list', () => {
  it(`has every app of apps/ (${LIST})`, () => {
    expect(apps.length).toBeGreaterThan(0);
    expect(missing(LIST, SERVICES.map((s) => s.name), 'add { name, port, family, purpose }')).toEqual([]);
  });

  it('is the only place a port is stated: no app main.ts or config declares one', () => {
    const stated = apps.filter((app) => {
      const files = [`apps/${app}/src/main.ts`, `apps/${app}/src/app/config.ts`];
      return files.some((f) => {
        try {
          return /\b(?:defaultPort|PORT)\s*:\s*\d{4,5}\b/.test(read(f));
        } catch {
          return false;
        }
      });
    });
    expect(stated.map((app) => `apps/${app} states its port: remove it, the port comes from ${LIST}`)).toEqual([]);
  });

  it('is what the bake file builds by default (docker/docker-bake.hcl)', () => {
    const bake = read('docker/docker-bake.hcl');
    const group = /group "default"\s*\{\s*targets\s*=\s*\[([^\]]*)\]/.exec(bake)?.[1] ?? '';
    const targets = [...group.matchAll(/"([a-z0-9-]+)"/g)].map((m) => m[1] ?? '');
    const defined = [...bake.matchAll(/^target "([a-z0-9-]+)"/gm)].map((m) => m[1] ?? '');
    expect([
      ...missing('the default group of docker/docker-bake.hcl', targets, 'add it to targets'),
      ...missing('docker/docker-bake.hcl', defined, 'add a target inheriting "_service" with args SERVICE'),
      ...targets.filter((t) => !apps.includes(t)).map((t) => `docker/docker-bake.hcl builds "${t}", which is not an app`),
    ]).toEqual([]);
  });

  it('is what the chart deploys, on the listed ports (charts/podium/values.yaml services)', () => {
    const values = parse(read('charts/podium/values.yaml')) as { services: Record<string, { port?: number }> };
    const entries = Object.keys(values.services);
    expect([
      ...missing('charts/podium/values.yaml services', entries, 'add a services entry (copy another and read its @param docs)'),
      ...apps
        .filter((app) => values.services[app] && values.services[app]?.port !== SERVICES.find((s) => s.name === app)?.port)
        .map((app) => `charts/podium/values.yaml gives ${app} port ${values.services[app]?.port}, the list says another`),
    ]).toEqual([]);
  });

  it('has a NATS user per app (charts/podium/files/nats-permissions.json)', () => {
    const doc = JSON.parse(read('charts/podium/files/nats-permissions.json')) as { services: Record<string, unknown> };
    expect(
      missing('the NATS users', Object.keys(doc.services), 'run `npx tsx tools/helm/nats-permissions.ts`, then `bash tools/deploy/nats-credentials.sh <namespace>` on each cluster'),
    ).toEqual([]);
  });

  it('is the README table of what runs, with ports and families', () => {
    const rows = [...read('README.md').matchAll(/^\| `([a-z0-9-]+)` \((OMS|ODS)\) \| (\d+) \|/gm)].map((m) => ({
      name: m[1] ?? '',
      family: m[2],
      port: Number(m[3]),
    }));
    expect([
      ...missing('the README table "What runs"', rows.map((r) => r.name), 'add a row `| `<name>` (<family>) | <port> | ... |`'),
      ...rows
        .filter((r) => {
          const listed = SERVICES.find((s) => s.name === r.name);
          return !listed || listed.port !== r.port || listed.family !== r.family || !apps.includes(r.name);
        })
        .map((r) => `README row ${r.name} (${r.family}) ${r.port} does not match an app of ${LIST}`),
    ]).toEqual([]);
  });

  it('is the table of docs/architecture.md, every listed service with its family, port and status', () => {
    const rows = [...read('docs/architecture.md').matchAll(/^\| `([a-z0-9-]+)` \| (OMS|ODS) \| (\d+) \| [^|]* \| (built|planned) \|$/gm)].map((m) => ({
      name: m[1] ?? '',
      family: m[2],
      port: Number(m[3]),
      status: m[4],
    }));
    const expected = SERVICES.map((s) => ({ name: s.name, family: s.family, port: s.port, status: apps.includes(s.name) ? 'built' : 'planned' }));
    expect(rows).toEqual(expected);
  });

  it('gives each app its own ESLint scope (eslint.config.mjs reads the list)', () => {
    const eslint = read('eslint.config.mjs');
    const generated = eslint.includes('services.json');
    const listed = apps.filter((app) => eslint.includes(`scope:${app}`));
    expect(generated || listed.length === apps.length).toBe(true);
  });
});
