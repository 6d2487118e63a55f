// Longer than our ~400 lines on purpose: the one switch that folds every batch and manifest event into trace
// rows, a short case per event type; splitting it would hide which events the trace follows.
import {
  BATCH_CREATION_EVENT_TYPES,
  BATCH_EVENT_TYPES,
  parseTraceCode,
  upcast,
  type BatchEvent,
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

const CREATIONS = new Set<string>(BATCH_CREATION_EVENT_TYPES);

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

function newBatch(
  event: RecordedEvent,
  fields: Pick<
    TraceBatchRow,
    | 'traceCode'
    | 'category'
    | 'creation'
    | 'originUscc'
    | 'originDistrict'
    | 'originAt'
    | 'composition'
    | 'custodianUscc'
    | 'parents'
    | 'parties'
  > & { subtype?: string; wasteCode?: string; massGrams: number },
): TraceBatchRow {
  return {
    traceCode: fields.traceCode,
    category: fields.category,
    subtype: fields.subtype ?? null,
    wasteCode: fields.wasteCode ?? null,
    creation: fields.creation,
    originUscc: fields.originUscc,
    originDistrict: fields.originDistrict,
    originAt: fields.originAt,
    composition: fields.composition,
    generatedGrams: BigInt(fields.massGrams),
    heldGrams: BigInt(fields.massGrams),
    custodianUscc: fields.custodianUscc,
    status: 'held',
    parents: fields.parents,
    children: [],
    parties: fields.parties,
    openManifest: null,
    lastManifest: null,
    createdPosition: event.position,
    lastPosition: event.position,
  };
}

async function evolveBatchEvent(rows: RowAccess, recorded: RecordedEvent, event: BatchEvent): Promise<void> {
  const traceCode = event.data.traceCode;
  const current = CREATIONS.has(event.type) ? undefined : await rows.get(traceBatches, { traceCode });
  // An event for a batch we never saw created cannot be placed: the store guarantees creation first.
  if (!CREATIONS.has(event.type) && current === undefined) return;
  const row = current as TraceBatchRow;
  const update = (changes: Partial<TraceBatchRow>) =>
    rows.put(traceBatches, { ...row, ...changes, lastPosition: recorded.position });

  switch (event.type) {
    case 'WasteGenerated': {
      const d = event.data;
      rows.put(
        traceBatches,
        newBatch(recorded, {
          traceCode,
          category: d.category,
          subtype: d.subtype,
          wasteCode: d.wasteCode,
          creation: 'generated',
          originUscc: d.generatorUscc,
          originDistrict: d.districtCode,
          originAt: d.occurredAt,
          composition: d.composition as unknown as JsonValue,
          custodianUscc: d.generatorUscc,
          parents: [],
          parties: [d.generatorUscc],
          massGrams: d.massGrams,
        }),
      );
      step(rows, recorded, d, { actorUscc: d.generatorUscc, massGrams: BigInt(d.massGrams) });
      return;
    }
    case 'BatchSplitOff':
    case 'BatchReturnedFromRejection': {
      const d = event.data;
      const parent = await rows.get(traceBatches, { traceCode: d.parentTraceCode });
      const rejection = event.type === 'BatchReturnedFromRejection' ? event.data : undefined;
      const link = rejection ? linkOf(parent, rejection.manifestNo) : undefined;
      rows.put(
        traceBatches,
        newBatch(recorded, {
          traceCode,
          category: d.category,
          subtype: d.subtype,
          wasteCode: d.wasteCode,
          creation: rejection ? 'returned' : 'split',
          originUscc: parent?.originUscc ?? d.custodianUscc,
          originDistrict: parent?.originDistrict ?? parseTraceCode(traceCode).districtCode,
          originAt: parent?.originAt ?? d.occurredAt,
          composition: d.composition as unknown as JsonValue,
          custodianUscc: d.custodianUscc,
          parents: [d.parentTraceCode],
          parties: withParties(
            parent?.parties ?? [],
            d.custodianUscc,
            link?.shipperUscc,
            link?.carrierUscc,
            link?.receiverUscc,
          ),
          massGrams: d.massGrams,
        }),
      );
      step(rows, recorded, d, {
        // a rejection child is made by the receiver that rejected, and returns to the shipper
        actorUscc: link?.receiverUscc ?? d.custodianUscc,
        counterpartyUscc: rejection ? d.custodianUscc : null,
        manifestNo: rejection?.manifestNo ?? null,
        reason: rejection?.reason ?? null,
        detail: { relatedTraceCodes: [d.parentTraceCode] },
      });
      return;
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
        newBatch(recorded, {
          traceCode,
          category: d.category,
          subtype: d.subtype,
          wasteCode: d.wasteCode,
          creation: 'consolidated',
          originUscc: d.custodianUscc,
          originDistrict: parseTraceCode(traceCode).districtCode,
          originAt: d.occurredAt,
          composition: d.composition as unknown as JsonValue,
          custodianUscc: d.custodianUscc,
          parents: codes,
          parties: withParties(parties),
          massGrams: d.massGrams,
        }),
      );
      step(rows, recorded, d, {
        actorUscc: d.custodianUscc,
        detail: { relatedTraceCodes: codes },
      });
      return;
    }
    case 'BatchSplit': {
      const d = event.data;
      const held = BigInt(d.remainingGrams);
      const codes = d.children.map((c) => c.traceCode);
      update({
        heldGrams: held,
        status: statusAfterRemoval(row.status, held),
        children: appended(row.children, ...codes),
      });
      step(rows, recorded, d, {
        actorUscc: d.actorUscc,
        massGrams: d.children.reduce((sum, c) => sum + BigInt(c.massGrams), 0n),
        detail: { relatedTraceCodes: codes },
      });
      return;
    }
    case 'BatchConsolidatedInto': {
      const d = event.data;
      const held = BigInt(d.remainingGrams);
      update({
        heldGrams: held,
        status: statusAfterRemoval(row.status, held),
        children: appended(row.children, d.intoTraceCode),
      });
      step(rows, recorded, d, {
        actorUscc: d.actorUscc,
        detail: { relatedTraceCodes: [d.intoTraceCode] },
      });
      return;
    }
    case 'BatchConsigned': {
      const d = event.data;
      const link: ManifestLinkJson = {
        manifestNo: d.manifestNo,
        stage: 'consigned',
        shipperUscc: d.shipperUscc,
        carrierUscc: d.carrierUscc,
        receiverUscc: d.receiverUscc,
      };
      update({
        status: 'consigned',
        ...onManifest(link, withParties(row.parties, d.shipperUscc, d.carrierUscc, d.receiverUscc)),
      });
      step(rows, recorded, d, {
        actorUscc: d.shipperUscc,
        counterpartyUscc: d.receiverUscc,
        detail: { carrierUscc: d.carrierUscc },
      });
      return;
    }
    case 'BatchConsignmentReleased': {
      const d = event.data;
      update({ status: 'held', openManifest: null });
      step(rows, recorded, d, {
        actorUscc: row.custodianUscc,
        reason: d.reason,
        massGrams: row.heldGrams,
      });
      return;
    }
    case 'BatchShipped': {
      const d = event.data;
      const before = linkOf(row, d.manifestNo);
      const link: ManifestLinkJson = {
        manifestNo: d.manifestNo,
        stage: 'in_transit',
        shipperUscc: d.shipperUscc,
        carrierUscc: d.carrierUscc,
        receiverUscc: before?.receiverUscc ?? '',
        vehiclePlate: d.vehiclePlate,
      };
      update({
        status: 'in_transit',
        ...onManifest(link, withParties(row.parties, d.shipperUscc, d.carrierUscc)),
      });
      step(rows, recorded, d, {
        actorUscc: d.carrierUscc,
        counterpartyUscc: d.shipperUscc,
        vehiclePlate: d.vehiclePlate,
      });
      return;
    }
    case 'BatchHandedOver': {
      // 多式联运: the next carrier and its vehicle carry on; the link names the carrier holding it now
      const d = event.data;
      const before = linkOf(row, d.manifestNo);
      const parties = withParties(row.parties, d.fromCarrierUscc, d.carrierUscc);
      update(
        before
          ? onManifest({ ...before, carrierUscc: d.carrierUscc, vehiclePlate: d.vehiclePlate }, parties)
          : { parties },
      );
      step(rows, recorded, d, {
        actorUscc: d.fromCarrierUscc,
        counterpartyUscc: d.carrierUscc,
        vehiclePlate: d.vehiclePlate,
        detail: { carrierUscc: d.carrierUscc, place: d.place, leg: d.leg },
      });
      return;
    }
    case 'BatchLostInTransit': {
      const d = event.data;
      const link = linkOf(row, d.manifestNo);
      const held = BigInt(d.remainingGrams);
      // a total loss settles the manifest for this batch
      update(
        held === 0n
          ? { heldGrams: held, status: 'depleted', openManifest: null, lastManifest: settled(link) }
          : { heldGrams: held },
      );
      step(rows, recorded, d, {
        actorUscc: link?.receiverUscc || null,
        counterpartyUscc: link?.carrierUscc ?? null,
        vehiclePlate: link?.vehiclePlate ?? null,
        massGrams: BigInt(d.lostGrams),
      });
      return;
    }
    case 'BatchRejectionSplitOff': {
      const d = event.data;
      const link = linkOf(row, d.manifestNo);
      update({ heldGrams: BigInt(d.remainingGrams), children: appended(row.children, d.childTraceCode) });
      step(rows, recorded, d, {
        actorUscc: link?.receiverUscc || null,
        counterpartyUscc: link?.shipperUscc ?? null,
        reason: d.reason,
        detail: { relatedTraceCodes: [d.childTraceCode] },
      });
      return;
    }
    case 'BatchReceived': {
      const d = event.data;
      update({
        status: 'held',
        custodianUscc: d.receiverUscc,
        openManifest: null,
        lastManifest: settled(linkOf(row, d.manifestNo)),
        parties: withParties(row.parties, d.receiverUscc, d.previousCustodianUscc),
      });
      step(rows, recorded, d, {
        actorUscc: d.receiverUscc,
        counterpartyUscc: d.previousCustodianUscc,
      });
      return;
    }
    case 'BatchReturnedToShipper': {
      const d = event.data;
      const link = linkOf(row, d.manifestNo);
      update({
        status: 'held',
        custodianUscc: d.shipperUscc,
        openManifest: null,
        lastManifest: settled(link),
        parties: withParties(row.parties, d.shipperUscc),
      });
      step(rows, recorded, d, {
        actorUscc: link?.receiverUscc || null,
        counterpartyUscc: d.shipperUscc,
        reason: d.reason,
      });
      return;
    }
    case 'WasteUtilised':
    case 'WasteDisposed': {
      const d = event.data;
      const held = BigInt(d.remainingGrams);
      update({
        heldGrams: held,
        status: statusAfterRemoval(row.status, held),
        parties: withParties(row.parties, d.custodianUscc),
      });
      step(rows, recorded, d, {
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
      });
      return;
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
      update({ heldGrams: held, status });
      step(rows, recorded, d, {
        actorUscc: d.actorUscc,
        reason: d.reason,
        massGrams: BigInt(d.deltaGrams),
        // v2: the request it applies and who approved it; v1 (upcast): the requester's own free text
        detail:
          d.requestId !== undefined
            ? ({ requestId: d.requestId, approvedBy: d.approvedBy ?? null } as unknown as JsonObject)
            : { legacyApprovals: (d.legacyApprovals ?? []) as unknown as JsonValue },
      });
      return;
    }
    // two-party corrections (ADR 0018): steps that move no mass; GET …/correction-requests reads them
    case 'MassCorrectionRequested': {
      const d = event.data;
      update({});
      step(rows, recorded, d, {
        actorUscc: d.requestedBy,
        reason: d.reason,
        massGrams: BigInt(d.deltaGrams),
        detail: { requestId: d.requestId },
      });
      return;
    }
    case 'MassCorrectionApproved':
    case 'MassCorrectionRejected': {
      const d = event.data;
      const by = event.type === 'MassCorrectionApproved' ? event.data.approvedBy : event.data.rejectedBy;
      update({});
      step(rows, recorded, d, {
        actorUscc: by.uscc ?? null,
        reason: event.type === 'MassCorrectionRejected' ? event.data.reason : event.data.note,
        massGrams: 0n,
        detail: { requestId: d.requestId, decidedBy: by as unknown as JsonObject },
      });
      return;
    }
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
