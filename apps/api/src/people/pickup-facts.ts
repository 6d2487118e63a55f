import { Inject, Injectable } from '@nestjs/common';
import {
  decodeEvent,
  manifestStream,
  type ManifestHandedOverData,
  type ManifestIssuedData,
  type ManifestPickedUpData,
  type ManifestReceivedData,
  type TripCrew,
} from '@wasteflow/domain';
import { EVENT_STORE, StreamNotFound, type EventStore } from '@wasteflow/event-store';
import { PeopleRecords, type PersonView } from '@wasteflow/ledger';

/** What a leg's start recorded about its crew (TripCrew), with its people resolved now. */
export interface CrewFacts {
  readonly vehicleType?: string;
  readonly transportLicenceNo?: string;
  readonly driver?: PersonView;
  readonly escort?: PersonView;
}

/** The pickup's crew (ManifestPickedUp v3) and, by leg number, each hand-over's (ManifestHandedOver v2). */
export interface PickupFacts extends CrewFacts {
  readonly legs?: Readonly<Record<string, CrewFacts>>;
}

/**
 * Reads from a manifest's stream, in one read, what its documents show beyond the manifest view (documents
 * read the events, ADR 14): the crews, the receipt's handler and the cross-province approval number the
 * issue recorded; the people's records are resolved at read time. The caller has checked that the principal may read the manifest: the people are
 * shown to exactly those who may read the event that names them.
 */
@Injectable()
export class PickupFactsReader {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly people: PeopleRecords,
  ) {}

  async of(manifestNo: string): Promise<PickupFacts> {
    return (await this.peopleOf(manifestNo)).pickup;
  }

  /**
   * The crews, the receiver's handler the receipt named (ManifestReceived v5), resolved now, and the
   * 跨省转移批准文号 the issue recorded (ManifestIssued v4).
   */
  async peopleOf(
    manifestNo: string,
  ): Promise<{ pickup: PickupFacts; receiptHandler?: PersonView; transferApprovalNo?: string }> {
    const { issued, pickup, handovers, receipt } = await this.crewsOf(manifestNo);
    const ids = [pickup, ...handovers].flatMap((c) => (c ? [c.driverPersonId, c.escortPersonId] : []));
    const resolved = await this.people.resolve([...ids, receipt?.handlerPersonId]);
    const facts = (crew: TripCrew): CrewFacts => ({
      ...(crew.vehicleType === undefined ? {} : { vehicleType: crew.vehicleType }),
      ...(crew.transportLicenceNo === undefined ? {} : { transportLicenceNo: crew.transportLicenceNo }),
      ...(crew.driverPersonId === undefined ? {} : { driver: resolved.get(crew.driverPersonId) }),
      ...(crew.escortPersonId === undefined ? {} : { escort: resolved.get(crew.escortPersonId) }),
    });
    const legs = Object.fromEntries(handovers.map((h) => [String(h.leg), facts(h)]));
    const handlerId = receipt?.handlerPersonId;
    const approvalNo = issued?.transferApprovalNo;
    return {
      pickup: { ...(pickup ? facts(pickup) : {}), ...(handovers.length > 0 ? { legs } : {}) },
      ...(handlerId === undefined ? {} : { receiptHandler: resolved.get(handlerId) }),
      ...(approvalNo === undefined ? {} : { transferApprovalNo: approvalNo }),
    };
  }

  private async crewsOf(manifestNo: string): Promise<{
    issued?: ManifestIssuedData;
    pickup?: ManifestPickedUpData;
    handovers: ManifestHandedOverData[];
    receipt?: ManifestReceivedData;
  }> {
    let issued: ManifestIssuedData | undefined;
    let pickup: ManifestPickedUpData | undefined;
    let receipt: ManifestReceivedData | undefined;
    const handovers: ManifestHandedOverData[] = [];
    const read = new Set(['ManifestIssued', 'ManifestPickedUp', 'ManifestHandedOver', 'ManifestReceived']);
    try {
      for (const recorded of await this.store.readStream(manifestStream(manifestNo))) {
        if (!read.has(recorded.type)) continue;
        const event = decodeEvent(recorded);
        if (event.type === 'ManifestIssued') issued = event.data;
        else if (event.type === 'ManifestPickedUp') pickup = event.data;
        else if (event.type === 'ManifestHandedOver') handovers.push(event.data);
        else if (event.type === 'ManifestReceived') receipt = event.data;
      }
    } catch (error) {
      if (!(error instanceof StreamNotFound)) throw error;
    }
    return { issued, pickup, handovers, receipt };
  }
}
