import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { RecordedEvent } from '@wasteflow/event-store';
import { upcast, type Composition, type DomainEvent, type TreatmentMode } from '@wasteflow/domain';
import { readModelTable } from '../database/migration-helpers';
import { cstMonthOf } from '../time-memo';
import { defineProjection } from '../runner/projection';
import type { RowAccess } from '../runner/row-access';
import { defineTable, type CounterColumnsOf } from '../runner/table';

/** The gram counters every row carries, facts and roll-ups alike. */
const MEASURES = {
  generated: 'bigint',
  utilised: 'bigint',
  landfilled: 'bigint',
  incinerated: 'bigint',
  otherDisposed: 'bigint',
  lost: 'bigint',
  corrected: 'bigint',
} as const;

/**
 * Indicator facts (DESIGN.md §3): additive gram counters by origin (district, category, subtype, HW code,
 * month of generation) × activity month (CST month of the event's `occurredAt`). One row carries every
 * measure of its cell as a column, so a query is one range scan and one SUM per measure.
 *
 * Attribution (see README.md in this folder):
 * - WasteGenerated → `generated`, in the generation month.
 * - WasteUtilised / WasteDisposed → the mode's column (`utilised`, `landfilled`, `incinerated`,
 *   `otherDisposed`), per origin of the composition the event consumed, in the treatment's month.
 * - BatchLostInTransit → `lost` (kept as a fact, not a treatment: lost mass stays generated and untreated,
 *   so it pulls treatedRate below 100 % — what a regulator must see).
 * - MassCorrected → `corrected` (signed), per origin, in the correction's month. A correction is a
 *   compensating event for a mis-weighed *generation*: the query adds it to `generated` of the origins'
 *   generation month (not of the month it was recorded in), so per origin generated = treated + lost +
 *   held holds to the gram and no period ever shows negative generation.
 * - Split, consolidation, shipment, receipt, rejection and return only move mass between batches: the
 *   compositions carry the origins forward and nothing is counted.
 */
export const indicatorFacts = defineTable({
  name: 'indicator_fact',
  key: ['district', 'category', 'subtype', 'wasteCode', 'generatedMonth', 'activityMonth'],
  columns: {
    district: 'text',
    category: 'text',
    /** '' when the origin has none */
    subtype: 'text',
    /** '' when the origin has none (every category but hazardous) */
    wasteCode: 'text',
    generatedMonth: 'text',
    activityMonth: 'text',
    ...MEASURES,
  },
});

/**
 * The same facts rolled up to cities (4 digits) and provinces (2 digits), without the HW code: a question
 * about Hangzhou or Zhejiang reads one row per category × subtype × month pair instead of summing every
 * district's origins (DESIGN §6: indicator queries p99 ≤ 20 ms at 1 M events). Kept by `add` like the facts.
 */
export const indicatorRollup = defineTable({
  name: 'indicator_rollup',
  key: ['region', 'category', 'subtype', 'generatedMonth', 'activityMonth'],
  columns: {
    /** a city (4 digits) or a province (2 digits) */
    region: 'text',
    category: 'text',
    subtype: 'text',
    generatedMonth: 'text',
    activityMonth: 'text',
    ...MEASURES,
  },
});

export const INDICATORS_PROJECTION = 'indicators';

const COUNTER_COLUMNS = [
  'generated',
  'utilised',
  'landfilled',
  'incinerated',
  'other_disposed',
  'lost',
  'corrected',
]
  .map((c) => `${c} bigint NOT NULL DEFAULT 0`)
  .join(',\n         ');

export class IndicatorTables1764700000000 implements MigrationInterface {
  readonly name = 'IndicatorTables1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The primary key leads with the district: a district, city or province is a range of it.
    await queryRunner.query(
      `CREATE TABLE ${readModelTable(queryRunner, 'indicator_fact')} (
         district text NOT NULL,
         category text NOT NULL,
         subtype text NOT NULL,
         waste_code text NOT NULL,
         generated_month text NOT NULL,
         activity_month text NOT NULL,
         ${COUNTER_COLUMNS},
         PRIMARY KEY (district, category, subtype, waste_code, generated_month, activity_month)
       )`,
    );
    await queryRunner.query(
      `CREATE TABLE ${readModelTable(queryRunner, 'indicator_rollup')} (
         region text NOT NULL,
         category text NOT NULL,
         subtype text NOT NULL,
         generated_month text NOT NULL,
         activity_month text NOT NULL,
         ${COUNTER_COLUMNS},
         PRIMARY KEY (region, category, subtype, generated_month, activity_month)
       )`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${readModelTable(queryRunner, 'indicator_rollup')}`);
    await queryRunner.query(`DROP TABLE ${readModelTable(queryRunner, 'indicator_fact')}`);
  }
}

const MODE_COLUMN: Readonly<
  Record<TreatmentMode, 'utilised' | 'landfilled' | 'incinerated' | 'otherDisposed'>
> = {
  utilisation: 'utilised',
  landfill: 'landfilled',
  incineration: 'incinerated',
  other_disposal: 'otherDisposed',
};

type Measure = keyof CounterColumnsOf<typeof indicatorFacts>;

const ZERO = {
  generated: 0n,
  utilised: 0n,
  landfilled: 0n,
  incinerated: 0n,
  otherDisposed: 0n,
  lost: 0n,
  corrected: 0n,
} as const satisfies Required<CounterColumnsOf<typeof indicatorFacts>>;

/** The CST month ('YYYY-MM') of an event's business time. */
export function activityMonthOf(occurredAt: string): string {
  return cstMonthOf(occurredAt, 'occurredAt');
}

function count(
  rows: RowAccess,
  composition: Composition,
  activityMonth: string | undefined,
  measure: Measure,
  sign: 1n | -1n,
): void {
  for (const share of composition) {
    // Every counter in every add, in one order: the increments of a batch then share one column set and
    // reach the database as one INSERT … ON CONFLICT per table (PostgreSQL groups them by column set).
    const delta = { ...ZERO, [measure]: sign * BigInt(share.grams) };
    const cell = {
      category: share.category,
      subtype: share.subtype ?? '',
      generatedMonth: share.generatedMonth,
      // generation happens in its own month by definition
      activityMonth: activityMonth ?? share.generatedMonth,
    };
    rows.add(
      indicatorFacts,
      { ...cell, district: share.districtCode, wasteCode: share.wasteCode ?? '' },
      delta,
    );
    rows.add(indicatorRollup, { ...cell, region: share.districtCode.slice(0, 4) }, delta);
    rows.add(indicatorRollup, { ...cell, region: share.districtCode.slice(0, 2) }, delta);
  }
}

export function evolveIndicators(rows: RowAccess, recorded: RecordedEvent): void {
  const event = upcast(recorded.type, recorded.schemaVersion, recorded.data) as DomainEvent;
  switch (event.type) {
    case 'WasteGenerated':
      count(rows, event.data.composition, undefined, 'generated', 1n);
      return;
    case 'WasteUtilised':
    case 'WasteDisposed':
      count(
        rows,
        event.data.composition,
        activityMonthOf(event.data.occurredAt),
        MODE_COLUMN[event.data.mode],
        1n,
      );
      return;
    case 'BatchLostInTransit':
      count(rows, event.data.composition, activityMonthOf(event.data.occurredAt), 'lost', 1n);
      return;
    case 'MassCorrected':
      // the composition holds magnitudes; the sign is the delta's
      count(
        rows,
        event.data.composition,
        activityMonthOf(event.data.occurredAt),
        'corrected',
        event.data.deltaGrams < 0 ? -1n : 1n,
      );
      return;
    default:
      return;
  }
}

/** Counters only (`add`): no reads, so no prefetch, whatever the batch. */
export const indicatorsProjection = defineProjection({
  name: INDICATORS_PROJECTION,
  eventTypes: ['WasteGenerated', 'WasteUtilised', 'WasteDisposed', 'BatchLostInTransit', 'MassCorrected'],
  tables: [indicatorFacts, indicatorRollup],
  migrations: [IndicatorTables1764700000000],
  evolve: evolveIndicators,
});
