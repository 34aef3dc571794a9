/**
 * An example partner program: follows the official results over NATS with the partner's durable consumer (it resumes
 * where it stopped, even after a crash) and the medal table over results-distribution's CIS WebSocket, and prints them
 * as they change. See README.md for how to run it against `npm start`.
 *
 *   npx tsx examples/partner-feed/src/main.ts [--discipline ATH] [--cis-documents] [--json]
 */
import { parseArgs } from 'node:util';
import {
  CisClient,
  connectPartner,
  followResults,
  type MedalTable,
  PartnerSdkError,
  type ResultDelivery,
} from '@podium/partner-sdk';

const { values: args } = parseArgs({
  options: {
    discipline: { type: 'string' },
    'cis-documents': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const env = process.env;
const config = {
  natsUrl: env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
  user: env['PARTNER_USER'] ?? 'partner-demo',
  pass: env['PARTNER_PASSWORD'],
  prefix: env['NATS_PREFIX'] ?? '',
  /** Local development only (NATS without authorization): a partner login cannot create its durable. */
  createDurable: env['PARTNER_CREATE_DURABLE'] === 'true',
  cisUrl: env['CIS_URL'] ?? 'ws://127.0.0.1:3007/v1/cis',
};
const json = args.json === true;

/** One line per event: readable, or JSON (for scripts and the test). */
function print(event: string, fields: Record<string, unknown>, text: string): void {
  process.stdout.write(json ? `${JSON.stringify({ event, ...fields })}\n` : `${text}\n`);
}

/** "1. USA 9.79  2. JAM 9.81 …" from the first Result elements of a document. */
function podiumLine(delivery: ResultDelivery): string {
  const results = delivery.data.competition?.['Result'];
  if (!Array.isArray(results)) return '';
  return results
    .slice(0, 3)
    .map((r) => {
      const competitor = Array.isArray(r['Competitor']) ? r['Competitor'][0] : undefined;
      return `${String(r['Rank'] ?? '-')}. ${String(competitor?.['Organisation'] ?? '?')} ${String(r['Result'] ?? '')}`.trim();
    })
    .join('  ');
}

function medalLines(table: MedalTable): string {
  const rows = table.rows.slice(0, 10).map((r) => `  ${String(r.rank).padStart(3)} ${r.noc.padEnd(4)} ${r.gold} ${r.silver} ${r.bronze}  ${r.total}`);
  return [`medal table (seq ${table.seq}, ${table.events} events)   G S B  total`, ...rows].join('\n');
}

async function main(): Promise<void> {
  const connection = await connectPartner({ servers: config.natsUrl, user: config.user, pass: config.pass, prefix: config.prefix, name: 'partner-feed-example' });
  const follower = await followResults({
    connection,
    create: config.createDurable,
    filter: args.discipline ? { discipline: args.discipline } : {},
    handler: (r) => {
      const d = r.data;
      print(
        'result',
        { seq: r.seq, subject: r.subject, documentKey: d.documentKey, version: d.version, resultStatus: d.resultStatus, deliveryCount: r.deliveryCount },
        `[${r.seq}] ${d.documentCode} ${d.documentType} v${d.version} ${d.resultStatus ?? ''}${d.correction ? ' (correction)' : ''}  ${podiumLine(r)}`,
      );
    },
    onInvalid: (bad) => print('invalid', { seq: bad.seq, subject: bad.subject, reason: bad.reason }, `[${bad.seq}] invalid message on ${bad.subject}: ${bad.reason}`),
    onError: (error, at) => print('error', { seq: at.seq, message: String(error) }, `[${at.seq}] handler failed: ${String(error)}`),
  });
  print('following', { durable: follower.durable }, `following results with durable ${follower.durable} (NATS ${config.natsUrl})`);

  const cis = new CisClient({
    url: config.cisUrl,
    medals: true,
    subscriptions: args['cis-documents'] ? [{ id: 'live', ...(args.discipline ? { discipline: args.discipline } : {}) }] : [],
  });
  let lastTable = '';
  cis.on('medals', ({ table }) => {
    const key = JSON.stringify(table.rows);
    if (key === lastTable) return;
    lastTable = key;
    print('medals', { seq: table.seq, rows: table.rows }, medalLines(table));
  });
  cis.on('subscribed', (m) => m.id && print('cis-subscribed', { id: m.id, resumed: m.resumed ?? false, missed: m.missed ?? 0, seq: m.seq }, `CIS ${m.id}: ${m.resumed ? `resumed, ${m.missed ?? 0} missed` : 'snapshot'}`));
  cis.on('snapshot', (m) => print('cis-snapshot', { id: m.id, seq: m.seq, documents: m.documents.length }, `CIS snapshot ${m.id}: ${m.documents.length} documents at seq ${m.seq}`));
  cis.on('update', ({ seq, document }) =>
    print('cis-update', { seq, documentKey: document.documentKey, version: document.version }, `CIS [${seq}] ${document.documentCode} ${document.documentType} v${document.version} ${document.resultStatus ?? ''}`),
  );
  cis.on('reset', (m) => print('cis-reset', { id: m.id, reason: m.reason }, `CIS ${m.id} reset: ${m.reason}`));
  cis.on('disconnected', (d) => print('cis-disconnected', { ...d }, `CIS disconnected (${d.code} ${d.reason}), again in ${d.reconnectInMs ?? '-'} ms`));
  cis.on('invalid', (m) => print('cis-invalid', { reason: m.reason }, `CIS invalid message: ${m.reason}`));
  // The first CIS connection may fail (results-distribution not up yet): the client keeps trying in the background.
  await cis.connect().catch((error: unknown) => print('cis-unavailable', { message: String(error) }, `CIS not reachable yet (${String(error)}); retrying`));

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await Promise.all([cis.close(), follower.stop()]);
    await connection.close();
    print('stopped', {}, 'stopped');
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await follower.closed;
}

main().catch((error: unknown) => {
  const code = error instanceof PartnerSdkError ? ` (${error.code})` : '';
  process.stderr.write(`partner-feed: ${error instanceof Error ? error.message : String(error)}${code}\n`);
  process.exit(1);
});
