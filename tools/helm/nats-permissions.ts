/**
 * Writes charts/podium/files/nats-permissions.json: the NATS users and their publish/subscribe permissions, derived
 * from the contracts registry (each subject's `source` is its only publisher), the platform's dead-letter names, the
 * consumers each service creates (SERVICE_CONSUMERS), the message deletes granted (SERVICE_MESSAGE_DELETES) and the
 * applications in apps/. The rules are in
 * tools/deploy/src/nats-permissions.ts.
 *
 *   npx tsx tools/helm/nats-permissions.ts          write the file
 *   npx tsx tools/helm/nats-permissions.ts --check  exit 1 when the committed file is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { INGEST_RPC_SUBJECT, type StreamDefinition, streams, subjects } from '@podium/contracts';
import { DEAD_LETTER_STREAM, DEAD_LETTER_SUBJECT_ROOT } from '@podium/platform';
import { listApps, WORKSPACE_ROOT } from '../deploy/src/apps';
import { buildNatsPermissions, type ConsumerGrant, type MessageDeleteGrant, renderNatsPermissions, type RpcSubject } from '../deploy/src/nats-permissions';

/**
 * The JetStream consumers of each service, as the apps declare them (a service gets consumer rights on these only).
 * Fixed names: entries' SCHEDULE_EVENTS_DURABLE, accreditation's ENTRIES_ATHLETES_DURABLE and its hand-overs'
 * (VOLUNTEERS_CONFIRMED_DURABLE, VOLUNTEERS_WITHDRAWN_DURABLE, VOLUNTEERS_ERASED_DURABLE, WORKFORCE_MEMBERS_DURABLE), results-ingest's
 * KNOWN_UNITS_DURABLE, workforce's event reactions' (apps/workforce/src/events/events.consumer.ts). 'any': results-distribution
 * names its durables after its INSTANCE_ID (`results-distribution-<stream>-<instance>`, one per replica) and reads the
 * feed's older pages with ephemeral ordered consumers (random names), on the streams it follows (both feeds).
 * tools/deploy's nats-permissions spec fails when an app declares a durable missing here.
 */
export const SERVICE_CONSUMERS: readonly ConsumerGrant[] = [
  { service: 'entries', stream: 'SCHEDULES', durables: ['entries-schedule-events'] },
  { service: 'accreditation', stream: 'ENTRIES', durables: ['accreditation-entries-athletes'] },
  {
    service: 'accreditation',
    stream: 'VOLUNTEERS',
    durables: ['accreditation-volunteers-confirmed', 'accreditation-volunteers-withdrawn', 'accreditation-volunteers-erased'],
  },
  { service: 'accreditation', stream: 'WORKFORCE', durables: ['accreditation-workforce-members'] },
  { service: 'results-ingest', stream: 'SCHEDULES', durables: ['results-ingest-schedule-units'] },
  {
    service: 'workforce',
    stream: 'VOLUNTEERS',
    durables: ['workforce-volunteers-confirmed', 'workforce-volunteers-withdrawn', 'workforce-volunteers-erased'],
  },
  {
    service: 'workforce',
    stream: 'ACCREDITATION',
    durables: ['workforce-cards-issued', 'workforce-cards-changed', 'workforce-cards-suspended', 'workforce-cards-revoked', 'workforce-applications-erased'],
  },
  { service: 'workforce', stream: 'SCHEDULES', durables: ['workforce-schedule-units'] },
  ...['SCHEDULES', 'ENTRIES', 'RESULTS', 'RESULTS_CURRENT', 'RESULTS_TEST', 'RESULTS_TEST_CURRENT'].map(
    (stream): ConsumerGrant => ({ service: 'results-distribution', stream, durables: 'any' }),
  ),
];

/**
 * The dead-letter stream every service declares (libs/platform's deadLetterStream with its default 30-day age), for
 * the jetstream-admin Job. The integration spec declares it through the platform after the Job: a drift fails there.
 */
export const DEAD_LETTER_DEFINITION: StreamDefinition = {
  name: DEAD_LETTER_STREAM,
  subjects: [`${DEAD_LETTER_SUBJECT_ROOT}.>`],
  description: 'Dead letters: messages a service could not process (invalid payload or attempts exhausted).',
  retention: 'limits',
  storage: 'file',
  maxAge: 30 * 24 * 60 * 60 * 1000,
  duplicateWindow: 2 * 60_000,
};

/**
 * Services deleting single messages of a stream they own (`$JS.API.STREAM.MSG.DELETE.<stream>`, that stream only):
 * volunteers deletes an erased applicant's hand-over messages from VOLUNTEERS (apps/volunteers/src/personal-data/stream-erasure.ts).
 */
export const SERVICE_MESSAGE_DELETES: readonly MessageDeleteGrant[] = [{ service: 'volunteers', stream: 'VOLUNTEERS' }];

/** Core NATS request/reply subjects and the service answering them (a queue subscription each). */
export const SERVICE_RPC: readonly RpcSubject[] = [{ subject: INGEST_RPC_SUBJECT, service: 'results-ingest' }];

export const NATS_PERMISSIONS_FILE = join(WORKSPACE_ROOT, 'charts', 'podium', 'files', 'nats-permissions.json');

export function currentNatsPermissions(): string {
  const doc = buildNatsPermissions({
    subjects: Object.values(subjects).map((d) => ({ subject: d.subject, source: d.source, stream: d.stream })),
    streams,
    apps: listApps(),
    deadLetter: { stream: DEAD_LETTER_STREAM, subjectRoot: DEAD_LETTER_SUBJECT_ROOT, definition: DEAD_LETTER_DEFINITION },
    consumers: SERVICE_CONSUMERS,
    rpc: SERVICE_RPC,
    messageDeletes: SERVICE_MESSAGE_DELETES,
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
