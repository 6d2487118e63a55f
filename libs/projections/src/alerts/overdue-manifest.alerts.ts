import type { JsonObject } from '@wasteflow/event-store';
import type { EventOfType, ManifestPickedUpData } from '@wasteflow/domain';
import type { RowOf } from '../runner/table';
import { delimited, undelimited } from '../query/read-scope';
import { manifestDeadlineOf } from '../time-memo';
import type { ReferenceData } from '../reference/reference-data';
import { calendarGap, manifestParties, ms, type AlertWriter } from './alert-writer';
import { alerts, type alertManifests } from './alerts.tables';

/**
 * `overdue_manifest`: picked up and not received by the end of the 5th working day of the official calendar
 * (危险废物转移管理办法 Art. 18); raised at that deadline, resolved by the receipt — a late receipt keeps the
 * alert (resolved, `receivedLate: true`), a receipt in time removes it.
 */

export function overdueManifestId(manifestNo: string): string {
  return `overdue_manifest:${manifestNo}`;
}

/** At pickup: the alert that holds from the deadline on unless the receipt comes first. */
export async function raiseOverdueManifest(
  w: AlertWriter,
  d: ManifestPickedUpData,
  manifest: Readonly<RowOf<typeof alertManifests>> | undefined,
  reference: ReferenceData,
): Promise<void> {
  const { dueAt, uncoveredYears } = manifestDeadlineOf(d.occurredAt, reference.calendar);
  await w.raise({
    id: overdueManifestId(d.manifestNo),
    kind: 'overdue_manifest',
    manifestNo: d.manifestNo,
    parties: manifestParties(d),
    categories: undelimited(manifest?.categories ?? null),
    raisedAt: dueAt,
    details: {
      pickedUpAt: d.occurredAt,
      dueAt,
      vehiclePlate: d.vehiclePlate,
      shippedKg: d.shippedGrams / 1000,
      ...calendarGap(uncoveredYears),
    },
  });
}

/** 多式联运: the next carrier holds the manifest now, so its overdue alert names that carrier too. */
export async function nameNextCarrier(
  w: AlertWriter,
  d: EventOfType<'ManifestHandedOver'>['data'],
): Promise<void> {
  const overdue = await w.rows.get(alerts, { id: overdueManifestId(d.manifestNo) });
  const named = undelimited(overdue?.parties ?? null);
  if (!overdue || overdue.resolvedAt !== null || named.includes(d.carrierUscc)) return;
  const details = overdue.details as JsonObject;
  const districtCode = await w.districtOf(d.carrierUscc);
  const parties = [
    ...((details.parties as JsonObject[] | undefined) ?? []),
    { uscc: d.carrierUscc, role: 'carrier', districtCode },
  ];
  w.rows.put(alerts, {
    ...overdue,
    parties: delimited([...named, d.carrierUscc].sort()),
    districts: delimited(
      [...new Set([...undelimited(overdue.districts), ...(districtCode ? [districtCode] : [])])].sort(),
    ),
    details: { ...details, parties },
  });
}

/** At receipt: kept as received late once the deadline had passed, removed when it came in time. */
export async function settleOverdueManifest(
  w: AlertWriter,
  d: EventOfType<'ManifestReceived'>['data'],
): Promise<void> {
  const overdue = await w.rows.get(alerts, { id: overdueManifestId(d.manifestNo) });
  if (!overdue) return;
  const lateByMs = Number(ms(d.occurredAt) - overdue.raisedAtMs);
  await w.settle(overdue.id, d.occurredAt, {
    receivedAt: d.occurredAt,
    receivedLate: true,
    lateByHours: Math.floor(lateByMs / 36_000) / 100,
  });
}
