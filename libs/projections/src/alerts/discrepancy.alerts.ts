import type { EventOfType, ManifestPickedUpData } from '@wasteflow/domain';
import type { RowOf } from '../runner/table';
import { undelimited } from '../query/read-scope';
import { manifestParties, type AlertWriter } from './alert-writer';
import type { alertManifests } from './alerts.tables';

/**
 * `discrepancy` alerts, weighing at both ends (DESIGN §2): a weighing that differs from the shipped mass
 * beyond the tolerance, at pickup or at receipt, raised at the time of the weighing; they stay open.
 */

const deviation = (shippedGrams: number, weighedGrams: number) =>
  shippedGrams === 0 ? 0 : (shippedGrams - weighedGrams) / shippedGrams;

/** Weighing at both ends: the discrepancies of a pickup's weighing (above). */
export async function raisePickupDiscrepancies(
  w: AlertWriter,
  d: ManifestPickedUpData,
  manifest: Readonly<RowOf<typeof alertManifests>> | undefined,
): Promise<void> {
  const parties = manifestParties(d);
  const lineCategories = (manifest?.lines ?? {}) as Record<string, string>;
  const weighedLines = d.lines.filter((line) => line.weighedGrams !== undefined);
  for (const line of weighedLines) {
    if (!line.discrepancy || line.weighedGrams === undefined) continue;
    const shippedGrams = line.shippedGrams;
    await w.raise({
      id: `discrepancy:pickup:${d.manifestNo}:${line.traceCode}`,
      kind: 'discrepancy',
      manifestNo: d.manifestNo,
      traceCode: line.traceCode,
      parties,
      categories: lineCategories[line.traceCode] ? [lineCategories[line.traceCode]] : [],
      raisedAt: d.occurredAt,
      details: {
        stage: 'pickup',
        ...(shippedGrams === undefined
          ? {}
          : { shippedKg: shippedGrams / 1000, deviation: deviation(shippedGrams, line.weighedGrams) }),
        weighedKg: line.weighedGrams / 1000,
        vehiclePlate: d.vehiclePlate,
        tolerance: d.tolerance,
      },
    });
  }
  if (weighedLines.length === 0 && d.discrepancy && d.weighedGrams !== undefined) {
    await w.raise({
      id: `discrepancy:pickup:${d.manifestNo}`,
      kind: 'discrepancy',
      manifestNo: d.manifestNo,
      parties,
      categories: undelimited(manifest?.categories ?? null),
      raisedAt: d.occurredAt,
      details: {
        stage: 'pickup',
        shippedKg: d.shippedGrams / 1000,
        weighedKg: d.weighedGrams / 1000,
        deviation: deviation(d.shippedGrams, d.weighedGrams),
        vehiclePlate: d.vehiclePlate,
        tolerance: d.tolerance,
      },
    });
  }
}

/** The discrepancies of a receipt: one per line the receiver weighed beyond the tolerance. */
export async function raiseReceiptDiscrepancies(
  w: AlertWriter,
  d: EventOfType<'ManifestReceived'>['data'],
  manifest: Readonly<RowOf<typeof alertManifests>> | undefined,
): Promise<void> {
  const lineCategories = (manifest?.lines ?? {}) as Record<string, string>;
  for (const line of d.lines) {
    if (!line.discrepancy) continue;
    await w.raise({
      id: `discrepancy:${d.manifestNo}:${line.traceCode}`,
      kind: 'discrepancy',
      manifestNo: d.manifestNo,
      traceCode: line.traceCode,
      parties: manifestParties(d),
      categories: lineCategories[line.traceCode] ? [lineCategories[line.traceCode]] : [],
      raisedAt: d.occurredAt,
      details: {
        stage: 'receipt',
        shippedKg: line.shippedGrams / 1000,
        receivedKg: line.receivedGrams / 1000,
        lostKg: line.lostGrams / 1000,
        deviation: deviation(line.shippedGrams, line.receivedGrams),
        tolerance: d.tolerance,
      },
    });
  }
}
