import { MalformedEvent, UnknownEventType, UnsupportedSchemaVersion } from '../errors';
import { aHazardousBatch, aRegisteredReceiver, canonicalJson } from '../testing';
import { UPCASTERS, upcast, type UpcasterTable } from './decode-event';
import type { DomainEventType } from './domain-event';
import { DOMAIN_EVENT_TYPES, EVENT_SCHEMA_VERSIONS } from './event-catalogue';

describe('events', () => {
  it('have stable, past-tense type names, at schema version 1 but those changed since (ADR 0009), each with its upcasters', () => {
    expect(DOMAIN_EVENT_TYPES).toEqual([
      'PartyRegistered',
      'PermitGranted',
      'PermitRevoked',
      'PermitCapacityDrawn',
      'FacilityRegistered',
      'WasteGenerated',
      'BatchSplit',
      'BatchSplitOff',
      'BatchesConsolidated',
      'BatchConsolidatedInto',
      'BatchConsigned',
      'BatchConsignmentReleased',
      'BatchShipped',
      'BatchHandedOver',
      'BatchLostInTransit',
      'BatchRejectionSplitOff',
      'BatchReturnedFromRejection',
      'BatchReceived',
      'BatchReturnedToShipper',
      'WasteUtilised',
      'WasteDisposed',
      'MassCorrected',
      'MassCorrectionRequested',
      'MassCorrectionApproved',
      'MassCorrectionRejected',
      'ManifestIssued',
      'ManifestPickedUp',
      'ManifestHandedOver',
      'ManifestReceived',
      'ManifestCancelled',
      'AlertAcknowledged',
      'AlertClosed',
      'TransferApprovalGranted',
      'TransferApprovalDrawn',
    ]);
    const changed = {
      PartyRegistered: 3,
      WasteGenerated: 3,
      WasteUtilised: 4,
      WasteDisposed: 4,
      MassCorrected: 2,
      ManifestIssued: 4,
      ManifestPickedUp: 3,
      ManifestHandedOver: 2,
      ManifestReceived: 5,
    };
    expect(Object.fromEntries(Object.entries(EVENT_SCHEMA_VERSIONS).filter(([, v]) => v !== 1))).toEqual(
      changed,
    );
    expect(
      Object.fromEntries(Object.entries(UPCASTERS).map(([type, steps]) => [type, Object.keys(steps)])),
    ).toEqual(
      Object.fromEntries(
        Object.entries(changed).map(([type, v]) => [
          type,
          Array.from({ length: v - 1 }, (_, i) => String(i + 1)),
        ]),
      ),
    );
  });

  it('are plain JSON data: a JSON round trip is the identity', () => {
    for (const e of [...aRegisteredReceiver(), ...aHazardousBatch()])
      expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });

  describe('upcast on read', () => {
    it('is the identity for current events', () => {
      const [e] = aHazardousBatch();
      expect(upcast(e.type, e.schemaVersion, JSON.parse(JSON.stringify(e.data)))).toEqual(e);
    });

    /**
     * The mechanism, with a synthetic history: suppose PermitRevoked v1 lacked `late` and named its reason
     * `why`, and v2 is today's shape. The stored v1 event is never rewritten; it is read as v2.
     */
    it('applies the upcaster chain from the stored version to the current one (synthetic v1 → v2 example)', () => {
      const versions = { ...EVENT_SCHEMA_VERSIONS, PermitRevoked: 2 } as Record<DomainEventType, number>;
      const upcasters: UpcasterTable = {
        PermitRevoked: {
          1: ({ why, ...rest }) => ({ ...rest, reason: why, late: false }),
        },
      };
      const stored = { uscc: 'X', permitNo: 'P1', why: '吊销', occurredAt: '2025-03-03T09:00:00+08:00' };
      const read = upcast('PermitRevoked', 1, stored, upcasters, versions);
      expect(canonicalJson(read)).toBe(
        canonicalJson({
          type: 'PermitRevoked',
          schemaVersion: 2,
          data: {
            uscc: 'X',
            permitNo: 'P1',
            reason: '吊销',
            late: false,
            occurredAt: '2025-03-03T09:00:00+08:00',
          },
        }),
      );
      expect(stored).toHaveProperty('why');
      expect(() => upcast('PermitRevoked', 0, stored, upcasters, versions)).toThrow(UnsupportedSchemaVersion);
    });

    it('refuses unknown types, future versions and non-object data', () => {
      expect(() => upcast('WasteTeleported', 1, {})).toThrow(UnknownEventType);
      expect(() => upcast('WasteGenerated', 4, {})).toThrow(UnsupportedSchemaVersion);
      expect(() => upcast('WasteGenerated', 1, [])).toThrow(MalformedEvent);
    });
  });
});
