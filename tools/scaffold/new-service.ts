/**
 * `npm run new:service -- <name> [options]`: adds a complete service to the workspace.
 *
 *   npm run new:service -- accreditation                        a service of the list (its port, family, purpose)
 *   npm run new:service -- ticketing --port 3008 --family OMS --purpose "ticket sales and gate scans"
 *                                                               a new one: added to the list first
 *   options: --entity <singular>  the example feature's record (default: item)
 *            --root <dir>         the workspace to write into (default: this repository)
 *            --skip-migration     do not create the first migration (it needs PostgreSQL, for a scratch database)
 *
 * Writes apps/<name>/ (project, config, Prisma schema with the platform's outbox model, feature module, harness and
 * integration test), libs/contracts/src/subjects/<name>.ts (registered), and adds the service to the bake file, the
 * chart values, the README and architecture tables and the service list; then generates its Prisma client and first migration, the
 * NATS users file and the AsyncAPI document. Refuses to overwrite anything.
 */
import { type ServiceDefinition, serviceDefinitionSchema } from '@podium/contracts';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { namesOf, plural } from './src/names';
import {
  addBakeTarget,
  addReadmeRow,
  addToContractsIndex,
  addToRegistry,
  addToServiceList,
  addValuesEntry,
  markBuiltInArchitecture,
} from './src/registration';
import { serviceFiles } from './src/service-templates';

const LIST = 'libs/contracts/src/services.json';

interface Args {
  name: string;
  entity: string;
  root: string;
  skipMigration: boolean;
  port?: number;
  family?: string;
  purpose?: string;
}

function parseArgs(argv: readonly string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const key = arg.slice(2);
    if (key === 'skip-migration') flags.set(key, true);
    else {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new Error(`--${key} needs a value`);
      flags.set(key, value);
    }
  }
  const name = positional[0];
  if (!name || positional.length > 1) throw new Error('usage: npm run new:service -- <name> [--entity <singular>] [--port N --family OMS|ODS --purpose "..."]');
  const str = (k: string): string | undefined => (typeof flags.get(k) === 'string' ? (flags.get(k) as string) : undefined);
  const port = str('port');
  return {
    name,
    entity: str('entity') ?? 'item',
    root: resolve(str('root') ?? join(__dirname, '..', '..')),
    skipMigration: flags.has('skip-migration'),
    port: port === undefined ? undefined : Number(port),
    family: str('family'),
    purpose: str('purpose'),
  };
}

function run(root: string, command: string, args: string[]): void {
  console.log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

export function main(argv: readonly string[]): void {
  const args = parseArgs(argv);
  namesOf(args.name);
  namesOf(args.entity);
  const { root } = args;
  const read = (path: string): string => readFileSync(join(root, path), 'utf8');
  if (existsSync(join(root, 'apps', args.name))) throw new Error(`apps/${args.name} exists already`);

  const list = JSON.parse(read(LIST)) as { services: ServiceDefinition[] };
  let service = list.services.find((s) => s.name === args.name);
  const edits = new Map<string, string>();
  if (service) {
    if (args.port !== undefined || args.family || args.purpose) {
      throw new Error(`${args.name} is in ${LIST} already: its port, family and purpose come from there (drop --port/--family/--purpose)`);
    }
  } else {
    const parsed = serviceDefinitionSchema.safeParse({ name: args.name, port: args.port, family: args.family, purpose: args.purpose });
    if (!parsed.success) {
      throw new Error(
        `${args.name} is not in ${LIST}: give --port <free port> --family OMS|ODS --purpose "<one line>" to add it ` +
          `(${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`,
      );
    }
    service = parsed.data;
    edits.set(LIST, addToServiceList(read(LIST), service));
  }
  const listed = [...list.services, service];
  const portOf = (name: string): number | undefined => listed.find((s) => s.name === name)?.port;

  edits.set('docker/docker-bake.hcl', addBakeTarget(read('docker/docker-bake.hcl'), service.name));
  edits.set('charts/podium/values.yaml', addValuesEntry(read('charts/podium/values.yaml'), service, portOf));
  edits.set('README.md', addReadmeRow(read('README.md'), service));
  edits.set('docs/architecture.md', markBuiltInArchitecture(read('docs/architecture.md'), service));
  edits.set('libs/contracts/src/registry.ts', addToRegistry(read('libs/contracts/src/registry.ts'), service.name));
  edits.set('libs/contracts/src/index.ts', addToContractsIndex(read('libs/contracts/src/index.ts'), service.name));

  const outbox = read('libs/platform/src/outbox/outbox.prisma');
  const files = serviceFiles({ service, entity: args.entity, outboxModel: outbox.slice(outbox.indexOf('///')) });
  for (const path of files.keys()) if (existsSync(join(root, path))) throw new Error(`${path} exists already: nothing was written`);

  // Every check passed: write everything, then run the generators that derive files from what was written.
  for (const [path, content] of [...files, ...edits]) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
    console.log(`${files.has(path) ? 'created' : 'updated'} ${path}`);
  }
  run(root, 'node', ['tools/db/cli.mjs', 'generate', service.name]);
  if (!args.skipMigration) run(root, 'node', ['tools/db/cli.mjs', 'new', service.name, 'init']);
  run(root, 'npx', ['tsx', 'tools/helm/nats-permissions.ts']);
  run(root, 'npx', ['tsx', 'tools/asyncapi/generate.ts']);

  console.log(`
${service.name} (${service.family}, port ${service.port}) is in place. Next:
  npx nx run-many -t lint typecheck test integration -p ${service.name}     its checks (real PostgreSQL and NATS)
  npx nx run deploy-checks:test                                            the chart, images and service list
  Replace the example feature (src/${plural(args.entity)}) with the service's own, and its subject in
  libs/contracts/src/subjects/${service.name}.ts; write docs/${service.name}.md and link it from the README row.
  On each cluster, once: bash tools/deploy/nats-credentials.sh <namespace>   (the new service's NATS password)`);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`new:service: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
