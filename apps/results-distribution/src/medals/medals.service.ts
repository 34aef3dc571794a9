import { Injectable } from '@nestjs/common';
import { type CachedBody, cachedBody } from '../common/http-cache';
import type { MedalTableView } from '../state/medal-tracker';
import { ResultsState } from '../state/results-state';

/**
 * The medal table as served: serialised, with its strong ETag, once per version of the table (the tracker makes a new
 * table object on every change and only then).
 */
@Injectable()
export class MedalsService {
  private cached?: { table: MedalTableView; served: CachedBody };

  constructor(private readonly state: ResultsState) {}

  current(): CachedBody {
    const table = this.state.medals.table;
    if (this.cached?.table !== table) this.cached = { table, served: cachedBody(JSON.stringify(table)) };
    return this.cached.served;
  }
}
