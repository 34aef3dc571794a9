import type { DocumentEntry } from '../state/document';
import { isConflatable } from '../state/document';
import type { MedalTableView } from '../state/medal-tracker';
import type { ScheduleUnitView } from '../state/results-state';
import type { OutboundMessage } from './outlet';

/**
 * The bytes sent for an update, built once per update and channel and shared by every client that receives it: for
 * CIS a whole WebSocket text frame (header and payload, written to the socket as is), for SSE an event. A document's
 * message (bytes plus what the client's queue needs to know) is cached per entry while the entry lives, so a delivery
 * does no JSON, framing or allocation of its own.
 */
interface Messages {
  cis?: OutboundMessage;
  sse?: OutboundMessage;
}

const cache = new WeakMap<DocumentEntry, Messages>();

function messagesOf(entry: DocumentEntry): Messages {
  let messages = cache.get(entry);
  if (!messages) {
    messages = {};
    cache.set(entry, messages);
  }
  return messages;
}

/**
 * A WebSocket text frame from the server (RFC 6455 §5.2: FIN, opcode 1, not masked), header and payload in one buffer.
 * What `ws` would write for `send(payload)` with compression off, built once and written to any number of sockets.
 */
export function wsTextFrame(payload: string | Buffer): Buffer {
  const length = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81;
  if (header === 2) {
    frame[1] = length;
  } else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  if (typeof payload === 'string') frame.write(payload, header, 'utf8');
  else payload.copy(frame, header);
  return frame;
}

function documentMessage(entry: DocumentEntry, frame: Buffer): OutboundMessage {
  const current = entry.stream !== 'RESULTS';
  return {
    seq: current ? 0 : entry.seq,
    conflationKey: entry.key,
    conflatable: current || isConflatable(entry.data),
    bytes: frame.length,
    frame,
  };
}

/** CIS: `{"type":"update","seq":N,"document":{…}}`, or `{"type":"current",…}` for DT_CURRENT (outside the sequence). */
export function cisDocumentMessage(entry: DocumentEntry): OutboundMessage {
  const messages = messagesOf(entry);
  messages.cis ??= documentMessage(
    entry,
    wsTextFrame(
      entry.stream === 'RESULTS'
        ? `{"type":"update","seq":${entry.seq},"document":${entry.json}}`
        : `{"type":"current","document":${entry.json}}`,
    ),
  );
  return messages.cis;
}

/** SSE: `id: N` + `event: document` (RESULTS), or `event: current` without an id (DT_CURRENT keeps Last-Event-ID). */
export function sseDocumentMessage(entry: DocumentEntry): OutboundMessage {
  const messages = messagesOf(entry);
  messages.sse ??= documentMessage(
    entry,
    Buffer.from(
      entry.stream === 'RESULTS'
        ? `id: ${entry.seq}\nevent: document\ndata: ${entry.json}\n\n`
        : `event: current\ndata: ${entry.json}\n\n`,
    ),
  );
  return messages.sse;
}

const medalFrames = new WeakMap<MedalTableView, { cis?: Buffer; sse?: Buffer }>();

function medalFramesOf(table: MedalTableView): { cis?: Buffer; sse?: Buffer } {
  let frames = medalFrames.get(table);
  if (!frames) {
    frames = {};
    medalFrames.set(table, frames);
  }
  return frames;
}

export function medalsJson(table: MedalTableView): string {
  return JSON.stringify(table);
}

export function sseMedalsFrame(table: MedalTableView): Buffer {
  const frames = medalFramesOf(table);
  frames.sse ??= Buffer.from(`event: medals\ndata: ${medalsJson(table)}\n\n`);
  return frames.sse;
}

/** CIS `{"type":"medals","table":…}`, a whole WebSocket frame. */
export function cisMedalsFrame(table: MedalTableView): Buffer {
  const frames = medalFramesOf(table);
  frames.cis ??= wsTextFrame(`{"type":"medals","table":${medalsJson(table)}}`);
  return frames.cis;
}

export function sseScheduleUnitFrame(unit: ScheduleUnitView): Buffer {
  return Buffer.from(`event: schedule\ndata: ${JSON.stringify(unit)}\n\n`);
}

/** CIS `{"type":"schedule","unit":…}`, a whole WebSocket frame. */
export function cisScheduleUnitFrame(unit: ScheduleUnitView): Buffer {
  return wsTextFrame(`{"type":"schedule","unit":${JSON.stringify(unit)}}`);
}

/** A JSON payload for an SSE `data:` line (JSON has no raw newlines, so one line). */
export function sseEvent(event: string, data: unknown, id?: number): Buffer {
  return Buffer.from(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
