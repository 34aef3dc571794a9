import { Module } from '@nestjs/common';
import { Clock } from './clock';

/** The clock deadlines are checked against (tests replace it). */
@Module({ providers: [Clock], exports: [Clock] })
export class CommonModule {}
