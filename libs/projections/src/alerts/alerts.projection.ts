import type { JsonObject, RecordedEvent } from '@wasteflow/event-store';
import { upcast, type DomainEvent } from '@wasteflow/domain';
import { defineProjection } from '../runner/projection';
import type { KeyCollector, RowAccess } from '../runner/row-access';
import { delimited } from '../query/read-scope';
import type { ReferenceData } from '../reference/reference-data';
import { AlertLifecycleTable1764700000270, alertLifecycles, applyLifecycleStep } from './alert-lifecycle';
import { AlertWriter } from './alert-writer';
import {
  ALERTS_PROJECTION,
  AlertManifestPaper1764700000216,
  AlertTables1764700000200,
  alertBatches,
  alertManifests,
  alertParties,
  alerts,
} from './alerts.tables';
import { raiseCapacityWarning } from './capacity.alerts';
import { raisePickupDiscrepancies, raiseReceiptDiscrepancies } from './discrepancy.alerts';
import { COMMAND_EVENTS, MANIFEST_EVENTS, raiseLateEntries, raisePaperLateEntry } from './late-entry.alerts';
import {
  nameNextCarrier,
  overdueManifestId,
  raiseOverdueManifest,
  settleOverdueManifest,
} from './overdue-manifest.alerts';
import {
  batchDerived,
  batchGenerated,
  batchLeft,
  batchReceived,
  batchReturned,
  ENDING_EVENTS,
  medicalStorageId,
  remainingOf,
  STARTING_EVENTS,
} from './storage.alerts';

/**
 * Alerts (预警) for regulators and parties:
 *
 * - `discrepancy`: a weighing that differs from the shipped mass beyond the tolerance, at either end
 *   (DESIGN §2 "Weighing at both ends"), `details.stage` saying which: `receipt` (a `ManifestReceived` line
 *   with `discrepancy: true`, one alert per line) or `pickup` (`ManifestPickedUp` v2: one alert per weighed
 *   line with `discrepancy: true`, or, when no line was weighed on its own, one for the weighed load);
 *   raised at the time of the weighing.
 * - `overdue_manifest`: picked up and not received by `manifestDeadline(pickedUpAt, calendar)` (the end
 *   of the 5th working day of the official calendar, 危险废物转移管理办法 Art. 18); raised at that deadline,
 *   resolved by the receipt — a late receipt keeps the alert (resolved, `receivedLate: true`), a receipt in
 *   time removes it. When the count runs through a year the calendar does not cover, it counted weekends
 *   only there and `details.uncoveredYears` and `details.calendarNote` say so.
 * - `overdue_storage`: hazardous waste kept in a receiver's storage longer than a year (固废法 Art. 81,
 *   `storageDueAt(storageSince)`); one per stay of a batch in storage; raised at the deadline, resolved
 *   when the batch leaves storage (picked up, or used up: treated, consolidated, split to nothing) — leaving
 *   before the deadline removes it.
 * - `after_revocation`: a record relying on a permit valid at its `occurredAt` that was revoked or had expired
 *   by the time it was recorded (`permitLapse` on the event: permits are judged twice, DESIGN §2); always
 *   with a `late_entry` beside it; raised at the time of recording.
 * - `late_entry`: a movement recorded more than 72 h after it occurred (`late: true` on the event of the
 *   command; the custody events the process manager derives from a manifest event are not counted again).
 *   A paper manifest's steps (ManifestIssued v3 `paper`) are not judged by the 72 h but by the paper
 *   back-fill rule: a pickup entered after the 10th working day after it happened (`details.paper`).
 *
 * Deadlines are stored, never compared with a clock here (evolve stays deterministic): an alert is visible
 * once the query's clock (the app's CLOCK) reaches `raised_at_ms`, so it appears as the ledger's clock
 * passes the deadline, not only when another event arrives. `raised_at_ms` is the first instant the alert
 * holds (for storage that is 1 ms after the deadline: `isStorageOverdue` is strict).
 *
 * - `permit_capacity_warning`: a receipt took a permit's accepted mass in its permit year to 90 % of its
 *   annual capacity (`PermitCapacityDrawn`, 危险废物经营许可证 年经营规模); for the receiver and the
 *   regulators of its district; beyond 100 % the receipt is refused, so there is no later alert.
 *
 * - `overdue_medical_storage`: medical waste (HW01) still held by the generator that produced it more than
 *   48 hours after its generation (医疗废物管理条例 Art. 17, separate from the one-year rule); raised at the
 *   deadline, resolved when the batch leaves the generator (picked up, or used up) — leaving before the
 *   deadline removes it. Batches split or consolidated at the generator start no timer of their own.
 *
 * Discrepancies and late entries have no resolving event in the ledger: they stay open.
 *
 * Besides whether its condition still holds (`resolved_at`), an alert has a life of its own (DESIGN §2
 * "Alerts have a life", ADR 0015): open → acknowledged (AlertAcknowledged, by a party it names, with a note)
 * → closed (AlertClosed, by a regulator in scope, with a finding), recorded on its `alert-<id>` stream.
 * The steps are kept in `alert_lifecycle`, a table of their own keyed by the alert id, so raising an alert
 * never touches them and no step is lost to a row written again; an alert without a row there is open.
 *
 * One file per rule family beside this one: late-entry.alerts.ts (late_entry, after_revocation, the paper
 * back-fill), discrepancy.alerts.ts, overdue-manifest.alerts.ts, storage.alerts.ts (overdue_storage,
 * overdue_medical_storage), capacity.alerts.ts; alert-writer.ts raises and settles the rows of
 * alerts.tables.ts. This file routes each event to them.
 */

const PARTY_FIELDS = [
  'generatorUscc',
  'actorUscc',
  'custodianUscc',
  'shipperUscc',
  'carrierUscc',
  'receiverUscc',
] as const;

export function prefetchAlerts(event: RecordedEvent, keys: KeyCollector): void {
  const data = event.data;
  const creates =
    (COMMAND_EVENTS.has(event.type) && data.late === true) ||
    event.type === 'ManifestPickedUp' ||
    event.type === 'PermitCapacityDrawn' ||
    event.type === 'ManifestReceived' ||
    STARTING_EVENTS.has(event.type) ||
    (typeof data.storageSince === 'string' && data.category === 'hazardous');
  if (creates) {
    if (event.type === 'PermitCapacityDrawn' && typeof data.uscc === 'string')
      keys.want(alertParties, { uscc: data.uscc });
    for (const field of PARTY_FIELDS) {
      const uscc = data[field];
      if (typeof uscc === 'string') keys.want(alertParties, { uscc });
    }
  }
  if (MANIFEST_EVENTS.has(event.type) && typeof data.manifestNo === 'string') {
    keys.want(alertManifests, { manifestNo: data.manifestNo });
    if (event.type === 'ManifestReceived' || event.type === 'ManifestHandedOver')
      keys.want(alerts, { id: overdueManifestId(data.manifestNo) });
  }
  if (
    (event.type === 'AlertAcknowledged' || event.type === 'AlertClosed') &&
    typeof data.alertId === 'string'
  )
    keys.want(alertLifecycles, { alertId: data.alertId });
  if (typeof data.traceCode === 'string') {
    const ends = ENDING_EVENTS.has(event.type) && (event.type === 'BatchShipped' || remainingOf(data) === 0);
    if (ends || STARTING_EVENTS.has(event.type)) keys.want(alertBatches, { traceCode: data.traceCode });
    if (ends) keys.want(alerts, { id: medicalStorageId(data.traceCode) });
  }
}

export async function evolveAlerts(
  rows: RowAccess,
  recorded: RecordedEvent,
  reference: ReferenceData,
): Promise<void> {
  const event = upcast(recorded.type, recorded.schemaVersion, recorded.data) as DomainEvent;
  const w = new AlertWriter(rows, recorded);

  // late entries first: they read the manifest row that a receipt or a cancel removes below
  await raiseLateEntries(w, rows, recorded, event);

  switch (event.type) {
    case 'PartyRegistered':
      rows.put(alertParties, { uscc: event.data.uscc, districtCode: event.data.districtCode });
      return;

    case 'PermitCapacityDrawn':
      return raiseCapacityWarning(w, event.data);

    case 'ManifestIssued': {
      const d = event.data;
      const lines: JsonObject = {};
      for (const line of d.lines) lines[line.traceCode] = line.category;
      rows.put(alertManifests, {
        manifestNo: d.manifestNo,
        shipperUscc: d.shipperUscc,
        carrierUscc: d.carrierUscc,
        receiverUscc: d.receiverUscc,
        lines,
        categories: delimited([...new Set(d.lines.map((l) => l.category))].sort()),
        paper: d.paper === true ? 1 : null,
      });
      return;
    }

    case 'ManifestPickedUp': {
      const manifest = await rows.get(alertManifests, { manifestNo: event.data.manifestNo });
      await raisePickupDiscrepancies(w, event.data, manifest);
      if (manifest?.paper) await raisePaperLateEntry(w, recorded, event.data, manifest, reference);
      await raiseOverdueManifest(w, event.data, manifest, reference);
      return;
    }

    case 'ManifestHandedOver':
      return nameNextCarrier(w, event.data);

    case 'ManifestReceived': {
      const manifest = await rows.get(alertManifests, { manifestNo: event.data.manifestNo });
      await settleOverdueManifest(w, event.data);
      await raiseReceiptDiscrepancies(w, event.data, manifest);
      rows.delete(alertManifests, { manifestNo: event.data.manifestNo });
      return;
    }

    case 'ManifestCancelled':
      rows.delete(alertManifests, { manifestNo: event.data.manifestNo });
      return;

    case 'WasteGenerated':
      return batchGenerated(w, event.data);

    case 'BatchSplitOff':
    case 'BatchesConsolidated':
    case 'BatchReturnedFromRejection':
      return batchDerived(w, event.data);

    case 'BatchReceived':
      return batchReceived(w, event.data);

    case 'BatchReturnedToShipper':
      return batchReturned(w, event.data);

    case 'BatchShipped':
      return batchLeft(w, event.data.traceCode, event.data.occurredAt, 'shipped', false);

    case 'BatchSplit':
    case 'BatchConsolidatedInto':
    case 'WasteUtilised':
    case 'WasteDisposed':
    case 'MassCorrected':
    case 'BatchLostInTransit':
      if (remainingOf(event.data as unknown as Record<string, unknown>) !== 0) return;
      return batchLeft(w, event.data.traceCode, event.data.occurredAt, event.type, true);

    case 'AlertAcknowledged':
    case 'AlertClosed':
      await applyLifecycleStep(rows, recorded, event);
      return;

    default:
      return;
  }
}

/** The alerts projection over the given reference data (the working-day calendar of manifest deadlines). */
export function createAlertsProjection(reference: ReferenceData) {
  return defineProjection({
    name: ALERTS_PROJECTION,
    eventTypes: [
      'PartyRegistered',
      'PermitCapacityDrawn',
      'ManifestIssued',
      'ManifestPickedUp',
      'ManifestHandedOver',
      'ManifestReceived',
      'ManifestCancelled',
      'WasteGenerated',
      'BatchSplitOff',
      'BatchesConsolidated',
      'BatchReturnedFromRejection',
      'BatchReceived',
      'BatchReturnedToShipper',
      // BatchShipped and the events that may use a batch up
      ...ENDING_EVENTS,
      'AlertAcknowledged',
      'AlertClosed',
    ],
    tables: [alerts, alertParties, alertManifests, alertBatches, alertLifecycles],
    migrations: [AlertTables1764700000200, AlertManifestPaper1764700000216, AlertLifecycleTable1764700000270],
    prefetch: prefetchAlerts,
    evolve: (rows, recorded) => evolveAlerts(rows, recorded, reference),
  });
}
