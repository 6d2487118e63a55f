import type { Projection } from './runner/projection';
import { createManifestsProjection } from './manifests/manifest.projection';
import { traceProjection } from './trace/trace.projection';
import { indicatorsProjection } from './indicators/indicators.projection';
import { inventoryProjection } from './inventory/inventory.projection';
import { createAlertsProjection } from './alerts/alerts.projection';
import type { ReferenceData } from './reference/reference-data';
import { ledgerBookProjection } from './ledger-book/ledger-book.projection';
import { transferApprovalsProjection } from './transfer-approvals/transfer-approvals.projection';

/**
 * Every read model of wasteflow, in the order the runner applies them, over the reference data loaded at
 * start (`loadReferenceData`). The api (in-process by default), apps/projector and the CLI's rebuild all
 * use this one list.
 */
export function wasteflowProjections(reference: ReferenceData): readonly Projection[] {
  return [
    traceProjection,
    createManifestsProjection(reference),
    indicatorsProjection,
    inventoryProjection,
    createAlertsProjection(reference),
    ledgerBookProjection,
    transferApprovalsProjection,
  ];
}
