import type { DocumentEntry } from '../state/document';
import type { MedalTableView } from '../state/medal-tracker';
import type { ScheduleUnitView } from '../state/results-state';
import type { HubClient } from './hub';
import { type FrameSource, type OutboundMessage, Outlet, type OutletContext, type OutletOptions, type Sink } from './outlet';

/**
 * A connected client (CIS WebSocket or SSE): the hub's callbacks turned into messages of the channel's format and
 * written through the client's {@link Outlet}. RESULTS updates conflate per document unless OFFICIAL; DT_CURRENT,
 * medal table and schedule updates always conflate (only the latest matters); control messages never do.
 * A document's message is built once per channel and shared by every client (see frames.ts).
 */
export abstract class ClientSession implements HubClient {
  hubStamp = 0;
  abstract readonly channel: 'cis' | 'sse';
  readonly outlet: Outlet;
  /** The channel's lane in the write batch (OutletContext.lane): CIS 0, SSE 1. */
  readonly lane: number;

  protected constructor(
    readonly id: number,
    sink: Sink,
    options: OutletOptions,
    onClosed: (reason: string) => void,
    context?: OutletContext,
  ) {
    this.outlet = new Outlet(sink, options, onClosed, context);
    this.lane = context?.lane ?? 0;
  }

  protected abstract documentMessage(entry: DocumentEntry): OutboundMessage;
  protected abstract medalsFrame(table: MedalTableView): Buffer;
  protected abstract unitFrame(unit: ScheduleUnitView): Buffer;

  onDocument(entry: DocumentEntry): void {
    this.outlet.send(this.documentMessage(entry));
  }

  onCurrent(entry: DocumentEntry): void {
    this.outlet.send(this.documentMessage(entry));
  }

  onMedals(table: MedalTableView): void {
    const frame = this.medalsFrame(table);
    this.outlet.send({ seq: 0, conflationKey: 'medals', conflatable: true, bytes: frame.length, frame });
  }

  onScheduleUnit(unit: ScheduleUnitView): void {
    const frame = this.unitFrame(unit);
    this.outlet.send({ seq: 0, conflationKey: `unit:${unit.rsc}`, conflatable: true, bytes: frame.length, frame });
  }

  /** Sends an entry (also used for snapshots' followers: replayed updates and running clocks). */
  sendEntry(entry: DocumentEntry): void {
    this.outlet.send(this.documentMessage(entry));
  }

  /** A protocol message that must arrive (acknowledgements, snapshots, resets), in the channel's framing; false when disconnected. */
  sendControl(frame: Buffer): boolean {
    return this.outlet.send({ seq: 0, conflationKey: null, conflatable: false, bytes: frame.length, frame });
  }

  /**
   * A catch-up (a snapshot's parts, the updates a resume missed), ahead of everything sent after it. When nothing
   * waits for the socket, its frames are built and written only as the socket takes them (Outlet.stream: the session
   * is then busy, {@link catchingUp}, until `done`); when messages already wait (the client is behind), they are queued
   * at once behind them, as far as the client's queue bounds allow (beyond, it is disconnected: no more is built).
   */
  protected sendCatchUp(source: FrameSource, done: () => void = () => undefined): void {
    if (this.outlet.idle) {
      this.outlet.stream(source, done);
      return;
    }
    for (let frame = source.next(); frame !== null; frame = source.next()) {
      if (!this.sendControl(frame)) return;
    }
    done();
  }

  /** A catch-up is being written (see {@link sendCatchUp}). */
  get catchingUp(): boolean {
    return this.outlet.streaming;
  }
}
