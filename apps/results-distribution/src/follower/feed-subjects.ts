import {
  entriesStream,
  entryChanged,
  resultsCurrentPublished,
  resultsCurrentStream,
  resultsDocumentPublished,
  resultsStream,
  resultsTestCurrentPublished,
  resultsTestCurrentStream,
  resultsTestDocumentPublished,
  resultsTestStream,
  scheduleUnitUpdated,
  schedulesStream,
  type StreamDefinition,
  subjectFilter,
} from '@podium/contracts';

/** The subjects and streams this instance follows, by ODF feed (production P or test T). */
export interface FeedSubjects {
  readonly documents: {
    readonly key: typeof resultsDocumentPublished.subject | typeof resultsTestDocumentPublished.subject;
    readonly stream: StreamDefinition;
  };
  readonly current: {
    readonly key: typeof resultsCurrentPublished.subject | typeof resultsTestCurrentPublished.subject;
    readonly stream: StreamDefinition;
  };
  readonly schedules: { readonly key: typeof scheduleUnitUpdated.subject; readonly stream: StreamDefinition };
  readonly entries: { readonly key: typeof entryChanged.subject; readonly stream: StreamDefinition };
}

export function feedSubjects(feed: 'P' | 'T'): FeedSubjects {
  const schedules = { key: scheduleUnitUpdated.subject, stream: schedulesStream };
  const entries = { key: entryChanged.subject, stream: entriesStream };
  return feed === 'P'
    ? {
        documents: { key: resultsDocumentPublished.subject, stream: resultsStream },
        current: { key: resultsCurrentPublished.subject, stream: resultsCurrentStream },
        schedules,
        entries,
      }
    : {
        documents: { key: resultsTestDocumentPublished.subject, stream: resultsTestStream },
        current: { key: resultsTestCurrentPublished.subject, stream: resultsTestCurrentStream },
        schedules,
        entries,
      };
}

/**
 * The filter subject of a follower: the subject template with every token a wildcard (e.g.
 * 'oms.schedules.v1.unit.*.updated'), so that other subjects of the same stream (schedule events, athletes, quota
 * places) are not delivered.
 */
export function followFilter(key: FeedSubjects[keyof FeedSubjects]['key']): string {
  return subjectFilter(key);
}
