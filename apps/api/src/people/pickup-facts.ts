import { Inject, Injectable } from '@nestjs/common';
import {
  decodeEvent,
  manifestStream,
  type ManifestHandedOverData,
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
 * Reads a manifest's pickup from its stream (documents read the events, ADR 14) and resolves its people's
 * records at read time. The caller has checked that the principal may read the manifest: the people are
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

  /** The crews, and the receiver's handler the receipt named (ManifestReceived v5), resolved now. */
  async peopleOf(manifestNo: string): Promise<{ pickup: PickupFacts; receiptHandler?: PersonView }> {
    const { pickup, handovers, receipt } = await this.crewsOf(manifestNo);
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
    return {
      pickup: { ...(pickup ? facts(pickup) : {}), ...(handovers.length > 0 ? { legs } : {}) },
      ...(handlerId === undefined ? {} : { receiptHandler: resolved.get(handlerId) }),
    };
  }

  private async crewsOf(manifestNo: string): Promise<{
    pickup?: ManifestPickedUpData;
    handovers: ManifestHandedOverData[];
    receipt?: ManifestReceivedData;
  }> {
    let pickup: ManifestPickedUpData | undefined;
    let receipt: ManifestReceivedData | undefined;
    const handovers: ManifestHandedOverData[] = [];
    const read = new Set(['ManifestPickedUp', 'ManifestHandedOver', 'ManifestReceived']);
    try {
      for (const recorded of await this.store.readStream(manifestStream(manifestNo))) {
        if (!read.has(recorded.type)) continue;
        const event = decodeEvent(recorded);
        if (event.type === 'ManifestPickedUp') pickup = event.data;
        else if (event.type === 'ManifestHandedOver') handovers.push(event.data);
        else if (event.type === 'ManifestReceived') receipt = event.data;
      }
    } catch (error) {
      if (!(error instanceof StreamNotFound)) throw error;
    }
    return { pickup, handovers, receipt };
  }
}
