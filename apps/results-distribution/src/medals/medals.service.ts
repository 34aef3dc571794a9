import { Injectable } from '@nestjs/common';
import { contentEtag } from '../common/http-cache';
import { ResultsState } from '../state/results-state';

/** The medal table as served: serialised once per change of the table, with its strong ETag. */
@Injectable()
export class MedalsService {
  private cached?: { table: object; body: string; etag: string };

  constructor(private readonly state: ResultsState) {}

  current(): { body: string; etag: string } {
    const table = this.state.medals.table;
    if (this.cached?.table !== table) {
      const body = JSON.stringify(table);
      this.cached = { table, body, etag: contentEtag(body) };
    }
    return this.cached;
  }
}
