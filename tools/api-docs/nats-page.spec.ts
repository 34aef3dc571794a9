import { Parser, type AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { externalFetches, prose } from './html-kit';
import { renderNatsPage } from './nats-page';

/** A small AsyncAPI 3 document shaped like docs/asyncapi.yaml: a subject with tokens, a stream, a recursive schema. */
const DOCUMENT = {
  asyncapi: '3.0.0',
  info: { title: 'Test <Feed>', version: '2.1.0', description: 'Events of `test`.\n\nSecond paragraph.', license: { name: 'Apache-2.0' } },
  servers: { nats: { host: 'nats:4222', protocol: 'nats', description: 'The broker.' } },
  channels: {
    thingChangedV1: {
      address: 'test.v1.thing.{edition}.changed',
      title: 'Thing changed',
      description: 'A thing changed. <script>alert(1)</script>',
      parameters: { edition: { description: 'Edition code', examples: ['OG2024'] } },
      messages: { thingChangedV1: { $ref: '#/components/messages/thingChangedV1' } },
      'x-jetstream-stream': 'THINGS',
    },
  },
  operations: {
    sendThingChangedV1: {
      action: 'send',
      summary: 'Published through the outbox.',
      channel: { $ref: '#/channels/thingChangedV1' },
      messages: [{ $ref: '#/channels/thingChangedV1/messages/thingChangedV1' }],
      tags: [{ name: 'things', description: 'Published by things.' }],
    },
  },
  components: {
    schemas: {
      Node: {
        description: 'A node of a tree.',
        type: 'object',
        properties: { label: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } },
      },
    },
    messages: {
      thingChangedV1: {
        name: 'test.thing.changed.v1',
        title: 'Thing changed',
        summary: 'The whole thing.',
        contentType: 'application/json',
        payload: {
          type: 'object',
          required: ['id', 'data'],
          properties: {
            id: { type: 'string', format: 'uuid', description: 'Event id' },
            data: {
              type: 'object',
              required: ['status'],
              properties: {
                status: { type: 'string', enum: ['open', 'closed'], description: 'Status of the thing' },
                size: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }] },
                tree: { anyOf: [{ $ref: '#/components/schemas/Node' }, { type: 'null' }] },
                tags: { type: 'array', items: { type: 'string' } },
              },
            },
          },
        },
        examples: [{ name: 'one', summary: 'On test.v1.thing.OG2024.changed', payload: { id: '3b241101-e2bb-4255-8caf-4136c566a962', data: { status: 'open</pre>' } } }],
      },
    },
  },
  'x-jetstream-streams': [{ name: 'THINGS', description: 'Things.', subjects: ['test.v1.>'], storage: 'file', maxAgeMs: 604800000, duplicateWindowMs: 120000 }],
};

async function parse(document: object): Promise<AsyncAPIDocumentInterface> {
  const { document: parsed, diagnostics } = await new Parser().parse(JSON.stringify(document));
  const errors = diagnostics.filter((d) => d.severity === 0);
  if (parsed === undefined || errors.length > 0) throw new Error(errors.map((d) => d.message).join('; '));
  return parsed;
}

/** The table row whose Field cell is `path` (dots rendered with <wbr>). */
function row(html: string, path: string): string | undefined {
  const cell = `<code>${path.replace(/\./g, '.<wbr>')}</code></td>`;
  return html.split('\n').find((line) => line.startsWith('<tr>') && line.includes(cell));
}

describe('renderNatsPage', () => {
  let html: string;
  beforeAll(async () => {
    html = renderNatsPage(await parse(DOCUMENT), { indexHref: 'index.html', sourceHref: '../asyncapi.yaml' });
  });

  it('writes a complete English page titled after the document, linking back to the index and the source', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<title>Test &lt;Feed&gt; NATS subjects (AsyncAPI)</title>');
    expect(html).toContain('<a href="index.html">API reference</a>');
    expect(html).toContain('<a href="../asyncapi.yaml">asyncapi.yaml</a>');
    expect(html).toContain('<p>Events of <code>test</code>.</p>\n<p>Second paragraph.</p>');
  });

  it('gives each subject a section with its address, tokens, stream and publisher', () => {
    const section = html.slice(html.indexOf('<section class="channel" id="subject-thingChangedV1"'), html.indexOf('</section>', html.indexOf('id="subject-thingChangedV1"')));
    expect(section).toContain('<h3 id="subject-thingChangedV1-h"><code>test.v1.thing.{edition}.changed</code></h3>');
    expect(section).toMatch(/<th scope="row" class="field"><code>\{edition\}<\/code><\/th><td>Edition code<\/td><td><code>OG2024<\/code><\/td>/);
    expect(section).toContain('<dt>Stream</dt><dd><a href="#stream-THINGS"><code>THINGS</code></a></dd>');
    expect(section).toContain('<dt>Published by</dt><dd>things</dd>');
    expect(section).toContain('<dt>Type (message name)</dt><dd><code>test.thing.changed.v1</code></dd>');
    expect(html).toContain('<a href="#subject-thingChangedV1"><code>test.v1.thing.{edition}.changed</code></a>');
  });

  it('escapes what the document says, so a description cannot inject markup', () => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('A thing changed. &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;open&lt;/pre&gt;&quot;');
  });

  it('lists the payload as a table: nested paths, types, required, constraints', () => {
    expect(row(html, 'id')).toMatch(/<td>string \(uuid\)<\/td><td><span class="req">yes<\/span><\/td><td><p>Event id<\/p><\/td>/);
    expect(row(html, 'data.status')).toContain('one of <code>&quot;open&quot;</code>, <code>&quot;closed&quot;</code>');
    expect(row(html, 'data.status')).toContain('<span class="req">yes</span>');
    expect(row(html, 'data.size')).toContain('<td>integer | null</td><td>no</td>');
    expect(row(html, 'data.tags')).toContain('<td>array of string</td>');
    // an item that says nothing more than "array of string" gets no row of its own
    expect(row(html, 'data.tags[]')).toBeUndefined();
  });

  it('links a named schema instead of expanding it, and describes it once, recursion included', () => {
    expect(row(html, 'data.tree')).toContain('<td><a href="#schema-Node">Node</a> | null</td>');
    expect(row(html, 'data.tree.label')).toBeUndefined();
    const section = html.slice(html.indexOf('<section id="schema-Node"'));
    expect(section).toContain('<p>A node of a tree.</p>');
    expect(row(section, 'label')).toContain('<td>string</td>');
    expect(row(section, 'children')).toContain('<td>array of <a href="#schema-Node">Node</a></td>');
  });

  it('shows the example payload as JSON', () => {
    expect(html).toContain('Example: On test.v1.thing.OG2024.changed');
    expect(html).toContain('&quot;id&quot;: &quot;3b241101-e2bb-4255-8caf-4136c566a962&quot;');
  });

  it('lists the streams with their subjects and limits', () => {
    expect(html).toMatch(/<tr id="stream-THINGS"><th scope="row"><code>THINGS<\/code><\/th><td><code>test\.v1\.&gt;<\/code><\/td><td>file<\/td><td>7 days<\/td><td>2 minutes<\/td><td>Things\.<\/td><\/tr>/);
  });

  it('is deterministic and fetches nothing from another site', async () => {
    const again = renderNatsPage(await parse(DOCUMENT), { indexHref: 'index.html', sourceHref: '../asyncapi.yaml' });
    expect(again).toBe(html);
    expect(externalFetches(html)).toEqual([]);
    expect(html).not.toMatch(/<script/i);
  });
});

describe('externalFetches', () => {
  it('finds what a page would load from another site', () => {
    const page = `<link rel="stylesheet" href="https://cdn.example/a.css"><script src="//cdn.example/b.js"></script>
<img srcset="x.png 1x, https://img.example/c.png 2x"><style>body { background: url('https://img.example/d.png') } @import "https://cdn.example/e.css";</style>
<script type="module">import { hydrate } from "https://cdn.example/f.js";</script>`;
    expect(externalFetches(page)).toEqual([
      '//cdn.example/b.js',
      'https://cdn.example/a.css',
      'https://cdn.example/e.css',
      'https://cdn.example/f.js',
      'https://img.example/c.png',
      'https://img.example/d.png',
    ]);
  });

  it('leaves links a reader follows and local resources alone', () => {
    expect(externalFetches('<a href="https://example.org/">x</a><link rel="modulepreload" href="../assets/r.js"><script type="module">import { a } from "../assets/r.js";</script><img src="data:image/png;base64,AA">')).toEqual([]);
  });
});

describe('prose', () => {
  it('makes paragraphs and code spans of escaped text', () => {
    expect(prose('a `<b>` c\n\nd & e')).toBe('<p>a <code>&lt;b&gt;</code> c</p>\n<p>d &amp; e</p>');
    expect(prose(undefined)).toBe('');
  });
});
