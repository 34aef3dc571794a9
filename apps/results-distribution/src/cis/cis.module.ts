import { Module } from '@nestjs/common';
import { FanoutModule } from '../fanout/fanout.module';
import { StateModule } from '../state/state.module';
import { CisGateway } from './cis.gateway';

/** The CIS WebSocket channel at /v1/cis. */
@Module({
  imports: [StateModule, FanoutModule],
  providers: [CisGateway],
})
export class CisModule {}
