import { Injectable, Logger } from '@nestjs/common';
import { ProblemException, serializableTransaction, stableStringify } from '@podium/platform';
import { createHash } from 'node:crypto';

import { PrismaService, type Tx } from '../database/prisma.service';
import { type AccreditationPack, accreditationPackSchema, type PackProblem, parseAccreditationPack } from './pack';

export interface ImportReport {
  /** imported: written; unchanged: this exact pack is the edition's current one. */
  status: 'imported' | 'unchanged';
  edition: string;
  checksum: string;
  counts: { venues: number; zones: number; categories: number; organisations: number; quotas: number };
}

export function packRejected(problems: readonly PackProblem[]): ProblemException {
  return new ProblemException({
    status: 422,
    slug: 'reference-data-rejected',
    title: 'Reference data rejected',
    detail: `${problems.length} problem(s); nothing was written`,
    errors: problems.map((p) => ({ field: p.path, message: p.message })),
  });
}

/**
 * An edition's reference data: imported whole (all or nothing, idempotent by checksum), and read back. The quotas
 * are also kept as counter rows (`quota`), which submissions take places from.
 */
@Injectable()
export class ReferenceDataService {
  private readonly logger = new Logger(ReferenceDataService.name);

  constructor(private readonly prisma: PrismaService) {}

  async import(edition: string, input: unknown, by: string): Promise<ImportReport> {
    const parsed = parseAccreditationPack(input);
    if (!parsed.ok) throw packRejected(parsed.problems);
    const pack = parsed.pack;
    if (pack.edition.code !== edition) {
      throw packRejected([{ path: 'edition.code', message: `${pack.edition.code}: the pack is for another edition than ${edition}` }]);
    }
    // Of the canonical JSON (sorted keys): key order and whitespace do not make a pack different.
    const checksum = createHash('sha256').update(stableStringify(input)).digest('hex');
    const quotas = pack.organisations.flatMap((o) => Object.entries(o.quotas).map(([category, quota]) => ({ organisation: o.code, category, quota })));
    const counts = { venues: pack.venues.length, zones: pack.zones.length, categories: pack.categories.length, organisations: pack.organisations.length, quotas: quotas.length };
    return serializableTransaction(
      this.prisma,
      async (tx) => {
        const current = await tx.referenceData.findUnique({ where: { edition } });
        if (current?.checksum === checksum) return { status: 'unchanged', edition, checksum, counts } as const;
        const existing = await tx.quota.findMany({ where: { edition } });
        const wanted = new Map(quotas.map((q) => [`${q.organisation}/${q.category}`, q.quota]));
        const problems: PackProblem[] = [];
        for (const row of existing) {
          const quota = wanted.get(`${row.organisation}/${row.category}`) ?? 0;
          if (quota < row.used) {
            problems.push({
              path: `organisations.${row.organisation}.quotas.${row.category}`,
              message: `${quota} is below the ${row.used} place(s) already taken`,
            });
          }
        }
        if (problems.length > 0) throw packRejected(problems);
        for (const row of existing) {
          if (!wanted.has(`${row.organisation}/${row.category}`)) {
            await tx.quota.update({ where: { edition_organisation_category: { edition, organisation: row.organisation, category: row.category } }, data: { quota: 0 } });
          }
        }
        for (const q of quotas) {
          await tx.quota.upsert({
            where: { edition_organisation_category: { edition, organisation: q.organisation, category: q.category } },
            create: { edition, organisation: q.organisation, category: q.category, quota: q.quota },
            update: { quota: q.quota },
          });
        }
        const data = { checksum, pack: JSON.parse(JSON.stringify(pack)) as object, importedBy: by, importedAt: new Date() };
        await tx.referenceData.upsert({ where: { edition }, create: { edition, ...data }, update: data });
        this.logger.log({ edition, checksum, counts }, 'accreditation reference data imported');
        return { status: 'imported', edition, checksum, counts } as const;
      },
      { timeoutMs: 60_000 },
    );
  }

  /** The edition's current pack, or a 404 problem. */
  async get(edition: string, tx?: Tx): Promise<AccreditationPack> {
    const row = await (tx ?? this.prisma).referenceData.findUnique({ where: { edition } });
    if (!row) throw ProblemException.notFound(`No reference data for ${edition}: import its pack first`, 'reference-data-not-found');
    return accreditationPackSchema.parse(row.pack);
  }
}
