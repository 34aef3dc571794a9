import type { DocumentEntry } from '../state/document';
import type { MedalTableView } from '../state/medal-tracker';
import type { ScheduleUnitView } from '../state/results-state';
import type { HubClient } from './hub';
import { type OutboundMessage, Outlet, type OutletContext, type OutletOptions, type Sink } from './outlet';

/**
 * A connected client (CIS WebSocket or SSE): the hub's callbacks turned into messages of the channel's format and
 * written through the client's {@link Outlet}. RESULTS updates conflate per document unless OFFICIAL; DT_CURRENT,
 * medal table and schedule updates always conflate (only the latest matters); control messages never do.
 * A document's message is built once per channel and shared by every client (see frames.ts).
 */
export abstract class ClientSession implements HubClient {
  hubStamp = 0;
  readonly outlet: Outlet;

  protected constructor(
    readonly id: number,
    sink: Sink,
    options: OutletOptions,
    onClosed: (reason: string) => void,
    context?: OutletContext,
  ) {
    this.outlet = new Outlet(sink, options, onClosed, context);
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

  /** A protocol message that must arrive (acknowledgements, snapshots, resets), in the channel's framing. */
  sendControl(frame: Buffer): void {
    this.outlet.send({ seq: 0, conflationKey: null, conflatable: false, bytes: frame.length, frame });
  }
}
