import { Module } from '@nestjs/common';
import { CheckpointModule } from '../checkpoint/checkpoint.module';
import { FanoutModule } from '../fanout/fanout.module';
import { StateModule } from '../state/state.module';
import { DistributionLifecycle } from './distribution.lifecycle';

/** Restores the state from the last checkpoint, follows the streams into it, checkpoints it, and stops it cleanly. */
@Module({
  imports: [StateModule, FanoutModule, CheckpointModule],
  providers: [DistributionLifecycle],
})
export class FollowerModule {}
