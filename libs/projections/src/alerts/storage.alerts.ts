import { isMedicalWaste, medicalStorageDueAt, type EventOfType } from '@wasteflow/domain';
import type { RowOf } from '../runner/table';
import { storageDueAtOf } from '../time-memo';
import { ms, type AlertWriter } from './alert-writer';
import { alertBatches } from './alerts.tables';

/**
 * The alerts of waste kept too long, followed on each batch's own stream only (one total order per stream,
 * whatever the order of streams within a commit): every hazardous batch gets a row at its creation.
 *
 * - `overdue_storage`: hazardous waste in a receiver's storage longer than a year (固废法 Art. 81), one per
 *   stay in storage; resolved when the batch leaves storage (picked up, or used up).
 * - `overdue_medical_storage`: medical waste (HW01) still held by its generator 48 hours after its
 *   generation (医疗废物管理条例 Art. 17); resolved when the batch leaves the generator.
 *
 * Leaving before the deadline removes the alert (it never held).
 */

/** Batch events after which the batch may have left storage or be used up. */
export const ENDING_EVENTS = new Set([
  'BatchShipped',
  'BatchSplit',
  'BatchConsolidatedInto',
  'WasteUtilised',
  'WasteDisposed',
  'MassCorrected',
  'BatchLostInTransit',
]);

/** Storage starts with a receipt, or a return to where the batch was stored (and with a part or a mix of stored waste). */
export const STARTING_EVENTS = new Set(['BatchReceived', 'BatchReturnedToShipper']);

export function remainingOf(data: Record<string, unknown>): number | undefined {
  if (typeof data.remainingGrams === 'number') return data.remainingGrams;
  if (typeof data.massGramsAfter === 'number') return data.massGramsAfter;
  return undefined;
}

export function medicalStorageId(traceCode: string): string {
  return `overdue_medical_storage:${traceCode}`;
}

function notStored(traceCode: string): RowOf<typeof alertBatches> {
  return { traceCode, storageSince: null, stintAlertId: null, stintFromMs: null };
}

async function startStorage(
  w: AlertWriter,
  traceCode: string,
  storageSince: string,
  holderUscc: string,
  startedAt: string,
): Promise<void> {
  const id = `overdue_storage:${traceCode}:${ms(startedAt)}`;
  const dueAt = storageDueAtOf(storageSince);
  await w.raise({
    id,
    kind: 'overdue_storage',
    traceCode,
    parties: [{ uscc: holderUscc, role: 'holder' }],
    categories: ['hazardous'],
    raisedAt: dueAt,
    // overdue strictly after the deadline
    raisedAtMs: ms(dueAt) + 1n,
    details: { storageSince, dueAt, holderUscc, inStorageSince: startedAt },
  });
  w.rows.put(alertBatches, { traceCode, storageSince, stintAlertId: id, stintFromMs: ms(startedAt) });
}

async function endStorage(
  w: AlertWriter,
  row: Readonly<RowOf<typeof alertBatches>>,
  at: string,
  how: string,
  usedUp: boolean,
): Promise<void> {
  if (row.stintAlertId !== null)
    await w.settle(row.stintAlertId, at, { leftStorageAt: at, leftStorageBy: how });
  if (usedUp) w.rows.delete(alertBatches, { traceCode: row.traceCode });
  else if (row.stintAlertId !== null)
    w.rows.put(alertBatches, { ...row, stintAlertId: null, stintFromMs: null });
}

/** A hazardous batch is followed from its generation; medical waste's 48 hours start there. */
export async function batchGenerated(
  w: AlertWriter,
  d: EventOfType<'WasteGenerated'>['data'],
): Promise<void> {
  if (d.category === 'hazardous') w.rows.put(alertBatches, notStored(d.traceCode));
  if (!isMedicalWaste(d.category, d.wasteCode)) return;
  const dueAt = medicalStorageDueAt(d.occurredAt);
  await w.raise({
    id: medicalStorageId(d.traceCode),
    kind: 'overdue_medical_storage',
    traceCode: d.traceCode,
    parties: [{ uscc: d.generatorUscc, role: 'generator' }],
    categories: ['hazardous'],
    raisedAt: dueAt,
    // overdue strictly after the 48 hours
    raisedAtMs: ms(dueAt) + 1n,
    details: { generatedAt: d.occurredAt, dueAt, limitHours: 48, wasteCode: d.wasteCode ?? null },
  });
}

/** A part of (or a mix with) stored waste is stored waste, with the oldest storage start. */
export async function batchDerived(
  w: AlertWriter,
  d: EventOfType<'BatchSplitOff' | 'BatchesConsolidated' | 'BatchReturnedFromRejection'>['data'],
): Promise<void> {
  if (d.category !== 'hazardous') return;
  if (d.storageSince !== undefined)
    await startStorage(w, d.traceCode, d.storageSince, d.custodianUscc, d.occurredAt);
  else w.rows.put(alertBatches, notStored(d.traceCode));
}

export async function batchReceived(w: AlertWriter, d: EventOfType<'BatchReceived'>['data']): Promise<void> {
  const row = await w.rows.get(alertBatches, { traceCode: d.traceCode });
  if (row) await startStorage(w, row.traceCode, d.occurredAt, d.receiverUscc, d.occurredAt);
}

/** Back in the storage it left, with the storage age it had (the domain keeps storageSince). */
export async function batchReturned(
  w: AlertWriter,
  d: EventOfType<'BatchReturnedToShipper'>['data'],
): Promise<void> {
  const row = await w.rows.get(alertBatches, { traceCode: d.traceCode });
  if (row?.storageSince) await startStorage(w, row.traceCode, row.storageSince, d.shipperUscc, d.occurredAt);
}

/** The batch left its holder (`how`: shipped, or the event that used it up): its storage alerts settle. */
export async function batchLeft(
  w: AlertWriter,
  traceCode: string,
  at: string,
  how: string,
  usedUp: boolean,
): Promise<void> {
  await w.settle(medicalStorageId(traceCode), at, { leftGeneratorAt: at, leftBy: how });
  const row = await w.rows.get(alertBatches, { traceCode });
  if (row) await endStorage(w, row, at, how, usedUp);
}
