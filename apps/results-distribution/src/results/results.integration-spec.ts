/**
 * The REST reads of the results for web and mobile apps against real NATS and PostgreSQL: the latest version of a
 * document with a strong ETag and 304s, unit results and start lists, phase results, 404 and 410 as problems.
 */
import { waitFor } from '@podium/testing';
import { httpGet } from '../test-support/clients';
import { distributionForThisFile } from '../test-support/distribution';
import { HEAT, publishResult, result, UNIT } from '../test-support/messages';

const rd = distributionForThisFile();

async function published(seq: number): Promise<void> {
  await waitFor(() => rd.app.state.resultsSeq >= seq, { description: `sequence ${seq} applied` });
}

describe('REST', () => {
  it('serves the latest version with version and resultStatus at the top level, a strong ETag and 304s', async () => {
    await publishResult(rd.app, result({ rsc: UNIT, version: 1, resultStatus: 'START_LIST' }));
    await published(await publishResult(rd.app, result({ rsc: UNIT, version: 2, resultStatus: 'LIVE' })));

    const url = `${rd.app.url}/v1/documents/${UNIT}/DT_RESULT`;
    const first = await httpGet(url);
    expect(first.status).toBe(200);
    const body = JSON.parse(first.body) as Record<string, unknown>;
    expect(body).toMatchObject({ documentCode: UNIT, documentType: 'DT_RESULT', version: 2, resultStatus: 'LIVE' });
    expect(first.headers['etag']).toMatch(/^"[^W]/);
    expect(first.headers['cache-control']).toMatch(/s-maxage=\d+/);
    expect(first.headers['cache-control']).toMatch(/stale-while-revalidate=\d+/);
    expect(first.headers['access-control-allow-origin']).toBe('*');
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(first.headers['vary']).toBe('Accept-Encoding');

    const etag = String(first.headers['etag']);
    const notModified = await httpGet(url, { 'If-None-Match': etag });
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBe('');
    // The same version: the same bytes and ETag; HEAD gives the headers without the body.
    const again = await httpGet(url);
    expect(again.body).toBe(first.body);
    expect(again.headers['etag']).toBe(etag);
    const head = await rd.app.request(`/v1/documents/${UNIT}/DT_RESULT`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(first.body)));
    expect(await head.text()).toBe('');
    // From memory (no query string: HotReads) or from the controller (a selector): the same bytes and headers.
    const byController = await httpGet(`${url}?competitionCode=OG2024`);
    expect(byController.body).toBe(first.body);
    for (const name of ['etag', 'cache-control', 'content-type', 'content-length', 'vary', 'access-control-allow-origin']) {
      expect([name, byController.headers[name]]).toEqual([name, first.headers[name]]);
    }

    await published(await publishResult(rd.app, result({ rsc: UNIT, version: 3, resultStatus: 'LIVE' })));
    const changed = await httpGet(url, { 'If-None-Match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers['etag']).not.toBe(etag);
    expect(JSON.parse(changed.body)).toMatchObject({ version: 3 });
  });

  it('serves unit results, the start list kept after results start, phase results; 404 and 410 as problems', async () => {
    const results = await httpGet(`${rd.app.url}/v1/units/${UNIT}/results`);
    expect(JSON.parse(results.body)).toMatchObject({ version: 3, resultStatus: 'LIVE' });
    const startList = await httpGet(`${rd.app.url}/v1/units/${UNIT}/start-list`);
    expect(startList.status).toBe(200);
    expect(JSON.parse(startList.body)).toMatchObject({ version: 1, resultStatus: 'START_LIST' });

    const phase = 'ATHM100M--------------FNL---------';
    const missing = await httpGet(`${rd.app.url}/v1/phases/${phase}/results`);
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.parse(missing.body)).toMatchObject({ type: 'https://podium.dev/problems/document-not-found' });

    const phaseResult = result({ rsc: UNIT, version: 1 });
    await published(
      await publishResult(rd.app, {
        ...phaseResult,
        documentCode: phase,
        documentType: 'DT_PHASE_RESULT',
        documentKey: phaseResult.documentKey.replace(`|${UNIT}||DT_RESULT|`, `|${phase}||DT_PHASE_RESULT|`),
      }),
    );
    expect((await httpGet(`${rd.app.url}/v1/phases/${phase}/results`)).status).toBe(200);

    await published(await publishResult(rd.app, result({ rsc: HEAT, version: 1 })));
    await published(await publishResult(rd.app, result({ rsc: HEAT, version: 2, withdrawal: true })));
    const withdrawn = await httpGet(`${rd.app.url}/v1/units/${HEAT}/results`);
    expect(withdrawn.status).toBe(410);
    expect(JSON.parse(withdrawn.body)).toMatchObject({ type: 'https://podium.dev/problems/document-withdrawn', version: 2 });

    const invalid = await httpGet(`${rd.app.url}/v1/documents/${UNIT}/DT_NOPE`);
    expect(invalid.status).toBe(400);
  });

});
