import { Global, Module } from '@nestjs/common';
import { ALERT_FACTS, type AlertFactsReader } from '@wasteflow/ledger';
import { AlertsQuery } from '@wasteflow/projections';
import { ReadSideModule } from './read-side.module';

/**
 * The alerts read model as the lifecycle commands' source of an alert's facts (libs/ledger
 * `AlertFactsReader`, ADR 0015: why the read model and not a re-derivation). Global, so the ledger's
 * handlers find it without libs/ledger knowing the read side.
 */
@Global()
@Module({
  imports: [ReadSideModule],
  providers: [
    {
      provide: ALERT_FACTS,
      inject: [AlertsQuery],
      useFactory: (alerts: AlertsQuery): AlertFactsReader => ({
        factsOf: (alertId, now) => alerts.facts(alertId, now),
      }),
    },
  ],
  exports: [ALERT_FACTS],
})
export class AlertFactsModule {}
