import { Injectable } from '@nestjs/common';
import { type CachedBody, cachedBody, VersionedBodies } from '../common/http-cache';
import { ResultsState } from '../state/results-state';

/**
 * Event lists whose answers are kept: more than a Games has events with entries (about 330 Olympic, 550 Paralympic);
 * events asked for without entries take a place too, so the bound keeps memory in check whatever clients ask.
 */
const EVENTS_KEPT = 2_048;

/** An event's entries as GET /v1/events/{eventRsc}/entries serves them: bytes and ETag built once per change of the list. */
@Injectable()
export class EntriesService {
  private readonly bodies = new VersionedBodies(EVENTS_KEPT);

  constructor(private readonly state: ResultsState) {}

  /** `{"event":…,"entries":[…]}` (an empty list for an event without entries), with its ETag. */
  body(eventRsc: string): CachedBody {
    const entries = this.state.entries;
    return this.bodies.get(eventRsc, entries.revision(eventRsc), () =>
      cachedBody(JSON.stringify({ event: eventRsc, entries: entries.forEvent(eventRsc) })),
    );
  }
}
