import { Inject, Injectable } from '@nestjs/common';
import { type GateDecision, type JwkSet, RevocationState, verifyCredential } from '@podium/accreditation-credential';
import type { Principal } from '@podium/auth';

import { PrismaService } from '../database/prisma.service';
import { SERVICE_KEYS, type ServiceKeys } from './credential-keys';
import { REVOCATION_PAGE_MAX, RevocationsRepository } from './revocations.repository';

export interface GateCheckInput {
  credential: string;
  venue: string;
  zone: string;
  gate: string;
  at?: string;
}

/**
 * Online gate checks: the library's verifyCredential with the service's own keys and its revocation list, brought
 * up to date from the database before each check (the same decision a scanner gives offline with a fresh list).
 * Every check is recorded.
 */
@Injectable()
export class GateService {
  private readonly revocations = new RevocationState();

  constructor(
    private readonly prisma: PrismaService,
    private readonly list: RevocationsRepository,
    @Inject(SERVICE_KEYS) private readonly keys: ServiceKeys,
  ) {}

  /** The JWK Set of GET /v1/keys. */
  jwkSet(): JwkSet {
    return this.keys.jwkSet;
  }

  /** Applies the entries committed since the last check (bounded: at most 1,000 pages of 1,000). */
  private async refresh(): Promise<void> {
    for (let pages = 0; pages < 1_000; pages++) {
      const page = await this.list.page(this.revocations.lastSeq, REVOCATION_PAGE_MAX);
      if (page.items.length === 0) return;
      this.revocations.applyPage(page);
      if (page.items.length < REVOCATION_PAGE_MAX) return;
    }
  }

  async check(input: GateCheckInput, principal: Principal): Promise<GateDecision> {
    await this.refresh();
    const at = input.at ? new Date(input.at) : new Date();
    const decision = verifyCredential(input.credential, { keys: this.keys.verificationKeys, revocations: this.revocations, venue: input.venue, zone: input.zone, at });
    await this.prisma.gateCheck.create({
      data: {
        at,
        venue: input.venue,
        zone: input.zone,
        gate: input.gate,
        decision: decision.decision,
        reason: decision.reason,
        cardNumber: decision.cardNumber ?? null,
        mode: 'online',
        checkedBy: principal.sub,
      },
    });
    return decision;
  }

  /** The recorded checks after `after` (their id), oldest first: the export. */
  async checks(after: number, limit: number) {
    const rows = await this.prisma.gateCheck.findMany({ where: { id: { gt: BigInt(after) } }, orderBy: { id: 'asc' }, take: limit });
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
        mode: r.mode,
        checkedBy: r.checkedBy,
      })),
      nextCursor: rows.length === limit ? String(rows.at(-1)?.id ?? after) : null,
    };
  }
}
