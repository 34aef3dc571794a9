import type { Writable } from 'node:stream';
import * as ws from 'ws';
import { makeEntry } from '../state/document';
import { result, UNIT } from '../test-support/messages';
import { cisDocumentMessage, sseDocumentMessage, wsTextFrame } from './frames';

/** ws's frame parser: exported by ws, not declared by @types/ws. */
const { Receiver } = ws as unknown as { Receiver: new (options: { isServer: boolean }) => Writable };

/** Decodes server frames the way a WebSocket client does (ws's own parser, client side). */
function decode(bytes: Buffer): string[] {
  const messages: string[] = [];
  const receiver = new Receiver({ isServer: false });
  receiver.on('message', (data: Buffer, isBinary: boolean) => messages.push(`${isBinary ? 'binary:' : ''}${data.toString('utf8')}`));
  receiver.on('error', (err: Error) => messages.push(`error: ${err.message}`));
  receiver.write(bytes);
  return messages;
}

describe('frames', () => {
  it.each([0, 125, 126, 65_535, 65_536, 300_000])('builds a WebSocket text frame a client reads back (%i bytes)', (size) => {
    const payload = 'é'.repeat(Math.floor(size / 2)) + 'x'.repeat(size % 2);
    expect(Buffer.byteLength(payload)).toBe(size);
    expect(decode(wsTextFrame(payload))).toEqual([payload]);
    expect(decode(wsTextFrame(Buffer.from(payload)))).toEqual([payload]);
  });

  it('builds a document message once per channel and entry, shared by every client', () => {
    const entry = makeEntry(result({ rsc: UNIT, version: 3, resultStatus: 'OFFICIAL' }), 'RESULTS', 42, 's');
    const cis = cisDocumentMessage(entry);
    expect(cisDocumentMessage(entry)).toBe(cis);
    expect(cis).toMatchObject({ seq: 42, conflationKey: entry.key, conflatable: false, bytes: cis.frame.length });
    expect(JSON.parse(decode(cis.frame)[0] as string)).toMatchObject({ type: 'update', seq: 42, document: { seq: 42, version: 3 } });
    const sse = sseDocumentMessage(entry);
    expect(sse.frame.toString()).toBe(`id: 42\nevent: document\ndata: ${entry.json}\n\n`);
  });
});
