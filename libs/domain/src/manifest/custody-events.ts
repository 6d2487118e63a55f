import {
  BatchInTransit,
  BatchNotFound,
  BatchNotOnManifest,
  BatchOnOpenManifest,
  EventNotApplicable,
} from '../errors';
import { domainEvent } from '../events/event-catalogue';
import type { BatchEvent, BatchStreamEvents } from '../batch/batch.events';
import type { BatchState, ExistingBatch } from '../batch/batch.state';
import { takeFromComposition } from '../origin/composition';
import { legacyChildTraceCode } from '../values/trace-code';
import { assertNever, compact, pick } from '../util';
import { traceCodesOf, type ManifestEvent, type ManifestReceived, type ReceiptLine } from './manifest.events';

/**
 * The batch side of a manifest event, for the process manager that keeps batches in step with manifests.
 * Pure, deterministic and idempotent: given a batch state that already reflects the manifest event, it
 * returns no events. Returns the batch's own stream first, then any new stream (a rejection child).
 *
 * `traceCode` names the batch (needed when its state is `none`); batches not on the manifest event get [].
 *
 * Custody: on pickup the batch is in transit (the carrier holds it physically, legal custody stays with the
 * shipper); at a hand-over (多式联运) the next carrier holds it, with the whole mass (`BatchHandedOver`); on receipt the lost mass leaves (`BatchLostInTransit`), a partial rejection splits the rejected
 * mass off into a child back in the shipper's custody (`BatchRejectionSplitOff` + `BatchReturnedFromRejection`),
 * the accepted mass passes to the receiver (`BatchReceived`); a full rejection returns the batch itself
 * (`BatchReturnedToShipper`).
 */
export function custodyEventsFor(
  event: ManifestEvent,
  batch: BatchState,
  traceCode: string = batch.status === 'none' ? '' : batch.traceCode,
): BatchStreamEvents[] {
  if (!traceCodesOf(event).includes(traceCode)) return [];
  const b = existing(batch, traceCode);
  const d = event.data;
  switch (event.type) {
    case 'ManifestIssued': {
      if (b.manifest?.manifestNo === d.manifestNo || b.settledManifests.includes(d.manifestNo)) return [];
      if (b.manifest?.stage === 'consigned')
        throw new BatchOnOpenManifest(b.traceCode, b.manifest.manifestNo);
      if (b.manifest?.stage === 'in_transit') throw new BatchInTransit(b.traceCode, b.manifest.manifestNo);
      const e = event.data;
      const facts = pick(e, 'manifestNo', 'shipperUscc', 'carrierUscc', 'receiverUscc', 'occurredAt', 'late');
      return own(b, [domainEvent('BatchConsigned', wholeBatch(b, facts))]);
    }
    case 'ManifestCancelled': {
      if (b.manifest?.manifestNo !== d.manifestNo) return [];
      return own(b, [
        domainEvent('BatchConsignmentReleased', {
          traceCode: b.traceCode,
          ...pick(event.data, 'manifestNo', 'reason', 'occurredAt', 'late'),
        }),
      ]);
    }
    case 'ManifestPickedUp': {
      if (
        b.settledManifests.includes(d.manifestNo) ||
        (b.manifest?.manifestNo === d.manifestNo && b.manifest.stage === 'in_transit')
      )
        return [];
      if (b.manifest?.manifestNo !== d.manifestNo) throw new BatchNotOnManifest(b.traceCode, d.manifestNo);
      const e = event.data;
      const facts = pick(e, 'manifestNo', 'shipperUscc', 'carrierUscc', 'vehiclePlate', 'occurredAt', 'late');
      return own(b, [domainEvent('BatchShipped', wholeBatch(b, facts))]);
    }
    case 'ManifestHandedOver': {
      if (b.settledManifests.includes(d.manifestNo)) return [];
      const e = event.data;
      if (b.manifest?.manifestNo !== e.manifestNo || b.manifest.stage !== 'in_transit')
        throw new BatchNotOnManifest(b.traceCode, e.manifestNo);
      // idempotent by leg: a batch already on this leg (or a later one) has taken this hand-over
      const leg = b.manifest.leg ?? 1;
      if (leg >= e.leg) return [];
      if (leg + 1 !== e.leg)
        throw new EventNotApplicable(event.type, `${b.traceCode}: leg ${e.leg} after leg ${leg}`);
      const facts = pick(
        e,
        'manifestNo',
        'fromCarrierUscc',
        'carrierUscc',
        'vehiclePlate',
        'place',
        'leg',
        'occurredAt',
        'late',
      );
      return own(b, [domainEvent('BatchHandedOver', wholeBatch(b, facts))]);
    }
    case 'ManifestReceived': {
      if (b.settledManifests.includes(d.manifestNo)) return [];
      if (b.manifest?.manifestNo !== d.manifestNo || b.manifest.stage !== 'in_transit')
        throw new BatchNotOnManifest(b.traceCode, d.manifestNo);
      const line = event.data.lines.find((l) => l.traceCode === traceCode);
      // always found (the batch is on the event): the guard narrows the type
      return line === undefined ? [] : receiptEvents(event, line, b);
    }
    default:
      return assertNever(event, 'manifest event');
  }
}

function existing(batch: BatchState, traceCode: string): ExistingBatch {
  if (batch.status === 'none') throw new BatchNotFound(traceCode);
  return batch;
}

/** A movement of the whole batch (consigned, shipped, handed over): the manifest's facts and all it holds. */
function wholeBatch<F extends object>(b: ExistingBatch, facts: F) {
  return { traceCode: b.traceCode, ...facts, massGrams: b.heldGrams };
}

function own(b: ExistingBatch, events: BatchEvent[]): BatchStreamEvents[] {
  return [{ traceCode: b.traceCode, isNew: false, events }];
}

function receiptEvents(event: ManifestReceived, line: ReceiptLine, b: ExistingBatch): BatchStreamEvents[] {
  const e = event.data;
  if (b.heldGrams !== line.shippedGrams)
    throw new EventNotApplicable(
      event.type,
      `${b.traceCode}: ${b.heldGrams} g in transit, ${line.shippedGrams} g on the manifest`,
    );
  const time = pick(e, 'occurredAt', 'late');
  const events: BatchEvent[] = [];
  const streams: BatchStreamEvents[] = [];
  let composition = b.composition;
  let remaining = b.heldGrams;
  if (line.lostGrams > 0) {
    const { taken, rest } = takeFromComposition(composition, line.lostGrams);
    remaining -= line.lostGrams;
    events.push(
      domainEvent('BatchLostInTransit', {
        traceCode: b.traceCode,
        manifestNo: e.manifestNo,
        lostGrams: line.lostGrams,
        composition: taken,
        remainingGrams: remaining,
        ...time,
      }),
    );
    composition = rest;
  }
  const reason = line.reason ?? '';
  if (line.rejectedGrams > 0 && line.acceptedGrams === 0) {
    events.push(
      domainEvent('BatchReturnedToShipper', {
        traceCode: b.traceCode,
        manifestNo: e.manifestNo,
        shipperUscc: e.shipperUscc,
        massGrams: line.rejectedGrams,
        reason,
        ...time,
      }),
    );
  } else if (line.rejectedGrams > 0) {
    const childIndex = b.nextChildIndex;
    // v4 names the child's code; a receipt of v3 or before derived it from the parent (a legacy code)
    const child = line.returnTraceCode ?? legacyChildTraceCode(b.traceCode, childIndex);
    const { taken } = takeFromComposition(composition, line.rejectedGrams);
    remaining -= line.rejectedGrams;
    events.push(
      domainEvent('BatchRejectionSplitOff', {
        traceCode: b.traceCode,
        manifestNo: e.manifestNo,
        childTraceCode: child,
        childIndex,
        massGrams: line.rejectedGrams,
        composition: taken,
        reason,
        remainingGrams: remaining,
        ...time,
      }),
    );
    streams.push({
      traceCode: child,
      isNew: true,
      events: [
        domainEvent(
          'BatchReturnedFromRejection',
          compact({
            traceCode: child,
            parentTraceCode: b.traceCode,
            childIndex,
            manifestNo: e.manifestNo,
            custodianUscc: e.shipperUscc,
            ...pick(b, 'category', 'subtype', 'wasteCode', 'catalogueEdition'),
            massGrams: line.rejectedGrams,
            composition: taken,
            reason,
            storageSince: b.storageSince,
            ...time,
          }),
        ),
      ],
    });
  }
  if (line.acceptedGrams > 0) {
    events.push(
      domainEvent('BatchReceived', {
        traceCode: b.traceCode,
        manifestNo: e.manifestNo,
        receiverUscc: e.receiverUscc,
        previousCustodianUscc: b.custodianUscc,
        massGrams: line.acceptedGrams,
        ...time,
      }),
    );
  }
  return [{ traceCode: b.traceCode, isNew: false, events }, ...streams];
}
