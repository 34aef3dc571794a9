import { Injectable } from '@nestjs/common';
import { ProblemException, serializableTransaction } from '@podium/platform';

import { PrismaService, type Tx } from '../database/prisma.service';
import type { Prisma } from '../generated/prisma/client';
import { DEFAULT_RULES, parseRuleSet } from '../rules/rules.logic';
import type { MemberType, RuleSetData } from '../rules/rules.types';

export interface RuleSetView {
  edition: string;
  memberType: MemberType;
  /** `edition`: the edition's own rule set; `default`: none set yet, the defaults apply. */
  source: 'edition' | 'default';
  rules: RuleSetData;
  version: number | null;
  updatedBy: string | null;
  updatedAt: string | null;
}

/**
 * The rules of a member type in an edition: its own once PUT, the defaults (DEFAULT_RULES) until then. A stored set
 * is parsed again on every read (a row that no longer parses is a 500 naming it, never silently replaced).
 */
export async function rulesFor(tx: Tx | PrismaService, edition: string, memberType: MemberType): Promise<RuleSetData> {
  return (await readRuleSet(tx, edition, memberType)).rules;
}

async function readRuleSet(tx: Tx | PrismaService, edition: string, memberType: MemberType): Promise<RuleSetView> {
  const row = await tx.ruleSet.findUnique({ where: { edition_memberType: { edition, memberType } } });
  if (!row) return { edition, memberType, source: 'default', rules: DEFAULT_RULES[memberType], version: null, updatedBy: null, updatedAt: null };
  const parsed = parseRuleSet(row.rules, undefined);
  if (!parsed.ok) {
    throw new ProblemException({ status: 500, slug: 'rule-set-unreadable', detail: `The stored rule set of ${memberType} in ${edition} does not parse: ${parsed.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}` });
  }
  return { edition, memberType, source: 'edition', rules: parsed.rules, version: row.version, updatedBy: row.updatedBy, updatedAt: row.updatedAt.toISOString() };
}

/** Rule sets per edition and member type (docs/workforce-api.md#rule-sets). */
@Injectable()
export class RuleSetsService {
  constructor(private readonly prisma: PrismaService) {}

  get(edition: string, memberType: MemberType): Promise<RuleSetView> {
    return readRuleSet(this.prisma, edition, memberType);
  }

  /** Replaces the rule set (every field; 400 naming each bad one); a history entry keeps the previous rules. */
  async put(edition: string, memberType: MemberType, body: unknown, by: string): Promise<RuleSetView> {
    const parsed = parseRuleSet(body);
    if (!parsed.ok) throw ProblemException.validation(parsed.errors);
    const rules = parsed.rules as unknown as Prisma.InputJsonValue;
    return serializableTransaction(this.prisma, async (tx) => {
      const before = await tx.ruleSet.findUnique({ where: { edition_memberType: { edition, memberType } } });
      const now = new Date();
      await tx.ruleSet.upsert({
        where: { edition_memberType: { edition, memberType } },
        create: { edition, memberType, rules, version: 1, updatedBy: by, updatedAt: now },
        update: { rules, version: { increment: 1 }, updatedBy: by, updatedAt: now },
      });
      await tx.historyEntry.create({
        data: { edition, entity: 'rule-set', entityId: memberType, action: before ? 'update' : 'create', by, details: { previous: before?.rules ?? null, rules } },
      });
      return readRuleSet(tx, edition, memberType);
    });
  }
}
