/** The service as a whole: its OpenAPI document lists every feature's routes. */
import { httpGet } from '../test-support/clients';
import { distributionForThisFile } from '../test-support/distribution';

const rd = distributionForThisFile();

describe('OpenAPI', () => {
  it('documents the routes, the public ones without a security requirement', async () => {
    const response = await httpGet(`${rd.app.url}/docs-json`);
    expect(response.status).toBe(200);
    const doc = JSON.parse(response.body) as { paths: Record<string, { get: { security?: unknown[] } }> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/documents/{documentCode}/{documentType}',
        '/v1/units/{rsc}/results',
        '/v1/units/{rsc}/start-list',
        '/v1/phases/{rsc}/results',
        '/v1/schedule',
        '/v1/events/{eventRsc}/entries',
        '/v1/medals',
        '/v1/stream',
        '/v1/feed',
      ]),
    );
    expect(doc.paths['/v1/medals']?.get.security).toEqual([]);
    expect(doc.paths['/v1/feed']?.get.security).not.toEqual([]);
  });
});
