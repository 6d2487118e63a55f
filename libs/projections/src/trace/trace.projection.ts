// Longer than our ~400 lines on purpose: the two switches that fold every batch event into trace rows (the
// creations, and the changes to a batch), a short case per event type answering its step's facts; splitting
// them would hide which events the trace follows.
import {
  BATCH_EVENT_TYPES,
  assertNever,
  isCreation,
  parseTraceCode,
  upcast,
  type BatchEvent,
  type CreationEvent,
  type ManifestReceived,
} from '@wasteflow/domain';
import type { JsonObject, JsonValue, RecordedEvent } from '@wasteflow/event-store';
import { defineProjection } from '../runner/projection';
import type { RowAccess } from '../runner/row-access';
import {
  TraceTables1764600000000,
  traceBatches,
  traceDiscrepancies,
  traceSteps,
  type TraceBatchRow,
  type TraceStepRow,
} from './trace.tables';

export const TRACE_PROJECTION = 'trace';

/** A manifest a batch is (or was last) on, as the trace rows keep it. */
export interface ManifestLinkJson {
  readonly manifestNo: string;
  readonly stage: 'consigned' | 'in_transit' | 'settled';
  readonly shipperUscc: string;
  readonly carrierUscc: string;
  readonly receiverUscc: string;
  readonly vehiclePlate?: string;
}

/**
 * Sorted union, no duplicates. `parties` is sorted and unique already (every stored list comes from here):
 * when nothing is new it is returned as it is, so a rewritten row keeps the same array and the backend
 * writes the JSON text it already has instead of serialising a copy.
 */
function withParties(parties: JsonValue, ...added: (string | undefined)[]): string[] {
  const list = parties as string[];
  if (added.every((party) => !party || list.includes(party))) return list;
  const set = new Set(list);
  for (const party of added) if (party) set.add(party);
  return [...set].sort();
}

/** `list` with `codes` appended (no duplicates); `list` itself when they are all in it already. */
function appended(list: JsonValue, ...codes: string[]): string[] {
  const current = list as string[];
  if (codes.every((code) => current.includes(code))) return current;
  const out = [...current];
  for (const code of codes) if (!out.includes(code)) out.push(code);
  return out;
}

/** The domain's rule: a held batch with nothing left is depleted. */
function statusAfterRemoval(status: string, heldGrams: bigint): string {
  return heldGrams === 0n && status === 'held' ? 'depleted' : status;
}

function recordedAtOf(event: RecordedEvent): string {
  const recorded = event.metadata.recordedAt;
  return typeof recorded === 'string' ? recorded : event.recordedAt.toISOString();
}

/** A batch on a manifest: the link is both its open and its last manifest, with the parties now on its chain. */
function onManifest(
  link: ManifestLinkJson,
  parties: string[],
): Pick<TraceBatchRow, 'openManifest' | 'lastManifest' | 'parties'> {
  const json = link as unknown as JsonObject;
  return { openManifest: json, lastManifest: json, parties };
}

function linkOf(row: TraceBatchRow | undefined, manifestNo: string): ManifestLinkJson | undefined {
  for (const candidate of [row?.openManifest, row?.lastManifest]) {
    const link = candidate as unknown as ManifestLinkJson | null | undefined;
    if (link && link.manifestNo === manifestNo) return link;
  }
  return undefined;
}

type StepFacts = Partial<
  Omit<TraceStepRow, 'traceCode' | 'revision' | 'position' | 'type' | 'occurredAt' | 'recordedAt' | 'late'>
>;

/**
 * One step of a batch: the event's manifest and mass (its data's `manifestNo` and `massGrams`) unless the
 * facts name others, with whatever else the facts say.
 */
function step(
  rows: RowAccess,
  event: RecordedEvent,
  data: { traceCode: string; occurredAt: string; late: boolean; manifestNo?: string; massGrams?: number },
  facts: StepFacts,
): void {
  const massGrams = facts.massGrams ?? (data.massGrams === undefined ? undefined : BigInt(data.massGrams));
  if (massGrams === undefined) throw new Error(`${event.type}: a trace step needs the mass it moved`);
  rows.put(traceSteps, {
    traceCode: data.traceCode,
    revision: event.revision,
    position: event.position,
    type: event.type,
    occurredAt: data.occurredAt,
    recordedAt: recordedAtOf(event),
    actorUscc: facts.actorUscc ?? null,
    massGrams,
    manifestNo: facts.manifestNo !== undefined ? facts.manifestNo : (data.manifestNo ?? null),
    vehiclePlate: facts.vehiclePlate ?? null,
    operation: facts.operation ?? null,
    mode: facts.mode ?? null,
    counterpartyUscc: facts.counterpartyUscc ?? null,
    reason: facts.reason ?? null,
    late: data.late === true,
    detail: facts.detail ?? null,
  });
}

type BatchCreation = Extract<BatchEvent, CreationEvent>;
type BatchChange = Exclude<BatchEvent, CreationEvent>;

/** A new batch's row: its kind, composition and mass are its creation event's, the rest the fields'. */
function newBatch(
  recorded: RecordedEvent,
  d: BatchCreation['data'],
  fields: Pick<
    TraceBatchRow,
    'creation' | 'originUscc' | 'originDistrict' | 'originAt' | 'custodianUscc' | 'parents' | 'parties'
  >,
): TraceBatchRow {
  return {
    traceCode: d.traceCode,
    category: d.category,
    subtype: d.subtype ?? null,
    wasteCode: d.wasteCode ?? null,
    creation: fields.creation,
    originUscc: fields.originUscc,
    originDistrict: fields.originDistrict,
    originAt: fields.originAt,
    composition: d.composition as unknown as JsonValue,
    generatedGrams: BigInt(d.massGrams),
    heldGrams: BigInt(d.massGrams),
    custodianUscc: fields.custodianUscc,
    status: 'held',
    parents: fields.parents,
    children: [],
    parties: fields.parties,
    openManifest: null,
    lastManifest: null,
    createdPosition: recorded.position,
    lastPosition: recorded.position,
  };
}

/**
 * Every batch event is one step of its batch (`step`); a creation also puts the new batch's row, any other
 * event changes the row it finds.
 */
async function evolveBatchEvent(rows: RowAccess, recorded: RecordedEvent, event: BatchEvent): Promise<void> {
  if (isCreation(event)) {
    step(rows, recorded, event.data, await createBatch(rows, recorded, event));
    return;
  }
  const row = await rows.get(traceBatches, { traceCode: event.data.traceCode });
  // An event for a batch we never saw created cannot be placed: the store guarantees creation first.
  if (row) step(rows, recorded, event.data, changeBatch(rows, recorded, row, event));
}

/** Puts the row of the batch the event creates; answers what its step says. */
async function createBatch(
  rows: RowAccess,
  recorded: RecordedEvent,
  event: BatchCreation,
): Promise<StepFacts> {
  switch (event.type) {
    case 'WasteGenerated': {
      const d = event.data;
      rows.put(
        traceBatches,
        newBatch(recorded, d, {
          creation: 'generated',
          originUscc: d.generatorUscc,
          originDistrict: d.districtCode,
          originAt: d.occurredAt,
          custodianUscc: d.generatorUscc,
          parents: [],
          parties: [d.generatorUscc],
        }),
      );
      return { actorUscc: d.generatorUscc };
    }
    case 'BatchSplitOff':
    case 'BatchReturnedFromRejection': {
      const d = event.data;
      const parent = await rows.get(traceBatches, { traceCode: d.parentTraceCode });
      const rejection = event.type === 'BatchReturnedFromRejection' ? event.data : undefined;
      const link = rejection ? linkOf(parent, rejection.manifestNo) : undefined;
      rows.put(
        traceBatches,
        newBatch(recorded, d, {
          creation: rejection ? 'returned' : 'split',
          originUscc: parent?.originUscc ?? d.custodianUscc,
          originDistrict: parent?.originDistrict ?? parseTraceCode(d.traceCode).districtCode,
          originAt: parent?.originAt ?? d.occurredAt,
          custodianUscc: d.custodianUscc,
          parents: [d.parentTraceCode],
          parties: withParties(
            parent?.parties ?? [],
            d.custodianUscc,
            link?.shipperUscc,
            link?.carrierUscc,
            link?.receiverUscc,
          ),
        }),
      );
      return {
        // a rejection child is made by the receiver that rejected, and returns to the shipper
        actorUscc: link?.receiverUscc ?? d.custodianUscc,
        counterpartyUscc: rejection ? d.custodianUscc : null,
        manifestNo: rejection?.manifestNo ?? null,
        reason: rejection?.reason ?? null,
        detail: { relatedTraceCodes: [d.parentTraceCode] },
      };
    }
    case 'BatchesConsolidated': {
      const d = event.data;
      let parties: string[] = [d.custodianUscc];
      for (const input of d.inputs) {
        const inputRow = await rows.get(traceBatches, { traceCode: input.traceCode });
        if (inputRow) parties = withParties(parties, ...(inputRow.parties as string[]));
      }
      const codes = d.inputs.map((input) => input.traceCode);
      rows.put(
        traceBatches,
        newBatch(recorded, d, {
          creation: 'consolidated',
          originUscc: d.custodianUscc,
          originDistrict: parseTraceCode(d.traceCode).districtCode,
          originAt: d.occurredAt,
          custodianUscc: d.custodianUscc,
          parents: codes,
          parties: withParties(parties),
        }),
      );
      return { actorUscc: d.custodianUscc, detail: { relatedTraceCodes: codes } };
    }
    default:
      return assertNever(event, 'batch creation event');
  }
}

/** Puts the batch's row with the event's changes. */
function update(
  rows: RowAccess,
  recorded: RecordedEvent,
  row: TraceBatchRow,
  changes: Partial<TraceBatchRow>,
): void {
  rows.put(traceBatches, { ...row, ...changes, lastPosition: recorded.position });
}

/** Puts the batch's row after mass left it: `remainingGrams` held, and the status that leaves (`statusAfterRemoval`). */
function updateAfterRemoval(
  rows: RowAccess,
  recorded: RecordedEvent,
  row: TraceBatchRow,
  remainingGrams: number,
  changes: Partial<TraceBatchRow>,
): void {
  const heldGrams = BigInt(remainingGrams);
  rows.put(traceBatches, {
    ...row,
    ...changes,
    heldGrams,
    status: statusAfterRemoval(row.status, heldGrams),
    lastPosition: recorded.position,
  });
}

/**
 * Puts the batch on its manifest at a stage (consigned, then in transit): the link (the manifest's parties and,
 * once shipped, its vehicle) is its open and last manifest, its status the stage, and the manifest's parties
 * join its chain (a receiver not known yet is '', which joins nothing).
 */
function putOnManifest(
  rows: RowAccess,
  recorded: RecordedEvent,
  row: TraceBatchRow,
  stage: 'consigned' | 'in_transit',
  d: { manifestNo: string; shipperUscc: string; carrierUscc: string; vehiclePlate?: string },
  receiverUscc: string,
): void {
  const link: ManifestLinkJson = {
    manifestNo: d.manifestNo,
    stage,
    shipperUscc: d.shipperUscc,
    carrierUscc: d.carrierUscc,
    receiverUscc,
    // absent until shipped (a consignment's event has no vehicle; JSON leaves an undefined value out)
    vehiclePlate: d.vehiclePlate,
  };
  update(rows, recorded, row, {
    status: stage,
    ...onManifest(link, withParties(row.parties, d.shipperUscc, d.carrierUscc, receiverUscc)),
  });
}

/** Puts the changes an event makes to its batch's row; answers what its step says. */
function changeBatch(
  rows: RowAccess,
  recorded: RecordedEvent,
  row: TraceBatchRow,
  event: BatchChange,
): StepFacts {
  switch (event.type) {
    case 'BatchSplit': {
      const d = event.data;
      const codes = d.children.map((c) => c.traceCode);
      updateAfterRemoval(rows, recorded, row, d.remainingGrams, {
        children: appended(row.children, ...codes),
      });
      return {
        actorUscc: d.actorUscc,
        massGrams: d.children.reduce((sum, c) => sum + BigInt(c.massGrams), 0n),
        detail: { relatedTraceCodes: codes },
      };
    }
    case 'BatchConsolidatedInto': {
      const d = event.data;
      updateAfterRemoval(rows, recorded, row, d.remainingGrams, {
        children: appended(row.children, d.intoTraceCode),
      });
      return { actorUscc: d.actorUscc, detail: { relatedTraceCodes: [d.intoTraceCode] } };
    }
    case 'BatchConsigned': {
      const d = event.data;
      putOnManifest(rows, recorded, row, 'consigned', d, d.receiverUscc);
      return {
        actorUscc: d.shipperUscc,
        counterpartyUscc: d.receiverUscc,
        detail: { carrierUscc: d.carrierUscc },
      };
    }
    case 'BatchConsignmentReleased':
      update(rows, recorded, row, { status: 'held', openManifest: null });
      return { actorUscc: row.custodianUscc, reason: event.data.reason, massGrams: row.heldGrams };
    case 'BatchShipped': {
      const d = event.data;
      putOnManifest(rows, recorded, row, 'in_transit', d, linkOf(row, d.manifestNo)?.receiverUscc ?? '');
      return { actorUscc: d.carrierUscc, counterpartyUscc: d.shipperUscc, vehiclePlate: d.vehiclePlate };
    }
    case 'BatchHandedOver': {
      // 多式联运: the next carrier and its vehicle carry on; the link names the carrier holding it now
      const d = event.data;
      const before = linkOf(row, d.manifestNo);
      const parties = withParties(row.parties, d.fromCarrierUscc, d.carrierUscc);
      update(
        rows,
        recorded,
        row,
        before
          ? onManifest({ ...before, carrierUscc: d.carrierUscc, vehiclePlate: d.vehiclePlate }, parties)
          : { parties },
      );
      return {
        actorUscc: d.fromCarrierUscc,
        counterpartyUscc: d.carrierUscc,
        vehiclePlate: d.vehiclePlate,
        detail: { carrierUscc: d.carrierUscc, place: d.place, leg: d.leg },
      };
    }
    case 'BatchLostInTransit': {
      const d = event.data;
      const link = linkOf(row, d.manifestNo);
      const held = BigInt(d.remainingGrams);
      // a total loss settles the manifest for this batch
      update(
        rows,
        recorded,
        row,
        held === 0n
          ? { heldGrams: held, status: 'depleted', openManifest: null, lastManifest: settled(link) }
          : { heldGrams: held },
      );
      return {
        actorUscc: link?.receiverUscc || null,
        counterpartyUscc: link?.carrierUscc ?? null,
        vehiclePlate: link?.vehiclePlate ?? null,
        massGrams: BigInt(d.lostGrams),
      };
    }
    case 'BatchRejectionSplitOff': {
      const d = event.data;
      const link = linkOf(row, d.manifestNo);
      update(rows, recorded, row, {
        heldGrams: BigInt(d.remainingGrams),
        children: appended(row.children, d.childTraceCode),
      });
      return {
        actorUscc: link?.receiverUscc || null,
        counterpartyUscc: link?.shipperUscc ?? null,
        reason: d.reason,
        detail: { relatedTraceCodes: [d.childTraceCode] },
      };
    }
    case 'BatchReceived': {
      const d = event.data;
      update(rows, recorded, row, {
        status: 'held',
        custodianUscc: d.receiverUscc,
        openManifest: null,
        lastManifest: settled(linkOf(row, d.manifestNo)),
        parties: withParties(row.parties, d.receiverUscc, d.previousCustodianUscc),
      });
      return { actorUscc: d.receiverUscc, counterpartyUscc: d.previousCustodianUscc };
    }
    case 'BatchReturnedToShipper': {
      const d = event.data;
      const link = linkOf(row, d.manifestNo);
      update(rows, recorded, row, {
        status: 'held',
        custodianUscc: d.shipperUscc,
        openManifest: null,
        lastManifest: settled(link),
        parties: withParties(row.parties, d.shipperUscc),
      });
      return { actorUscc: link?.receiverUscc || null, counterpartyUscc: d.shipperUscc, reason: d.reason };
    }
    case 'WasteUtilised':
    case 'WasteDisposed': {
      const d = event.data;
      updateAfterRemoval(rows, recorded, row, d.remainingGrams, {
        parties: withParties(row.parties, d.custodianUscc),
      });
      return {
        actorUscc: d.custodianUscc,
        operation: d.operation,
        mode: d.mode,
        // the permit it was done under and (v3, issue 14) the registered facility that treated it
        detail:
          d.permitNo !== undefined || d.facilityCode !== undefined
            ? {
                ...(d.permitNo !== undefined ? { permitNo: d.permitNo } : {}),
                ...(d.facilityCode !== undefined ? { facilityCode: d.facilityCode } : {}),
              }
            : null,
      };
    }
    case 'MassCorrected': {
      const d = event.data;
      const held = BigInt(d.massGramsAfter);
      const status =
        d.deltaGrams < 0
          ? statusAfterRemoval(row.status, held)
          : row.status === 'depleted' && held > 0n
            ? 'held'
            : row.status;
      update(rows, recorded, row, { heldGrams: held, status });
      return {
        actorUscc: d.actorUscc,
        reason: d.reason,
        massGrams: BigInt(d.deltaGrams),
        // v2: the request it applies and who approved it; v1 (upcast): the requester's own free text
        detail:
          d.requestId !== undefined
            ? ({ requestId: d.requestId, approvedBy: d.approvedBy ?? null } as unknown as JsonObject)
            : { legacyApprovals: (d.legacyApprovals ?? []) as unknown as JsonValue },
      };
    }
    // two-party corrections (ADR 0018): steps that move no mass; GET …/correction-requests reads them
    case 'MassCorrectionRequested': {
      const d = event.data;
      update(rows, recorded, row, {});
      return {
        actorUscc: d.requestedBy,
        reason: d.reason,
        massGrams: BigInt(d.deltaGrams),
        detail: { requestId: d.requestId },
      };
    }
    case 'MassCorrectionApproved':
    case 'MassCorrectionRejected': {
      const d = event.data;
      const by = event.type === 'MassCorrectionApproved' ? event.data.approvedBy : event.data.rejectedBy;
      update(rows, recorded, row, {});
      return {
        actorUscc: by.uscc ?? null,
        reason: event.type === 'MassCorrectionRejected' ? event.data.reason : event.data.note,
        massGrams: 0n,
        detail: { requestId: d.requestId, decidedBy: by as unknown as JsonObject },
      };
    }
    default:
      return assertNever(event, 'batch event');
  }
}

function settled(link: ManifestLinkJson | undefined): JsonObject | null {
  return link ? ({ ...link, stage: 'settled' } as unknown as JsonObject) : null;
}

function evolveReceipt(rows: RowAccess, recorded: RecordedEvent, event: ManifestReceived): void {
  for (const line of event.data.lines) {
    if (line.receivedGrams === line.shippedGrams) continue;
    rows.put(traceDiscrepancies, {
      traceCode: line.traceCode,
      manifestNo: event.data.manifestNo,
      shippedGrams: BigInt(line.shippedGrams),
      receivedGrams: BigInt(line.receivedGrams),
      lostGrams: BigInt(line.lostGrams),
      toleranceExceeded: line.discrepancy,
      position: recorded.position,
    });
  }
}

/**
 * The trace view (浙固码): per batch its kind, origin, held mass, custodian, status, lineage (parents and
 * children), the set of parties on its chain, every step of its stream, and the receipt lines that did not
 * match what was shipped. Driven by the batch streams (custody events included) and ManifestReceived (for
 * the discrepancy flags, which only the manifest carries).
 */
export const traceProjection = defineProjection({
  name: TRACE_PROJECTION,
  // 2 (issue 14): a treatment step names its facility (WasteUtilised / WasteDisposed v3 facilityCode):
  // rebuilt in shadow tables, so treatments recorded since v3 show theirs too
  // 3 (issue 10 row 4, ADR 0018): correction requests and decisions are steps; a MassCorrected step names its
  // request and approver (v2) or keeps v1's free-text approvals as `legacyApprovals`: rebuilt so old ones show it
  version: 3,
  eventTypes: [...BATCH_EVENT_TYPES, 'ManifestReceived'],
  tables: [traceBatches, traceSteps, traceDiscrepancies],
  migrations: [TraceTables1764600000000],
  prefetch(event, keys) {
    const data = event.data;
    switch (event.type) {
      case 'ManifestReceived':
        return;
      case 'WasteGenerated':
        return;
      case 'BatchSplitOff':
      case 'BatchReturnedFromRejection':
        keys.want(traceBatches, { traceCode: data.parentTraceCode as string });
        return;
      case 'BatchesConsolidated':
        for (const input of data.inputs as { traceCode: string }[])
          keys.want(traceBatches, { traceCode: input.traceCode });
        return;
      default:
        keys.want(traceBatches, { traceCode: data.traceCode as string });
    }
  },
  async evolve(rows, recorded) {
    const event = upcast(recorded.type, recorded.schemaVersion, recorded.data);
    if (event.type === 'ManifestReceived') evolveReceipt(rows, recorded, event);
    else await evolveBatchEvent(rows, recorded, event as BatchEvent);
  },
});
