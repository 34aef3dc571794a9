import { Injectable } from '@nestjs/common';

import { type Item, PrismaService, type Tx } from '../database/prisma.service';

/** The item table. */
@Injectable()
export class ItemsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(tx: Tx, row: { id: string; edition: string; name: string; createdBy: string }): Promise<Item> {
    return tx.item.create({ data: row });
  }

  existsByName(tx: Tx, edition: string, name: string): Promise<boolean> {
    return tx.item.count({ where: { edition, name } }).then((n) => n > 0);
  }

  find(edition: string, id: string): Promise<Item | null> {
    return this.prisma.item.findFirst({ where: { edition, id } });
  }
}
