import { Inject, Injectable } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  evolveParty,
  initialPartyState,
  partyStream,
  regionMatches,
  upcast,
  type PartyEvent,
  type PartyState,
  type RegisteredParty,
} from '@wasteflow/domain';
import { EVENT_STORE, StreamNotFound, type EventStore } from '@wasteflow/event-store';
import { quoteIdentifier } from '@wasteflow/projections';

/** What the console and integrators read of a registered party: its registration, permits and facilities. */
export interface PartyView {
  readonly uscc: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly districtCode: string;
  readonly registeredAt: string;
  readonly permits: readonly PermitView[];
  /** Own treatment facilities registered by a regulator (自行利用/处置设施), by code. */
  readonly facilities: readonly FacilityView[];
}

export interface FacilityView {
  readonly facilityCode: string;
  readonly operations: readonly string[];
  readonly validFrom: string;
  readonly validTo: string;
  readonly registeredAt: string;
}

export interface PermitView {
  readonly permitNo: string;
  readonly wasteCodes: readonly string[];
  readonly hwCategories: readonly string[];
  readonly operations: readonly string[];
  readonly annualCapacityKg: number;
  readonly validFrom: string;
  readonly validTo: string;
  readonly revokedAt: string | null;
  /** Accepted hazardous mass per permit year (from its first day, `yearStart`), oldest first. */
  readonly capacityUsed: readonly { yearStart: string; usedKg: number; remainingKg: number }[];
}

export function partyView(state: RegisteredParty): PartyView {
  return {
    uscc: state.uscc,
    name: state.name,
    roles: state.roles,
    districtCode: state.districtCode,
    registeredAt: state.registeredAt,
    permits: state.permits.map((permit) => ({
      permitNo: permit.permitNo,
      wasteCodes: permit.wasteCodes,
      hwCategories: permit.hwCategories,
      operations: permit.operations,
      annualCapacityKg: permit.annualCapacityGrams / 1000,
      validFrom: permit.validFrom,
      validTo: permit.validTo,
      revokedAt: permit.revokedAt ?? null,
      capacityUsed: Object.entries(permit.usedGrams ?? {})
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([yearStart, grams]) => ({
          yearStart,
          usedKg: grams / 1000,
          remainingKg: Math.max(0, permit.annualCapacityGrams - grams) / 1000,
        })),
    })),
    facilities: (state.facilities ?? []).map((facility) => ({
      facilityCode: facility.facilityCode,
      operations: facility.operations,
      validFrom: facility.validFrom,
      validTo: facility.validTo,
      registeredAt: facility.registeredAt,
    })),
  };
}

/**
 * Registered parties, for the read routes that name them (who am I, the parties a regulator oversees,
 * the carriers and receivers a shipper picks from). A party's registration and permits are read from its
 * own stream through the domain's evolve, so they are never behind the ledger; which parties exist in a
 * region comes from the inventory projection's party table (uscc, name, district), the only read model
 * that keeps every registration.
 */
@Injectable()
export class PartyRegistry {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(getDataSourceToken()) private readonly readModels: DataSource,
  ) {}

  /** The party's state from its stream; undefined when it is not registered. */
  async find(uscc: string): Promise<RegisteredParty | undefined> {
    let state: PartyState = initialPartyState;
    try {
      for (const event of await this.store.readStream(partyStream(uscc))) {
        state = evolveParty(state, upcast(event.type, event.schemaVersion, event.data) as PartyEvent);
      }
    } catch (error) {
      if (error instanceof StreamNotFound) return undefined;
      throw error;
    }
    return state.status === 'registered' ? state : undefined;
  }

  /**
   * USCCs of the registered parties in any of the regions (all when `regions` is undefined), by USCC.
   * Matched here with the scope's own rule (`regionMatches`); the table holds one short row per party.
   */
  async usccsIn(regions: readonly string[] | undefined): Promise<string[]> {
    const rows = (await this.readModels.query(
      `SELECT uscc, district_code FROM ${this.partyTable()} ORDER BY uscc`,
    )) as {
      uscc: string;
      district_code: string;
    }[];
    return rows
      .filter(
        (row) => regions === undefined || regions.some((region) => regionMatches(region, row.district_code)),
      )
      .map((row) => row.uscc);
  }

  /** The districts of the registered parties among `usccs` (one query; unknown USCCs give nothing). */
  async districtsOf(usccs: readonly string[]): Promise<string[]> {
    const unique = [...new Set(usccs)];
    if (unique.length === 0) return [];
    const postgres = this.readModels.options.type === 'postgres';
    const placeholders = unique.map((_, i) => (postgres ? `$${i + 1}` : '?')).join(', ');
    const rows = (await this.readModels.query(
      `SELECT DISTINCT district_code FROM ${this.partyTable()} WHERE uscc IN (${placeholders})`,
      unique,
    )) as { district_code: string }[];
    return rows.map((row) => row.district_code);
  }

  private partyTable(): string {
    const options = this.readModels.options;
    const schema = options.type === 'postgres' ? (options as { schema?: string }).schema : undefined;
    return schema
      ? `${quoteIdentifier(schema)}.${quoteIdentifier('inventory_party')}`
      : quoteIdentifier('inventory_party');
  }
}
