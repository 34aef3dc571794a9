/**
 * Benchmark client process (forked by ods.ts): holds a share of the CIS WebSocket and SSE connections, records the
 * latency of every update from the moment the venue system sent it (the ODF Date/Time header, set at send time, ms)
 * to the moment this process read it, and checks at the end that no OFFICIAL version and no final version is missing
 * and that each client saw each unit's versions in increasing order. A client whose connection is lost (a replica
 * killed) reconnects to the next results-distribution URL and resumes from the last sequence it saw (CIS `after`, SSE
 * Last-Event-ID); reconnects, resets (a resume answered with a snapshot) and updates read twice are counted.
 * Reads only the first bytes of each update (the header fields come first), so that the clients cost little CPU.
 */
import { request, type IncomingMessage } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import { Histogram } from './histogram';

export interface ClientPlan {
  /** `urls`: every results-distribution replica, the one to connect to first first (the others to reconnect to). */
  cis: { urls: string[]; discipline: string; units: string[] }[];
  sse: { urls: string[]; rsc: string }[];
}

export interface Manifest {
  /** Per unit: the last version sent (and acknowledged) and every OFFICIAL version. */
  units: Record<string, { last: number; officials: number[] }>;
}

export type Command =
  | { cmd: 'connect'; plan: ClientPlan }
  | { cmd: 'measure'; fromMs: number; toMs: number }
  /** The overload phase: versions sent (Date/Time header) in [fromMs, toMs) go to `overloadLatency`. */
  | { cmd: 'overload'; fromMs: number; toMs: number }
  | { cmd: 'report'; manifest: Manifest }
  /** How many clients are without a working connection now (lost, not yet resumed), and the updates read so far. */
  | { cmd: 'status' }
  | { cmd: 'close' };

export interface ChannelReport {
  latency: ReturnType<Histogram['toJSON']>;
  overloadLatency: ReturnType<Histogram['toJSON']>;
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
  /** Updates a client read again (a sequence it had seen, sent again after a resume or a reset): not recorded twice. */
  duplicates: number;
  /** Connections lost and taken up again on a replica (resumed from the last sequence seen, or reset + snapshot). */
  reconnects: number;
  /** Resumes the server answered with `reset` and a snapshot (it could not replay from the sequence given). */
  resets: number;
  /** Attempts to reconnect that failed (the next replica is then tried). */
  reconnectFailures: number;
  /** LIVE versions a client did not get (superseded by a later one: conflation), summed over clients. */
  conflated: number;
  /** From a connection's loss to the client's resume (or reset + snapshot) on a replica, per reconnect. */
  resumeMs: ReturnType<Histogram['toJSON']>;
  /** Clients without a working connection when the report was taken (lost and not resumed). */
  down: number;
}

/** This client process's event-loop delay from the measured window's start to the report (a busy load generator reads late). */
export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

export type Event =
  | { evt: 'connected'; cis: number; sse: number; failed: number; ms: number }
  | { evt: 'report'; cis: ChannelReport; sse: ChannelReport; loopDelayMs: LoopDelay }
  | { evt: 'status'; down: number; updates: number; bytesRead: number };

interface Seen {
  last: number;
  officials: Set<number>;
  count: number;
}

class Tracker {
  readonly latency = new Histogram();
  readonly overloadLatency = new Histogram();
  /** Loss of a connection -> resumed on a replica (ms). */
  readonly resumeMs = new Histogram();
  /** Bytes read from the sockets (frames / event-stream text), to tell the rate at which the clients read. */
  bytesRead = 0;
  overloadFrom = Number.POSITIVE_INFINITY;
  overloadTo = Number.POSITIVE_INFINITY;
  updates = 0;
  updatesInWindow = 0;
  outOfOrder = 0;
  duplicates = 0;
  reconnects = 0;
  resets = 0;
  reconnectFailures = 0;
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
    if (sent >= this.overloadFrom && sent < this.overloadTo) this.overloadLatency.record(now - sent);
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

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
const cisTracker = new Tracker();
const sseTracker = new Tracker();

/** What a client keeps across its connections: what it saw, and the last sequence to resume from. */
interface Follower {
  /** Every distribution URL, the one to use first first: on a lost connection the client moves to the next. */
  urls: string[];
  at: number;
  seen: Map<string, Seen>;
  /** The last RESULTS sequence seen (update, or the snapshot's): what a resume gives as `after` / Last-Event-ID. */
  lastSeq: number;
  /** Set when the server answered a resume with `reset`: the snapshot that follows is taken as seen. */
  resetPending: boolean;
  /** When the connection in use was lost (null while connected or connecting for the first time). */
  lostAt: number | null;
}

const cisClients: (Follower & { ws?: WebSocket; discipline: string; units: string[] })[] = [];
const sseClients: (Follower & { res?: IncomingMessage; rsc: string })[] = [];
let closing = false;

function now(): number {
  return performance.timeOrigin + performance.now();
}

function follower(urls: string[]): Follower {
  return { urls, at: 0, seen: new Map(), lastSeq: 0, resetPending: false, lostAt: null };
}

/**
 * An update with sequence `seq`: recorded unless the client saw that sequence already (an update sent again after a
 * resume or reset, counted as a duplicate rather than as out of order).
 */
function onUpdate(tracker: Tracker, client: Follower, seq: number, head: string): void {
  if (seq <= client.lastSeq) {
    tracker.duplicates++;
    return;
  }
  client.lastSeq = seq;
  client.resetPending = false;
  tracker.record(head, client.seen, now());
}

/** The documents of a snapshot that answered a resume (`reset`): the client has their versions now. */
function onResetSnapshot(client: Follower, documents: unknown[]): void {
  for (const document of documents) {
    const text = JSON.stringify(document);
    const code = /"documentCode":"([A-Z0-9-]+)"/.exec(text)?.[1];
    const version = Number(/"version":(\d+)/.exec(text)?.[1]);
    if (code === undefined || !Number.isFinite(version)) continue;
    const unit = client.seen.get(code) ?? { last: 0, officials: new Set<number>(), count: 0 };
    client.seen.set(code, unit);
    unit.last = Math.max(unit.last, version);
    if (/"resultStatus":"OFFICIAL"/.test(text)) unit.officials.add(version);
  }
}

/** A client that had lost its connection is served again (resumed, or reset + snapshot). */
function resumed(tracker: Tracker, client: Follower): void {
  tracker.reconnects++;
  if (client.lostAt !== null) tracker.resumeMs.record(Date.now() - client.lostAt);
  client.lostAt = null;
}

/** After a lost connection: the next URL, a little later (the clients of a killed replica do not all come at once). */
function reconnectLater(client: Follower, connect: () => void): void {
  if (closing) return;
  client.at = (client.at + 1) % client.urls.length;
  setTimeout(() => {
    if (!closing) connect();
  }, 100 + Math.random() * 400);
}

function connectCis(client: (typeof cisClients)[number], onReady?: (ok: boolean) => void): void {
  const url = client.urls[client.at] as string;
  const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
  client.ws = ws;
  const resuming = onReady === undefined;
  let ready = false;
  const readyNow = (): void => {
    if (ready) return;
    ready = true;
    if (resuming) resumed(cisTracker, client);
    onReady?.(true);
  };
  ws.on('open', () =>
    ws.send(JSON.stringify({ action: 'subscribe', discipline: client.discipline, ...(client.lastSeq > 0 ? { after: client.lastSeq } : {}) })),
  );
  ws.on('message', (data: Buffer) => {
    cisTracker.bytesRead += data.length;
    // {"type":"update","seq":…,"document":{…}}
    if (data[9] === 0x75 /* u */ && data.toString('latin1', 9, 15) === 'update') {
      const head = data.toString('latin1', 0, Math.min(data.length, 800));
      onUpdate(cisTracker, client, Number(/"seq":(\d+)/.exec(head)?.[1] ?? 0), head);
      return;
    }
    const type = /^\{"type":"(\w+)"/.exec(data.toString('latin1', 0, 24))?.[1];
    if (type === 'snapshot') {
      const seq = Number(/"seq":(\d+)/.exec(data.toString('latin1', 0, 120))?.[1] ?? 0);
      if (client.resetPending) onResetSnapshot(client, (JSON.parse(data.toString('utf8')) as { documents: unknown[] }).documents);
      client.lastSeq = Math.max(client.lastSeq, seq);
      readyNow();
    } else if (type === 'reset') {
      cisTracker.resets++;
      client.resetPending = true;
    } else if (type === 'subscribed' && resuming && data.includes('"resumed":true')) {
      client.resetPending = false;
      readyNow();
    }
  });
  ws.on('close', () => {
    if (ready) {
      cisTracker.disconnected++;
      client.lostAt = Date.now();
    }
    else if (resuming) cisTracker.reconnectFailures++;
    if (!ready && !resuming) return onReady?.(false);
    reconnectLater(client, () => connectCis(client));
  });
  ws.on('error', () => {
    if (!resuming && !ready) cisTracker.errors++;
  });
}

const DOUBLE_NEWLINE = Buffer.from('\n\n');

function connectSse(client: (typeof sseClients)[number], onReady?: (ok: boolean) => void): void {
  const url = client.urls[client.at] as string;
  const resuming = onReady === undefined;
  let ready = false;
  let lost = false;
  const readyNow = (): void => {
    if (ready) return;
    ready = true;
    if (resuming) resumed(sseTracker, client);
    onReady?.(true);
  };
  const onLost = (): void => {
    if (lost) return;
    lost = true;
    if (ready) {
      sseTracker.disconnected++;
      client.lostAt = Date.now();
    }
    else if (resuming) sseTracker.reconnectFailures++;
    if (!ready && !resuming) return onReady?.(false);
    reconnectLater(client, () => connectSse(client));
  };
  const headers: Record<string, string> = { Accept: 'text/event-stream', ...(client.lastSeq > 0 ? { 'Last-Event-ID': String(client.lastSeq) } : {}) };
  const req = request(`${url}/v1/stream?rsc=${client.rsc}`, { agent: false, headers }, (res) => {
    client.res = res;
    if (res.statusCode !== 200) {
      if (!resuming) sseTracker.errors++;
      res.resume();
      return onLost();
    }
    let pending: Buffer | null = null;
    res.on('data', (chunk: Buffer) => {
      sseTracker.bytesRead += chunk.length;
      const buf = pending ? Buffer.concat([pending, chunk]) : chunk;
      let start = 0;
      let end = buf.indexOf(DOUBLE_NEWLINE, start);
      while (end >= 0) {
        const head = buf.toString('latin1', start, Math.min(end, start + 800));
        if (head.startsWith('id: ') && head.includes('\nevent: document\n')) {
          onUpdate(sseTracker, client, Number(head.slice(4, head.indexOf('\n'))), head);
        } else if (head.startsWith('id: ') && head.includes('\nevent: snapshot\n')) {
          if (client.resetPending) {
            const event = buf.toString('utf8', start, end);
            const data = event.slice(event.indexOf('\ndata: ') + 7);
            onResetSnapshot(client, (JSON.parse(data) as { documents: unknown[] }).documents);
          }
          client.lastSeq = Math.max(client.lastSeq, Number(head.slice(4, head.indexOf('\n'))));
          readyNow();
        } else if (head.includes('event: reset')) {
          sseTracker.resets++;
          client.resetPending = true;
        } else if (head.includes('event: hello')) {
          if (head.includes('"resumed":true')) client.resetPending = false;
          readyNow();
        }
        start = end + 2;
        end = buf.indexOf(DOUBLE_NEWLINE, start);
      }
      pending = start < buf.length ? buf.subarray(start) : null;
    });
    res.on('close', onLost);
    res.on('error', onLost);
  });
  req.on('error', () => {
    if (!resuming && !ready) sseTracker.errors++;
    onLost();
  });
  req.end();
}

async function inBatches<T>(items: T[], size: number, connect: (item: T) => Promise<boolean>): Promise<number> {
  let failed = 0;
  for (let i = 0; i < items.length; i += size) {
    const results = await Promise.all(items.slice(i, i + size).map(connect));
    failed += results.filter((ok) => !ok).length;
  }
  return failed;
}

function channelReport(tracker: Tracker, clients: { units: string[]; seen: Map<string, Seen>; lostAt: number | null }[], manifest: Manifest): ChannelReport {
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
    overloadLatency: tracker.overloadLatency.toJSON(),
    updates: tracker.updates,
    clients: clients.length,
    disconnected: tracker.disconnected,
    errors: tracker.errors,
    missingOfficial,
    missingFinal,
    outOfOrder: tracker.outOfOrder,
    updatesInWindow: tracker.updatesInWindow,
    duplicates: tracker.duplicates,
    reconnects: tracker.reconnects,
    resets: tracker.resets,
    reconnectFailures: tracker.reconnectFailures,
    conflated,
    resumeMs: tracker.resumeMs.toJSON(),
    down: clients.filter((c) => c.lostAt !== null).length,
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
        const failedCis = await inBatches(command.plan.cis, 100, (c) => {
          const client = { ...follower(c.urls), discipline: c.discipline, units: c.units };
          cisClients.push(client);
          return new Promise<boolean>((resolve) => connectCis(client, resolve));
        });
        const failedSse = await inBatches(command.plan.sse, 200, (c) => {
          const client = { ...follower(c.urls), rsc: c.rsc };
          sseClients.push(client);
          return new Promise<boolean>((resolve) => connectSse(client, resolve));
        });
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
        loopDelay.reset();
        loopDelay.enable();
        for (const tracker of [cisTracker, sseTracker]) {
          tracker.from = command.fromMs;
          tracker.to = command.toMs;
        }
        return;
      case 'overload':
        for (const tracker of [cisTracker, sseTracker]) {
          tracker.overloadFrom = command.fromMs;
          tracker.overloadTo = command.toMs;
        }
        return;
      case 'report':
        send({
          evt: 'report',
          cis: channelReport(cisTracker, cisClients, command.manifest),
          sse: channelReport(sseTracker, sseClients.map((c) => ({ units: [c.rsc], seen: c.seen, lostAt: c.lostAt })), command.manifest),
          loopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
        });
        return;
      case 'status': {
        const all: Follower[] = [...cisClients, ...sseClients];
        send({
          evt: 'status',
          down: all.filter((c) => c.lostAt !== null).length,
          updates: cisTracker.updates + sseTracker.updates,
          bytesRead: cisTracker.bytesRead + sseTracker.bytesRead,
        });
        return;
      }
      case 'close':
        closing = true;
        for (const c of cisClients) c.ws?.terminate();
        for (const c of sseClients) c.res?.destroy();
        setTimeout(() => process.exit(0), 100);
        return;
    }
  })();
});
