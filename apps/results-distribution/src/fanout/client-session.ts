import type { DocumentEntry } from '../state/document';
import { isConflatable } from '../state/document';
import type { MedalTableView } from '../state/medal-tracker';
import type { ScheduleUnitView } from '../state/results-state';
import type { HubClient } from './hub';
import { Outlet, type OutletOptions, type Sink } from './outlet';

/**
 * A connected client (CIS WebSocket or SSE): the hub's callbacks turned into frames of the channel's format and
 * written through the client's {@link Outlet}. RESULTS updates conflate per document unless OFFICIAL; DT_CURRENT,
 * medal table and schedule updates always conflate (only the latest matters); control messages never do.
 */
export abstract class ClientSession implements HubClient {
  hubStamp = 0;
  readonly outlet: Outlet;

  protected constructor(
    readonly id: number,
    sink: Sink,
    options: OutletOptions,
    onClosed: (reason: string) => void,
  ) {
    this.outlet = new Outlet(sink, options, onClosed);
  }

  protected abstract documentFrame(entry: DocumentEntry): Buffer;
  protected abstract medalsFrame(table: MedalTableView): Buffer;
  protected abstract unitFrame(unit: ScheduleUnitView): Buffer;

  onDocument(entry: DocumentEntry): void {
    this.sendEntry(entry);
  }

  onCurrent(entry: DocumentEntry): void {
    this.sendEntry(entry);
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
    const frame = this.documentFrame(entry);
    const current = entry.stream !== 'RESULTS';
    this.outlet.send({
      seq: current ? 0 : entry.seq,
      conflationKey: entry.key,
      conflatable: current || isConflatable(entry.data),
      bytes: frame.length,
      frame,
    });
  }

  /** A protocol message that must arrive (acknowledgements, snapshots, resets). */
  sendControl(frame: Buffer): void {
    this.outlet.send({ seq: 0, conflationKey: null, conflatable: false, bytes: frame.length, frame });
  }
}
