/** A stand-in for the platform's HotReads in unit tests: keeps the readers a service registers, to call them. */
import type { HotAnswer, HotReader, HotReads, HttpRequest } from '@podium/platform';
import { strictMock } from '@podium/testing';

export interface CapturedHotReads {
  hotReads: HotReads;
  /** The routes served, in the order they were registered. */
  routes(): string[];
  /** Calls the reader of `route` as the platform's preHandler does, with what Fastify parsed from the URL. */
  read(route: string, request: { url: string; params?: Record<string, string>; query?: Record<string, string> }): HotAnswer | undefined;
}

export function captureHotReads(): CapturedHotReads {
  const readers = new Map<string, HotReader>();
  const hotReads = strictMock<HotReads>('hotReads', {
    serve: (route: string, reader: HotReader) => {
      readers.set(route, reader);
    },
  });
  return {
    hotReads,
    routes: () => [...readers.keys()],
    read: (route, request) => {
      const reader = readers.get(route);
      if (!reader) throw new Error(`no hot read of ${route}`);
      return reader({ params: {}, query: {}, ...request } as unknown as HttpRequest);
    },
  };
}

/** The body of an answer as text. */
export function textOf(answer: HotAnswer | undefined): string {
  if (!answer) throw new Error('no answer');
  return String(answer.body);
}
