import { Injectable } from '@nestjs/common';
import type { Principal } from '@podium/auth';
import type { ItemState } from '@podium/contracts';
import { OutboxWriter, ProblemException, serializableTransaction } from '@podium/platform';
import { randomUUID } from 'node:crypto';

import { PrismaService } from '../database/prisma.service';
import { type ItemInput, itemState } from './items.logic';
import { ItemsRepository } from './items.repository';

export const ITEM_CREATED = 'oms.accreditation.v1.item.{edition}.created' as const;

/** Items: every write is one serializable transaction with its outbox event. */
@Injectable()
export class ItemsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: ItemsRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  create(edition: string, input: ItemInput, principal: Principal): Promise<ItemState> {
    return serializableTransaction(this.prisma, async (tx) => {
      if (await this.repository.existsByName(tx, edition, input.name)) {
        throw new ProblemException({
          status: 409,
          slug: 'item-exists',
          title: 'Item exists',
          detail: `${edition} already has a item named "${input.name}"`,
          errors: [{ field: 'name', message: 'is already used in this edition' }],
        });
      }
      const row = await this.repository.create(tx, { id: randomUUID(), edition, name: input.name, createdBy: principal.sub });
      const state = itemState(row);
      await this.outbox.enqueue(tx, ITEM_CREATED, state, { tokens: { edition } });
      return state;
    });
  }

  async get(edition: string, id: string): Promise<ItemState> {
    const row = await this.repository.find(edition, id);
    if (!row) throw ProblemException.notFound(`No item ${id} in ${edition}`, 'item-not-found');
    return itemState(row);
  }
}
