import { Injectable } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client';

export type { Member } from '../generated/prisma/client';

/** The workforce service's one Prisma client (driver adapter `@prisma/adapter-pg`). Lifecycle is managed by DatabaseModule. */
@Injectable()
export class PrismaService extends PrismaClient {}

/** A Prisma interactive-transaction client of this service. */
export type Tx = Parameters<Parameters<PrismaService['$transaction']>[0]>[0];
