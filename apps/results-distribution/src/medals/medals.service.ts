import { Injectable, type OnModuleInit } from '@nestjs/common';
import { type HotAnswer, HotReads } from '@podium/platform';
import { cachedBody, LIVE_CACHE } from '../common/http-cache';
import type { MedalTableView } from '../state/medal-tracker';
import { ResultsState } from '../state/results-state';

/**
 * The medal table as served: serialised, with its strong ETag, once per version of the table (the tracker makes a new
 * table object on every change and only then); answered from memory before Nest's pipeline (HotReads), the
 * controller being the same answer for the OpenAPI description.
 */
@Injectable()
export class MedalsService implements OnModuleInit {
  private cached?: { table: MedalTableView; answer: HotAnswer };

  constructor(
    private readonly state: ResultsState,
    private readonly hotReads: HotReads,
  ) {}

  onModuleInit(): void {
    this.hotReads.serve('/v1/medals', () => this.current());
  }

  current(): HotAnswer {
    const table = this.state.medals.table;
    if (this.cached?.table !== table) {
      this.cached = { table, answer: { ...cachedBody(JSON.stringify(table)), cacheControl: LIVE_CACHE } };
    }
    return this.cached.answer;
  }
}
