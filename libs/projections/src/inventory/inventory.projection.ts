import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { RecordedEvent } from '@wasteflow/event-store';
import { BATCH_CREATION_EVENT_TYPES, BATCH_EVENT_TYPES, upcast, type DomainEvent } from '@wasteflow/domain';
import { readModelTable } from '../database/migration-helpers';
import { createPartyNamesTable, definePartyNames, putPartyNames } from '../party-names';
import { instantMs } from '../time-memo';
import { defineProjection } from '../runner/projection';
import type { KeyCollector, RowAccess } from '../runner/row-access';
import { BATCH_KIND_COLUMNS } from '../batch-kind';
import { defineTable, type RowOf } from '../runner/table';

/**
 * Inventory (库存): who holds what now. One row per live batch (held, or on an open manifest) with its
 * legal holder, mass, kind, the open manifest and when its storage began; totals per holder × category ×
 * subtype × HW code kept as counters beside it, so the totals of a party or a region are read without
 * summing every batch. A depleted batch (treated, consolidated, split or lost to zero) leaves the table.
 *
 * Custody follows the domain: while consigned or in transit the shipper stays the legal holder and the
 * batch counts as in transit (with the manifest number and carrier); on acceptance the receiver holds it
 * and its storage starts (`storageSince`); a rejected part returns to the shipper.
 */
export const inventoryParties = definePartyNames('inventory_party');

export type InventoryStatus = 'held' | 'consigned' | 'in_transit';

export const inventoryBatches = defineTable({
  name: 'inventory_batch',
  key: ['traceCode'],
  columns: {
    traceCode: 'text',
    holderUscc: 'text',
    ...BATCH_KIND_COLUMNS,
    heldGrams: 'bigint',
    /** held | consigned | in_transit */
    status: 'text',
    manifestNo: { type: 'text', nullable: true },
    carrierUscc: { type: 'text', nullable: true },
    receiverUscc: { type: 'text', nullable: true },
    /** Since when the current holder holds it (creation, receipt or return). */
    heldSince: 'text',
    /** Start of storage at a receiver (receipt), inherited by split and consolidated batches. */
    storageSince: { type: 'text', nullable: true },
    /** Epoch ms the storage age counts from: the oldest waste in it (see `created`), reset by a receipt. */
    ageFromMs: 'bigint',
  },
});

export const inventoryTotals = defineTable({
  name: 'inventory_total',
  key: ['holderUscc', 'category', 'subtype', 'wasteCode'],
  columns: {
    holderUscc: 'text',
    category: 'text',
    /** '' when none */
    subtype: 'text',
    /** '' when none */
    wasteCode: 'text',
    heldGrams: 'bigint',
    inTransitGrams: 'bigint',
    batches: 'integer',
  },
});

export type InventoryBatchRow = RowOf<typeof inventoryBatches>;

export const INVENTORY_PROJECTION = 'inventory';

export class InventoryTables1764700000100 implements MigrationInterface {
  readonly name = 'InventoryTables1764700000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    const batch = readModelTable(queryRunner, 'inventory_batch');
    const total = readModelTable(queryRunner, 'inventory_total');
    const party = await createPartyNamesTable(queryRunner, 'inventory_party');
    await queryRunner.query(`CREATE INDEX inventory_party_district ON ${party} (district_code)`);
    await queryRunner.query(
      `CREATE TABLE ${batch} (
         trace_code text PRIMARY KEY,
         holder_uscc text NOT NULL,
         category text NOT NULL,
         subtype text,
         waste_code text,
         held_grams bigint NOT NULL,
         status text NOT NULL,
         manifest_no text,
         carrier_uscc text,
         receiver_uscc text,
         held_since text NOT NULL,
         storage_since text,
         age_from_ms bigint NOT NULL
       )`,
    );
    await queryRunner.query(`CREATE INDEX inventory_batch_holder ON ${batch} (holder_uscc, age_from_ms)`);
    await queryRunner.query(`CREATE INDEX inventory_batch_age ON ${batch} (age_from_ms, trace_code)`);
    await queryRunner.query(
      `CREATE TABLE ${total} (
         holder_uscc text NOT NULL,
         category text NOT NULL,
         subtype text NOT NULL,
         waste_code text NOT NULL,
         held_grams bigint NOT NULL DEFAULT 0,
         in_transit_grams bigint NOT NULL DEFAULT 0,
         batches integer NOT NULL DEFAULT 0,
         PRIMARY KEY (holder_uscc, category, subtype, waste_code)
       )`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['inventory_total', 'inventory_batch', 'inventory_party'])
      await queryRunner.query(`DROP TABLE ${readModelTable(queryRunner, name)}`);
  }
}

function totalKey(row: InventoryBatchRow) {
  return {
    holderUscc: row.holderUscc,
    category: row.category,
    subtype: row.subtype ?? '',
    wasteCode: row.wasteCode ?? '',
  };
}

/** What a row adds to its holder's totals. */
function contribution(row: InventoryBatchRow, sign: bigint) {
  const onManifest = row.status !== 'held';
  return {
    heldGrams: onManifest ? 0n : sign * row.heldGrams,
    inTransitGrams: onManifest ? sign * row.heldGrams : 0n,
    batches: Number(sign),
  };
}

/** Replaces a batch row (or removes it, `next` undefined), keeping the totals in step. */
function replace(
  rows: RowAccess,
  previous: Readonly<InventoryBatchRow> | undefined,
  next: InventoryBatchRow | undefined,
): void {
  if (previous) rows.add(inventoryTotals, totalKey(previous), contribution(previous, -1n));
  if (next && next.heldGrams > 0n) {
    rows.put(inventoryBatches, next);
    rows.add(inventoryTotals, totalKey(next), contribution(next, 1n));
  } else if (previous) {
    rows.delete(inventoryBatches, { traceCode: previous.traceCode });
  }
}

function ms(instant: string): bigint {
  return BigInt(instantMs(instant, 'instant'));
}

/**
 * A new batch row. Its storage age counts from the oldest waste in it: the age of the batches it came from
 * (the parent of a split or a returned part, the inputs of a consolidation), else its storage start, else
 * its creation — splitting or consolidating never makes waste younger.
 */
function created(
  d: {
    traceCode: string;
    holderUscc: string;
    category: string;
    subtype?: string | null;
    wasteCode?: string | null;
    massGrams: number;
    occurredAt: string;
    storageSince?: string | null;
  },
  sources: readonly (Readonly<InventoryBatchRow> | undefined)[] = [],
): InventoryBatchRow {
  let ageFromMs = ms(d.storageSince ?? d.occurredAt);
  for (const source of sources) if (source && source.ageFromMs < ageFromMs) ageFromMs = source.ageFromMs;
  return {
    traceCode: d.traceCode,
    holderUscc: d.holderUscc,
    category: d.category,
    subtype: d.subtype ?? null,
    wasteCode: d.wasteCode ?? null,
    heldGrams: BigInt(d.massGrams),
    status: 'held',
    manifestNo: null,
    carrierUscc: null,
    receiverUscc: null,
    heldSince: d.occurredAt,
    storageSince: d.storageSince ?? null,
    ageFromMs,
  };
}

const OFF_MANIFEST = { status: 'held', manifestNo: null, carrierUscc: null, receiverUscc: null } as const;

/** Events on an existing batch (every batch event that does not create one): its row is read (prefetched) and replaced. */
const ON_EXISTING = new Set<string>(
  BATCH_EVENT_TYPES.filter((type) => !BATCH_CREATION_EVENT_TYPES.includes(type)),
);

export async function evolveInventory(rows: RowAccess, recorded: RecordedEvent): Promise<void> {
  const event = upcast(recorded.type, recorded.schemaVersion, recorded.data) as DomainEvent;
  switch (event.type) {
    case 'PartyRegistered':
      putPartyNames(rows, inventoryParties, event.data);
      return;
    case 'WasteGenerated':
      replace(rows, undefined, created({ ...event.data, holderUscc: event.data.generatorUscc }));
      return;
    case 'BatchSplitOff':
    case 'BatchReturnedFromRejection': {
      // a returned part is already there: made at BatchRejectionSplitOff, while its parent was still the shipper's
      if (
        event.type === 'BatchReturnedFromRejection' &&
        (await rows.get(inventoryBatches, { traceCode: event.data.traceCode }))
      )
        return;
      const parent = await rows.get(inventoryBatches, { traceCode: event.data.parentTraceCode });
      replace(rows, undefined, created({ ...event.data, holderUscc: event.data.custodianUscc }, [parent]));
      return;
    }
    case 'BatchesConsolidated': {
      const inputs = [];
      for (const input of event.data.inputs)
        inputs.push(await rows.get(inventoryBatches, { traceCode: input.traceCode }));
      replace(rows, undefined, created({ ...event.data, holderUscc: event.data.custodianUscc }, inputs));
      return;
    }
    default:
      break;
  }
  if (!ON_EXISTING.has(event.type) || !('traceCode' in event.data)) return;
  const previous = await rows.get(inventoryBatches, { traceCode: event.data.traceCode });
  // A batch the inventory no longer holds (depleted) cannot be acted on: nothing to change.
  if (!previous) return;
  const next = nextRow(previous, event);
  if (next !== previous) replace(rows, previous, next);
  if (event.type === 'BatchRejectionSplitOff') {
    // The rejected part goes back to the shipper (the parent's holder until the receipt): it keeps the age of
    // the waste in it, which the parent loses when the receiver accepts the rest just after. (Made once: its
    // own stream's BatchReturnedFromRejection may come first when a commit orders the streams otherwise.)
    const d = event.data;
    if (await rows.get(inventoryBatches, { traceCode: d.childTraceCode })) return;
    replace(
      rows,
      undefined,
      // the parent's holder, kind and storage start
      created(
        { ...previous, traceCode: d.childTraceCode, massGrams: d.massGrams, occurredAt: d.occurredAt },
        [previous],
      ),
    );
  }
}

function nextRow(
  b: Readonly<InventoryBatchRow>,
  event: DomainEvent,
): InventoryBatchRow | Readonly<InventoryBatchRow> {
  switch (event.type) {
    case 'BatchSplit':
    case 'BatchConsolidatedInto':
    case 'WasteUtilised':
    case 'WasteDisposed':
    case 'BatchLostInTransit':
    case 'BatchRejectionSplitOff':
      return { ...b, heldGrams: BigInt(event.data.remainingGrams) };
    case 'MassCorrected':
      return { ...b, heldGrams: BigInt(event.data.massGramsAfter) };
    case 'BatchConsigned':
      return {
        ...b,
        status: 'consigned',
        manifestNo: event.data.manifestNo,
        carrierUscc: event.data.carrierUscc,
        receiverUscc: event.data.receiverUscc,
      };
    case 'BatchConsignmentReleased':
      return { ...b, ...OFF_MANIFEST };
    case 'BatchShipped':
      return { ...b, status: 'in_transit' };
    // 多式联运: the next carrier has the waste in transit (the shipper still holds it in law)
    case 'BatchHandedOver':
      return { ...b, carrierUscc: event.data.carrierUscc };
    case 'BatchReceived':
      return {
        ...b,
        ...OFF_MANIFEST,
        holderUscc: event.data.receiverUscc,
        heldGrams: BigInt(event.data.massGrams),
        heldSince: event.data.occurredAt,
        storageSince: event.data.occurredAt,
        ageFromMs: ms(event.data.occurredAt),
      };
    case 'BatchReturnedToShipper':
      return {
        ...b,
        ...OFF_MANIFEST,
        holderUscc: event.data.shipperUscc,
        heldSince: event.data.occurredAt,
        // back where it was stored: its age goes on
      };
    default:
      return b;
  }
}

export const inventoryProjection = defineProjection({
  name: INVENTORY_PROJECTION,
  eventTypes: ['PartyRegistered', ...BATCH_CREATION_EVENT_TYPES, ...ON_EXISTING],
  tables: [inventoryParties, inventoryBatches, inventoryTotals],
  migrations: [InventoryTables1764700000100],
  prefetch(event: RecordedEvent, keys: KeyCollector) {
    const data = event.data;
    const want = (traceCode: unknown) => {
      if (typeof traceCode === 'string') keys.want(inventoryBatches, { traceCode });
    };
    if (ON_EXISTING.has(event.type) || event.type === 'BatchReturnedFromRejection') want(data.traceCode);
    want(data.parentTraceCode);
    want(data.childTraceCode);
    if (event.type === 'BatchesConsolidated' && Array.isArray(data.inputs)) {
      for (const input of data.inputs as { traceCode: string }[]) want(input.traceCode);
    }
  },
  evolve: evolveInventory,
});
