import { Parser } from '@asyncapi/parser';
import { buildAsyncApiDocument } from './asyncapi';

/*
 * The document as a partner's tooling reads it: the official AsyncAPI parser (the one its generators and Studio use)
 * must parse it with no error. tools/api-docs/validate.ts checks the committed docs/asyncapi.yaml the same way in CI.
 */
describe('AsyncAPI document read by @asyncapi/parser', () => {
  const parse = (document: object) => new Parser().parse(JSON.stringify(document));

  it('parses with no error, every $ref resolved (the recursive OdfElement included)', async () => {
    const { document, diagnostics } = await parse(buildAsyncApiDocument({ version: '9.9.9' }));
    expect(diagnostics.filter((d) => d.severity === 0).map((d) => `${d.code} ${d.message} at ${d.path.join('.')}`)).toEqual([]);
    expect(document).toBeDefined();
    const message = document?.allMessages().get('resultsCurrentPublishedV1');
    expect(message).toBeDefined();
    // The recursive schema is resolved from components.schemas, not left as a dangling '#/definitions/...'.
    const competition = message?.payload()?.properties()?.['data']?.properties()?.['competition'];
    const element = competition?.anyOf()?.find((schema) => schema.type() === 'object');
    expect(element?.id()).toBe('OdfElement');
    expect(document?.components().schemas().get('OdfElement')).toBeDefined();
  }, 60_000);

  it('fails on a dangling $ref (the check can fail)', async () => {
    const doc = buildAsyncApiDocument({ version: '9.9.9' }) as { components: { schemas: Record<string, unknown> } };
    delete doc.components.schemas['OdfElement'];
    const { document, diagnostics } = await parse(doc);
    expect(document).toBeUndefined();
    expect(diagnostics.some((d) => d.severity === 0 && d.code === 'invalid-ref')).toBe(true);
  }, 60_000);
});
