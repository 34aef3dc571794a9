/**
 * Entries from the ENTRIES stream (OMS) served per event: latest version per entry, withdrawn left out, sorted by NOC
 * then name, strong ETag and 304s, and the same list after a restart from the checkpoint.
 */
import { athleteChanged } from '@podium/contracts';
import { waitFor } from '@podium/testing';
import { httpGet } from '../test-support/clients';
import { type Distribution, distributionForThisFile } from '../test-support/distribution';
import { entry, EVENT, publishEntry } from '../test-support/messages';

const rd = distributionForThisFile();

const ID = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

async function published(app: Distribution, seq: number): Promise<void> {
  await waitFor(() => app.state.entriesSeq >= seq, { description: `ENTRIES #${seq} applied` });
}

function listed(body: string): string[] {
  const { entries } = JSON.parse(body) as {
    entries: { noc: string; version: number; members: { familyName: string }[] }[];
  };
  return entries.map((e) => `${e.noc} ${e.members[0]?.familyName} v${e.version}`);
}

describe('GET /v1/events/{eventRsc}/entries', () => {
  it('lists the current entries of an event, latest version each, and keeps them across a restart', async () => {
    const app = rd.app;
    await publishEntry(rd.app, entry(ID(1), 'USA', 'LYLES'));
    await publishEntry(rd.app, entry(ID(2), 'JPN', 'SANI BROWN'));
    await publishEntry(rd.app, entry(ID(3), 'JAM', 'THOMPSON'));
    await publishEntry(rd.app, entry(ID(4), 'USA', 'KERLEY'));
    // Other subjects of the ENTRIES stream (athletes, quota places) are not followed.
    await rd.app.publish(athleteChanged.subject, athleteChanged.example, { tokens: { noc: athleteChanged.example.noc } });
    await published(
      app,
      await publishEntry(rd.app, entry(ID(9), 'GBR', 'HUGHES', { event: 'ATHM200M--------------------------' }),
      ),
    );

    const url = `${app.url}/v1/events/${EVENT}/entries`;
    const first = await httpGet(url);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toMatchObject({ event: EVENT });
    expect(listed(first.body)).toEqual([
      'JAM THOMPSON v1',
      'JPN SANI BROWN v1',
      'USA KERLEY v1',
      'USA LYLES v1',
    ]);
    expect(first.headers['etag']).toMatch(/^"[^W]/);
    expect(first.headers['cache-control']).toMatch(/^public, .*s-maxage=\d+/);
    const etag = String(first.headers['etag']);
    expect((await httpGet(url, { 'If-None-Match': etag })).status).toBe(304);

    // A Late Athlete Replacement (higher version) replaces the entry; an older version never does; a withdrawal removes it.
    await publishEntry(rd.app, entry(ID(2), 'JPN', 'KIRYU', {
        version: 2,
        change: { ...entry(ID(2), 'JPN', 'KIRYU').change, kind: 'LATE_REPLACEMENT' },
      }),
    );
    await publishEntry(rd.app, entry(ID(2), 'JPN', 'OLD', { version: 1 }));
    await published(
      app,
      await publishEntry(rd.app, entry(ID(4), 'USA', 'KERLEY', { version: 2, status: 'WITHDRAWN' })),
    );
    const changed = await httpGet(url, { 'If-None-Match': etag });
    expect(changed.status).toBe(200);
    expect(listed(changed.body)).toEqual(['JAM THOMPSON v1', 'JPN KIRYU v2', 'USA LYLES v1']);
    const metrics = await httpGet(`${app.url}/metrics`);
    expect(metrics.body).toMatch(
      /results_distribution_messages_total\{[^}]*stream="entries"[^}]*outcome="stale"[^}]*\} 1/,
    );

    const unknown = await httpGet(`${app.url}/v1/events/SWMW100MFR------------------------/entries`);
    expect(JSON.parse(unknown.body)).toEqual({ event: 'SWMW100MFR------------------------', entries: [] });
    expect((await httpGet(`${app.url}/v1/events/ATHM100M--------------FNL-000100--/entries`)).status).toBe(
      400,
    );

    // Restart: the entries come back from the checkpoint, not from a replay of the stream.
    const next = await rd.restart();
    expect(next.state.entriesSeq).toBe(app.state.entriesSeq);
    const again = await httpGet(`${next.url}/v1/events/${EVENT}/entries`);
    expect(again.body).toBe(changed.body);
    expect(again.headers['etag']).toBe(changed.headers['etag']);
    const replayed = await httpGet(`${next.url}/metrics`);
    expect(replayed.body).not.toMatch(/results_distribution_messages_total\{[^}]*stream="entries"/);
  });

  it("serves a change's kind and reason code only: a replacement's note and who made the change never go public", async () => {
    const event = 'ATHW400M--------------------------';
    // As the entries service published a Late Athlete Replacement before it narrowed the change itself: such messages
    // stay in the ENTRIES stream (and in checkpoints) and are replayed.
    const lar = entry(ID(20), 'FRA', 'DUPONT', {
      event,
      version: 2,
      change: { id: ID(21), kind: 'LATE_REPLACEMENT', reason: 'MEDICAL: torn hamstring, MRI 2030-07-14', by: 'oc-approver-7' },
    });
    const entered = entry(ID(22), 'ITA', 'ROSSI', { event, change: { id: ID(23), kind: 'ENTERED', reason: null, by: 'noc-ita-2' } });
    await publishEntry(rd.app, entered);
    await published(rd.app, await publishEntry(rd.app, lar));

    const body = (await httpGet(`${rd.app.url}/v1/events/${event}/entries`)).body;
    const { entries } = JSON.parse(body) as { entries: { id: string; change: unknown }[] };
    expect(entries.map((e) => [e.id, e.change])).toEqual([
      [ID(20), { id: ID(21), kind: 'LATE_REPLACEMENT', reason: 'MEDICAL', by: null }],
      [ID(22), { id: ID(23), kind: 'ENTERED', reason: null, by: null }],
    ]);
    for (const secret of ['hamstring', 'MRI', 'oc-approver-7', 'noc-ita-2']) expect(body).not.toContain(secret);
  });
});
