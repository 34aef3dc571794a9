/**
 * Behind: messages that waited on the server for this instance (here: published while it was stopped, then read at
 * restart) are taken in without validating the LIVE versions a newer one of the same document supersedes. The state
 * ends at the newest version of every document, OFFICIAL versions are all applied and distributed in order, resuming
 * clients get them and the newest versions, and the partner feed still gives every message (from the stream where a
 * version was conflated).
 */
import { randomUUID } from 'node:crypto';

import { envelopeFor, type PayloadOf, resultsDocumentPublished, resultsSubjectOf, type ResultsMessage } from '@podium/contracts';
import { DEAD_LETTER_STREAM, NatsConnectionService } from '@podium/platform';
import { waitFor } from '@podium/testing';
import { CisClient, httpGet } from '../test-support/clients';
import { distributionForThisFile } from '../test-support/distribution';
import { publishResult, result } from '../test-support/messages';

// A message handled more than FANOUT_LATE_MS after the stream stored it also means "behind" (the default 50 ms): on a
// CI machine starved of CPU a trickle can be that late, and is then rightly held. What this file checks is the backlog
// the stream counts (messages waiting for this instance), so lateness alone counts only past 2 s here.
const rd = distributionForThisFile({ FANOUT_LATE_MS: '2000' });

const UNITS = [1, 2, 3, 4].map((n) => `SWMM100M--------------FNL-00020${n}--`);

function metric(text: string, name: string, ...labels: string[]): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && labels.every((label) => l.includes(label)));
  return Number(line?.split(' ').at(-1) ?? 0);
}

describe('a backlog', () => {
  it('is not seen where there is none: a trickle of messages is fanned out without holding a round', async () => {
    const cis = await CisClient.connect(rd.app.cisUrl);
    cis.send({ action: 'subscribe', id: 'row', discipline: 'ROW' });
    await cis.next((m) => m.type === 'snapshot');
    for (let version = 1; version <= 10; version++) {
      const seq = await publishResult(rd.app, result({ rsc: 'ROWM100M--------------FNL-000101--', version, competitors: 3, splits: 1 }));
      await waitFor(() => cis.updates().some((m) => Number(m['seq']) === seq));
    }
    const metrics = (await httpGet(`${rd.app.url}/metrics`)).body;
    expect(metric(metrics, 'results_distribution_fanout_holds_total', 'ended="backlog-read"')).toBe(0);
    expect(metric(metrics, 'results_distribution_fanout_holds_total', 'ended="max-hold"')).toBe(0);
    await cis.close();
  });

  it('is taken in conflating superseded LIVE versions, never OFFICIAL ones, and the feed still has every message', async () => {
    const before = await publishResult(rd.app, result({ rsc: UNITS[0] as string, version: 1, competitors: 3, splits: 1 }));
    await waitFor(() => rd.app.state.resultsSeq === before);
    await rd.app.stop();

    const published: { seq: number; rsc: string; version: number; official: boolean }[] = [];
    for (let version = 2; version <= 16; version++) {
      for (const rsc of UNITS) {
        const official = version % 5 === 0;
        const seq = await publishResult(rd.app, result({ rsc, version, resultStatus: official ? 'OFFICIAL' : 'LIVE', competitors: 3, splits: 1 }));
        published.push({ seq, rsc, version, official });
      }
    }
    const last = published.at(-1)?.seq ?? 0;

    const app = await rd.restart();
    await waitFor(() => app.state.resultsSeq === last, { timeoutMs: 20_000 });
    for (const rsc of UNITS) expect(app.state.documents.find(rsc, 'DT_RESULT')?.data.version).toBe(16);
    const metrics = (await httpGet(`${app.url}/metrics`)).body;
    const conflated = metric(metrics, 'results_distribution_messages_total', 'outcome="conflated"', 'stream="results"');
    // At most every LIVE version but the newest of each unit; some at least, since they all waited together.
    const live = published.filter((p) => !p.official).length;
    expect(conflated).toBeGreaterThan(0);
    expect(conflated).toBeLessThanOrEqual(live - UNITS.length);

    // A client that saw `before` resumes: every OFFICIAL version and the newest of each unit, in order, and nothing
    // else (a resume leaves out the LIVE versions a later one supersedes, whether or not the backlog conflated them:
    // how much it conflated depends on how the restart's reads fell, see ReplayBuffer.resume).
    const cis = await CisClient.connect(app.cisUrl);
    cis.send({ action: 'subscribe', id: 'swm', discipline: 'SWM', after: before });
    expect((await cis.next((m) => m.type === 'subscribed'))['resumed']).toBe(true);
    await waitFor(() => cis.updates().some((m) => Number(m['seq']) === last), { timeoutMs: 10_000 });
    const got = cis.updates().map((m) => Number(m['seq']));
    const newest = UNITS.map((rsc) => Math.max(...published.filter((p) => p.rsc === rsc).map((p) => p.seq)));
    const mustGet = [...published.filter((p) => p.official).map((p) => p.seq), ...newest].sort((a, b) => a - b);
    expect(got).toEqual(mustGet);
    await cis.close();

    // The partner feed: every message after `before`, none left out (the conflated ones are read from the stream).
    const token = await app.token(['partner'], { sub: 'partner-1' });
    const page = await httpGet(`${app.url}/v1/feed?after=${before}&limit=500`, { Authorization: `Bearer ${token}` });
    expect(page.status).toBe(200);
    const body = JSON.parse(page.body) as { items: { seq: number; version: number }[] };
    expect(body.items.map((i) => i.seq)).toEqual(published.map((p) => p.seq));
  });

  it('dead-letters an invalid message that is the newest of its document; one a valid newer version supersedes is skipped unvalidated', async () => {
    const [a, b] = ['ROWW200M--------------FNL-000301--', 'ROWW200M--------------FNL-000302--'] as const;
    const before = await publishResult(rd.app, result({ rsc: a, version: 1, competitors: 3, splits: 1 }));
    await waitFor(() => rd.app.state.resultsSeq === before);
    await rd.app.stop();

    const prefix = rd.app.nats.prefix;
    /** A results message that is JSON with a document key but fails the contract (an unknown ResultStatus). */
    const publishInvalid = async (data: ResultsMessage): Promise<void> => {
      const envelope = envelopeFor(resultsDocumentPublished.subject, data as PayloadOf<typeof resultsDocumentPublished.subject>, { id: randomUUID() });
      const invalid = { ...envelope, data: { ...envelope.data, resultStatus: 'NOT_A_STATUS' } };
      await rd.app.reader.jetstream().publish(`${prefix}${resultsSubjectOf(data)}`, JSON.stringify(invalid), { msgID: invalid.id });
    };
    // a: LIVE 2, invalid 3, LIVE 4 (the invalid one is superseded); b: LIVE 2, invalid 3 (the newest of b); then bytes
    // that are not JSON at all.
    await publishResult(rd.app, result({ rsc: a, version: 2, competitors: 3, splits: 1 }));
    await publishResult(rd.app, result({ rsc: b, version: 2, competitors: 3, splits: 1 }));
    await publishInvalid(result({ rsc: a, version: 3, competitors: 3, splits: 1 }));
    await publishInvalid(result({ rsc: b, version: 3, competitors: 3, splits: 1 }));
    const aLatest = await publishResult(rd.app, result({ rsc: a, version: 4, competitors: 3, splits: 1 }));
    await rd.app.reader.jetstream().publish(`${prefix}${resultsSubjectOf(result({ rsc: b, version: 9 }))}`, 'not json {', { msgID: randomUUID() });
    const last = aLatest + 1;

    const app = await rd.restart();
    await waitFor(() => app.state.resultsSeq === last, { timeoutMs: 20_000 });
    expect(app.state.documents.find(a, 'DT_RESULT')?.data.version).toBe(4);
    expect(app.state.documents.find(b, 'DT_RESULT')?.data.version).toBe(2);

    // Dead-lettered: b's invalid version 3 and the bytes that are not JSON; not a's invalid version 3 (never validated).
    const dlq = await rd.app.reader.jetstreamManager();
    const dead = async (): Promise<number> => {
      const info = await dlq.streams.info(app.app.get(NatsConnectionService).naming.name(DEAD_LETTER_STREAM), { subjects_filter: '>' });
      return Object.entries(info.state.subjects ?? {})
        .filter(([subject]) => subject.includes('results-distribution'))
        .reduce((total, [, count]) => total + count, 0);
    };
    await waitFor(async () => (await dead()) === 2, { timeoutMs: 10_000, description: 'two dead letters' });
    const metrics = (await httpGet(`${app.url}/metrics`)).body;
    expect(metric(metrics, 'results_distribution_messages_total', 'outcome="invalid"', 'stream="results"')).toBe(2);
    // a's LIVE 2 and invalid 3 were superseded by its LIVE 4 in the backlog (b's LIVE 2 is b's newest valid version).
    expect(metric(metrics, 'results_distribution_messages_total', 'outcome="conflated"', 'stream="results"')).toBeGreaterThanOrEqual(2);

    // The partner feed skips the invalid ones and still has every valid message.
    const token = await app.token(['partner'], { sub: 'partner-1' });
    const page = await httpGet(`${app.url}/v1/feed?after=${before}&limit=500`, { Authorization: `Bearer ${token}` });
    const items = (JSON.parse(page.body) as { items: { documentCode: string; version: number }[] }).items;
    expect(items.map((i) => `${i.documentCode === a ? 'a' : 'b'}${i.version}`)).toEqual(['a2', 'b2', 'a4']);
  });
});
