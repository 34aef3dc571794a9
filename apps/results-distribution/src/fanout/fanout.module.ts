import { Module } from '@nestjs/common';
import { ResultsState } from '../state/results-state';
import { StateModule } from '../state/state.module';
import { ConnectionBudget } from './connection-budget';
import { DistributionHub } from './hub';

/** Fan-out of the state's changes to the connected clients (CIS and SSE), and the connection budget they share. */
@Module({
  imports: [StateModule],
  providers: [
    {
      provide: DistributionHub,
      inject: [ResultsState],
      useFactory: (state: ResultsState) => {
        const hub = new DistributionHub();
        state.setListener(hub);
        return hub;
      },
    },
    ConnectionBudget,
  ],
  exports: [DistributionHub, ConnectionBudget],
})
export class FanoutModule {}
