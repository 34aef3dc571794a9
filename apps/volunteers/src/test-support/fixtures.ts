/**
 * Applications written straight into a test's database with Prisma, at any stage (the pipeline's tests start from a
 * trained or offered application without walking the whole pipeline, and without the portal). The same columns and
 * sealing as ApplicationsService writes (personal data sealed with the service's EnvelopeCipher, the status token's
 * SHA-256). Test-only code (excluded from the app build).
 */
import { EnvelopeCipher } from '@podium/platform';
import { randomBytes, randomUUID } from 'node:crypto';

import { type Stage, languageLevels } from '../applications/application.logic';
import { sealPersonal } from '../applications/personal.logic';
import { newStatusToken, tokenHashOf } from '../applications/submission.logic';
import { type Application, PrismaService } from '../database/prisma.service';
import type { Harness } from './harness';

export interface FixtureApplication {
  edition?: string;
  stage?: Stage;
  familyName?: string;
  givenName?: string;
  email?: string;
  phone?: string | null;
  dateOfBirth?: string;
  /** IOC code, sealed with the personal data (default FRA). */
  nationality?: string;
  languages?: { code: string; level: string }[];
  skills?: string[];
  drivingLicence?: boolean;
  availableDates?: string[];
  fields?: string[];
  interviewSlotId?: string | null;
  offer?: { role: string; area: string; venue: string; deadline: Date | string };
}

export interface InsertedApplication {
  row: Application;
  /** The applicant's private status token (only its hash is stored). */
  token: string;
}

/** Inserts one application (and its `apply` history entry) as a test's starting point. */
export async function insertApplication(h: Harness, fixture: FixtureApplication = {}): Promise<InsertedApplication> {
  const prisma = h.app.get(PrismaService);
  const cipher = h.app.get(EnvelopeCipher);
  const id = randomUUID();
  const token = newStatusToken();
  const personal = {
    email: fixture.email ?? `${id.slice(0, 8)}@example.org`,
    phone: fixture.phone ?? null,
    dateOfBirth: fixture.dateOfBirth ?? '1995-04-12',
    nationality: fixture.nationality ?? 'FRA',
  };
  const sealed = sealPersonal(cipher, id, personal);
  const languages = fixture.languages ?? [
    { code: 'fr', level: 'native' },
    { code: 'en', level: 'B2' },
    { code: 'es', level: 'A2' },
  ];
  const row = await prisma.application.create({
    data: {
      id,
      edition: fixture.edition ?? 'OG2024',
      stage: fixture.stage ?? 'applied',
      tokenHash: Uint8Array.from(tokenHashOf(token)),
      duplicateKey: Uint8Array.from(randomBytes(32)),
      familyName: fixture.familyName ?? 'MARTIN',
      givenName: fixture.givenName ?? 'Léa',
      languages,
      languageCodes: languages.map((l) => l.code),
      languageLevels: languageLevels(languages),
      skills: fixture.skills ?? ['first-aid'],
      drivingLicence: fixture.drivingLicence ?? true,
      availableDates: fixture.availableDates ?? ['2024-07-20', '2024-07-21', '2024-07-22', '2024-08-01'],
      fields: fixture.fields ?? ['spectator-services'],
      tshirtSize: 'M',
      locale: 'fr',
      consentAt: new Date(),
      consentNotice: '2024-01',
      ...sealed,
      interviewSlotId: fixture.interviewSlotId ?? null,
      ...(fixture.offer
        ? { offerRole: fixture.offer.role, offerArea: fixture.offer.area, offerVenue: fixture.offer.venue, offerDeadline: new Date(fixture.offer.deadline) }
        : {}),
    },
  });
  await prisma.applicationHistory.create({ data: { applicationId: id, by: 'fixture', action: 'apply', toStage: row.stage } });
  return { row, token };
}

/** Inserts `count` applications one by one (each as insertApplication), for bulk and funnel tests; returns their ids. */
export async function insertApplications(h: Harness, count: number, fixture: Omit<FixtureApplication, 'nationality'> = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await insertApplication(h, { familyName: `BULK${i}`, ...fixture })).row.id);
  return ids;
}
