import type { RecordedEvent } from '@wasteflow/event-store';
import { upcast, type DomainEvent } from '@wasteflow/domain';
import { putPartyNames } from '../party-names';
import { instantMs } from '../time-memo';
import { defineProjection } from '../runner/projection';
import type { KeyCollector, RowAccess } from '../runner/row-access';
import {
  LEDGER_BOOK_MIGRATIONS,
  LEDGER_BOOK_PROJECTION,
  ledgerBookBatches,
  ledgerBookEntries,
  ledgerBookParties,
  ledgerBookReceipts,
  ledgerBookTrips,
  type LedgerBookBatchRow,
  type LedgerBookEntryRow,
} from './ledger-book.tables';

type BatchRow = LedgerBookBatchRow;

type EntryFacts = Pick<LedgerBookEntryRow, 'traceCode' | 'grams' | 'tableNo'> & Partial<LedgerBookEntryRow>;

/** Writes the rows of one event, numbering each party's rows in order. */
class EventRows {
  private readonly seqs = new Map<string, number>();

  constructor(
    private readonly rows: RowAccess,
    private readonly recorded: RecordedEvent,
    private readonly occurredAt: string,
  ) {}

  add(party: string, batch: Readonly<BatchRow> | undefined, facts: EntryFacts): void {
    const seq = this.seqs.get(party) ?? 0;
    this.seqs.set(party, seq + 1);
    this.rows.put(ledgerBookEntries, {
      partyUscc: party,
      position: this.recorded.position,
      seq,
      eventId: this.recorded.id,
      eventType: this.recorded.type,
      occurredAt: this.occurredAt,
      occurredMs: BigInt(instantMs(this.occurredAt, 'occurredAt')),
      category: batch?.category ?? '',
      subtype: batch?.subtype ?? null,
      wasteCode: batch?.wasteCode ?? null,
      description: batch?.description ?? null,
      linkedCodes: facts.traceCode,
      movement: null,
      counterpartyUscc: null,
      carrierUscc: null,
      manifestNo: null,
      vehiclePlate: null,
      operation: null,
      mode: null,
      permitNo: null,
      note: null,
      facilityCode: null,
      handlerPersonId: null,
      packagingType: null,
      packageCount: null,
      ...facts,
    });
  }
}

/** What every row of a batch's movement says: the batch, the mass the event moved, the table and how. */
function movementOf(
  d: { traceCode: string; massGrams: number },
  tableNo: EntryFacts['tableNo'],
  movement: string,
): EntryFacts {
  return { traceCode: d.traceCode, grams: BigInt(d.massGrams), tableNo, movement };
}

/**
 * A batch's row of a manifest leg: the movement, its manifest and the person who handled it — the driver
 * of the pickup for the shipper's 出库 (table 3), the receipt's handler (ManifestReceived v5, 贮存部门经办人)
 * for the receiver's 入库 (table 2).
 */
function legOf(
  d: { traceCode: string; massGrams: number; manifestNo: string },
  tableNo: EntryFacts['tableNo'],
  movement: string,
  handlerPersonId: string | null,
): EntryFacts {
  return { ...movementOf(d, tableNo, movement), manifestNo: d.manifestNo, handlerPersonId };
}

/** A rejected part or a whole batch back in the shipper's store (table 2), on its manifest, with the reason. */
function returnOf(d: {
  traceCode: string;
  massGrams: number;
  manifestNo: string;
  reason: string;
}): EntryFacts {
  return { ...movementOf(d, 2, 'returned'), manifestNo: d.manifestNo, note: d.reason };
}

function newBatch(
  traceCode: string,
  kind: { category: string; subtype?: string; wasteCode?: string },
  description: string | null,
  link?: Readonly<BatchRow>,
): BatchRow {
  return {
    traceCode,
    category: kind.category,
    subtype: kind.subtype ?? null,
    wasteCode: kind.wasteCode ?? null,
    description,
    shipperUscc: link?.shipperUscc ?? null,
    receiverUscc: link?.receiverUscc ?? null,
    manifestNo: link?.manifestNo ?? null,
  };
}

/**
 * The 台账 of HJ 1259-2022 as a read model: one row per (party, table, event), in the party's own words.
 * Table 1 产生 (generation), 2 入库 (into the party's storage), 3 出库 (out of it), 4 自行利用/处置 (its own
 * treatment), 5 委外利用/处置 (what a receiver treated of the waste the party handed it). One event may give
 * rows in several tables and for several parties: a generation is tables 1 and 2 of the generator; a pickup
 * is table 3 of the shipper; a receipt is table 2 of the receiver; a treatment is tables 3 and 4 of the
 * custodian and, when the custodian received the batch on a manifest, table 5 of the shipper it came from.
 * Splits, consolidations and corrections move mass between batch codes inside one store: they are rows of
 * tables 2 and 3 with 来源/去向 saying so, so that for every batch code `in − out` is what the party holds.
 *
 * Rows are only ever added (a row is one event), so a book read up to a checkpoint is the book as of that
 * position, and reading it page by page never sees a half-applied event.
 */
export async function evolveLedgerBook(rows: RowAccess, recorded: RecordedEvent): Promise<void> {
  const event = upcast(recorded.type, recorded.schemaVersion, recorded.data) as DomainEvent;
  if (event.type === 'PartyRegistered') {
    putPartyNames(rows, ledgerBookParties, event.data);
    return;
  }
  if (event.type === 'ManifestPickedUp') {
    const d = event.data;
    if (d.driverPersonId !== undefined)
      rows.put(ledgerBookTrips, { manifestNo: d.manifestNo, driverPersonId: d.driverPersonId });
    return;
  }
  if (event.type === 'ManifestReceived') {
    const d = event.data;
    if (d.handlerPersonId !== undefined)
      rows.put(ledgerBookReceipts, { manifestNo: d.manifestNo, handlerPersonId: d.handlerPersonId });
    return;
  }
  if (!('occurredAt' in event.data) || !('traceCode' in event.data)) return;
  const out = new EventRows(rows, recorded, event.data.occurredAt);
  const batchOf = (traceCode: string) => rows.get(ledgerBookBatches, { traceCode });
  // the people a pickup (its driver) and a receipt (its handler) named for a manifest, by reference
  const driverOf = async (manifestNo: string) =>
    (await rows.get(ledgerBookTrips, { manifestNo }))?.driverPersonId ?? null;
  const receiptHandlerOf = async (manifestNo: string) =>
    (await rows.get(ledgerBookReceipts, { manifestNo }))?.handlerPersonId ?? null;
  switch (event.type) {
    case 'WasteGenerated': {
      const d = event.data;
      const batch = newBatch(d.traceCode, d, d.description ?? null);
      rows.put(ledgerBookBatches, batch);
      // the containers it was generated in (v2) go into the store with it; the facility is table 1's
      const facts = {
        traceCode: d.traceCode,
        grams: BigInt(d.massGrams),
        packagingType: d.packagingType ?? null,
        packageCount: d.packageCount ?? null,
        // v3: the generation's handler, by reference (产生部门经办人; table 2's 运送部门经办人)
        handlerPersonId: d.handlerPersonId ?? null,
      };
      out.add(d.generatorUscc, batch, {
        ...facts,
        tableNo: 1,
        movement: 'generated',
        facilityCode: d.facilityCode ?? null,
      });
      out.add(d.generatorUscc, batch, { ...facts, tableNo: 2, movement: 'generated' });
      return;
    }
    case 'BatchSplitOff': {
      const d = event.data;
      const parent = await batchOf(d.parentTraceCode);
      const batch = newBatch(d.traceCode, d, parent?.description ?? null, parent);
      rows.put(ledgerBookBatches, batch);
      out.add(d.custodianUscc, batch, { ...movementOf(d, 2, 'split'), linkedCodes: d.parentTraceCode });
      return;
    }
    case 'BatchSplit': {
      const d = event.data;
      const batch = await batchOf(d.traceCode);
      for (const child of d.children)
        out.add(d.actorUscc, batch, {
          traceCode: d.traceCode,
          grams: BigInt(child.massGrams),
          tableNo: 3,
          movement: 'split',
          note: child.traceCode,
        });
      return;
    }
    case 'BatchesConsolidated': {
      const d = event.data;
      const batch = newBatch(d.traceCode, d, null);
      rows.put(ledgerBookBatches, batch);
      out.add(d.custodianUscc, batch, {
        ...movementOf(d, 2, 'consolidated'),
        linkedCodes: d.inputs.map((input) => input.traceCode).join(' '),
      });
      return;
    }
    case 'BatchConsolidatedInto': {
      const d = event.data;
      out.add(d.actorUscc, await batchOf(d.traceCode), {
        ...movementOf(d, 3, 'consolidated'),
        note: d.intoTraceCode,
      });
      return;
    }
    case 'BatchShipped': {
      const d = event.data;
      out.add(d.shipperUscc, await batchOf(d.traceCode), {
        ...legOf(d, 3, 'shipped', await driverOf(d.manifestNo)),
        carrierUscc: d.carrierUscc,
        vehiclePlate: d.vehiclePlate,
      });
      return;
    }
    case 'BatchReceived': {
      const d = event.data;
      const batch = await batchOf(d.traceCode);
      if (batch && d.previousCustodianUscc !== d.receiverUscc) {
        rows.put(ledgerBookBatches, {
          ...batch,
          shipperUscc: d.previousCustodianUscc,
          receiverUscc: d.receiverUscc,
          manifestNo: d.manifestNo,
        });
      }
      out.add(d.receiverUscc, batch, {
        ...legOf(d, 2, 'received', await receiptHandlerOf(d.manifestNo)),
        counterpartyUscc: d.previousCustodianUscc,
      });
      return;
    }
    case 'BatchReturnedFromRejection': {
      const d = event.data;
      const parent = await batchOf(d.parentTraceCode);
      const batch = newBatch(d.traceCode, d, parent?.description ?? null);
      rows.put(ledgerBookBatches, batch);
      out.add(d.custodianUscc, batch, { ...returnOf(d), linkedCodes: d.parentTraceCode });
      return;
    }
    case 'BatchReturnedToShipper': {
      const d = event.data;
      out.add(d.shipperUscc, await batchOf(d.traceCode), returnOf(d));
      return;
    }
    case 'WasteUtilised':
    case 'WasteDisposed': {
      const d = event.data;
      const batch = await batchOf(d.traceCode);
      const treatment = {
        traceCode: d.traceCode,
        grams: BigInt(d.massGrams),
        operation: d.operation,
        mode: d.mode,
        permitNo: d.permitNo ?? null,
      };
      out.add(d.custodianUscc, batch, { ...treatment, tableNo: 3, movement: 'treated' });
      out.add(d.custodianUscc, batch, {
        ...treatment,
        tableNo: 4,
        facilityCode: d.facilityCode ?? null,
        handlerPersonId: d.handlerPersonId ?? null,
      });
      if (batch?.shipperUscc && batch.receiverUscc === d.custodianUscc) {
        out.add(batch.shipperUscc, batch, {
          ...treatment,
          tableNo: 5,
          counterpartyUscc: d.custodianUscc,
          manifestNo: batch.manifestNo,
        });
      }
      return;
    }
    case 'MassCorrected': {
      const d = event.data;
      if (d.deltaGrams === 0) return;
      out.add(d.actorUscc, await batchOf(d.traceCode), {
        traceCode: d.traceCode,
        grams: BigInt(Math.abs(d.deltaGrams)),
        tableNo: d.deltaGrams > 0 ? 2 : 3,
        movement: 'corrected',
        note: d.reason,
      });
      return;
    }
    default:
      // consignment, its release and a loss in transit move nothing into or out of a store: the pickup
      // took the mass out (table 3), the receipt brings in what arrived (table 2 of the receiver)
      return;
  }
}

const CREATIONS_WITH_PARENT = new Set(['BatchSplitOff', 'BatchReturnedFromRejection']);

export const ledgerBookProjection = defineProjection({
  name: LEDGER_BOOK_PROJECTION,
  // 2 (issue 14): the pickup's driver on table 3 (rebuilt: pickups recorded before name theirs too)
  // 3 (issue 14): a generation's packaging and facility on tables 1–2 (rebuilt: WasteGenerated v2 had them)
  version: 3,
  eventTypes: [
    'PartyRegistered',
    'ManifestPickedUp',
    'ManifestReceived',
    'WasteGenerated',
    'BatchSplitOff',
    'BatchSplit',
    'BatchesConsolidated',
    'BatchConsolidatedInto',
    'BatchShipped',
    'BatchReceived',
    'BatchReturnedFromRejection',
    'BatchReturnedToShipper',
    'WasteUtilised',
    'WasteDisposed',
    'MassCorrected',
  ],
  tables: [ledgerBookParties, ledgerBookBatches, ledgerBookEntries, ledgerBookTrips, ledgerBookReceipts],
  migrations: LEDGER_BOOK_MIGRATIONS,
  prefetch(event: RecordedEvent, keys: KeyCollector) {
    const data = event.data;
    if (event.type === 'BatchShipped' && typeof data.manifestNo === 'string')
      keys.want(ledgerBookTrips, { manifestNo: data.manifestNo });
    if (event.type === 'BatchReceived' && typeof data.manifestNo === 'string')
      keys.want(ledgerBookReceipts, { manifestNo: data.manifestNo });
    const code = CREATIONS_WITH_PARENT.has(event.type) ? data.parentTraceCode : data.traceCode;
    if (typeof code === 'string' && event.type !== 'WasteGenerated' && event.type !== 'BatchesConsolidated')
      keys.want(ledgerBookBatches, { traceCode: code });
  },
  evolve: evolveLedgerBook,
});
