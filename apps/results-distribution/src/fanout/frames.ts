import type { DocumentEntry } from '../state/document';
import type { MedalTableView } from '../state/medal-tracker';
import type { ScheduleUnitView } from '../state/results-state';

/**
 * The bytes sent for an update, built once per update and channel and shared by every client that receives it
 * (a WebSocket text frame payload, an SSE event). Cached per entry while the entry lives.
 */
interface Frames {
  cis?: Buffer;
  sse?: Buffer;
}

const cache = new WeakMap<DocumentEntry, Frames>();

function framesOf(entry: DocumentEntry): Frames {
  let frames = cache.get(entry);
  if (!frames) {
    frames = {};
    cache.set(entry, frames);
  }
  return frames;
}

/** CIS: `{"type":"update","seq":N,"document":{…}}`, or `{"type":"current",…}` for DT_CURRENT (outside the sequence). */
export function cisDocumentFrame(entry: DocumentEntry): Buffer {
  const frames = framesOf(entry);
  frames.cis ??= Buffer.from(
    entry.stream === 'RESULTS'
      ? `{"type":"update","seq":${entry.seq},"document":${entry.json}}`
      : `{"type":"current","document":${entry.json}}`,
  );
  return frames.cis;
}

/** SSE: `id: N` + `event: document` (RESULTS), or `event: current` without an id (DT_CURRENT keeps Last-Event-ID). */
export function sseDocumentFrame(entry: DocumentEntry): Buffer {
  const frames = framesOf(entry);
  frames.sse ??= Buffer.from(
    entry.stream === 'RESULTS'
      ? `id: ${entry.seq}\nevent: document\ndata: ${entry.json}\n\n`
      : `event: current\ndata: ${entry.json}\n\n`,
  );
  return frames.sse;
}

const medalFrames = new WeakMap<MedalTableView, { cis?: Buffer; sse?: Buffer }>();

export function medalsJson(table: MedalTableView): string {
  return JSON.stringify(table);
}

export function sseMedalsFrame(table: MedalTableView): Buffer {
  let frames = medalFrames.get(table);
  if (!frames) {
    frames = {};
    medalFrames.set(table, frames);
  }
  frames.sse ??= Buffer.from(`event: medals\ndata: ${medalsJson(table)}\n\n`);
  return frames.sse;
}

export function cisMedalsFrame(table: MedalTableView): Buffer {
  let frames = medalFrames.get(table);
  if (!frames) {
    frames = {};
    medalFrames.set(table, frames);
  }
  frames.cis ??= Buffer.from(`{"type":"medals","table":${medalsJson(table)}}`);
  return frames.cis;
}

export function sseScheduleUnitFrame(unit: ScheduleUnitView): Buffer {
  return Buffer.from(`event: schedule\ndata: ${JSON.stringify(unit)}\n\n`);
}

export function cisScheduleUnitFrame(unit: ScheduleUnitView): Buffer {
  return Buffer.from(`{"type":"schedule","unit":${JSON.stringify(unit)}}`);
}

/** A JSON payload for an SSE `data:` line (JSON has no raw newlines, so one line). */
export function sseEvent(event: string, data: unknown, id?: number): Buffer {
  return Buffer.from(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
