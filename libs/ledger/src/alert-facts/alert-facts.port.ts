import type { AlertFacts } from '@wasteflow/domain';

/**
 * Where the alert lifecycle's decisions learn what an alert is about (ADR 0015). Alerts are derived — the
 * alerts projection raises them from the ledger's facts, the working-day calendar and the clock — so the
 * one place that knows whether an alert exists, whom it names and where it lies is the alerts read model;
 * re-deriving it here would be a second copy of every alert rule, free to disagree with what the parties
 * and regulators are shown. The read model is honest enough for this: an alert's parties, districts and
 * categories are fixed when it is raised and never change afterwards, so a lagging read model can only say
 * "not raised yet" (refused, the caller retries), never give other facts. The lifecycle state itself is
 * NOT taken from it: that comes from the alert's own stream, read at its revision, so two closures of one
 * alert are serialised by the store. The facts relied on are recorded on the event (`alert`, with the
 * position they were read at), so an auditor can check the decision against the ledger replayed there.
 *
 * The api provides it over the alerts read model (libs/ledger never imports libs/projections).
 */
export interface AlertFactsReader {
  /** The alert as raised by `now` (an alert whose deadline is still ahead is not raised yet), or undefined. */
  factsOf(alertId: string, now: Date): Promise<AlertFacts | undefined>;
}

export const ALERT_FACTS = Symbol('ALERT_FACTS');

/** In a process without the read side (the CLI): the lifecycle commands are not available there. */
export const NO_ALERT_FACTS: AlertFactsReader = {
  factsOf() {
    return Promise.reject(
      new Error('alert lifecycle commands need the alerts read model (run them through the api)'),
    );
  },
};
