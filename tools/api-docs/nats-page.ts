/**
 * The NATS subjects reference page (docs/reference/nats.html) from docs/asyncapi.yaml as the official
 * @asyncapi/parser reads it: every channel (subject) with its tokens, its JetStream stream, who publishes it, its
 * message (title, description, headers, payload schema as a table of fields) and its example; the streams; the
 * document's named schemas. Static HTML with inline CSS and no script (see html-kit.ts).
 *
 * Why not @asyncapi/generator with @asyncapi/html-template (tried 2026-12-05, generator 3.4.1, html-template 3.5.6):
 * it ran offline and deterministically, but the generator requires Node >= 24.11 (the project runs on Node 20), its
 * install downloads a browser for puppeteer unless told not to (it fails without network), it adds ~490 packages
 * (~400 MB) to node_modules, and it writes a 3.4 MB page whose content is rendered by a bundled React app.
 */
import type { AsyncAPIDocumentInterface, ChannelInterface, MessageInterface, SchemaInterface } from '@asyncapi/parser';
import { esc, inline, page, prose, slug } from './html-kit';

/** A JetStream stream as the document's x-jetstream-streams lists it (libs/contracts). */
interface StreamInfo {
  name: string;
  description?: string;
  subjects?: string[];
  retention?: string;
  storage?: string;
  maxAgeMs?: number;
  duplicateWindowMs?: number;
  maxMsgsPerSubject?: number;
}

const channelAnchor = (channel: ChannelInterface): string => `subject-${slug(channel.id())}`;
const streamAnchor = (name: string): string => `stream-${slug(name)}`;
const schemaAnchor = (name: string): string => `schema-${slug(name)}`;

/** A channel's title (AsyncAPI 3; the parser's ChannelInterface type does not declare it). */
function titleOf(channel: ChannelInterface): string | undefined {
  const title = (channel.json() as { title?: unknown }).title;
  return typeof title === 'string' ? title : undefined;
}

function extension<T>(holder: { extensions(): { get(id: string): { value(): unknown } | undefined } }, id: string): T | undefined {
  return holder.extensions().get(id)?.value() as T | undefined;
}

/** A duration in milliseconds as a reader says it (0: no limit). */
function duration(ms: number | undefined, zero = 'no limit'): string {
  if (ms === undefined) return '';
  if (ms === 0) return zero;
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, unit] of units) if (ms % size === 0) return `${ms / size} ${unit}${ms / size === 1 ? '' : 's'}`;
  return `${ms} ms`;
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** Walks a payload or header schema into rows of a table: one row a field, nested fields below their parent. */
class SchemaTable {
  private readonly rows: string[] = [];

  /** @param named the document's named schemas (components.schemas) by their JSON object: linked, never expanded. */
  constructor(private readonly named: ReadonlyMap<unknown, string>) {}

  /** The rows of the schema's fields (the schema itself is the table's subject, not a row). */
  static render(schema: SchemaInterface, named: ReadonlyMap<unknown, string>, caption: string): string {
    const table = new SchemaTable(named);
    table.children(schema, '', 0, [schema.json()]);
    if (table.rows.length === 0) {
      return `<p><strong>${esc(caption)}:</strong> ${table.typeOf(schema, false)}</p>${table.notes(schema, true)}`;
    }
    return `<div class="scroll" role="region" tabindex="0" aria-label="${esc(caption)}">
<table class="schema">
<caption>${esc(caption)}: ${table.typeOf(schema, false)}</caption>
<colgroup><col class="c-field"><col class="c-type"><col class="c-req"><col></colgroup>
<thead><tr><th scope="col">Field</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Description</th></tr></thead>
<tbody>
${table.rows.join('\n')}
</tbody>
</table>
</div>`;
  }

  private children(schema: SchemaInterface, path: string, depth: number, ancestors: unknown[]): void {
    if (this.named.has(schema.json()) && depth > 0) return; // a named schema is described once, in its own table
    const single = this.nonNullVariant(schema);
    if (single !== undefined) {
      this.children(single, path, depth, [...ancestors, single.json()]);
      return;
    }
    const required = new Set(schema.required() ?? []);
    for (const [name, child] of Object.entries(schema.properties() ?? {})) {
      this.field(child, path === '' ? name : `${path}.${name}`, depth, required.has(name), ancestors);
    }
    const additional = schema.additionalProperties();
    if (typeof additional === 'object') this.field(additional, `${path === '' ? '' : `${path}.`}{key}`, depth, false, ancestors, 'any key');
    for (const [pattern, child] of Object.entries(schema.patternProperties() ?? {})) {
      this.field(child, `${path === '' ? '' : `${path}.`}{key}`, depth, false, ancestors, `any key matching ${pattern}`);
    }
    // An item or a variant gets a row only when it says more than the type column does (fields, text, constraints).
    const items = schema.items();
    if (items !== undefined && !Array.isArray(items)) this.field(items, `${path}[]`, depth, false, ancestors, 'each item', true);
    const variants = (schema.anyOf() ?? schema.oneOf() ?? []).filter((v) => !this.isNull(v));
    if (variants.length > 1) {
      variants.forEach((variant, i) => this.field(variant, `${path} (option ${i + 1})`, depth, false, ancestors, `option ${i + 1} of ${variants.length}`, true));
    }
    for (const part of schema.allOf() ?? []) this.children(part, path, depth, [...ancestors, part.json()]);
  }

  private field(schema: SchemaInterface, path: string, depth: number, required: boolean, ancestors: unknown[], role?: string, onlyIfInformative = false): void {
    const named = this.named.has(schema.json());
    const recursive = ancestors.includes(schema.json());
    const pad = depth === 0 ? '' : ` style="padding-left: ${(0.55 + depth * 1.1).toFixed(2)}rem"`;
    // a named schema's own text is in its section: a field of that schema says only its own
    const text = named ? '' : prose(schema.description()) + this.notes(schema, false);
    const below = new SchemaTable(this.named);
    if (!recursive) below.children(schema, path, depth + 1, [...ancestors, schema.json()]);
    if (onlyIfInformative && text === '' && below.rows.length === 0) return;
    const notes = [role === undefined ? '' : `<span class="constraint">${esc(role)}</span>`, text];
    if (recursive && !named) notes.push('<span class="constraint">the same structure as its parent (recursive)</span>');
    this.rows.push(
      `<tr><td class="field"${pad}><code>${esc(path).replace(/\./g, '.<wbr>')}</code></td><td>${this.typeOf(schema)}</td><td>${required ? '<span class="req">yes</span>' : 'no'}</td><td>${notes.join('')}</td></tr>`,
      ...below.rows,
    );
  }

  private isNull(schema: SchemaInterface): boolean {
    return schema.type() === 'null';
  }

  /** X of `anyOf: [X, {type: null}]` (a nullable X), or undefined. */
  private nonNullVariant(schema: SchemaInterface): SchemaInterface | undefined {
    const variants = schema.anyOf() ?? schema.oneOf();
    if (variants === undefined || schema.properties() !== undefined) return undefined;
    const others = variants.filter((v) => !this.isNull(v));
    return others.length === 1 && others[0] !== undefined ? others[0] : undefined;
  }

  /** The type column: a named schema links to its table; `T | null`; `array of T`; `string (date-time)`. */
  typeOf(schema: SchemaInterface, link = true): string {
    const name = this.named.get(schema.json());
    if (name !== undefined && link) return `<a href="#${schemaAnchor(name)}">${esc(name)}</a>`;
    const variants = schema.anyOf() ?? schema.oneOf();
    if (variants !== undefined && schema.type() === undefined) return variants.map((v) => this.typeOf(v)).join(' | ');
    const constValue = schema.const();
    const type = schema.type() ?? (constValue === undefined ? undefined : typeof constValue);
    const types = Array.isArray(type) ? type : type === undefined ? ['any'] : [type];
    return types
      .map((t) => {
        if (t === 'array') {
          const items = schema.items();
          return items !== undefined && !Array.isArray(items) ? `array of ${this.typeOf(items)}` : 'array';
        }
        const format = schema.format();
        return esc(format === undefined ? t : `${t} (${format})`);
      })
      .join(' | ');
  }

  /** Constraints and examples: what the value must be, beside what it means. */
  notes(schema: SchemaInterface, block: boolean): string {
    const out: string[] = [];
    const constValue = schema.const();
    if (constValue !== undefined) out.push(`always <code>${esc(json(constValue))}</code>`);
    const values = schema.enum();
    if (values !== undefined) out.push(`one of ${values.map((v) => `<code>${esc(json(v))}</code>`).join(', ')}`);
    const pattern = schema.pattern();
    if (pattern !== undefined) out.push(`pattern <code>${esc(pattern)}</code>`);
    const bounds: [number | undefined, string, string?][] = [
      [schema.minLength(), 'at least %s', 'character'],
      [schema.maxLength(), 'at most %s', 'character'],
      [schema.minimum(), 'minimum %s'],
      [schema.exclusiveMinimum(), 'greater than %s'],
      [schema.maximum(), 'maximum %s'],
      [schema.exclusiveMaximum(), 'less than %s'],
      [schema.minItems(), 'at least %s', 'item'],
      [schema.maxItems(), 'at most %s', 'item'],
    ];
    for (const [value, text, unit] of bounds) {
      if (typeof value === 'number') out.push(esc(text.replace('%s', String(value)) + (unit === undefined ? '' : ` ${unit}${value === 1 ? '' : 's'}`)));
    }
    if (schema.uniqueItems() === true) out.push('items unique');
    const examples = schema.examples();
    if (examples !== undefined && examples.length > 0) out.push(`example ${examples.map((v) => `<code>${esc(json(v))}</code>`).join(', ')}`);
    if (out.length === 0) return '';
    return block ? `<p class="muted">${out.join('; ')}</p>` : `<span class="constraint">${out.join('; ')}</span>`;
  }
}

function streamsTable(streams: StreamInfo[]): string {
  const rows = streams.map(
    (s) => `<tr id="${streamAnchor(s.name)}"><th scope="row"><code>${esc(s.name)}</code></th><td>${(s.subjects ?? []).map((x) => `<code>${esc(x)}</code>`).join('<br>')}</td><td>${esc(s.storage ?? '')}</td><td>${esc(duration(s.maxAgeMs))}${s.maxMsgsPerSubject === undefined ? '' : `; ${s.maxMsgsPerSubject} message${s.maxMsgsPerSubject === 1 ? '' : 's'} per subject`}</td><td>${esc(duration(s.duplicateWindowMs, 'none'))}</td><td>${inline(s.description ?? '')}</td></tr>`,
  );
  return `<div class="scroll" role="region" tabindex="0" aria-label="JetStream streams">
<table>
<caption>JetStream streams</caption>
<thead><tr><th scope="col">Stream</th><th scope="col">Subjects</th><th scope="col">Storage</th><th scope="col">Kept</th><th scope="col">Duplicate window</th><th scope="col">What it holds</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</div>`;
}

function publishers(channel: ChannelInterface): { names: string[]; summaries: string[] } {
  const names: string[] = [];
  const summaries: string[] = [];
  for (const operation of channel.operations().all()) {
    const tags = operation.tags().all().map((t) => t.name());
    names.push(...(tags.length > 0 ? tags : [operation.id() ?? operation.action()]));
    const summary = operation.summary();
    if (summary !== undefined) summaries.push(summary);
  }
  return { names: [...new Set(names)], summaries };
}

function messageSection(message: MessageInterface, named: ReadonlyMap<unknown, string>, level: number, channelText: string | undefined): string {
  const h = `h${level}`;
  const facts: [string, string][] = [['Type (message name)', `<code>${esc(message.name() ?? message.id())}</code>`]];
  const contentType = message.contentType();
  if (contentType !== undefined) facts.push(['Content type', `<code>${esc(contentType)}</code>`]);
  const dataschema = extension<string>(message, 'x-dataschema');
  if (dataschema !== undefined) facts.push(['Data schema id', `<code>${esc(dataschema)}</code>`]);
  const correlation = message.correlationId()?.location();
  if (correlation !== undefined) facts.push(['Correlation id', `<code>${esc(correlation)}</code>`]);
  const parts = [
    `<${h}>Message: ${esc(message.title() ?? message.name() ?? message.id())}</${h}>`,
    // the generated documents give the message the channel's text: said once, under the subject
    (message.description() ?? message.summary()) === channelText ? '' : prose(message.description() ?? message.summary()),
    `<dl class="facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`,
  ];
  const headers = message.headers();
  if (headers !== undefined) parts.push(SchemaTable.render(headers, named, 'Headers'));
  const payload = message.payload();
  if (payload !== undefined) parts.push(SchemaTable.render(payload, named, 'Payload'));
  for (const example of message.examples().all()) {
    const label = example.summary() ?? example.name() ?? 'Example';
    const body: Record<string, unknown> = {};
    if (example.hasHeaders()) body['headers'] = example.headers();
    if (example.hasPayload()) body['payload'] = example.payload();
    parts.push(`<${h}>Example${example.summary() === undefined ? '' : `: ${inline(label)}`}</${h}>`);
    if (example.hasHeaders()) parts.push(`<p>Headers</p>\n<pre tabindex="0" aria-label="Example headers"><code>${esc(json(example.headers()))}</code></pre>`);
    if (example.hasPayload()) parts.push(`<p>Payload</p>\n<pre tabindex="0" aria-label="Example payload"><code>${esc(json(example.payload()))}</code></pre>`);
  }
  return parts.filter((p) => p !== '').join('\n');
}

function channelSection(channel: ChannelInterface, named: ReadonlyMap<unknown, string>, streams: ReadonlySet<string>): string {
  const address = channel.address() ?? channel.id();
  const stream = extension<string>(channel, 'x-jetstream-stream');
  const { names, summaries } = publishers(channel);
  const facts: [string, string][] = [];
  facts.push(['Stream', stream === undefined ? 'none (core NATS)' : streams.has(stream) ? `<a href="#${streamAnchor(stream)}"><code>${esc(stream)}</code></a>` : `<code>${esc(stream)}</code>`]);
  if (names.length > 0) facts.push(['Published by', names.map(esc).join(', ')]);
  for (const summary of summaries) facts.push(['Delivery', inline(summary)]);
  const parts = [
    `<section class="channel" id="${channelAnchor(channel)}" aria-labelledby="${channelAnchor(channel)}-h">`,
    `<h3 id="${channelAnchor(channel)}-h"><code>${esc(address)}</code></h3>`,
    titleOf(channel) === undefined ? '' : `<p><strong>${esc(titleOf(channel) ?? '')}</strong></p>`,
    prose(channel.description()),
    `<dl class="facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`,
  ];
  const parameters = channel.parameters().all();
  if (parameters.length > 0) {
    const rows = parameters.map((p) => {
      const examples = (p.json() as { examples?: unknown[] }).examples ?? [];
      return `<tr><th scope="row" class="field"><code>{${esc(p.id())}}</code></th><td>${inline(p.description() ?? '')}</td><td>${examples.map((e) => `<code>${esc(String(e))}</code>`).join(', ')}</td></tr>`;
    });
    parts.push(`<table>
<caption>Subject tokens</caption>
<thead><tr><th scope="col">Token</th><th scope="col">Meaning</th><th scope="col">Example</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`);
  }
  for (const message of channel.messages().all()) parts.push(messageSection(message, named, 4, channel.description()));
  parts.push('</section>');
  return parts.filter((p) => p !== '').join('\n');
}

/** The NATS subjects page of a parsed AsyncAPI document (deterministic: the document's order, no dates). */
export function renderNatsPage(document: AsyncAPIDocumentInterface, options: { indexHref: string; sourceHref: string }): string {
  const info = document.info();
  const channels = [...document.channels().all()].sort((a, b) => (a.address() ?? a.id()).localeCompare(b.address() ?? b.id()));
  const streams = extension<StreamInfo[]>(document, 'x-jetstream-streams') ?? [];
  const streamNames = new Set(streams.map((s) => s.name));
  const named = new Map<unknown, string>();
  for (const schema of document.components().schemas().all()) named.set(schema.json(), schema.id());

  const overview = channels.map((c) => {
    const stream = extension<string>(c, 'x-jetstream-stream');
    const message = c.messages().all()[0];
    return `<tr><th scope="row"><a href="#${channelAnchor(c)}"><code>${esc(c.address() ?? c.id())}</code></a></th><td>${esc(titleOf(c) ?? message?.title() ?? '')}</td><td>${stream === undefined ? '' : `<code>${esc(stream)}</code>`}</td><td>${publishers(c).names.map(esc).join(', ')}</td></tr>`;
  });

  const servers = document.servers().all().map((s) => `<li><strong>${esc(s.id())}</strong>: <code>${esc(s.protocol())}://${esc(s.host())}</code>${s.description() === undefined ? '' : `: ${inline(s.description() ?? '')}`}</li>`);
  const schemes = document.components().securitySchemes().all().map((s) => `<li><strong>${esc(s.id())}</strong> (<code>${esc(s.type())}</code>)${s.description() === undefined ? '' : `: ${inline(s.description() ?? '')}`}</li>`);

  const schemaSections = document.components().schemas().all().map((schema) => {
    const name = schema.id();
    const table = SchemaTable.render(schema, named, name); // expanded here; its uses, recursive ones too, link here
    return `<section id="${schemaAnchor(name)}" aria-labelledby="${schemaAnchor(name)}-h">
<h3 id="${schemaAnchor(name)}-h"><code>${esc(name)}</code></h3>
${prose(schema.description())}
${table}
</section>`;
  });

  const toc = `<nav class="toc" aria-label="Contents">
<h2>Contents</h2>
<ul>
<li><a href="#overview">Subjects</a></li>
<li><a href="#streams">Streams</a></li>
<li><a href="#connecting">Connecting</a></li>
${schemaSections.length > 0 ? '<li><a href="#schemas">Shared schemas</a></li>' : ''}
</ul>
<h2>Subjects</h2>
<ul>
${channels.map((c) => `<li><a href="#${channelAnchor(c)}">${esc(c.address() ?? c.id())}</a></li>`).join('\n')}
</ul>
</nav>`;

  const body = `<h2 id="overview">Subjects</h2>
<div class="scroll" role="region" tabindex="0" aria-label="Subjects">
<table>
<caption>${channels.length} subjects</caption>
<thead><tr><th scope="col">Subject</th><th scope="col">What</th><th scope="col">Stream</th><th scope="col">Published by</th></tr></thead>
<tbody>
${overview.join('\n')}
</tbody>
</table>
</div>
<h2 id="streams">Streams</h2>
${streamsTable(streams)}
<h2 id="connecting">Connecting</h2>
<h3>Servers</h3>
<ul>
${servers.join('\n')}
</ul>
<h3>Security</h3>
<ul>
${schemes.join('\n')}
</ul>
<h2 id="subjects">Subject reference</h2>
${channels.map((c) => channelSection(c, named, streamNames)).join('\n')}
${schemaSections.length > 0 ? `<h2 id="schemas">Shared schemas</h2>\n${schemaSections.join('\n')}` : ''}`;

  const license = info.license();
  const header = `<p class="crumbs"><a href="${esc(options.indexHref)}">API reference</a></p>
<h1>${esc(info.title())}: NATS subjects</h1>
<p class="muted">AsyncAPI ${esc(document.version())}, version ${esc(info.version())}${license === undefined ? '' : `, ${esc(license.name())}`}. Generated from <a href="${esc(options.sourceHref)}">asyncapi.yaml</a>: do not edit.</p>
${prose(info.description())}`;

  return page({ title: `${info.title()} NATS subjects (AsyncAPI)`, header, toc, body });
}
