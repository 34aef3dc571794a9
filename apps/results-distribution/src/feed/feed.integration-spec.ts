/** The partner feed (GET /v1/feed) against real NATS and PostgreSQL: role partner, pages from memory or from the stream. */
import { waitFor } from '@podium/testing';
import { httpGet } from '../test-support/clients';
import { distributionForThisFile } from '../test-support/distribution';
import { publishResult, result, SWIM_UNIT, UNIT } from '../test-support/messages';

const rd = distributionForThisFile({ REPLAY_BUFFER_MESSAGES: '30' });

async function published(seq: number): Promise<void> {
  await waitFor(() => rd.app.state.resultsSeq >= seq, { description: `sequence ${seq} applied` });
}

beforeAll(async () => {
  // 60 messages: more than the replay buffer holds (30), so the first pages are read from the stream.
  let last = 0;
  for (let version = 1; version <= 30; version++) {
    await publishResult(rd.app, result({ rsc: UNIT, version }));
    last = await publishResult(rd.app, result({ rsc: SWIM_UNIT, version }));
  }
  await published(last);
  await waitFor(() => rd.app.state.replay.floor > 1);
});

describe('partner feed', () => {
  it('needs a token with the partner role', async () => {
    expect((await httpGet(`${rd.app.url}/v1/feed?after=0`)).status).toBe(401);
    const viewer = await rd.app.token(['ioc-observer'], { sub: 'partner-1' });
    expect((await httpGet(`${rd.app.url}/v1/feed?after=0`, { Authorization: `Bearer ${viewer}` })).status).toBe(403);
  });

  it('pages through every message after a sequence, from memory or (older) from the stream', async () => {
    const token = await rd.app.token(['partner'], { sub: 'partner-1' });
    const auth = { Authorization: `Bearer ${token}` };
    // From the beginning: older than the replay buffer, read from JetStream.
    const seqs: number[] = [];
    let after = 0;
    for (let page = 0; page < 20; page++) {
      const response = await httpGet(`${rd.app.url}/v1/feed?after=${after}&limit=25`, auth);
      expect(response.status).toBe(200);
      const body = JSON.parse(response.body) as { last: number; complete: boolean; items: { seq: number }[] };
      seqs.push(...body.items.map((i) => i.seq));
      after = body.last;
      if (body.complete) break;
    }
    expect(after).toBe(rd.app.state.resultsSeq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(seqs.length).toBe(rd.app.state.resultsSeq);
  });
});
