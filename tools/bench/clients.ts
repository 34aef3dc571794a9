/**
 * Benchmark client process (forked by ods.ts): holds a share of the CIS WebSocket and SSE connections, records the
 * latency of every update from the moment the venue system sent it (the ODF Date/Time header, set at send time, ms)
 * to the moment this process read it, and checks at the end that no OFFICIAL version and no final version is missing
 * and that each client saw each unit's versions in increasing order.
 * Reads only the first bytes of each update (the header fields come first), so that the clients cost little CPU.
 */
import { request, type IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { Histogram } from './histogram';

export interface ClientPlan {
  cis: { url: string; discipline: string; units: string[] }[];
  sse: { url: string; rsc: string }[];
}

export interface Manifest {
  /** Per unit: the last version sent (and acknowledged) and every OFFICIAL version. */
  units: Record<string, { last: number; officials: number[] }>;
}

export type Command =
  | { cmd: 'connect'; plan: ClientPlan }
  | { cmd: 'measure'; fromMs: number; toMs: number }
  | { cmd: 'report'; manifest: Manifest }
  | { cmd: 'close' };

export interface ChannelReport {
  latency: ReturnType<Histogram['toJSON']>;
  updates: number;
  clients: number;
  disconnected: number;
  errors: number;
  missingOfficial: number;
  missingFinal: number;
  /** Updates whose version was not above the last version of that unit the client had seen. */
  outOfOrder: number;
  /** Updates read between the measured window's start and end (by read time). */
  updatesInWindow: number;
  /** LIVE versions a client did not get (superseded by a later one: conflation), summed over clients. */
  conflated: number;
}

export type Event =
  | { evt: 'connected'; cis: number; sse: number; failed: number; ms: number }
  | { evt: 'report'; cis: ChannelReport; sse: ChannelReport };

interface Seen {
  last: number;
  officials: Set<number>;
  count: number;
}

class Tracker {
  readonly latency = new Histogram();
  updates = 0;
  updatesInWindow = 0;
  outOfOrder = 0;
  disconnected = 0;
  errors = 0;
  clients = 0;
  from = Number.POSITIVE_INFINITY;
  to = Number.POSITIVE_INFINITY;

  /** Records one update read from `head` (the first bytes of the document JSON). */
  record(head: string, seen: Map<string, Seen>, now: number): void {
    const code = /"documentCode":"([A-Z0-9-]+)"/.exec(head)?.[1];
    const version = Number(/"version":(\d+)/.exec(head)?.[1]);
    const status = /"resultStatus":"([A-Z_]+)"/.exec(head)?.[1];
    const date = /"date":"(\d{4})-(\d{2})-(\d{2})"/.exec(head);
    const time = /"time":"(\d{2})(\d{2})(\d{2})(\d{3})"/.exec(head);
    if (code === undefined || !Number.isFinite(version) || !date || !time) {
      this.errors++;
      return;
    }
    const sent = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]), Number(time[1]), Number(time[2]), Number(time[3]), Number(time[4]));
    this.updates++;
    if (now >= this.from && now < this.to) this.updatesInWindow++;
    if (sent >= this.from && sent < this.to) this.latency.record(now - sent);
    let unit = seen.get(code);
    if (!unit) {
      unit = { last: 0, officials: new Set(), count: 0 };
      seen.set(code, unit);
    }
    unit.count++;
    if (version > unit.last) unit.last = version;
    else this.outOfOrder++;
    if (status === 'OFFICIAL') unit.officials.add(version);
  }
}

const cisTracker = new Tracker();
const sseTracker = new Tracker();
const cisClients: { ws: WebSocket; units: string[]; seen: Map<string, Seen> }[] = [];
const sseClients: { res?: IncomingMessage; rsc: string; seen: Map<string, Seen> }[] = [];

function now(): number {
  return performance.timeOrigin + performance.now();
}

function connectCis(url: string, discipline: string, units: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
    const seen = new Map<string, Seen>();
    let ready = false;
    ws.on('open', () => ws.send(JSON.stringify({ action: 'subscribe', discipline })));
    ws.on('message', (data: Buffer) => {
      // {"type":"update","seq":…,"document":{…}}
      if (data[9] === 0x75 /* u */ && data.toString('latin1', 9, 15) === 'update') {
        cisTracker.record(data.toString('latin1', 0, Math.min(data.length, 800)), seen, now());
      } else if (!ready && data.toString('latin1', 0, 20).includes('"snapshot"')) {
        ready = true;
        resolve(true);
      }
    });
    ws.on('close', () => {
      if (ready) cisTracker.disconnected++;
      resolve(false);
    });
    ws.on('error', () => {
      cisTracker.errors++;
      resolve(false);
    });
    cisClients.push({ ws, units, seen });
  });
}

const DOUBLE_NEWLINE = Buffer.from('\n\n');

function connectSse(url: string, rsc: string): Promise<boolean> {
  return new Promise((resolve) => {
    const client: (typeof sseClients)[number] = { rsc, seen: new Map() };
    sseClients.push(client);
    let ready = false;
    const req = request(`${url}/v1/stream?rsc=${rsc}`, { agent: false, headers: { Accept: 'text/event-stream' } }, (res) => {
      client.res = res;
      if (res.statusCode !== 200) {
        sseTracker.errors++;
        res.resume();
        return resolve(false);
      }
      let pending: Buffer | null = null;
      res.on('data', (chunk: Buffer) => {
        const buf = pending ? Buffer.concat([pending, chunk]) : chunk;
        let start = 0;
        let end = buf.indexOf(DOUBLE_NEWLINE, start);
        while (end >= 0) {
          const head = buf.toString('latin1', start, Math.min(end, start + 800));
          if (head.startsWith('id: ') && head.includes('\nevent: document\n')) {
            sseTracker.record(head, client.seen, now());
          } else if (!ready && (head.includes('event: snapshot') || head.includes('event: hello'))) {
            ready = true;
            resolve(true);
          }
          start = end + 2;
          end = buf.indexOf(DOUBLE_NEWLINE, start);
        }
        pending = start < buf.length ? buf.subarray(start) : null;
      });
      res.on('close', () => {
        if (ready) sseTracker.disconnected++;
        resolve(false);
      });
    });
    req.on('error', () => {
      sseTracker.errors++;
      resolve(false);
    });
    req.end();
  });
}

async function inBatches<T>(items: T[], size: number, connect: (item: T) => Promise<boolean>): Promise<number> {
  let failed = 0;
  for (let i = 0; i < items.length; i += size) {
    const results = await Promise.all(items.slice(i, i + size).map(connect));
    failed += results.filter((ok) => !ok).length;
  }
  return failed;
}

function channelReport(tracker: Tracker, clients: { units: string[]; seen: Map<string, Seen> }[], manifest: Manifest): ChannelReport {
  let missingOfficial = 0;
  let missingFinal = 0;
  let conflated = 0;
  for (const client of clients) {
    for (const unit of client.units) {
      const sent = manifest.units[unit];
      if (!sent) continue;
      const seen = client.seen.get(unit);
      for (const official of sent.officials) if (!seen?.officials.has(official)) missingOfficial++;
      if ((seen?.last ?? 0) < sent.last) missingFinal++;
    }
    for (const seen of client.seen.values()) conflated += Math.max(0, seen.last - seen.count);
  }
  return {
    latency: tracker.latency.toJSON(),
    updates: tracker.updates,
    clients: clients.length,
    disconnected: tracker.disconnected,
    errors: tracker.errors,
    missingOfficial,
    missingFinal,
    outOfOrder: tracker.outOfOrder,
    updatesInWindow: tracker.updatesInWindow,
    conflated,
  };
}

function send(event: Event): void {
  process.send?.(event);
}

process.on('message', (command: Command) => {
  void (async () => {
    switch (command.cmd) {
      case 'connect': {
        const started = Date.now();
        cisTracker.clients = command.plan.cis.length;
        sseTracker.clients = command.plan.sse.length;
        const failedCis = await inBatches(command.plan.cis, 100, (c) => connectCis(c.url, c.discipline, c.units));
        const failedSse = await inBatches(command.plan.sse, 200, (c) => connectSse(c.url, c.rsc));
        send({
          evt: 'connected',
          cis: command.plan.cis.length - failedCis,
          sse: command.plan.sse.length - failedSse,
          failed: failedCis + failedSse,
          ms: Date.now() - started,
        });
        return;
      }
      case 'measure':
        for (const tracker of [cisTracker, sseTracker]) {
          tracker.from = command.fromMs;
          tracker.to = command.toMs;
        }
        return;
      case 'report':
        send({
          evt: 'report',
          cis: channelReport(cisTracker, cisClients, command.manifest),
          sse: channelReport(sseTracker, sseClients.map((c) => ({ units: [c.rsc], seen: c.seen })), command.manifest),
        });
        return;
      case 'close':
        for (const c of cisClients) c.ws.terminate();
        for (const c of sseClients) c.res?.destroy();
        setTimeout(() => process.exit(0), 100);
        return;
    }
  })();
});
