import { headers as createHeaders, type MsgHdrs } from 'nats';

/** Header values may not contain CR/LF; keep them short so a long error does not bloat every message. */
export function sanitizeHeaderValue(value: string, maxLength = 1024): string {
  const flat = value.replace(/[\r\n]+/g, ' ').trim();
  return flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat;
}

/** Plain record to NATS headers (empty values are skipped). */
export function toMsgHeaders(values: Readonly<Record<string, string | undefined>>): MsgHdrs {
  const h = createHeaders();
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && value !== '') h.set(name, sanitizeHeaderValue(value));
  }
  return h;
}

/** NATS headers to a plain record (first value of each header; names as sent). */
export function fromMsgHeaders(h: MsgHdrs | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  for (const name of h.keys()) out[name] = h.get(name);
  return out;
}
