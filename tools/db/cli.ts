/**
 * Database tooling of the services (each service owns a PostgreSQL database, its Prisma schema and
 * migrations in apps/<service>/prisma). Run with `npx tsx tools/db/cli.ts <command>` or `node tools/db/cli.mjs`:
 *
 *   generate <service|all> [--force]          prisma generate (offline; skipped when the schema did not change)
 *   deploy   <service|all> [--database-url U] create the database if needed and apply pending migrations
 *   new      <service> <name> [--empty]       write the migration that brings the migrations to schema.prisma
 *   drift    <service|all>                    exit 1 when schema.prisma and the migrations disagree (CI)
 *   status   <service> [--database-url U]     applied / pending migrations of a database
 *
 * Database URLs: --database-url, else DATABASE_URL (single service), else postgres://postgres@127.0.0.1:5432/podium_<service>.
 * Scratch databases for new/drift are created on SHADOW_DATABASE_URL's server (else DATABASE_URL's, else local).
 * See docs/migrations.md.
 */
import './src/register-paths';
import { deployCommand, driftCommand, generateCommand, newMigrationCommand, type Output, statusCommand } from './src/commands';
import { resolveServices, UsageError } from './src/services';

const USAGE = `Usage: tools/db/cli.ts <command>
  generate <service|all> [--force]
  deploy   <service|all> [--database-url <url>]
  new      <service> <name> [--empty]
  drift    <service|all>
  status   <service> [--database-url <url>]`;

interface Parsed {
  command: string | undefined;
  args: string[];
  flags: Map<string, string | true>;
}

const VALUE_FLAGS = new Set(['database-url']);

export function parseArgs(argv: readonly string[]): Parsed {
  const args: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      args.push(arg);
      continue;
    }
    const [key = '', inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (VALUE_FLAGS.has(key)) {
      const value = inline ?? argv[++i];
      if (!value) throw new UsageError(`--${key} needs a value`);
      flags.set(key, value);
    } else {
      flags.set(key, true);
    }
  }
  return { command: args.shift(), args, flags };
}

function stringFlag(flags: Parsed['flags'], key: string): string | undefined {
  const value = flags.get(key);
  return typeof value === 'string' ? value : undefined;
}

export async function main(argv: readonly string[], output: Output): Promise<number> {
  try {
    const { command, args, flags } = parseArgs(argv);
    const known = new Set(['force', 'database-url', 'empty', 'help']);
    for (const key of flags.keys()) if (!known.has(key)) throw new UsageError(`Unknown option --${key}`);
    const ctx = { output };
    switch (command) {
      case 'generate':
        return await generateCommand(resolveServices(args[0]), ctx, { force: flags.has('force') });
      case 'deploy':
        return await deployCommand(resolveServices(args[0]), ctx, { databaseUrl: stringFlag(flags, 'database-url') });
      case 'new': {
        const [service] = resolveServices(args[0]).filter(() => args[0] !== 'all');
        if (!service) throw new UsageError('new takes one service, not "all"');
        return await newMigrationCommand(service, args[1], ctx, { empty: flags.has('empty') });
      }
      case 'drift':
        return await driftCommand(resolveServices(args[0]), ctx);
      case 'status': {
        const [service] = resolveServices(args[0]).filter(() => args[0] !== 'all');
        if (!service) throw new UsageError('status takes one service, not "all"');
        return await statusCommand(service, ctx, { databaseUrl: stringFlag(flags, 'database-url') });
      }
      case undefined:
      case 'help':
        output.out(USAGE);
        return command ? 0 : 2;
      default:
        throw new UsageError(`Unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    output.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

if (require.main === module) {
  const output: Output = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) };
  void main(process.argv.slice(2), output).then((code) => {
    process.exitCode = code;
  });
}
