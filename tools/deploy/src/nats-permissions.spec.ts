import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildNatsPermissions,
  filterWithin,
  mayPublish,
  maySubscribe,
  type NatsPermissionsDocument,
  subjectPattern,
} from './nats-permissions';
import { CHART_DIR } from './helm';
import { listApps, WORKSPACE_ROOT } from './workspace';

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
};

describe('NATS permissions derived from the contracts', () => {
  const doc = buildNatsPermissions(contracts);
  const user = (name: string) => {
    const u = doc.services[name];
    if (!u) throw new Error(`no user ${name}`);
    return u;
  };

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

  it('allows the JetStream API but not deleting or purging streams', () => {
    const schedules = user('schedules');
    expect(mayPublish(schedules, '$JS.API.STREAM.CREATE.SCHEDULES')).toBe(true);
    expect(mayPublish(schedules, '$JS.API.CONSUMER.MSG.NEXT.RESULTS.schedules-results')).toBe(true);
    expect(mayPublish(schedules, '$JS.ACK.RESULTS.c.1.2.3.4.5')).toBe(true);
    expect(mayPublish(schedules, '$JS.API.STREAM.DELETE.RESULTS')).toBe(false);
    expect(mayPublish(schedules, '$JS.API.STREAM.PURGE.SCHEDULES')).toBe(false);
    expect(maySubscribe(schedules, '_INBOX.abc.def')).toBe(true);
    expect(maySubscribe(schedules, 'ods.results.v1.>')).toBe(false);
  });

  it('gives the partner read-only access to the public results, through its own inbox prefix', () => {
    const { partner } = doc;
    expect(maySubscribe(partner, 'ods.results.v1.ATH.ATHM100M.result')).toBe(true);
    expect(maySubscribe(partner, 'oms.schedules.v1.unit.ATH.updated')).toBe(false);
    expect(maySubscribe(partner, 'ods.ingest.v1.x.received')).toBe(false);
    expect(maySubscribe(partner, '_INBOX.>')).toBe(false);
    expect(maySubscribe(partner, '_INBOX_partner.x.y')).toBe(true);
    expect(mayPublish(partner, 'ods.results.v1.ATH.X.result')).toBe(false);
    expect(mayPublish(partner, '$JS.API.CONSUMER.CREATE.RESULTS.p1.ods.results.v1.>')).toBe(true);
    expect(mayPublish(partner, '$JS.API.CONSUMER.MSG.NEXT.RESULTS.p1')).toBe(true);
    expect(mayPublish(partner, '$JS.API.CONSUMER.CREATE.SCHEDULES')).toBe(false);
    expect(mayPublish(partner, '$JS.API.CONSUMER.CREATE.INGEST.x.>')).toBe(false);
    expect(mayPublish(partner, '$JS.API.STREAM.DELETE.RESULTS')).toBe(false);
    expect(doc.streams.filter((s) => s.public).map((s) => s.name)).toEqual(['RESULTS']);
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
});
