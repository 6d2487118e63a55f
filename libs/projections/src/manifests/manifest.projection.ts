import { MANIFEST_EVENT_TYPES, upcast, type ManifestEvent, type PartyRegistered } from '@wasteflow/domain';
import type { JsonValue, RecordedEvent } from '@wasteflow/event-store';
import { defineProjection } from '../runner/projection';
import { instantMs, manifestDeadlineOf } from '../time-memo';
import { putPartyNames } from '../party-names';
import type { ReferenceData } from '../reference/reference-data';
import type { RowAccess } from '../runner/row-access';
import {
  ManifestLegs1765000000500,
  ManifestTables1764600000100,
  manifestParties,
  manifestViews,
  type ManifestViewRow,
} from './manifest.tables';

export const MANIFESTS_PROJECTION = 'manifests';

/** A line as the manifest row keeps it (grams). */
export interface ManifestLineJson {
  readonly traceCode: string;
  readonly category: string;
  readonly subtype?: string;
  readonly wasteCode?: string;
  readonly shippedGrams: number;
  /** As weighed at pickup, when this line was weighed (ManifestPickedUp v2). */
  readonly pickupWeighedGrams?: number;
  /** The weighing at pickup differed from the shipped mass beyond the tolerance. */
  readonly pickupDiscrepancy?: boolean;
  readonly receivedGrams?: number;
  readonly acceptedGrams?: number;
  readonly rejectedGrams?: number;
  readonly lostGrams?: number;
  readonly outcome?: string;
  readonly reason?: string;
  readonly discrepancy?: boolean;
}

export interface ManifestPartyJson {
  readonly uscc: string;
  readonly name: string | null;
  readonly districtCode: string | null;
}

/** One leg of the journey as the row keeps it (多式联运: leg 1 from pickup, each hand-over the next). */
export interface ManifestLegJson {
  readonly leg: number;
  readonly carrierUscc: string;
  readonly carrierName: string | null;
  readonly vehiclePlate: string;
  /** When the leg started: the pickup, or the hand-over. */
  readonly occurredAt: string;
  /** Where the hand-over that started it happened (absent for leg 1). */
  readonly place?: string;
}

export interface ManifestPartiesJson {
  readonly shipper: ManifestPartyJson;
  readonly carrier: ManifestPartyJson;
  readonly receiver: ManifestPartyJson;
}

async function evolveManifestEvent(
  rows: RowAccess,
  recorded: RecordedEvent,
  event: ManifestEvent,
  reference: ReferenceData,
): Promise<void> {
  const manifestNo = event.data.manifestNo;
  if (event.type === 'ManifestIssued') {
    const d = event.data;
    const [shipper, carrier, receiver] = await Promise.all(
      [d.shipperUscc, d.carrierUscc, d.receiverUscc].map((uscc) => rows.get(manifestParties, { uscc })),
    );
    const party = (uscc: string, row: typeof shipper): ManifestPartyJson => ({
      uscc,
      name: row?.name ?? null,
      districtCode: row?.districtCode ?? null,
    });
    const lines: ManifestLineJson[] = d.lines.map((line) => ({
      traceCode: line.traceCode,
      category: line.category,
      ...(line.subtype !== undefined ? { subtype: line.subtype } : {}),
      ...(line.wasteCode !== undefined ? { wasteCode: line.wasteCode } : {}),
      shippedGrams: line.massGrams,
    }));
    const categories = [...new Set(d.lines.map((line) => line.category))].sort();
    const parties: ManifestPartiesJson = {
      shipper: party(d.shipperUscc, shipper),
      carrier: party(d.carrierUscc, carrier),
      receiver: party(d.receiverUscc, receiver),
    };
    rows.put(manifestViews, {
      manifestNo,
      status: 'issued',
      shipperUscc: d.shipperUscc,
      carrierUscc: d.carrierUscc,
      receiverUscc: d.receiverUscc,
      shipperDistrict: shipper?.districtCode ?? null,
      carrierDistrict: carrier?.districtCode ?? null,
      receiverDistrict: receiver?.districtCode ?? null,
      parties: parties as unknown as JsonValue,
      categories: `,${categories.join(',')},`,
      hazardous: d.hazardous,
      plannedAt: d.plannedAt,
      issuedAt: d.occurredAt,
      issuedAtMs: BigInt(instantMs(d.occurredAt, 'occurredAt')),
      pickedUpAt: null,
      vehiclePlate: null,
      weighedGrams: null,
      receivedAt: null,
      receivedAtMs: null,
      cancelledAt: null,
      cancelReason: null,
      dueAt: null,
      dueAtMs: null,
      totalGrams: BigInt(d.totalGrams),
      discrepancy: false,
      lines: lines as unknown as JsonValue,
      late: d.late === true,
      legs: null,
      carriers: null,
      issuedPosition: recorded.position,
      lastPosition: recorded.position,
    });
    return;
  }
  const row = await rows.get(manifestViews, { manifestNo });
  if (!row) return; // not issued: the store guarantees issue first
  const update = (changes: Partial<ManifestViewRow>) =>
    rows.put(manifestViews, {
      ...row,
      ...changes,
      late: row.late || event.data.late === true,
      lastPosition: recorded.position,
    });
  switch (event.type) {
    case 'ManifestPickedUp': {
      const d = event.data;
      const { dueAt } = manifestDeadlineOf(d.occurredAt, reference.calendar);
      const weighed = new Map(d.lines.map((line) => [line.traceCode, line]));
      const lines = (row.lines as unknown as ManifestLineJson[]).map((line): ManifestLineJson => {
        const w = weighed.get(line.traceCode);
        if (w?.weighedGrams === undefined) return line;
        return { ...line, pickupWeighedGrams: w.weighedGrams, pickupDiscrepancy: w.discrepancy };
      });
      update({
        status: 'picked_up',
        lines: lines as unknown as JsonValue,
        // weighing at both ends: a discrepancy at pickup is one of the manifest's discrepancies
        discrepancy: d.discrepancy || d.lines.some((line) => line.discrepancy),
        pickedUpAt: d.occurredAt,
        vehiclePlate: d.vehiclePlate,
        legs: [
          {
            leg: 1,
            carrierUscc: d.carrierUscc,
            carrierName: (row.parties as unknown as ManifestPartiesJson).carrier.name,
            vehiclePlate: d.vehiclePlate,
            occurredAt: d.occurredAt,
          },
        ] satisfies ManifestLegJson[] as unknown as JsonValue,
        carriers: `,${d.carrierUscc},`,
        weighedGrams: d.weighedGrams !== undefined ? BigInt(d.weighedGrams) : null,
        dueAt,
        dueAtMs: BigInt(instantMs(dueAt, 'dueAt')),
      });
      return;
    }
    case 'ManifestHandedOver': {
      const d = event.data;
      const next = await rows.get(manifestParties, { uscc: d.carrierUscc });
      const legs = legsOf(row);
      const carriers = row.carriers ?? `,${row.carrierUscc},`;
      update({
        legs: [
          ...legs,
          {
            leg: d.leg,
            carrierUscc: d.carrierUscc,
            carrierName: next?.name ?? null,
            vehiclePlate: d.vehiclePlate,
            occurredAt: d.occurredAt,
            place: d.place,
          },
        ] satisfies ManifestLegJson[] as unknown as JsonValue,
        carriers: carriers.includes(`,${d.carrierUscc},`) ? carriers : `${carriers}${d.carrierUscc},`,
      });
      return;
    }
    case 'ManifestReceived': {
      const d = event.data;
      const received = new Map(d.lines.map((line) => [line.traceCode, line]));
      const lines = (row.lines as unknown as ManifestLineJson[]).map((line): ManifestLineJson => {
        const r = received.get(line.traceCode);
        if (!r) return line;
        return {
          ...line,
          shippedGrams: r.shippedGrams,
          receivedGrams: r.receivedGrams,
          acceptedGrams: r.acceptedGrams,
          rejectedGrams: r.rejectedGrams,
          lostGrams: r.lostGrams,
          outcome: r.outcome,
          ...(r.reason !== undefined ? { reason: r.reason } : {}),
          discrepancy: r.discrepancy,
        };
      });
      update({
        status: 'received',
        receivedAt: d.occurredAt,
        receivedAtMs: BigInt(instantMs(d.occurredAt, 'occurredAt')),
        lines: lines as unknown as JsonValue,
        discrepancy: row.discrepancy || d.lines.some((line) => line.discrepancy),
      });
      return;
    }
    case 'ManifestCancelled': {
      const d = event.data;
      update({ status: 'cancelled', cancelledAt: d.occurredAt, cancelReason: d.reason });
      return;
    }
  }
}

/** The legs a row has; a row written before legs were kept has its one leg in the pickup's columns. */
export function legsOf(row: ManifestViewRow): ManifestLegJson[] {
  if (row.legs !== null) return row.legs as unknown as ManifestLegJson[];
  if (row.pickedUpAt === null || row.vehiclePlate === null) return [];
  const parties = row.parties as unknown as ManifestPartiesJson;
  return [
    {
      leg: 1,
      carrierUscc: row.carrierUscc,
      carrierName: parties.carrier.name,
      vehiclePlate: row.vehiclePlate,
      occurredAt: row.pickedUpAt,
    },
  ];
}

function evolveParty(rows: RowAccess, event: PartyRegistered): void {
  putPartyNames(rows, manifestParties, event.data);
}

/**
 * Manifests (转移联单) with their parties, state, lines and receipt, for GET /v1/manifests[/{no}]. Parties
 * are taken from PartyRegistered (names and districts: the regulator's scope is the shipper's or the
 * receiver's district). The receipt deadline is counted in the reference data's working-day calendar
 * once, at pickup, and stored (`dueAt`): queries compare with it, never recompute it.
 */
export function createManifestsProjection(reference: ReferenceData) {
  return defineProjection({
    name: MANIFESTS_PROJECTION,
    eventTypes: ['PartyRegistered', ...MANIFEST_EVENT_TYPES],
    tables: [manifestViews, manifestParties],
    migrations: [ManifestTables1764600000100, ManifestLegs1765000000500],
    prefetch(event, keys) {
      const data = event.data;
      if (event.type === 'PartyRegistered') return;
      if (event.type === 'ManifestIssued') {
        for (const uscc of [data.shipperUscc, data.carrierUscc, data.receiverUscc] as string[])
          keys.want(manifestParties, { uscc });
        return;
      }
      keys.want(manifestViews, { manifestNo: data.manifestNo as string });
      if (event.type === 'ManifestHandedOver')
        keys.want(manifestParties, { uscc: data.carrierUscc as string });
    },
    async evolve(rows, recorded) {
      const event = upcast(recorded.type, recorded.schemaVersion, recorded.data);
      if (event.type === 'PartyRegistered') evolveParty(rows, event);
      else await evolveManifestEvent(rows, recorded, event as ManifestEvent, reference);
    },
  });
}
