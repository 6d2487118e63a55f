import { Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import type { DomainError } from '@wasteflow/domain';

/**
 * Faults (DomainError kind `fault`: the recorded history or the configuration is broken — an unknown event
 * type, a version without upcaster, an event that does not apply, a hash that does not match, a bad
 * catalogue) counted by rule, for the alert rule of README "Integrity". One counter per process, registered
 * in each app's registry (MetricsModule): the single requests and the items of a bulk request both count.
 */
export const faultsTotal = new Counter({
  name: 'wasteflow_faults_total',
  help: 'Integrity and configuration faults met while serving requests, by rule (alert on any increase)',
  labelNames: ['rule'] as const,
  registers: [],
});

const logger = new Logger('Fault');

/** Logs a fault loudly, with everything the operator needs (stream, revision, type), and counts it. */
export function reportFault(error: DomainError, instance: string): void {
  faultsTotal.inc({ rule: error.rule });
  logger.error(
    `FAULT ${error.rule} while serving ${instance}: ${error.message} ${JSON.stringify(error.details)}`,
    error.stack,
  );
}
