import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Principal } from '@podium/auth';
import type { AthleteState } from '@podium/contracts';
import { decodeCursor, encodeCursor, isUniqueViolation, NatsConsumerRunner, ProblemException } from '@podium/platform';
import { z } from 'zod';

import { ApplicationsService } from '../applications/applications.service';
import { CURSOR_PROBLEM } from '../applications/search';
import { canActFor, organisationScope } from '../common/access';
import { followSourceNames } from '../common/follow-source';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import type { AthleteApplicationInput, AthleteQuery } from './athletes.dto';
import { entriesAthletesConsumer } from './athletes.consumer';

/** Who updates an application's names when entries changes its athlete (the history's `by`). */
export const ENTRIES_ACTOR = 'entries';

/** An athlete of entries as served: the source of an athlete's application, with that application when there is one. */
export interface AthleteView {
  id: string;
  ifId: string | null;
  noc: string;
  familyName: string;
  givenName: string;
  gender: string;
  birthDate: string;
  events: string[];
  version: number;
  applicationId: string | null;
}

interface AthleteRow {
  id: string;
  if_id: string | null;
  noc: string;
  family_name: string;
  given_name: string;
  gender: string;
  birth_date: string;
  events: string[];
  version: number;
  application_id: string | null;
}

function view(r: AthleteRow): AthleteView {
  return {
    id: r.id,
    ifId: r.if_id,
    noc: r.noc,
    familyName: r.family_name,
    givenName: r.given_name,
    gender: r.gender,
    birthDate: r.birth_date,
    events: r.events,
    version: r.version,
    applicationId: r.application_id,
  };
}

/** A cursor's shape: `[familyName, id]` of the page's last athlete. */
const athleteCursorShape = z.tuple([z.string(), z.string().regex(/^[0-9a-f-]{36}$/)]);

/**
 * Athletes' applications are made from entries' data, never retyped: the athletes entries publishes
 * (`oms.entries.v1.athlete.{noc}.changed`, a durable consumer from the start of ENTRIES) are kept in `entries_athlete`
 * (the latest version of each); an NOC lists its athletes and applies for one by its id; when entries changes the
 * athlete's names or date of birth, the application follows (with a history entry by `entries`), unless it was erased.
 */
@Injectable()
export class AthletesService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AthletesService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly consumers: NatsConsumerRunner,
    private readonly applications: ApplicationsService,
  ) {}

  onApplicationBootstrap(): void {
    this.consumers.consume(entriesAthletesConsumer(), (envelope) => this.remember(envelope.data));
  }

  /** Keeps `athlete` if newer than the one kept (idempotent: a redelivery or an older version changes nothing). */
  async remember(athlete: AthleteState): Promise<void> {
    const events = [...new Set(athlete.entries.map((e) => e.event))].sort();
    await this.prisma.$transaction(async (tx) => {
      const written = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO entries_athlete (id, edition, noc, if_id, family_name, given_name, gender, birth_date, events, version, source_updated_at)
        VALUES (${athlete.id}::uuid, ${athlete.edition}, ${athlete.noc}, ${athlete.ifId}, ${athlete.familyName}, ${athlete.givenName},
          ${athlete.gender}, ${athlete.birthDate}, ${events}::text[], ${athlete.version}, ${new Date(athlete.updatedAt)})
        ON CONFLICT (id) DO UPDATE SET noc = EXCLUDED.noc, if_id = EXCLUDED.if_id, family_name = EXCLUDED.family_name,
          given_name = EXCLUDED.given_name, gender = EXCLUDED.gender, birth_date = EXCLUDED.birth_date, events = EXCLUDED.events,
          version = EXCLUDED.version, source_updated_at = EXCLUDED.source_updated_at, received_at = now()
        WHERE entries_athlete.version < EXCLUDED.version
        RETURNING id::text AS id`;
      if (written.length === 0) return;
      // The application made for the athlete follows its names (never an erased one: its personal data is gone).
      await followSourceNames(
        tx,
        Prisma.sql`entries_athlete_id = ${athlete.id}::uuid`,
        { familyName: athlete.familyName, givenName: athlete.givenName, dateOfBirth: athlete.birthDate, nationality: null },
        {
          by: ENTRIES_ACTOR,
          action: 'update-from-entries',
          reason: `entries changed the athlete (version ${athlete.version})`,
          details: { entriesAthleteId: athlete.id, entriesVersion: athlete.version },
        },
      );
    });
  }

  /** entries' athletes of the organisations the principal acts for, by family name (keyset pages). */
  async list(edition: string, query: AthleteQuery, principal: Principal): Promise<{ items: AthleteView[]; nextCursor: string | null }> {
    const scope = organisationScope(principal);
    if (scope.kind === 'none' || (scope.kind === 'one' && query.organisation !== undefined && query.organisation !== scope.organisation)) {
      return { items: [], nextCursor: null };
    }
    const noc = scope.kind === 'one' ? scope.organisation : query.organisation;
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, athleteCursorShape, CURSOR_PROBLEM);
    const rows = await this.prisma.$queryRaw<AthleteRow[]>`
      SELECT a.id::text AS id, a.if_id, a.noc, a.family_name, a.given_name, a.gender, a.birth_date, a.events, a.version,
        ap.id::text AS application_id
      FROM entries_athlete a LEFT JOIN application ap ON ap.entries_athlete_id = a.id
      WHERE a.edition = ${edition}
        ${noc === undefined ? Prisma.empty : Prisma.sql`AND a.noc = ${noc}`}
        ${query.applied === undefined ? Prisma.empty : query.applied ? Prisma.sql`AND ap.id IS NOT NULL` : Prisma.sql`AND ap.id IS NULL`}
        ${after === undefined ? Prisma.empty : Prisma.sql`AND (a.family_name, a.id) > (${after[0]}, ${after[1]}::uuid)`}
      ORDER BY a.family_name, a.id
      LIMIT ${query.limit + 1}`;
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return { items: page.map(view), nextCursor: rows.length > query.limit && last ? encodeCursor([last.family_name, last.id]) : null };
  }

  /**
   * The athlete's application, made from entries' data: organisation the athlete's NOC, names, date of birth and
   * nationality (the NOC) as entries has them. Another organisation's athlete, or one entries never published: 404.
   */
  async apply(edition: string, athleteId: string, input: AthleteApplicationInput, principal: Principal) {
    const athlete = await this.prisma.entriesAthlete.findUnique({ where: { id: athleteId } });
    if (!athlete || athlete.edition !== edition || !canActFor(principal, athlete.noc)) {
      throw ProblemException.notFound(`No athlete ${athleteId} of entries in ${edition}`, 'athlete-not-found');
    }
    const existing = await this.prisma.application.findUnique({ where: { entriesAthleteId: athleteId }, select: { id: true } });
    if (existing) throw alreadyApplied(athleteId, existing.id);
    try {
      return await this.applications.submit(
        edition,
        {
          organisation: athlete.noc,
          category: input.category,
          familyName: athlete.familyName,
          givenName: athlete.givenName,
          dateOfBirth: athlete.birthDate,
          nationality: athlete.noc,
          passportNumber: input.passportNumber,
          photoReference: input.photoReference,
        },
        principal,
        { entriesAthleteId: athleteId },
      );
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Two officers applying for the same athlete at once: the unique index let one through.
      const winner = await this.prisma.application.findUnique({ where: { entriesAthleteId: athleteId }, select: { id: true } });
      this.logger.debug(`Athlete ${athleteId}: a concurrent application won`);
      throw alreadyApplied(athleteId, winner?.id ?? null);
    }
  }
}

function alreadyApplied(athleteId: string, applicationId: string | null): ProblemException {
  return new ProblemException({
    status: 409,
    slug: 'athlete-already-applied',
    title: 'Athlete already applied for',
    detail: `Athlete ${athleteId} already has an application${applicationId ? ` (${applicationId})` : ''}`,
    extensions: { applicationId },
  });
}
