import { Inject, Injectable } from '@nestjs/common';
import { EnvelopeCipher, ProblemException, serializableTransaction } from '@podium/platform';
import { randomUUID } from 'node:crypto';

import { type CampaignView, campaignView } from '../campaign/campaign.logic';
import { type Application, PrismaService } from '../database/prisma.service';
import { type ApplicationInput, duplicateKey, expandDates, type FieldProblem, languageLevels } from './application.logic';
import { type ApplicationDetail, type ApplicationView, applicationView } from './applications.view';
import { sealPersonal } from './personal.logic';
import { checkApplication, isStatusTokenShaped, newStatusToken, pgTextArray, tokenHashOf } from './submission.logic';

export { tokenHashOf } from './submission.logic';

/** Injection token of the duplicate-application HMAC key (VOLUNTEERS_DUPLICATE_SECRET). */
export const DUPLICATE_SECRET = Symbol('VOLUNTEERS_DUPLICATE_SECRET');

/** Who submits: the public portal (by `applicant`) or a recruiter's bulk load (by the recruiter's sub). */
export interface SubmitContext {
  via: 'portal' | 'bulk';
  by: string;
}

/** Why a row of a batch was refused: invalid (its field problems) or a duplicate of an application of the edition. */
export type RefusalReason = 'invalid' | 'duplicate-application';

export type RowOutcome =
  | { index: number; status: 'created'; id: string; token: string; application: ApplicationView }
  | { index: number; status: 'refused'; reason: RefusalReason; errors?: FieldProblem[] };

/** A checked row, sealed and keyed, ready for the INSERT (everything computed before the transaction, so a retry redoes only SQL). */
interface Prepared {
  index: number;
  id: string;
  token: string;
  row: Application;
}

const CAMPAIGN_CLOSED = (edition: string) =>
  new ProblemException({ status: 409, slug: 'campaign-closed', title: 'Campaign closed', detail: `The volunteer campaign of ${edition} is not taking applications` });

const DUPLICATE = () =>
  new ProblemException({
    status: 409,
    slug: 'duplicate-application',
    title: 'Duplicate application',
    detail: 'An application from the same person (same names and date of birth) was already received for this edition; use its status link',
  });

/**
 * Applications: the one way one is created (submit, and submitBatch for the bulk path), the applicant's status token
 * lookup, and the recruiter's read. docs/volunteers-core.md.
 */
@Injectable()
export class ApplicationsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly cipher: EnvelopeCipher,
    @Inject(DUPLICATE_SECRET) private readonly duplicateSecret: Buffer,
  ) {}

  /**
   * Takes one application: the campaign must be open (409 campaign-closed), the value valid for the schema and the
   * campaign (400 validation-failed, `errors: [{field, message}]` with the schema's field paths), the person not
   * already an applicant of the edition (409 duplicate-application, saying nothing of the other application). Answers
   * the recruiter view and the private status token (shown once; only its SHA-256 is stored).
   */
  async submit(edition: string, input: unknown, context: SubmitContext): Promise<{ application: ApplicationView; token: string }> {
    const campaign = await this.openCampaign(edition);
    const checked = checkApplication(input, campaign);
    if (!checked.ok) throw ProblemException.validation(checked.errors);
    const [outcome] = await this.insert(edition, campaign, [this.prepare(edition, campaign, 0, checked.input)], context);
    if (outcome?.status !== 'created') throw DUPLICATE();
    return { application: outcome.application, token: outcome.token };
  }

  /**
   * Takes a batch of applications as submit takes one, in one transaction with one multi-row INSERT: a bad row refuses
   * only itself (its field problems), as does a duplicate (of an application of the edition, or of an earlier row of
   * the batch). A closed campaign refuses the whole batch (409 campaign-closed). One outcome per row, in order.
   */
  async submitBatch(edition: string, inputs: readonly unknown[], context: SubmitContext): Promise<RowOutcome[]> {
    const campaign = await this.openCampaign(edition);
    const outcomes: RowOutcome[] = [];
    const prepared: Prepared[] = [];
    const seen = new Set<string>();
    inputs.forEach((raw, index) => {
      const checked = checkApplication(raw, campaign);
      if (!checked.ok) {
        outcomes.push({ index, status: 'refused', reason: 'invalid', errors: checked.errors });
        return;
      }
      const row = this.prepare(edition, campaign, index, checked.input);
      const key = Buffer.from(row.row.duplicateKey).toString('hex');
      if (seen.has(key)) outcomes.push({ index, status: 'refused', reason: 'duplicate-application' });
      else {
        seen.add(key);
        prepared.push(row);
      }
    });
    if (prepared.length > 0) outcomes.push(...(await this.insert(edition, campaign, prepared, context)));
    return outcomes.sort((a, b) => a.index - b.index);
  }

  /** The application of a status token (the applicant's private link): 404 application-not-found for any other token. */
  async findByToken(token: string): Promise<ApplicationView> {
    const notFound = () => ProblemException.notFound('No application has this status link', 'application-not-found');
    if (!isStatusTokenShaped(token)) throw notFound();
    const row = await this.prisma.application.findUnique({ where: { tokenHash: Uint8Array.from(tokenHashOf(token)) } });
    if (!row) throw notFound();
    return applicationView(row);
  }

  /**
   * One application of the edition, for recruiters (404 application-not-found for an id of another edition), with why
   * it was withdrawn (the history's withdrawal entry: the applicant's reason and words, or the recruiter's release).
   */
  async get(edition: string, id: string): Promise<ApplicationDetail> {
    const row = await this.prisma.application.findFirst({ where: { id, edition } });
    if (!row) throw ProblemException.notFound(`No application ${id} in ${edition}`, 'application-not-found');
    const entry =
      row.stage === 'withdrawn'
        ? await this.prisma.applicationHistory.findFirst({ where: { applicationId: id, toStage: 'withdrawn', fromStage: { not: 'withdrawn' } }, orderBy: { id: 'desc' } })
        : null;
    const details = entry?.details;
    const reasonCode = typeof details === 'object' && details !== null && !Array.isArray(details) && typeof details['reasonCode'] === 'string' ? details['reasonCode'] : null;
    return {
      ...applicationView(row),
      withdrawal: entry ? { at: entry.at.toISOString(), by: entry.by, reasonCode, reason: entry.reason } : null,
    };
  }

  /** The edition's campaign, when it is open; 409 campaign-closed when it is closed or there is none. */
  private async openCampaign(edition: string): Promise<CampaignView> {
    const row = await this.prisma.campaign.findUnique({ where: { edition } });
    if (!row?.open) throw CAMPAIGN_CLOSED(edition);
    return campaignView(row);
  }

  private prepare(edition: string, campaign: CampaignView, index: number, input: ApplicationInput): Prepared {
    const id = randomUUID();
    const token = newStatusToken();
    const now = new Date();
    const sealed = sealPersonal(this.cipher, id, { email: input.email, phone: input.phone ?? null, dateOfBirth: input.dateOfBirth, nationality: input.nationality });
    const row: Application = {
      id,
      edition,
      stage: 'applied',
      tokenHash: Uint8Array.from(tokenHashOf(token)),
      duplicateKey: Uint8Array.from(duplicateKey(this.duplicateSecret, input)),
      familyName: input.familyName,
      givenName: input.givenName,
      languages: input.languages,
      languageCodes: input.languages.map((l) => l.code),
      languageLevels: languageLevels(input.languages),
      skills: input.skills,
      drivingLicence: input.drivingLicence,
      availableDates: expandDates(input.availability),
      fields: input.fields,
      tshirtSize: input.tshirtSize,
      locale: input.locale,
      consentAt: now,
      consentNotice: campaign.privacyNotice,
      ...sealed,
      interviewSlotId: null,
      offerRole: null,
      offerArea: null,
      offerVenue: null,
      offerDeadline: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
      erasedAt: null,
    };
    return { index, id, token, row };
  }

  /**
   * One SERIALIZABLE transaction: the campaign still open, then one INSERT of every row (a row whose duplicate key the
   * edition already holds is skipped by ON CONFLICT and reported as a duplicate; a concurrent transaction inserting
   * the same key makes this one fail serialization and run again, when it sees that row) and their history entries.
   */
  private async insert(edition: string, campaign: CampaignView, rows: readonly Prepared[], context: SubmitContext): Promise<RowOutcome[]> {
    const hex = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('hex'));
    const records = JSON.stringify(
      rows.map(({ row }) => ({
        id: row.id,
        token_hash: hex(row.tokenHash),
        duplicate_key: hex(row.duplicateKey),
        family_name: row.familyName,
        given_name: row.givenName,
        languages: row.languages,
        language_codes: pgTextArray(row.languageCodes),
        language_levels: pgTextArray(row.languageLevels),
        skills: pgTextArray(row.skills),
        driving_licence: row.drivingLicence,
        available_dates: pgTextArray(row.availableDates),
        fields: pgTextArray(row.fields),
        tshirt_size: row.tshirtSize,
        locale: row.locale,
        consent_at: row.consentAt.toISOString(),
        personal_kid: row.personalKid,
        personal_key: hex(row.personalKey),
        personal_data: hex(row.personalData),
        created_at: row.createdAt.toISOString(),
      })),
    );
    const details = JSON.stringify({ via: context.via });
    const inserted = await serializableTransaction(
      this.prisma,
      async (tx) => {
        const open = await tx.$queryRaw<{ open: boolean }[]>`SELECT open FROM campaign WHERE edition = ${edition}`;
        if (!open[0]?.open) throw CAMPAIGN_CLOSED(edition);
        return tx.$queryRaw<{ id: string }[]>`
          WITH r AS (
            SELECT * FROM jsonb_to_recordset(${records}::jsonb) AS x(
              id uuid, token_hash text, duplicate_key text, family_name text, given_name text, languages jsonb, language_codes text, language_levels text, skills text,
              driving_licence boolean, available_dates text, fields text, tshirt_size text, locale text, consent_at timestamptz,
              personal_kid text, personal_key text, personal_data text, created_at timestamptz)
          ), ins AS (
            INSERT INTO application (id, edition, stage, token_hash, duplicate_key, family_name, given_name, languages, language_codes, language_levels, skills,
                                     driving_licence, available_dates, fields, tshirt_size, locale, consent_at, consent_notice,
                                     personal_kid, personal_key, personal_data, version, created_at, updated_at)
            SELECT r.id, ${edition}, 'applied', decode(r.token_hash, 'hex'), decode(r.duplicate_key, 'hex'), r.family_name, r.given_name, r.languages,
                   r.language_codes::text[], r.language_levels::text[], r.skills::text[], r.driving_licence, r.available_dates::text[], r.fields::text[], r.tshirt_size, r.locale,
                   r.consent_at, ${campaign.privacyNotice}, r.personal_kid, decode(r.personal_key, 'hex'), decode(r.personal_data, 'hex'), 1, r.created_at, r.created_at
            FROM r
            ON CONFLICT (edition, duplicate_key) DO NOTHING
            RETURNING id, created_at
          ), history AS (
            INSERT INTO application_history (application_id, at, by, action, to_stage, details)
            SELECT ins.id, ins.created_at, ${context.by}, 'apply', 'applied', ${details}::jsonb FROM ins
          )
          SELECT id::text AS id FROM ins`;
      },
      { timeoutMs: 60_000 },
    );
    const created = new Set(inserted.map((r) => r.id));
    return rows.map(({ index, id, token, row }): RowOutcome =>
      created.has(id) ? { index, status: 'created', id, token, application: applicationView(row) } : { index, status: 'refused', reason: 'duplicate-application' },
    );
  }
}
