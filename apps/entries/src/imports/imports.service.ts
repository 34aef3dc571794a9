import { randomUUID } from 'node:crypto';
import { HttpException, Injectable, Logger } from '@nestjs/common';
import { type Principal, ROLES } from '@podium/auth';
import { isoDateSchema } from '@podium/contracts';
import { ProblemException, serializableTransaction } from '@podium/platform';
import type { z } from 'zod';
import { canRead, canWrite } from '../common/access';
import { performanceRow } from '../athletes/athletes.service';
import { athleteInputSchema, type AthleteInput } from '../athletes/athletes.dto';
import { createAthlete } from '../athletes/athletes.service';
import { PrismaService, type Tx } from '../database/prisma.service';
import { type CsvRow, parseCsv } from '../domain/csv';
import { formatPath } from '../domain/rules-pack';
import type { RulesPack } from '../domain/rules-pack.schema';
import { entryInputSchema, entryNumberInputSchema } from '../entries/entries.dto';
import { EntriesService } from '../entries/entries.service';
import { EntriesPublisher } from '../publishing/entries-publisher';
import { RulesService } from '../rules/rules.service';

export const IMPORT_FILES = ['athletes', 'performances', 'entryNumbers', 'entries'] as const;
export type ImportFile = (typeof IMPORT_FILES)[number];

export interface RowReport {
  file: ImportFile;
  line: number;
  status: 'created' | 'updated' | 'unchanged' | 'entered' | 'error';
  key: string;
  messages: string[];
}

export interface ImportReport {
  /** imported: written; valid: dry run, every row passed, nothing written. */
  status: 'imported' | 'valid';
  edition: string;
  counts: Record<ImportFile, number>;
  rows: RowReport[];
}

export type ImportInput = Partial<Record<ImportFile, string>>;

/** Thrown inside the import transaction to roll it back (rows with errors, or a dry run). */
class RollBack extends Error {
  constructor(readonly rows: RowReport[]) {
    super('import rolled back');
  }
}

/** The messages of a problem raised by a row: each broken rule, or the problem's detail. */
function messagesOf(error: HttpException): string[] {
  if (error instanceof ProblemException) {
    const violations = error.extensions['violations'];
    if (Array.isArray(violations) && violations.length > 0) {
      return violations.map((v) => (typeof v === 'object' && v && 'message' in v ? String(v.message) : String(v)));
    }
    if (error.errors && error.errors.length > 0 && error.slug === 'validation-failed') {
      return error.errors.map((e) => `${e.field}: ${e.message}`);
    }
    return [error.detail];
  }
  const response = error.getResponse();
  if (typeof response === 'object' && response !== null && 'detail' in response) return [String(response.detail)];
  return [error.message];
}

function zodMessages(error: z.ZodError, columns: Record<string, string>): string[] {
  return error.issues.map((i) => {
    const field = formatPath(i.path);
    return `${columns[field] ?? field}: ${i.message}`;
  });
}

function yes(value: string | undefined): boolean {
  return ['yes', 'y', 'true', '1', 'x'].includes((value ?? '').toLowerCase());
}

/** 'ATHM100M' -> 'ATHM100M--------------------------' (an event code padded to 34 characters). */
export function eventCodeOf(value: string): string {
  const code = value.trim().toUpperCase();
  return code.length < 34 ? code.padEnd(34, '-') : code;
}

const ATHLETE_COLUMNS: Record<string, string> = {
  noc: 'noc',
  ifId: 'if_id',
  familyName: 'family_name',
  givenName: 'given_name',
  gender: 'gender',
  birthDate: 'birth_date',
  sportClass: 'sport_class',
  classificationStatus: 'classification_status',
};

/**
 * Bulk import of athletes, marks, Entries by Number and Entries by Name from CSV, in one SERIALIZABLE transaction:
 * every row is checked (entries with the same rules engine as the API, seeing the rows before them) and reported;
 * one failed row rolls everything back, so a failed import writes nothing.
 */
@Injectable()
export class ImportsService {
  private readonly logger = new Logger(ImportsService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly rules: RulesService,
    private readonly entries: EntriesService,
    private readonly publisher: EntriesPublisher,
  ) {}

  async import(edition: string, input: ImportInput, principal: Principal, dryRun: boolean): Promise<ImportReport> {
    const parsed = new Map<ImportFile, CsvRow[]>();
    const fileErrors: RowReport[] = [];
    for (const file of IMPORT_FILES) {
      const text = input[file];
      if (text === undefined) continue;
      const csv = parseCsv(text);
      if (csv.ok) parsed.set(file, csv.rows);
      else fileErrors.push({ file, line: csv.line, status: 'error', key: file, messages: [csv.error] });
    }
    if (parsed.size === 0 && fileErrors.length === 0) {
      throw ProblemException.badRequest(`Give at least one CSV: ${IMPORT_FILES.join(', ')}`, 'import-empty');
    }
    if (fileErrors.length > 0) throw this.rejected(edition, fileErrors);

    let rows: RowReport[];
    try {
      // Every row of every file in one transaction: longer than the default timeout.
      rows = await serializableTransaction(
        this.prisma,
        async (tx) => {
          const { pack } = await this.rules.require(tx, edition);
          const report = await this.run(tx, pack, parsed, principal);
          if (dryRun || report.some((r) => r.status === 'error')) throw new RollBack(report);
          return report;
        },
        { timeoutMs: 120_000 },
      );
    } catch (error) {
      if (!(error instanceof RollBack)) throw error;
      if (error.rows.some((r) => r.status === 'error')) throw this.rejected(edition, error.rows);
      return { status: 'valid', edition, counts: this.count(error.rows), rows: error.rows };
    }
    const counts = this.count(rows);
    this.logger.log({ edition, counts, by: principal.sub }, 'CSV import written');
    return { status: 'imported', edition, counts, rows };
  }

  private count(rows: readonly RowReport[]): Record<ImportFile, number> {
    const counts: Record<ImportFile, number> = { athletes: 0, performances: 0, entryNumbers: 0, entries: 0 };
    for (const r of rows) if (r.status !== 'error') counts[r.file]++;
    return counts;
  }

  private rejected(edition: string, rows: RowReport[]): ProblemException {
    const errors = rows.filter((r) => r.status === 'error');
    return new ProblemException({
      status: 422,
      slug: 'import-rejected',
      title: 'Import rejected',
      detail: `${errors.length} row(s) of the ${edition} import rejected; nothing was written`,
      errors: errors.flatMap((r) => r.messages.map((message) => ({ field: `${r.file}:${r.line}`, message }))),
      extensions: { rows },
    });
  }

  private async run(tx: Tx, pack: RulesPack, files: Map<ImportFile, CsvRow[]>, principal: Principal): Promise<RowReport[]> {
    const report: RowReport[] = [];
    const attempt = async (file: ImportFile, line: number, key: string, work: () => Promise<RowReport['status']>) => {
      try {
        report.push({ file, line, key, status: await work(), messages: [] });
      } catch (error) {
        if (!(error instanceof HttpException)) throw error;
        report.push({ file, line, key, status: 'error', messages: messagesOf(error) });
      }
    };
    const failed = (file: ImportFile, line: number, key: string, messages: string[]) =>
      report.push({ file, line, key, status: 'error', messages });

    for (const row of files.get('athletes') ?? []) {
      const v = row.values;
      const candidate = Object.fromEntries(
        Object.entries(ATHLETE_COLUMNS)
          .map(([field, column]) => [field, v[column]])
          .filter(([, value]) => value !== undefined && value !== ''),
      );
      const parsed = athleteInputSchema.safeParse({ ...candidate, noc: (v['noc'] ?? '').toUpperCase() });
      const key = v['if_id'] || `${v['family_name'] ?? ''} ${v['given_name'] ?? ''}`.trim();
      if (!parsed.success) {
        failed('athletes', row.line, key, zodMessages(parsed.error, ATHLETE_COLUMNS));
        continue;
      }
      if (!parsed.data.ifId) {
        failed('athletes', row.line, key, ['if_id: required in a CSV import (entries and marks refer to athletes by IF id)']);
        continue;
      }
      await attempt('athletes', row.line, key, () => this.upsertAthlete(tx, pack, parsed.data, principal));
    }

    for (const row of files.get('performances') ?? []) {
      const v = row.values;
      const key = `${v['if_id'] ?? ''} ${v['event'] ?? ''} ${v['mark'] ?? ''}`.trim();
      await attempt('performances', row.line, key, async () => {
        const athlete = await this.visibleAthlete(tx, pack.edition, v['if_id'] ?? '', principal, v['noc']);
        if (!canWrite(principal, athlete.noc) && !principal.roles.includes(ROLES.ifOfficial)) {
          throw ProblemException.forbidden(`Not allowed to act for NOC '${athlete.noc}'`);
        }
        const p = performanceRow(
          pack,
          { event: eventCodeOf(v['event'] ?? ''), mark: v['mark'] ?? '', date: v['date'] ?? '', competition: v['competition'] || undefined },
          'performance',
        );
        if (!isoDateSchema.safeParse(p.achievedOn).success) throw ProblemException.badRequest(`date: must be YYYY-MM-DD, got '${p.achievedOn}'`);
        const same = await tx.performance.findFirst({
          where: { athleteId: athlete.id, event: p.event, mark: p.mark, achievedOn: p.achievedOn },
        });
        if (same) return 'unchanged';
        await tx.performance.create({ data: { id: randomUUID(), athleteId: athlete.id, ...p, createdBy: principal.sub } });
        return 'created';
      });
    }

    for (const row of files.get('entryNumbers') ?? []) {
      const v = row.values;
      const key = `${v['noc'] ?? ''} ${v['event'] ?? ''}`.trim();
      const parsed = entryNumberInputSchema.safeParse({
        noc: (v['noc'] ?? '').toUpperCase(),
        event: eventCodeOf(v['event'] ?? ''),
        count: Number(v['count']),
      });
      if (!parsed.success) {
        failed('entryNumbers', row.line, key, zodMessages(parsed.error, {}));
        continue;
      }
      await attempt('entryNumbers', row.line, key, async () => {
        await this.entries.setEntryNumberInTx(tx, pack, parsed.data, principal);
        return 'created';
      });
    }

    // Entries: rows with a `team` key form one team entry per (event, NOC, team); other rows are individual entries.
    const groups = new Map<string, CsvRow[]>();
    for (const row of files.get('entries') ?? []) {
      const v = row.values;
      const team = v['team'] ?? '';
      const key = team ? `${eventCodeOf(v['event'] ?? '')}|${(v['noc'] ?? '').toUpperCase()}|${team}` : `line:${row.line}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    for (const [groupKey, rows] of groups) {
      const first = rows[0];
      if (!first) continue;
      const v = first.values;
      const isTeam = !groupKey.startsWith('line:');
      const key = isTeam ? `${v['event'] ?? ''} ${(v['noc'] ?? '').toUpperCase()} team ${v['team'] ?? ''}` : `${v['event'] ?? ''} ${v['if_id'] ?? ''}`;
      await attempt('entries', first.line, key, async () => {
        const members = [];
        for (const r of rows) {
          const athlete = await this.visibleAthlete(tx, pack.edition, r.values['if_id'] ?? '', principal, r.values['noc']);
          members.push({
            athleteId: athlete.id,
            role: (r.values['role'] || 'STARTER').toUpperCase(),
            slot: r.values['slot'] || undefined,
          });
        }
        const parsed = entryInputSchema.safeParse({
          event: eventCodeOf(v['event'] ?? ''),
          ...(isTeam ? { noc: (v['noc'] ?? '').toUpperCase(), members } : { athleteId: members[0]?.athleteId }),
          eligibilityConfirmed: rows.every((r) => yes(r.values['eligibility_confirmed'])),
        });
        if (!parsed.success) throw ProblemException.validation(parsed.error.issues.map((i) => ({ field: formatPath(i.path), message: i.message })));
        await this.entries.enterInTx(tx, pack, parsed.data, principal, { dryRun: false });
        return 'entered';
      });
      // Team rows after the first are reported with the team's outcome.
      const outcome = report[report.length - 1];
      for (const r of rows.slice(1)) {
        report.push({ file: 'entries', line: r.line, key, status: outcome?.status ?? 'error', messages: outcome?.messages ?? [] });
      }
    }
    return report;
  }

  /**
   * The athlete with this IF id among those the principal may see (of the row's NOC when the row names one), else a
   * 404 problem: no existence leak. IF ids are unique per NOC, so an NOC official finds at most their own NOC's; a
   * reader of every NOC is asked for the NOC when several NOCs registered the IF id.
   */
  private async visibleAthlete(tx: Tx, edition: string, ifId: string, principal: Principal, noc?: string) {
    const rowNoc = noc?.trim().toUpperCase() || undefined;
    const found = ifId ? await tx.athlete.findMany({ where: { edition, ifId, ...(rowNoc ? { noc: rowNoc } : {}) } }) : [];
    const visible = found.filter((a) => canRead(principal, a.noc));
    const [athlete] = visible;
    if (!athlete) throw ProblemException.notFound(`No athlete with IF id '${ifId}' in ${edition}`, 'athlete-not-found');
    if (visible.length > 1) {
      throw ProblemException.conflict(
        `IF id '${ifId}' is registered for NOCs ${visible.map((a) => a.noc).sort().join(', ')} in ${edition}: give the row's noc`,
        'athlete-ambiguous',
      );
    }
    return athlete;
  }

  /** Creates the athlete, or updates the one of the same NOC with the same IF id (IF ids are unique per NOC). */
  private async upsertAthlete(tx: Tx, pack: RulesPack, input: AthleteInput, principal: Principal): Promise<RowReport['status']> {
    // Checked first: another NOC's row answers 403 whether or not that NOC has the athlete.
    if (!canWrite(principal, input.noc)) throw ProblemException.forbidden(`Not allowed to act for NOC '${input.noc}'`);
    const existing = input.ifId
      ? await tx.athlete.findUnique({ where: { edition_noc_ifId: { edition: pack.edition, noc: input.noc, ifId: input.ifId } } })
      : null;
    if (!existing) {
      await createAthlete(tx, this.publisher, pack, input, principal);
      return 'created';
    }
    const data = {
      familyName: input.familyName,
      givenName: input.givenName,
      gender: input.gender,
      birthDate: input.birthDate,
      sportClass: input.sportClass ?? null,
      classificationStatus: input.classificationStatus ?? null,
    };
    const same = (Object.keys(data) as (keyof typeof data)[]).every((k) => existing[k] === data[k]);
    if (same) return 'unchanged';
    await tx.athlete.update({ where: { id: existing.id }, data: { ...data, version: { increment: 1 } } });
    await this.publisher.athletes(tx, [existing.id], false);
    return 'updated';
  }
}
