import { Injectable, type OnModuleInit } from '@nestjs/common';
import { publicEntryState } from '@podium/contracts';
import { type HotAnswer, HotReads } from '@podium/platform';
import { z } from 'zod';
import { cachedBody, SCHEDULE_CACHE, VersionedCache } from '../common/http-cache';
import { ResultsState } from '../state/results-state';

export const eventRscSchema = z
  .string()
  .regex(/^[A-Z0-9-]{22}-{12}$/, 'expected the 34-character RSC of an event (phase and unit all "-")');

/**
 * Event lists whose answers are kept: more than a Games has events with entries (about 330 Olympic, 550 Paralympic);
 * events asked for without entries take a place too, so the bound keeps memory in check whatever clients ask.
 */
const EVENTS_KEPT = 2_048;

/**
 * An event's entries as GET /v1/events/{eventRsc}/entries serves them: bytes and ETag built once per change of the
 * list, answered from memory before Nest's pipeline (HotReads) for a valid event RSC; an invalid one goes on to the
 * controller (400).
 */
@Injectable()
export class EntriesService implements OnModuleInit {
  private readonly answers = new VersionedCache<HotAnswer>(EVENTS_KEPT);

  constructor(
    private readonly state: ResultsState,
    private readonly hotReads: HotReads,
  ) {}

  onModuleInit(): void {
    this.hotReads.serve('/v1/events/:eventRsc/entries', (request) => {
      const { eventRsc } = request.params as { eventRsc?: string };
      return eventRsc !== undefined && eventRscSchema.safeParse(eventRsc).success ? this.answer(eventRsc) : undefined;
    });
  }

  /**
   * `{"event":…,"entries":[…]}` (an empty list for an event without entries), with its ETag. Each entry's change as
   * anyone may see it (publicEntryState: its kind and a Late Athlete Replacement's reason code; no note, no user id),
   * also for entries published before entries narrowed it and still in the stream or a checkpoint.
   */
  answer(eventRsc: string): HotAnswer {
    const entries = this.state.entries;
    return this.answers.get(eventRsc, entries.revision(eventRsc), () => ({
      ...cachedBody(JSON.stringify({ event: eventRsc, entries: entries.forEvent(eventRsc).map(publicEntryState) })),
      cacheControl: SCHEDULE_CACHE,
    }));
  }
}
