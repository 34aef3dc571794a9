import {
  type ScheduleEdition,
  type ScheduleEvent,
  type ScheduleSnapshot,
  scheduleEditionsResponseSchema,
  scheduleEventsResponseSchema,
  scheduleSnapshotSchema,
} from '@podium/contracts';
import { z } from 'zod';

/** The part of `fetch` the client uses (tests pass a fake). */
export type FetchLike = (
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

export interface SchedulesClientOptions {
  /** Per request. Default 10 s. */
  timeoutMs?: number;
  fetch?: FetchLike;
}

/**
 * The schedules service's public read API, each response validated with its schema from the contracts (a response
 * that does not match fails with the path of the first bad field).
 */
export class SchedulesClient {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly fetch: FetchLike;

  constructor(baseUrl: string, options: SchedulesClientOptions = {}) {
    this.base = baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init));
  }

  /** `GET /v1/editions`. */
  editions(): Promise<ScheduleEdition[]> {
    return this.get('/v1/editions', scheduleEditionsResponseSchema);
  }

  /** `GET /v1/editions/{edition}/events`. */
  events(edition: string): Promise<ScheduleEvent[]> {
    return this.get(`/v1/editions/${encodeURIComponent(edition)}/events`, scheduleEventsResponseSchema);
  }

  /** `GET /v1/editions/{edition}/snapshot`. */
  snapshot(edition: string): Promise<ScheduleSnapshot> {
    return this.get(`/v1/editions/${encodeURIComponent(edition)}/snapshot`, scheduleSnapshotSchema);
  }

  private async get<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
    const url = `${this.base}${path}`;
    const res = await this.fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
    const parsed = schema.safeParse(await res.json());
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'the body';
      throw new Error(`GET ${url}: unexpected response, ${where}: ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data;
  }
}
