/**
 * Writes charts/podium/files/nats-permissions.json: the NATS users and their publish/subscribe permissions, derived
 * from the contracts registry (each subject's `source` is its only publisher), the platform's dead-letter names and
 * the applications in apps/. The rules are in tools/deploy/src/nats-permissions.ts.
 *
 *   npx tsx tools/helm/nats-permissions.ts          write the file
 *   npx tsx tools/helm/nats-permissions.ts --check  exit 1 when the committed file is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { streams, subjects } from '@podium/contracts';
import { DEAD_LETTER_STREAM, DEAD_LETTER_SUBJECT_ROOT } from '@podium/platform';
import { listApps, WORKSPACE_ROOT } from '../deploy/src/apps';
import { buildNatsPermissions, renderNatsPermissions } from '../deploy/src/nats-permissions';

export const NATS_PERMISSIONS_FILE = join(WORKSPACE_ROOT, 'charts', 'podium', 'files', 'nats-permissions.json');

export function currentNatsPermissions(): string {
  const doc = buildNatsPermissions({
    subjects: Object.values(subjects).map((d) => ({ subject: d.subject, source: d.source, stream: d.stream })),
    streams: streams.map((s) => ({ name: s.name, subjects: s.subjects })),
    apps: listApps(),
    deadLetter: { stream: DEAD_LETTER_STREAM, subjectRoot: DEAD_LETTER_SUBJECT_ROOT },
  });
  return renderNatsPermissions(doc);
}

function main(argv: readonly string[]): number {
  const display = relative(WORKSPACE_ROOT, NATS_PERMISSIONS_FILE);
  const output = currentNatsPermissions();
  if (argv.includes('--check')) {
    let committed: string | null;
    try {
      committed = readFileSync(NATS_PERMISSIONS_FILE, 'utf8');
    } catch {
      committed = null;
    }
    if (committed !== output) {
      console.error(`${display} is ${committed === null ? 'missing' : 'stale'}: run npx tsx tools/helm/nats-permissions.ts`);
      return 1;
    }
    console.log(`${display} is up to date`);
    return 0;
  }
  writeFileSync(NATS_PERMISSIONS_FILE, output);
  console.log(`wrote ${display}`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
