import { Module } from '@nestjs/common';
import { CheckpointRepository } from './checkpoint.repository';

/** Checkpoints of the live state in PostgreSQL (the service's only writes). */
@Module({
  providers: [CheckpointRepository],
  exports: [CheckpointRepository],
})
export class CheckpointModule {}
