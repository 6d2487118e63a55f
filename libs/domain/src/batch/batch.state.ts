import { isCreation, type CreationEvent } from '../events/event-catalogue';
import { creation, evolveBy, fits, type Folded, misfit } from '../fold';
import { type Composition, addAsRecorded, compositionTotal, removeAsRecorded } from '../origin/composition';
import { assertNever, compact, pick } from '../util';
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
  /**
   * The leg in transit (多式联运): absent until a hand-over, then 2, 3 …; `carrierUscc` is the carrier of
   * that leg. The process manager's idempotency for hand-overs.
   */
  readonly leg?: number;
}

/** The last manifest that settled custody of this batch (received, or returned in full to its shipper). */
export interface BatchLastTransfer {
  readonly manifestNo: string;
  readonly shipperUscc: string;
  readonly receiverUscc: string;
}

/**
 * A correction request on this batch (ADR 0018). `lapsed`: the batch changed hands (received, or returned
 * to its shipper) while the request was pending — it can no longer be decided and changes nothing.
 */
export interface CorrectionRequestState {
  readonly requestId: string;
  readonly requestedBy: string;
  readonly deltaGrams: number;
  readonly reason: string;
  readonly occurredAt: string;
  readonly late: boolean;
  readonly status: 'pending' | 'approved' | 'rejected' | 'lapsed';
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
  /**
   * The last transfer of custody (a receipt, or a full return to the shipper): its counterparty may decide
   * the custodian's correction requests. Absent for a batch never transferred (a split child, a
   * consolidation: only a regulator in scope decides there).
   */
  readonly lastTransfer?: BatchLastTransfer;
  /** Every correction request in the order made (absent: none yet). */
  readonly corrections?: readonly CorrectionRequestState[];
}

export type BatchState = { readonly status: 'none' } | ExistingBatch;

export const initialBatchState: BatchState = { status: 'none' };

/**
 * `evolve` is total (fold.ts): an event that does not fit the batch's state — a creation of a batch that
 * exists, a step on a batch that does not, a custody step on a batch not on that manifest — changes
 * nothing; a mass movement whose numbers disagree with the state removes what it names as far as the
 * batch holds it (held mass stays the sum of the composition). `stepBatch` says why; `checkStream`
 * reports it.
 */
export const evolveBatch = evolveBy(stepBatch);

/** What an event takes out of a batch: the composition removed, its mass, and what the batch keeps. */
interface Removal {
  readonly composition: Composition;
  readonly massGrams: number;
  readonly remainingGrams: number;
}

/** Removes the removal's composition from the batch, as far as it holds it; the event's masses are checked. */
function withRemoved(batch: ExistingBatch, removal: Removal): Folded<ExistingBatch> {
  const { composition: removed, massGrams, remainingGrams } = removal;
  const problems: string[] = [];
  const removedGrams = compositionTotal(removed);
  if (removedGrams !== massGrams) problems.push(`composition of ${removedGrams} g for ${massGrams} g`);
  const { rest: composition, unmatchedGrams } = removeAsRecorded(batch.composition, removed);
  if (unmatchedGrams > 0) problems.push(`${unmatchedGrams} g removed that the batch does not hold`);
  const heldGrams = compositionTotal(composition);
  if (heldGrams !== remainingGrams)
    problems.push(`remaining ${remainingGrams} g but ${heldGrams} g computed`);
  const next: ExistingBatch = {
    ...batch,
    composition,
    heldGrams,
    status: heldGrams === 0 && batch.status === 'held' ? 'depleted' : batch.status,
  };
  return misfit(next, ...problems);
}

function settle(batch: ExistingBatch, manifestNo: string): ExistingBatch {
  const { manifest: _manifest, ...rest } = batch;
  return { ...rest, settledManifests: [...batch.settledManifests, manifestNo] };
}

/** Pending correction requests lapse when the batch changes hands (ADR 0018). */
function lapsePending(batch: ExistingBatch): ExistingBatch {
  if (!batch.corrections?.some((c) => c.status === 'pending')) return batch;
  return {
    ...batch,
    corrections: batch.corrections.map((c) => (c.status === 'pending' ? { ...c, status: 'lapsed' } : c)),
  };
}

/** The request `requestId` decided (`approved` / `rejected`); a misfit when it is not pending. */
function decided(
  batch: ExistingBatch,
  requestId: string,
  status: 'approved' | 'rejected',
): Folded<ExistingBatch> {
  const request = batch.corrections?.find((c) => c.requestId === requestId);
  if (request?.status !== 'pending') return misfit(batch, `no pending correction request ${requestId}`);
  return fits({
    ...batch,
    corrections: (batch.corrections ?? []).map((c) => (c.requestId === requestId ? { ...c, status } : c)),
  });
}

function kindOf(d: BatchKind): BatchKind {
  return pick(d, 'category', 'subtype', 'wasteCode', 'catalogueEdition');
}

const NOT_IN_TRANSIT = 'batch not in transit on that manifest';

function inTransitOn(b: ExistingBatch, manifestNo: string): boolean {
  return b.manifest?.manifestNo === manifestNo && b.status === 'in_transit';
}

/** One event folded into the batch's state, and why it does not fit (see evolveBatch). */
export function stepBatch(state: BatchState, event: BatchEvent): Folded<BatchState> {
  if (isCreation(event)) return creation(state, 'batch already exists', () => created(event));
  if (state.status === 'none') return misfit(state, 'no such batch');
  const b = state;
  switch (event.type) {
    case 'BatchSplit': {
      const d = event.data;
      const removed = d.children.flatMap((c) => c.composition);
      const next = withRemoved(b, {
        composition: removed,
        massGrams: compositionTotal(removed),
        remainingGrams: d.remainingGrams,
      });
      const problems = d.children.some((c) => compositionTotal(c.composition) !== c.massGrams)
        ? ['a child composition does not sum to its mass', ...next.problems]
        : next.problems;
      const nextChildIndex = Math.max(b.nextChildIndex, ...d.children.map((c) => c.childIndex + 1));
      return misfit({ ...next.state, nextChildIndex }, ...problems);
    }
    case 'BatchConsolidatedInto':
    case 'WasteUtilised':
    case 'WasteDisposed':
      return withRemoved(b, event.data);
    case 'MassCorrected': {
      const d = event.data;
      if (d.deltaGrams < 0)
        return withRemoved(b, {
          composition: d.composition,
          massGrams: -d.deltaGrams,
          remainingGrams: d.massGramsAfter,
        });
      const composition = addAsRecorded(b.composition, d.composition);
      const heldGrams = compositionTotal(composition);
      const next: ExistingBatch = {
        ...b,
        composition,
        heldGrams,
        status: b.status === 'depleted' && heldGrams > 0 ? 'held' : b.status,
      };
      return compositionTotal(d.composition) !== d.deltaGrams || heldGrams !== d.massGramsAfter
        ? misfit(next, 'mass after correction does not balance')
        : fits(next);
    }
    case 'MassCorrectionRequested': {
      const d = event.data;
      const request: CorrectionRequestState = {
        ...pick(d, 'requestId', 'requestedBy', 'deltaGrams', 'reason', 'occurredAt', 'late'),
        status: 'pending',
      };
      const next: ExistingBatch = { ...b, corrections: [...(b.corrections ?? []), request] };
      return b.corrections?.some((c) => c.requestId === d.requestId)
        ? misfit(next, `correction request ${d.requestId} made twice`)
        : fits(next);
    }
    case 'MassCorrectionApproved':
      return decided(b, event.data.requestId, 'approved');
    case 'MassCorrectionRejected':
      return decided(b, event.data.requestId, 'rejected');
    case 'BatchConsigned': {
      if (b.status !== 'held') return misfit(state, `batch is ${b.status}`);
      const d = event.data;
      return fits({
        ...b,
        status: 'consigned',
        manifest: {
          ...pick(d, 'manifestNo', 'shipperUscc', 'carrierUscc', 'receiverUscc'),
          stage: 'consigned',
        },
      });
    }
    case 'BatchConsignmentReleased': {
      if (b.manifest?.manifestNo !== event.data.manifestNo || b.manifest.stage !== 'consigned')
        return misfit(state, 'batch not consigned on that manifest');
      const { manifest: _manifest, ...rest } = b;
      return fits({ ...rest, status: 'held' });
    }
    case 'BatchShipped': {
      if (b.manifest?.manifestNo !== event.data.manifestNo || b.manifest.stage !== 'consigned')
        return misfit(state, 'batch not consigned on that manifest');
      return fits({ ...b, status: 'in_transit', manifest: { ...b.manifest, stage: 'in_transit' } });
    }
    case 'BatchHandedOver': {
      const d = event.data;
      if (!inTransitOn(b, d.manifestNo) || b.manifest === undefined) return misfit(state, NOT_IN_TRANSIT);
      const next: ExistingBatch = {
        ...b,
        manifest: { ...b.manifest, carrierUscc: d.carrierUscc, leg: d.leg },
      };
      const problems = [
        ...((b.manifest.leg ?? 1) + 1 === d.leg ? [] : [`leg ${d.leg} after leg ${b.manifest.leg ?? 1}`]),
        ...(b.heldGrams === d.massGrams
          ? []
          : [`${d.massGrams} g handed over but ${b.heldGrams} g in transit`]),
      ];
      return misfit(next, ...problems);
    }
    case 'BatchLostInTransit': {
      const d = event.data;
      if (!inTransitOn(b, d.manifestNo)) return misfit(state, NOT_IN_TRANSIT);
      const next = withRemoved(b, { ...pick(d, 'composition', 'remainingGrams'), massGrams: d.lostGrams });
      // a total loss settles the manifest for this batch: nothing arrives, custody stays with the shipper
      return next.state.heldGrams === 0
        ? misfit({ ...settle(next.state, d.manifestNo), status: 'depleted' }, ...next.problems)
        : next;
    }
    case 'BatchRejectionSplitOff': {
      const d = event.data;
      if (!inTransitOn(b, d.manifestNo)) return misfit(state, NOT_IN_TRANSIT);
      const next = withRemoved(b, d);
      return misfit(
        { ...next.state, nextChildIndex: Math.max(b.nextChildIndex, d.childIndex + 1) },
        ...next.problems,
      );
    }
    case 'BatchReceived': {
      const d = event.data;
      if (!inTransitOn(b, d.manifestNo)) return misfit(state, NOT_IN_TRANSIT);
      const next: ExistingBatch = {
        ...lapsePending(settle(b, d.manifestNo)),
        status: 'held',
        custodianUscc: d.receiverUscc,
        custodySince: d.occurredAt,
        storageSince: d.occurredAt,
        lastTransfer: {
          manifestNo: d.manifestNo,
          shipperUscc: d.previousCustodianUscc,
          receiverUscc: d.receiverUscc,
        },
      };
      return b.heldGrams === d.massGrams
        ? fits(next)
        : misfit(next, `received ${d.massGrams} g but ${b.heldGrams} g in transit`);
    }
    case 'BatchReturnedToShipper': {
      const d = event.data;
      if (!inTransitOn(b, d.manifestNo)) return misfit(state, NOT_IN_TRANSIT);
      const receiverUscc = b.manifest?.receiverUscc;
      return fits({
        ...lapsePending(settle(b, d.manifestNo)),
        status: 'held',
        custodianUscc: d.shipperUscc,
        custodySince: d.occurredAt,
        ...(receiverUscc === undefined
          ? {}
          : { lastTransfer: { manifestNo: d.manifestNo, shipperUscc: d.shipperUscc, receiverUscc } }),
      });
    }
    default:
      return assertNever(event, 'batch event');
  }
}

function created(event: Extract<BatchEvent, CreationEvent>): ExistingBatch {
  const d = event.data;
  const common = {
    status: 'held',
    traceCode: d.traceCode,
    ...kindOf(d),
    createdAt: d.occurredAt,
    heldGrams: d.massGrams,
    composition: d.composition,
    custodySince: d.occurredAt,
    settledManifests: [],
    nextChildIndex: 0,
  } as const;
  switch (event.type) {
    case 'WasteGenerated':
      return compact({ ...common, creation: 'generated', custodianUscc: event.data.generatorUscc });
    case 'BatchSplitOff':
    case 'BatchReturnedFromRejection':
      return compact({
        ...common,
        creation: event.type === 'BatchSplitOff' ? 'split' : 'returned',
        parentTraceCode: event.data.parentTraceCode,
        custodianUscc: event.data.custodianUscc,
        storageSince: event.data.storageSince,
      });
    case 'BatchesConsolidated':
      return compact({
        ...common,
        creation: 'consolidated',
        custodianUscc: event.data.custodianUscc,
        storageSince: event.data.storageSince,
      });
    default:
      return assertNever(event, 'batch creation');
  }
}
