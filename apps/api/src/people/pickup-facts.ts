import { Inject, Injectable } from '@nestjs/common';
import { decodeEvent, manifestStream, type ManifestPickedUpData } from '@wasteflow/domain';
import { EVENT_STORE, StreamNotFound, type EventStore } from '@wasteflow/event-store';
import { PeopleRecords, type PersonView } from '@wasteflow/ledger';

/** What the pickup recorded about the trip (ManifestPickedUp v3), with its people resolved now. */
export interface PickupFacts {
  readonly vehicleType?: string;
  readonly transportLicenceNo?: string;
  readonly driver?: PersonView;
  readonly escort?: PersonView;
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
    const pickup = await this.pickupOf(manifestNo);
    if (!pickup) return {};
    const resolved = await this.people.resolve([pickup.driverPersonId, pickup.escortPersonId]);
    return {
      ...(pickup.vehicleType === undefined ? {} : { vehicleType: pickup.vehicleType }),
      ...(pickup.transportLicenceNo === undefined ? {} : { transportLicenceNo: pickup.transportLicenceNo }),
      ...(pickup.driverPersonId === undefined ? {} : { driver: resolved.get(pickup.driverPersonId) }),
      ...(pickup.escortPersonId === undefined ? {} : { escort: resolved.get(pickup.escortPersonId) }),
    };
  }

  private async pickupOf(manifestNo: string): Promise<ManifestPickedUpData | undefined> {
    try {
      for (const recorded of await this.store.readStream(manifestStream(manifestNo))) {
        if (recorded.type !== 'ManifestPickedUp') continue;
        const event = decodeEvent(recorded);
        if (event.type === 'ManifestPickedUp') return event.data;
      }
    } catch (error) {
      if (error instanceof StreamNotFound) return undefined;
      throw error;
    }
    return undefined;
  }
}
