import { Inject, Injectable } from '@nestjs/common';
import type { GateReason } from '@podium/accreditation-credential';
import type { Principal } from '@podium/auth';
import { CONFIG, ProblemException } from '@podium/platform';

import type { AccreditationConfig } from '../app/config';
import { PrismaService } from '../database/prisma.service';

/** A check a scanner made offline, as it uploads it (POST /v1/gate/checks/offline). */
export interface OfflineCheck {
  /** The scanner's own id of the check: uploading it again records nothing. */
  id: string;
  at: string;
  venue: string;
  zone: string;
  gate: string;
  decision: 'allow' | 'deny';
  reason: GateReason;
  cardNumber?: string;
  credentialId?: string;
}

/** The recorded gate checks: online ones are written by GateService; the offline uploads and the export here. */
@Injectable()
export class GateChecksService {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(CONFIG) private readonly config: AccreditationConfig,
  ) {}

  /**
   * Records a batch of a scanner's offline checks (mode `offline`), idempotent by the scanner's id of each check
   * (unique per scanner: the same id again, in this batch or a later one, records nothing; another scanner's ids are
   * its own). What the scanner decided is recorded as it says: this is its log, not a new decision.
   */
  async upload(checks: readonly OfflineCheck[], principal: Principal): Promise<{ received: number; recorded: number; duplicates: number }> {
    const recordedAt = new Date();
    const latest = recordedAt.getTime() + this.config.ACCREDITATION_GATE_MAX_FUTURE_SECONDS * 1000;
    const future = checks.findIndex((c) => new Date(c.at).getTime() > latest);
    if (future !== -1) {
      throw new ProblemException({
        status: 400,
        slug: 'at-out-of-range',
        title: 'at out of range',
        detail: `checks[${future}].at is more than ${this.config.ACCREDITATION_GATE_MAX_FUTURE_SECONDS} s in the future: a check is uploaded after it was made`,
        errors: [{ field: `body.checks[${future}].at`, message: 'in the future' }],
      });
    }
    const { count } = await this.prisma.gateCheck.createMany({
      data: checks.map((c) => ({
        at: new Date(c.at),
        recordedAt,
        venue: c.venue,
        zone: c.zone,
        gate: c.gate,
        decision: c.decision,
        reason: c.reason,
        cardNumber: c.cardNumber ?? null,
        credentialId: c.credentialId ?? null,
        mode: 'offline',
        checkedBy: principal.sub,
        clientId: c.id,
      })),
      skipDuplicates: true,
    });
    return { received: checks.length, recorded: count, duplicates: checks.length - count };
  }

  /** The recorded checks after `after` (their id), oldest recorded first, online and offline (or one mode): the export. */
  async checks(after: number, limit: number, mode?: 'online' | 'offline') {
    const rows = await this.prisma.gateCheck.findMany({ where: { id: { gt: BigInt(after) }, ...(mode ? { mode } : {}) }, orderBy: { id: 'asc' }, take: limit });
    return {
      items: rows.map((r) => ({
        id: Number(r.id),
        at: r.at.toISOString(),
        recordedAt: r.recordedAt.toISOString(),
        venue: r.venue,
        zone: r.zone,
        gate: r.gate,
        decision: r.decision,
        reason: r.reason,
        cardNumber: r.cardNumber,
        credentialId: r.credentialId,
        mode: r.mode,
        checkedBy: r.checkedBy,
        scannerCheckId: r.clientId,
      })),
      nextCursor: rows.length === limit ? String(rows.at(-1)?.id ?? after) : null,
    };
  }
}
