import { Module } from '@nestjs/common';
import { PgPool } from './pg-pool.service';

/** The plain `pg` pool of the list reads (one instance however many feature modules import it). */
@Module({ providers: [PgPool], exports: [PgPool] })
export class PgModule {}
