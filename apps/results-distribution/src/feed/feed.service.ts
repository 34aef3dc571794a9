import { Injectable } from '@nestjs/common';
import type { DocumentEntry } from '../state/document';
import { ResultsState } from '../state/results-state';
import { ResultsStreamReader } from './results-stream.reader';

/**
 * One page of the partner feed: the result messages after a sequence, from the replay buffer in memory when it still
 * holds them, else read from the RESULTS stream. The JSON is assembled from each document's serialised form.
 */
@Injectable()
export class FeedService {
  constructor(
    private readonly state: ResultsState,
    private readonly reader: ResultsStreamReader,
  ) {}

  async page(after: number, limit: number): Promise<string> {
    let items: readonly DocumentEntry[];
    let last: number;
    let head = this.state.resultsSeq;
    // Complete: a LIVE version conflated while this instance was behind is read from the stream, not left out.
    const buffered = this.state.replay.since(after, limit, true);
    if (buffered.ok) {
      items = buffered.entries;
      last = items.length === limit ? (items.at(-1)?.seq ?? after) : Math.max(after, this.state.resultsSeq);
    } else {
      const read = await this.reader.read(after, limit);
      items = read.entries;
      last = read.last;
      head = Math.max(head, read.streamLast);
    }
    return `{"after":${after},"last":${last},"head":${head},"complete":${last >= head},"items":[${items.map((e) => e.json).join(',')}]}`;
  }
}
