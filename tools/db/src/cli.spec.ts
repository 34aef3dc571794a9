import { main, parseArgs } from '../cli';
import { migrationTimestamp } from './commands';
import { generatorOutput } from './generate';
import { defaultDatabaseUrl } from './services';

function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  return main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }).then((code) => ({ code, out, err }));
}

describe('tools/db cli', () => {
  it('parses commands, positionals and flags', () => {
    expect(parseArgs(['deploy', 'schedules', '--database-url', 'postgres://x/y'])).toEqual({
      command: 'deploy',
      args: ['schedules'],
      flags: new Map([['database-url', 'postgres://x/y']]),
    });
    expect(parseArgs(['new', 'schedules', 'init', '--empty', '--database-url=postgres://a/b?x=1'])).toEqual({
      command: 'new',
      args: ['schedules', 'init'],
      flags: new Map<string, string | true>([['empty', true], ['database-url', 'postgres://a/b?x=1']]),
    });
  });

  it('answers usage mistakes with exit code 2 and the usage', async () => {
    expect(await run(['frobnicate'])).toMatchObject({ code: 2, err: [expect.stringMatching(/^Unknown command "frobnicate"\n\nUsage:/)] });
    expect(await run(['drift', 'no-such-service'])).toMatchObject({ code: 2, err: [expect.stringContaining('Unknown service "no-such-service"')] });
    expect(await run(['deploy', 'all', '--nope'])).toMatchObject({ code: 2, err: [expect.stringContaining('Unknown option --nope')] });
    expect(await run(['status', 'all'])).toMatchObject({ code: 2, err: [expect.stringContaining('status takes one service')] });
    expect(await run(['deploy', 'schedules', '--database-url'])).toMatchObject({ code: 2, err: [expect.stringContaining('--database-url needs a value')] });
    expect((await run([])).code).toBe(2);
  });

  it('names migration folders with a UTC timestamp', () => {
    expect(migrationTimestamp(new Date('2025-03-01T09:08:07.999Z'))).toBe('20250301090807');
  });

  it('derives the local database of a service', () => {
    expect(defaultDatabaseUrl('results-ingest')).toBe('postgres://postgres@127.0.0.1:5432/podium_results_ingest');
  });

  it("finds the generator's output directory", () => {
    expect(generatorOutput('/r/apps/s/prisma/schema.prisma', 'generator client {\n  provider = "prisma-client"\n  output   = "../src/generated/prisma"\n}')).toBe(
      '/r/apps/s/src/generated/prisma',
    );
    expect(generatorOutput('/x/schema.prisma', 'datasource db {\n  provider = "postgresql"\n}')).toBeNull();
  });
});
