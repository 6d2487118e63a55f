import { EventNotApplicable } from '../errors';
import {
  type Composition,
  compositionTotal,
  subtractComposition,
  canonicalComposition,
} from '../origin/composition';
import { assertNever, compact } from '../util';
import type { BatchEvent, BatchKind } from './batch.events';

export type BatchStatus = 'held' | 'consigned' | 'in_transit' | 'depleted';

/** How the batch came to be. */
export type BatchCreation = 'generated' | 'split' | 'consolidated' | 'returned';

export interface BatchManifestLink {
  readonly manifestNo: string;
  readonly shipperUscc: string;
  readonly carrierUscc: string;
  readonly receiverUscc: string;
  /** consigned: on a manifest not yet picked up; in_transit: picked up, not yet received. */
  readonly stage: 'consigned' | 'in_transit';
}

export interface ExistingBatch extends BatchKind {
  readonly status: BatchStatus;
  readonly traceCode: string;
  readonly creation: BatchCreation;
  readonly parentTraceCode?: string;
  readonly createdAt: string;
  readonly heldGrams: number;
  readonly composition: Composition;
  /**
   * Legal custodian. During transit it stays the shipper (the carrier holds the batch physically, see
   * `manifest.carrierUscc`); it passes to the receiver on acceptance.
   */
  readonly custodianUscc: string;
  /** Since when the current custodian holds it (creation, receipt or return): no act of its may be dated earlier. */
  readonly custodySince: string;
  /** Start of storage at a receiver (receipt time), inherited by children and consolidations. */
  readonly storageSince?: string;
  /** The open manifest, while consigned or in transit. */
  readonly manifest?: BatchManifestLink;
  /** Manifests whose receipt (or total loss) this batch has already settled: the process manager's idempotency. */
  readonly settledManifests: readonly string[];
  /** Next free child index (splits and rejections share it). */
  readonly nextChildIndex: number;
}

export type BatchState = { readonly status: 'none' } | ExistingBatch;

export const initialBatchState: BatchState = { status: 'none' };

function requireExisting(state: BatchState, type: string): ExistingBatch {
  if (state.status === 'none') throw new EventNotApplicable(type, 'no such batch');
  return state;
}

function requireNew(state: BatchState, type: string): void {
  if (state.status !== 'none') throw new EventNotApplicable(type, 'batch already exists');
}

/** Removes `removed` (of `massGrams`) from the batch and checks the event's masses. */
function withRemoved(
  batch: ExistingBatch,
  type: string,
  removed: Composition,
  massGrams: number,
  remainingGrams: number,
): ExistingBatch {
  if (compositionTotal(removed) !== massGrams)
    throw new EventNotApplicable(type, `composition of ${compositionTotal(removed)} g for ${massGrams} g`);
  const composition = subtractComposition(batch.composition, removed);
  const heldGrams = compositionTotal(composition);
  if (heldGrams !== remainingGrams)
    throw new EventNotApplicable(type, `remaining ${remainingGrams} g but ${heldGrams} g computed`);
  return {
    ...batch,
    composition,
    heldGrams,
    status: heldGrams === 0 && batch.status === 'held' ? 'depleted' : batch.status,
  };
}

function settle(batch: ExistingBatch, manifestNo: string): ExistingBatch {
  const { manifest: _manifest, ...rest } = batch;
  return { ...rest, settledManifests: [...batch.settledManifests, manifestNo] };
}

function kindOf(d: BatchKind): BatchKind {
  return compact({
    category: d.category,
    subtype: d.subtype,
    wasteCode: d.wasteCode,
    catalogueEdition: d.catalogueEdition,
  });
}

export function evolveBatch(state: BatchState, event: BatchEvent): BatchState {
  switch (event.type) {
    case 'WasteGenerated': {
      requireNew(state, event.type);
      const d = event.data;
      return compact({
        status: 'held',
        traceCode: d.traceCode,
        ...kindOf(d),
        creation: 'generated',
        createdAt: d.occurredAt,
        heldGrams: d.massGrams,
        composition: d.composition,
        custodianUscc: d.generatorUscc,
        custodySince: d.occurredAt,
        settledManifests: [],
        nextChildIndex: 0,
      }) as ExistingBatch;
    }
    case 'BatchSplitOff':
    case 'BatchReturnedFromRejection': {
      requireNew(state, event.type);
      const d = event.data;
      return compact({
        status: 'held',
        traceCode: d.traceCode,
        ...kindOf(d),
        creation: event.type === 'BatchSplitOff' ? 'split' : 'returned',
        parentTraceCode: d.parentTraceCode,
        createdAt: d.occurredAt,
        heldGrams: d.massGrams,
        composition: d.composition,
        custodianUscc: d.custodianUscc,
        custodySince: d.occurredAt,
        storageSince: d.storageSince,
        settledManifests: [],
        nextChildIndex: 0,
      }) as ExistingBatch;
    }
    case 'BatchesConsolidated': {
      requireNew(state, event.type);
      const d = event.data;
      return compact({
        status: 'held',
        traceCode: d.traceCode,
        ...kindOf(d),
        creation: 'consolidated',
        createdAt: d.occurredAt,
        heldGrams: d.massGrams,
        composition: d.composition,
        custodianUscc: d.custodianUscc,
        custodySince: d.occurredAt,
        storageSince: d.storageSince,
        settledManifests: [],
        nextChildIndex: 0,
      }) as ExistingBatch;
    }
    case 'BatchSplit': {
      const b = requireExisting(state, event.type);
      const d = event.data;
      const removed = d.children.flatMap((c) => c.composition);
      if (d.children.some((c) => compositionTotal(c.composition) !== c.massGrams))
        throw new EventNotApplicable(event.type, 'a child composition does not sum to its mass');
      const next = withRemoved(b, event.type, removed, compositionTotal(removed), d.remainingGrams);
      return {
        ...next,
        nextChildIndex: Math.max(b.nextChildIndex, ...d.children.map((c) => c.childIndex + 1)),
      };
    }
    case 'BatchConsolidatedInto':
      return withRemoved(
        requireExisting(state, event.type),
        event.type,
        event.data.composition,
        event.data.massGrams,
        event.data.remainingGrams,
      );
    case 'WasteUtilised':
    case 'WasteDisposed':
      return withRemoved(
        requireExisting(state, event.type),
        event.type,
        event.data.composition,
        event.data.massGrams,
        event.data.remainingGrams,
      );
    case 'MassCorrected': {
      const b = requireExisting(state, event.type);
      const d = event.data;
      if (d.deltaGrams < 0) return withRemoved(b, event.type, d.composition, -d.deltaGrams, d.massGramsAfter);
      const composition = canonicalComposition([...b.composition, ...d.composition]);
      if (
        compositionTotal(d.composition) !== d.deltaGrams ||
        compositionTotal(composition) !== d.massGramsAfter
      )
        throw new EventNotApplicable(event.type, 'mass after correction does not balance');
      return {
        ...b,
        composition,
        heldGrams: d.massGramsAfter,
        status: b.status === 'depleted' && d.massGramsAfter > 0 ? 'held' : b.status,
      };
    }
    case 'BatchConsigned': {
      const b = requireExisting(state, event.type);
      if (b.status !== 'held') throw new EventNotApplicable(event.type, `batch is ${b.status}`);
      const d = event.data;
      return {
        ...b,
        status: 'consigned',
        manifest: {
          manifestNo: d.manifestNo,
          shipperUscc: d.shipperUscc,
          carrierUscc: d.carrierUscc,
          receiverUscc: d.receiverUscc,
          stage: 'consigned',
        },
      };
    }
    case 'BatchConsignmentReleased': {
      const b = requireExisting(state, event.type);
      if (b.manifest?.manifestNo !== event.data.manifestNo || b.manifest.stage !== 'consigned')
        throw new EventNotApplicable(event.type, 'batch not consigned on that manifest');
      const { manifest: _manifest, ...rest } = b;
      return { ...rest, status: 'held' };
    }
    case 'BatchShipped': {
      const b = requireExisting(state, event.type);
      if (b.manifest?.manifestNo !== event.data.manifestNo || b.manifest.stage !== 'consigned')
        throw new EventNotApplicable(event.type, 'batch not consigned on that manifest');
      return { ...b, status: 'in_transit', manifest: { ...b.manifest, stage: 'in_transit' } };
    }
    case 'BatchLostInTransit': {
      const b = requireExisting(state, event.type);
      const d = event.data;
      if (b.manifest?.manifestNo !== d.manifestNo || b.status !== 'in_transit')
        throw new EventNotApplicable(event.type, 'batch not in transit on that manifest');
      const next = withRemoved(b, event.type, d.composition, d.lostGrams, d.remainingGrams);
      // a total loss settles the manifest for this batch: nothing arrives, custody stays with the shipper
      return next.heldGrams === 0 ? { ...settle(next, d.manifestNo), status: 'depleted' } : next;
    }
    case 'BatchRejectionSplitOff': {
      const b = requireExisting(state, event.type);
      const d = event.data;
      if (b.manifest?.manifestNo !== d.manifestNo || b.status !== 'in_transit')
        throw new EventNotApplicable(event.type, 'batch not in transit on that manifest');
      const next = withRemoved(b, event.type, d.composition, d.massGrams, d.remainingGrams);
      return { ...next, nextChildIndex: Math.max(b.nextChildIndex, d.childIndex + 1) };
    }
    case 'BatchReceived': {
      const b = requireExisting(state, event.type);
      const d = event.data;
      if (b.manifest?.manifestNo !== d.manifestNo || b.status !== 'in_transit')
        throw new EventNotApplicable(event.type, 'batch not in transit on that manifest');
      if (b.heldGrams !== d.massGrams)
        throw new EventNotApplicable(event.type, `received ${d.massGrams} g but ${b.heldGrams} g in transit`);
      return {
        ...settle(b, d.manifestNo),
        status: 'held',
        custodianUscc: d.receiverUscc,
        custodySince: d.occurredAt,
        storageSince: d.occurredAt,
      };
    }
    case 'BatchReturnedToShipper': {
      const b = requireExisting(state, event.type);
      const d = event.data;
      if (b.manifest?.manifestNo !== d.manifestNo || b.status !== 'in_transit')
        throw new EventNotApplicable(event.type, 'batch not in transit on that manifest');
      return {
        ...settle(b, d.manifestNo),
        status: 'held',
        custodianUscc: d.shipperUscc,
        custodySince: d.occurredAt,
      };
    }
    default:
      return assertNever(event, 'batch event');
  }
}
