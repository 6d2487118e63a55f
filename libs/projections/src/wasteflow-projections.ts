import type { Projection } from './runner/projection';
import { manifestsProjection } from './manifests/manifest.projection';
import { traceProjection } from './trace/trace.projection';
import { indicatorsProjection } from './indicators/indicators.projection';
import { inventoryProjection } from './inventory/inventory.projection';
import { alertsProjection } from './alerts/alerts.projection';
import { ledgerBookProjection } from './ledger-book/ledger-book.projection';

/**
 * Every read model of wasteflow, in the order the runner applies them. The api (in-process by default),
 * apps/projector and the CLI's rebuild all use this one list.
 */
export const WASTEFLOW_PROJECTIONS: readonly Projection[] = [
  traceProjection,
  manifestsProjection,
  indicatorsProjection,
  inventoryProjection,
  alertsProjection,
  ledgerBookProjection,
];
