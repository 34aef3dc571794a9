import {
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
}

export function feedSubjects(feed: 'P' | 'T'): FeedSubjects {
  const schedules = { key: scheduleUnitUpdated.subject, stream: schedulesStream };
  return feed === 'P'
    ? {
        documents: { key: resultsDocumentPublished.subject, stream: resultsStream },
        current: { key: resultsCurrentPublished.subject, stream: resultsCurrentStream },
        schedules,
      }
    : {
        documents: { key: resultsTestDocumentPublished.subject, stream: resultsTestStream },
        current: { key: resultsTestCurrentPublished.subject, stream: resultsTestCurrentStream },
        schedules,
      };
}

/**
 * The filter subject of a follower: the subject template with every token a wildcard (e.g.
 * 'oms.schedules.v1.unit.*.updated'), so that other subjects of the same stream (schedule events) are not delivered.
 */
export function followFilter(key: FeedSubjects[keyof FeedSubjects]['key']): string {
  return subjectFilter(key);
}
