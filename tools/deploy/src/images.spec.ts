/**
 * The image definition (docker/Dockerfile, one image per service via --build-arg SERVICE) covers every app, and every
 * path it copies from the build stage exists in each app's Nx build output. No Docker engine runs here: the
 * `deploy-checks:test` target depends on the apps' `build` targets, so dist/apps/<app> is the real build output.
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { listApps, WORKSPACE_ROOT } from './workspace';

const dockerfile = readFileSync(join(WORKSPACE_ROOT, 'docker', 'Dockerfile'), 'utf8');
const bake = readFileSync(join(WORKSPACE_ROOT, 'docker', 'docker-bake.hcl'), 'utf8');
const dockerignore = readFileSync(join(WORKSPACE_ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const apps = listApps();

/** Instructions, with line continuations joined. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

/** Sources of `COPY --from=build /workspace/dist/apps/${SERVICE}/<path>`, relative to the app's build output. */
const copiedFromBuildOutput = instructions
  .filter((l) => /^COPY\b/.test(l) && l.includes('--from=build'))
  .flatMap((l) => l.split(/\s+/).filter((t) => t.startsWith('/workspace/dist/apps/')))
  .map((src) => {
    const match = /^\/workspace\/dist\/apps\/\$\{SERVICE\}\/?(.*)$/.exec(src);
    if (!match) throw new Error(`COPY from the build stage outside dist/apps/\${SERVICE}: ${src}`);
    return match[1] ?? '';
  });

const bakeTargets = [...bake.matchAll(/^target "([a-z0-9-]+)"\s*\{([^}]*)\}/gm)]
  .filter((m) => !(m[1] ?? '').startsWith('_'))
  .map((m) => ({ name: m[1] ?? '', body: m[2] ?? '' }));

describe('docker/Dockerfile', () => {
  it('copies the package.json Nx generates and the whole build output of the service', () => {
    expect(copiedFromBuildOutput).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', '']));
  });

  it('runs `node main.js` as a non-root user under tini, from a pinned Node LTS image', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:(2[02468])\.\d+\.\d+-bookworm-slim(@sha256:[a-f0-9]{64})?$/m);
    expect(instructions).toContain('USER 1000:1000');
    expect(instructions).toContain('ENTRYPOINT ["/usr/bin/tini", "--", "node", "main.js"]');
    expect(instructions.filter((l) => /^FROM /.test(l)).map((l) => l.split(/\s+/).pop())).toEqual(['build', 'deps', 'runtime']);
  });

  it('installs production dependencies only', () => {
    expect(instructions.find((l) => l.startsWith('RUN npm ci --omit=dev'))).toBeDefined();
    expect(instructions.filter((l) => l.startsWith('COPY --from=deps')).join('\n')).toContain('/app/node_modules');
  });
});

describe('.dockerignore', () => {
  it.each(['.git', '**/node_modules', 'dist', '.env', '.tools', '**/src/generated'])('keeps %s out of the build context', (entry) => {
    expect(dockerignore).toContain(entry);
  });
});

describe.each(apps)('the %s image', (app) => {
  it('is a target of docker/docker-bake.hcl, built with its SERVICE', () => {
    const target = bakeTargets.find((t) => t.name === app);
    expect(target?.body).toContain(`SERVICE = "${app}"`);
    expect(bake).toMatch(new RegExp(`targets\\s*=\\s*\\[[^\\]]*"${app}"`));
  });

  it('finds every path the Dockerfile copies in dist/apps/<app> (run `npx nx run <app>:build` first)', () => {
    const out = join(WORKSPACE_ROOT, 'dist', 'apps', app);
    expect({ out, built: existsSync(out) }).toEqual({ out, built: true });
    for (const path of [...copiedFromBuildOutput, 'main.js']) {
      expect({ path, exists: existsSync(join(out, path)) }).toEqual({ path, exists: true });
    }
    const pkg = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: unknown };
    expect(pkg.devDependencies ?? {}).toEqual({});
    expect(Object.keys(pkg.dependencies ?? {})).toEqual(expect.arrayContaining(['nats']));
  });

  it('installs every package main.js requires (package.json and its lockfile, which `npm ci --omit=dev` installs)', () => {
    const out = join(WORKSPACE_ROOT, 'dist', 'apps', app);
    const main = readFileSync(join(out, 'main.js'), 'utf8');
    const required = new Set(
      [...main.matchAll(/require\("([^"./][^"]*)"\)/g)]
        .map((m) => m[1] ?? '')
        .filter((id) => !id.startsWith('node:') && !builtinModules.includes(id.split('/')[0] ?? ''))
        .map((id) => (id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : (id.split('/')[0] ?? ''))),
    );
    const lock = JSON.parse(readFileSync(join(out, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    const missing = [...required].filter((name) => !lock.packages[`node_modules/${name}`]).sort();
    expect({ app, missing }).toEqual({ app, missing: [] });
  });

  it('ships the migrations `main.js migrate` applies', () => {
    const migrations = join(WORKSPACE_ROOT, 'dist', 'apps', app, 'prisma', 'migrations');
    if (!existsSync(join(WORKSPACE_ROOT, 'apps', app, 'prisma', 'migrations'))) return; // a service without a database
    expect(existsSync(migrations)).toBe(true);
  });
});

describe('the image definitions', () => {
  it('have no target for a folder that is not an app', () => {
    expect(bakeTargets.map((t) => t.name).filter((t) => !apps.includes(t))).toEqual([]);
  });
});
