import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  buildNatsPermissions,
  type ConsumerGrant,
  filterWithin,
  mayPublish,
  maySubscribe,
  type NatsPermissionsDocument,
  partnerPermissions,
  subjectPattern,
} from './nats-permissions';
import { CHART_DIR } from './helm';
import { listApps, WORKSPACE_ROOT } from './workspace';

const consumers: ConsumerGrant[] = [
  { service: 'entries', stream: 'SCHEDULES', durables: ['entries-schedule-events'] },
  { service: 'results-distribution', stream: 'SCHEDULES', durables: 'any' },
  { service: 'results-distribution', stream: 'RESULTS', durables: 'any' },
];
const contracts = {
  subjects: [
    { subject: 'oms.schedules.v1.unit.{discipline}.updated', source: 'podium/schedules', stream: 'SCHEDULES' },
    { subject: 'ods.results.v1.{discipline}.{rsc}.result', source: 'podium/results-distribution', stream: 'RESULTS' },
    { subject: 'ods.ingest.v1.{feed}.received', source: 'podium/results-ingest', stream: 'INGEST' },
  ],
  streams: [
    { name: 'SCHEDULES', subjects: ['oms.schedules.v1.>'] },
    { name: 'RESULTS', subjects: ['ods.results.v1.>'] },
    { name: 'INGEST', subjects: ['ods.ingest.v1.>'] },
  ],
  apps: ['schedules', 'entries'],
  deadLetter: { stream: 'DLQ', subjectRoot: 'dlq' },
  consumers,
  rpc: [{ subject: 'ods.ingest.v1.messages', service: 'results-ingest' }],
};

describe('NATS permissions derived from the contracts', () => {
  const doc = buildNatsPermissions(contracts);
  const user = (name: string) => {
    const u = doc.services[name];
    if (!u) throw new Error(`no user ${name}`);
    return u;
  };
  const acme = partnerPermissions(doc, { name: 'acme' });
  const beta = partnerPermissions(doc, { name: 'beta' });
  const distribution = user('results-distribution');

  it('has a user per app and per publishing service', () => {
    expect(Object.keys(doc.services)).toEqual(['entries', 'results-distribution', 'results-ingest', 'schedules']);
    expect(user('results-ingest').secretKey).toBe('RESULTS_INGEST');
  });

  it('lets a service publish its own subjects and dead letters, not another service`s', () => {
    const schedules = user('schedules');
    expect(mayPublish(schedules, 'oms.schedules.v1.unit.ATH.updated')).toBe(true);
    expect(mayPublish(schedules, 'dlq.schedules.oms.schedules.v1.unit.ATH.updated')).toBe(true);
    expect(mayPublish(schedules, 'ods.results.v1.ATH.X.result')).toBe(false);
    expect(mayPublish(schedules, 'dlq.entries.x')).toBe(false);
    expect(mayPublish(schedules, 'oms.schedules.v1.other')).toBe(false);
    expect(mayPublish(user('entries'), 'oms.schedules.v1.unit.ATH.updated')).toBe(false);
  });

  it('lets a service create and read streams, never update, delete or purge one (in its own account: read only)', () => {
    for (const name of Object.keys(doc.services)) {
      const u = user(name);
      expect(mayPublish(u, '$JS.API.INFO')).toBe(true);
      expect(mayPublish(u, '$JS.API.STREAM.CREATE.SCHEDULES')).toBe(name !== 'results-distribution');
      expect(mayPublish(u, '$JS.API.STREAM.INFO.RESULTS')).toBe(true);
      expect(mayPublish(u, '$JS.API.STREAM.CREATE.OTHER')).toBe(false);
      for (const op of ['UPDATE', 'DELETE', 'PURGE', 'MSG.DELETE', 'SNAPSHOT', 'RESTORE']) {
        expect({ name, op, allowed: mayPublish(u, `$JS.API.STREAM.${op}.RESULTS`) }).toEqual({ name, op, allowed: false });
      }
      expect(mayPublish(u, '$JS.API.STREAM.LIST')).toBe(false);
      expect(mayPublish(u, '$JS.API.CONSUMER.CREATE.RESULTS')).toBe(false);
    }
  });

  it('gives a service with fixed durables exactly those: create, read, next, ack, no delete, nobody else`s', () => {
    const entries = user('entries');
    expect(mayPublish(entries, '$JS.API.CONSUMER.CREATE.SCHEDULES.entries-schedule-events.oms.schedules.v1.event.*.updated')).toBe(true);
    expect(mayPublish(entries, '$JS.API.CONSUMER.DURABLE.CREATE.SCHEDULES.entries-schedule-events')).toBe(true);
    expect(mayPublish(entries, '$JS.API.CONSUMER.INFO.SCHEDULES.entries-schedule-events')).toBe(true);
    expect(mayPublish(entries, '$JS.API.CONSUMER.MSG.NEXT.SCHEDULES.entries-schedule-events')).toBe(true);
    expect(mayPublish(entries, '$JS.ACK.SCHEDULES.entries-schedule-events.1.2.3.4.5')).toBe(true);
    expect(mayPublish(entries, '$JS.API.CONSUMER.DELETE.SCHEDULES.entries-schedule-events')).toBe(false);
    expect(mayPublish(entries, '$JS.API.CONSUMER.CREATE.SCHEDULES.other')).toBe(false);
    expect(mayPublish(entries, '$JS.API.CONSUMER.MSG.NEXT.SCHEDULES.results-distribution-schedules-pod-1')).toBe(false);
    expect(mayPublish(entries, '$JS.ACK.SCHEDULES.results-distribution-schedules-pod-1.1.2.3.4.5')).toBe(false);
    expect(mayPublish(entries, '$JS.API.CONSUMER.CREATE.RESULTS.entries-schedule-events')).toBe(false);
    expect(mayPublish(user('schedules'), '$JS.API.CONSUMER.CREATE.SCHEDULES.entries-schedule-events')).toBe(false);
  });

  it('gives a service naming consumers at run time an account of its own, with mirrors of the streams it follows', () => {
    expect(doc.accounts.main).toBe('PODIUM');
    expect(doc.accounts.isolated.map((a) => [a.account, a.service])).toEqual([['RESULTS_DISTRIBUTION', 'results-distribution']]);
    const [account] = doc.accounts.isolated;
    if (!account) throw new Error('no isolated account');
    expect(account.api).toBe('$JS.PODIUM.API');
    expect(account.mirrors).toEqual([
      { name: 'RESULTS', deliver: 'podium.mirror.results-distribution.RESULTS' },
      { name: 'SCHEDULES', deliver: 'podium.mirror.results-distribution.SCHEDULES' },
    ]);
    // What the main account lends it: consumer creation and flow control on the followed streams (for the mirrors),
    // the mirrors' deliveries, and the subjects it publishes as services (a JetStream publish and its ack).
    expect(account.links).toEqual([
      { kind: 'service', subject: '$JS.API.CONSUMER.CREATE.RESULTS', to: '$JS.PODIUM.API.CONSUMER.CREATE.RESULTS' },
      { kind: 'service', subject: '$JS.API.CONSUMER.CREATE.RESULTS.>', to: '$JS.PODIUM.API.CONSUMER.CREATE.RESULTS.>' },
      { kind: 'service', subject: '$JS.FC.RESULTS.>' },
      { kind: 'service', subject: '$JS.API.CONSUMER.CREATE.SCHEDULES', to: '$JS.PODIUM.API.CONSUMER.CREATE.SCHEDULES' },
      { kind: 'service', subject: '$JS.API.CONSUMER.CREATE.SCHEDULES.>', to: '$JS.PODIUM.API.CONSUMER.CREATE.SCHEDULES.>' },
      { kind: 'service', subject: '$JS.FC.SCHEDULES.>' },
      { kind: 'stream', subject: 'podium.mirror.results-distribution.>' },
      { kind: 'service', subject: 'ods.results.v1.*.*.result' },
      { kind: 'service', subject: 'dlq.results-distribution.>' },
    ]);
    // Its admin creates and updates the mirrors only.
    expect(account.admin.user).toBe('jetstream-admin-results-distribution');
    expect(account.admin.secretKey).toBe('JETSTREAM_ADMIN_RESULTS_DISTRIBUTION');
    expect(mayPublish(account.admin, '$JS.API.STREAM.CREATE.RESULTS')).toBe(true);
    expect(mayPublish(account.admin, '$JS.API.STREAM.DELETE.RESULTS')).toBe(false);
    expect(mayPublish(account.admin, '$JS.API.STREAM.CREATE.OTHER')).toBe(false);
    expect(mayPublish(account.admin, '$JS.API.CONSUMER.CREATE.RESULTS.x')).toBe(false);
  });

  it('lets the isolated service use any consumer name on its mirrors, and neither create streams nor reach the main API', () => {
    expect(mayPublish(distribution, '$JS.API.CONSUMER.CREATE.RESULTS.results-distribution-results-pod-1.ods.results.v1.>')).toBe(true);
    expect(mayPublish(distribution, '$JS.API.CONSUMER.DELETE.SCHEDULES.results-distribution-schedules-pod-1')).toBe(true);
    expect(mayPublish(distribution, '$JS.API.CONSUMER.MSG.NEXT.RESULTS.Xy3nuid_1')).toBe(true);
    expect(mayPublish(distribution, '$JS.ACK.RESULTS.results-distribution-results-pod-1.1.2.3.4.5')).toBe(true);
    expect(mayPublish(distribution, '$JS.API.STREAM.INFO.RESULTS')).toBe(true);
    for (const subject of ['$JS.API.STREAM.CREATE.RESULTS', '$JS.API.STREAM.CREATE.EVIL', '$JS.API.STREAM.UPDATE.RESULTS', '$JS.PODIUM.API.CONSUMER.CREATE.RESULTS', '$JS.FC.RESULTS.x']) {
      expect({ subject, allowed: mayPublish(distribution, subject) }).toEqual({ subject, allowed: false });
    }
    // Not on a stream it does not follow; its own publications and dead letters only.
    expect(mayPublish(distribution, '$JS.API.CONSUMER.CREATE.INGEST.x')).toBe(false);
    expect(mayPublish(distribution, 'ods.results.v1.ATH.X.result')).toBe(true);
    expect(mayPublish(distribution, 'dlq.results-distribution.x')).toBe(true);
    expect(mayPublish(distribution, 'dlq.schedules.x')).toBe(false);
    expect(maySubscribe(distribution, 'podium.mirror.results-distribution.RESULTS.x')).toBe(false);
    // The main account's services name no consumer freely any more.
    expect(mayPublish(user('entries'), '$JS.API.CONSUMER.CREATE.SCHEDULES.x')).toBe(false);
  });

  it('refuses an isolated service that answers requests', () => {
    expect(() => buildNatsPermissions({ ...contracts, rpc: [{ subject: 'x.y', service: 'results-distribution' }] })).toThrow(
      'results-distribution answers requests and names its consumers at run time',
    );
  });

  it('gives each service its own inbox prefix and subscriptions, and the RPC subject to the service answering it', () => {
    const schedules = user('schedules');
    expect(schedules.inboxPrefix).toBe('_INBOX_schedules');
    expect(maySubscribe(schedules, '_INBOX_schedules.abc.def')).toBe(true);
    expect(maySubscribe(schedules, '_INBOX.abc.def')).toBe(false);
    expect(maySubscribe(schedules, '_INBOX.>')).toBe(false);
    expect(maySubscribe(schedules, '_INBOX_entries.abc')).toBe(false);
    expect(maySubscribe(schedules, 'ods.results.v1.>')).toBe(false);
    expect(maySubscribe(schedules, 'ods.ingest.v1.messages')).toBe(false);
    expect(maySubscribe(user('results-ingest'), 'ods.ingest.v1.messages')).toBe(true);
  });

  it('gives each partner its own user, inbox prefix and durable, read-only', () => {
    expect([acme.user, acme.secretKey, acme.inboxPrefix, acme.durable]).toEqual(['partner-acme', 'PARTNER_ACME', '_INBOX_partner_acme', 'partner_acme']);
    expect(partnerPermissions(doc, { name: 'wire-tv' }).secretKey).toBe('PARTNER_WIRE_TV');
    expect(partnerPermissions(doc, { name: 'wire-tv', secretKey: 'WIRE' }).secretKey).toBe('WIRE');
    expect(maySubscribe(acme, 'ods.results.v1.ATH.ATHM100M.result')).toBe(true);
    expect(maySubscribe(acme, 'oms.schedules.v1.unit.ATH.updated')).toBe(false);
    expect(maySubscribe(acme, '_INBOX.>')).toBe(false);
    expect(maySubscribe(acme, '_INBOX_partner_acme.x.y')).toBe(true);
    expect(maySubscribe(acme, '_INBOX_partner_beta.x.y')).toBe(false);
    expect(mayPublish(acme, 'ods.results.v1.ATH.X.result')).toBe(false);
    expect(mayPublish(acme, '$JS.API.CONSUMER.MSG.NEXT.RESULTS.partner_acme')).toBe(true);
    expect(mayPublish(acme, '$JS.API.CONSUMER.INFO.RESULTS.partner_acme')).toBe(true);
    expect(mayPublish(acme, '$JS.ACK.RESULTS.partner_acme.1.2.3.4.5')).toBe(true);
    // No consumer of its own making (a push consumer's deliver subject could name any subject), none of another's.
    for (const subject of [
      '$JS.API.CONSUMER.CREATE.RESULTS.partner_acme',
      '$JS.API.CONSUMER.CREATE.RESULTS.partner_acme.ods.results.v1.>',
      '$JS.API.CONSUMER.DURABLE.CREATE.RESULTS.partner_acme',
      '$JS.API.CONSUMER.DELETE.RESULTS.partner_acme',
      '$JS.API.CONSUMER.CREATE.RESULTS',
      '$JS.API.CONSUMER.MSG.NEXT.RESULTS.partner_beta',
      '$JS.API.CONSUMER.DELETE.RESULTS.partner_beta',
      '$JS.ACK.RESULTS.partner_beta.1.2.3.4.5',
      '$JS.API.CONSUMER.MSG.NEXT.RESULTS.results-distribution-results-pod-1',
      '$JS.API.CONSUMER.CREATE.SCHEDULES.x',
      '$JS.API.STREAM.UPDATE.RESULTS',
      '$JS.API.STREAM.DELETE.RESULTS',
    ]) {
      expect({ subject, allowed: mayPublish(acme, subject) }).toEqual({ subject, allowed: false });
    }
    expect(mayPublish(beta, '$JS.API.CONSUMER.MSG.NEXT.RESULTS.partner_beta')).toBe(true);
    expect(doc.streams.filter((s) => s.public).map((s) => s.name)).toEqual(['RESULTS']);
  });

  it('lets jetstream-admin update streams and manage the partners` consumers, not delete or purge', () => {
    const { admin } = doc;
    expect(mayPublish(admin, '$JS.API.STREAM.UPDATE.RESULTS')).toBe(true);
    expect(mayPublish(admin, '$JS.API.CONSUMER.CREATE.RESULTS.partner_acme.ods.results.v1.>')).toBe(true);
    expect(mayPublish(admin, '$JS.API.STREAM.DELETE.RESULTS')).toBe(false);
    expect(mayPublish(admin, '$JS.API.STREAM.PURGE.RESULTS')).toBe(false);
    expect(mayPublish(admin, '$JS.API.CONSUMER.MSG.NEXT.RESULTS.partner_acme')).toBe(false);
    expect(maySubscribe(admin, '_INBOX.>')).toBe(false);
  });

  it('gives the jetstream-admin Job the streams` settings as the platform declares them (ns, defaults applied)', () => {
    const definition = {
      name: 'RESULTS',
      subjects: ['ods.results.v1.>'],
      description: 'results',
      retention: 'limits' as const,
      storage: 'file' as const,
      maxAge: 0,
      duplicateWindow: 0,
    };
    const dlq = { ...definition, name: 'DLQ', subjects: ['dlq.>'], maxAge: 1000, duplicateWindow: 60_000, maxMsgsPerSubject: 3 };
    const withSettings = buildNatsPermissions({ ...contracts, streams: [...contracts.streams.filter((s) => s.name !== 'RESULTS'), definition], deadLetter: { ...contracts.deadLetter, definition: dlq } });
    expect(withSettings.streamConfigs).toEqual([
      { name: 'DLQ', subjects: ['dlq.>'], description: 'results', retention: 'limits', storage: 'file', max_age: 1_000_000_000, duplicate_window: 60_000_000_000, max_msgs_per_subject: 3 },
      { name: 'RESULTS', subjects: ['ods.results.v1.>'], description: 'results', retention: 'limits', storage: 'file', max_age: 0, duplicate_window: 120_000_000_000, max_msgs_per_subject: -1 },
    ]);
    expect(doc.streamConfigs).toEqual([]);
  });

  it('refuses consumer grants it could not keep apart', () => {
    expect(() => buildNatsPermissions({ ...contracts, consumers: [...consumers, { service: 'schedules', stream: 'RESULTS', durables: 'any' }] })).toThrow(
      'Both results-distribution and schedules name their consumers on RESULTS at run time',
    );
    expect(() =>
      buildNatsPermissions({ ...contracts, consumers: [...consumers, { service: 'schedules', stream: 'SCHEDULES', durables: ['entries-schedule-events'] }] }),
    ).toThrow('claimed by both entries and schedules');
    expect(() => buildNatsPermissions({ ...contracts, consumers: [{ service: 'schedules', stream: 'RESULTS', durables: ['partner_x'] }] })).toThrow(
      "the names partner_* are the partners'",
    );
    expect(() => buildNatsPermissions({ ...contracts, consumers: [{ service: 'schedules', stream: 'NOPE', durables: ['a'] }] })).toThrow('no stream NOPE');
    expect(() => buildNatsPermissions({ ...contracts, consumers: [{ service: 'schedules', stream: 'SCHEDULES', durables: ['a.b'] }] })).toThrow(
      "use letters, digits, '-' or '_'",
    );
    expect(() => buildNatsPermissions({ ...contracts, consumers: [{ service: 'nobody', stream: 'SCHEDULES', durables: ['a'] }] })).toThrow('nobody is not an app');
  });

  it('names the owner of each stream, and the dead-letter stream', () => {
    expect(doc.streams.map((s) => [s.name, s.owner])).toEqual([
      ['DLQ', null],
      ['INGEST', 'results-ingest'],
      ['RESULTS', 'results-distribution'],
      ['SCHEDULES', 'schedules'],
    ]);
  });

  it('refuses a stream fed by two services, a subject its stream does not capture, and a bad source', () => {
    expect(() =>
      buildNatsPermissions({ ...contracts, subjects: [...contracts.subjects, { subject: 'oms.schedules.v1.x', source: 'podium/entries', stream: 'SCHEDULES' }] }),
    ).toThrow('Stream SCHEDULES captures subjects of several services (schedules, entries)');
    expect(() =>
      buildNatsPermissions({ ...contracts, subjects: [{ subject: 'oms.entries.v1.x', source: 'podium/entries', stream: 'SCHEDULES' }] }),
    ).toThrow('do not capture it');
    expect(() => buildNatsPermissions({ ...contracts, subjects: [{ subject: 'a.b', source: 'schedules', stream: 'SCHEDULES' }] })).toThrow(
      'not of the form podium/<service>',
    );
  });

  it('compares subject filters', () => {
    expect(subjectPattern('oms.schedules.v1.unit.{discipline}.updated')).toBe('oms.schedules.v1.unit.*.updated');
    expect(filterWithin('ods.results.v1.*.x', 'ods.results.v1.>')).toBe(true);
    expect(filterWithin('ods.results.>', 'ods.results.v1.>')).toBe(false);
    expect(filterWithin('ods.results.v1', 'ods.results.v1.>')).toBe(false);
    expect(filterWithin('a.*.c', 'a.*.c')).toBe(true);
    expect(filterWithin('a.>', 'a.*')).toBe(false);
  });
});

describe('charts/podium/files/nats-permissions.json', () => {
  const committed = JSON.parse(readFileSync(join(CHART_DIR, 'files', 'nats-permissions.json'), 'utf8')) as NatsPermissionsDocument;

  it('is current with the contracts and apps/ (tools/helm/nats-permissions.ts --check)', () => {
    const out = execFileSync('npx', ['tsx', 'tools/helm/nats-permissions.ts', '--check'], { cwd: WORKSPACE_ROOT, encoding: 'utf8' });
    expect(out).toContain('is up to date');
  });

  it('has a NATS user for every app in apps/', () => {
    for (const app of listApps()) expect(Object.keys(committed.services)).toContain(app);
  });

  it('has the settings of every stream, the dead-letter stream included, for the jetstream-admin Job', () => {
    expect(committed.streamConfigs.map((c) => c.name)).toEqual(committed.streams.map((s) => s.name));
    expect(committed.streamConfigs.find((c) => c.name === 'DLQ')?.max_age).toBe(30 * 24 * 60 * 60 * 1e9);
  });

  it('grants every durable the apps declare, and no durable they do not (tools/helm SERVICE_CONSUMERS)', () => {
    const declared = appDurables();
    const problems: string[] = [];
    for (const [app, { fixed, runtime }] of declared) {
      const grants = committed.consumers.filter((c) => c.service === app);
      const granted = grants.flatMap((c) => (c.durables === 'any' ? [] : c.durables));
      for (const name of fixed) if (!granted.includes(name)) problems.push(`${app} declares durable ${name}: add it to SERVICE_CONSUMERS`);
      if (runtime.length > 0 && !grants.some((c) => c.durables === 'any')) {
        problems.push(`${app} names durables at run time (${runtime.join(', ')}): give it 'any' on the streams it follows`);
      }
    }
    for (const grant of committed.consumers) {
      for (const name of grant.durables === 'any' ? [] : grant.durables) {
        if (!declared.get(grant.service)?.fixed.includes(name)) problems.push(`SERVICE_CONSUMERS grants ${grant.service} durable ${name}, which it no longer declares`);
      }
    }
    expect(problems).toEqual([]);
    // The scan finds what it must (it can fail).
    expect(declared.get('entries')?.fixed).toContain('entries-schedule-events');
    expect(declared.get('results-distribution')?.runtime.length).toBeGreaterThan(0);
  });
});

/** Durable names in the apps' sources (tests excepted): literals, and template literals made at run time. */
function appDurables(): Map<string, { fixed: string[]; runtime: string[] }> {
  const out = new Map<string, { fixed: string[]; runtime: string[] }>();
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return entry === 'test-support' ? [] : files(path);
      return /\.ts$/.test(entry) && !/\.(spec|integration-spec|e2e-spec)\.ts$/.test(entry) ? [path] : [];
    });
  for (const app of listApps()) {
    const found = { fixed: [] as string[], runtime: [] as string[] };
    for (const file of files(join(WORKSPACE_ROOT, 'apps', app, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:\bdurable:\s*|_DURABLE\s*=\s*)(['"`])([^'"`]+)\1/g)) {
        const name = m[2] ?? '';
        if (name.includes('${')) found.runtime.push(`${relative(WORKSPACE_ROOT, file)}: ${name}`);
        else found.fixed.push(name);
      }
    }
    out.set(app, found);
  }
  return out;
}
