import type { WasteGeneratedData } from '../batch/batch.events';
import type { PermitRevokedData } from '../party/party.events';
import { eventTime, type DomainEventOf } from './envelope';
import { optional, record, text, whole, type Fields } from './shape';
import { baseWorld, deliver, generate, givenState, GENERATOR, RECEIVER } from '../testing';
import type { DomainEvent } from './domain-event';
import {
  BATCH_CREATION_EVENT_TYPES,
  BATCH_EVENT_TYPES,
  COMMAND_EVENT_TYPES,
  DOMAIN_EVENT_TYPES,
  EVENT_CATALOGUE,
  MANIFEST_EVENT_TYPES,
  ALERT_EVENT_TYPES,
  TRANSFER_APPROVAL_EVENT_TYPES,
  PARTY_EVENT_TYPES,
  domainEvent,
  entryOf,
  eventFactory,
  isCreation,
  streamOf,
  type CatalogueOf,
  type CreationType,
  type UpcasterChain,
} from './event-catalogue';

const wasteGeneratedFields: Omit<Fields<WasteGeneratedData>, 'description'> = {
  traceCode: text,
  generatorUscc: text,
  districtCode: text,
  massGrams: whole,
  composition: { check: () => undefined },
  category: { check: () => undefined },
  subtype: { check: () => undefined },
  wasteCode: optional(text),
  catalogueEdition: optional(text),
  physicalForm: { check: () => undefined },
  packagingType: optional(text),
  packageCount: optional(whole),
  containerVolume: { check: () => undefined },
  hazards: { check: () => undefined },
  mainComponents: optional(text),
  hazardousComponents: optional(text),
  precautions: optional(text),
  facilityCode: optional(text),
  handlerPersonId: optional(text),
  ...eventTime,
};

/** A world with every kind of event the commands and the process manager write. */
function aLedgerHistory(): readonly DomainEvent[] {
  const g = generate(baseWorld());
  return deliver(g.world, [g.traceCode]).log;
}

describe('the event catalogue', () => {
  it('has one entry per event type, and the per-aggregate lists partition them in catalogue order', () => {
    expect(Object.keys(EVENT_CATALOGUE)).toEqual(DOMAIN_EVENT_TYPES);
    expect([
      ...PARTY_EVENT_TYPES,
      ...BATCH_EVENT_TYPES,
      ...MANIFEST_EVENT_TYPES,
      ...ALERT_EVENT_TYPES,
      ...TRANSFER_APPROVAL_EVENT_TYPES,
    ]).toEqual(DOMAIN_EVENT_TYPES);
    expect(ALERT_EVENT_TYPES).toEqual(['AlertAcknowledged', 'AlertClosed']);
    expect(TRANSFER_APPROVAL_EVENT_TYPES).toEqual(['TransferApprovalGranted', 'TransferApprovalDrawn']);
    expect(PARTY_EVENT_TYPES).toEqual([
      'PartyRegistered',
      'PermitGranted',
      'PermitRevoked',
      'PermitCapacityDrawn',
      'FacilityRegistered',
    ]);
    expect(MANIFEST_EVENT_TYPES).toEqual([
      'ManifestIssued',
      'ManifestPickedUp',
      'ManifestHandedOver',
      'ManifestReceived',
      'ManifestCancelled',
    ]);
    expect(BATCH_CREATION_EVENT_TYPES).toEqual([
      'WasteGenerated',
      'BatchSplitOff',
      'BatchesConsolidated',
      'BatchReturnedFromRejection',
    ]);
  });

  it('says which events record a command and which follow from one (on other streams, or by the process manager)', () => {
    const consequences = Object.fromEntries(
      DOMAIN_EVENT_TYPES.flatMap((type) => {
        const cause = entryOf(type).consequenceOf;
        return cause === undefined ? [] : [[type, cause]];
      }),
    );
    expect(consequences).toEqual({
      BatchSplitOff: 'BatchSplit',
      BatchConsolidatedInto: 'BatchesConsolidated',
      BatchConsigned: 'ManifestIssued',
      BatchConsignmentReleased: 'ManifestCancelled',
      BatchShipped: 'ManifestPickedUp',
      BatchHandedOver: 'ManifestHandedOver',
      BatchLostInTransit: 'ManifestReceived',
      BatchRejectionSplitOff: 'ManifestReceived',
      BatchReturnedFromRejection: 'ManifestReceived',
      BatchReceived: 'ManifestReceived',
      BatchReturnedToShipper: 'ManifestReceived',
      PermitCapacityDrawn: 'ManifestReceived',
      TransferApprovalDrawn: 'ManifestReceived',
    });
    expect(COMMAND_EVENT_TYPES).toEqual(DOMAIN_EVENT_TYPES.filter((type) => !(type in consequences)));
    for (const type of DOMAIN_EVENT_TYPES) {
      const cause = entryOf(type).consequenceOf;
      if (cause !== undefined) expect(COMMAND_EVENT_TYPES).toContain(cause);
    }
  });

  it('given a delivered batch, when every event is routed by the catalogue, then each names its stream, and the first of each stream creates it', () => {
    givenState(aLedgerHistory())
      .when((log) => {
        const firsts = new Map<string, DomainEvent>();
        for (const event of log) if (!firsts.has(streamOf(event))) firsts.set(streamOf(event), event);
        return [...firsts].map(([stream, first]) => [stream.split('-')[0], isCreation(first)]);
      })
      .then([
        ['party', true],
        ['party', true],
        ['party', true],
        ['party', true],
        ['party', true],
        ['batch', true],
        ['manifest', true],
      ]);
    const log = aLedgerHistory();
    expect(log.filter((e) => streamOf(e) === `party-${RECEIVER}`).map((e) => e.type)).toEqual([
      'PartyRegistered',
      'PermitGranted',
      'PermitCapacityDrawn',
    ]);
    expect(streamOf(log.find((e) => e.type === 'ManifestReceived') as DomainEvent)).toMatch(
      /^manifest-\d{14}$/,
    );
    expect(log.find((e) => e.type === 'WasteGenerated')?.data).toMatchObject({ generatorUscc: GENERATOR });
  });

  describe('domainEvent', () => {
    it('writes the version of the catalogue for every type', () => {
      for (const event of aLedgerHistory()) expect(event.schemaVersion).toBe(entryOf(event.type).version);
    });

    /**
     * At the first bump of a version the event must be written at the new version: were it written at 1
     * (as domainEvent did before the catalogue), the next read would upcast new data as if it were old.
     */
    it('given a catalogue where PermitRevoked is at version 2, when one is made, then it is written at version 2', () => {
      const bumped = eventFactory<DomainEvent>({ ...EVENT_CATALOGUE, PermitRevoked: { version: 2 } });
      const data = {
        uscc: 'u',
        permitNo: 'p',
        reason: 'r',
        occurredAt: '2025-03-03T09:00:00+08:00',
        late: false,
      };
      givenState(bumped)
        .when((make) => make('PermitRevoked', data))
        .then({ type: 'PermitRevoked', schemaVersion: 2, data } as never);
      expect(domainEvent('PermitRevoked', data).schemaVersion).toBe(1);
    });
  });

  /**
   * Compile-time checks: each `@ts-expect-error` line must be a type error, or `npm run typecheck` fails
   * ("unused directive"). They prove that the catalogue cannot drift from the DomainEvent union.
   */
  it('fails the build when an event type has no entry, a wrong version, a missing upcaster or a shape that is not its data', () => {
    type WasteTeleported = DomainEventOf<'WasteTeleported', { readonly traceCode: string }>;

    // a new type in the union without a catalogue entry
    // @ts-expect-error — property 'WasteTeleported' is missing
    const incomplete: CatalogueOf<DomainEvent | WasteTeleported> = EVENT_CATALOGUE;

    // the entry's version must be the version in the event's type
    const wrongVersion: CatalogueOf<DomainEvent>['PermitRevoked'] = {
      ...EVENT_CATALOGUE.PermitRevoked,
      // @ts-expect-error — type 2 is not assignable to type 1
      version: 2,
    };

    // a version 3 needs the upcasters from 1 and from 2
    // @ts-expect-error — property '2' is missing
    const gap: UpcasterChain<3> = { 1: (d) => d };
    const chain: UpcasterChain<3> = { 1: (d) => d, 2: (d) => d };

    // a shape must name every field of its data, each with the field's exact type
    // @ts-expect-error — property 'reason' is missing
    const partial = record<PermitRevokedData>({ uscc: text, permitNo: text, ...eventTime });
    const loose = record<PermitRevokedData>({
      uscc: text,
      permitNo: text,
      // @ts-expect-error — a required field checked as optional is not the data's shape
      reason: optional(text),
      ...eventTime,
    });
    const strict = record<WasteGeneratedData>({
      ...wasteGeneratedFields,
      // @ts-expect-error — an optional field checked as required is not the data's shape either
      description: text,
    });

    // an event that is not a creation is not a CreationType
    // @ts-expect-error — 'BatchSplit' does not create its stream
    const notCreation: CreationType = 'BatchSplit';

    expect([incomplete, wrongVersion, gap, chain, partial, loose, strict, notCreation]).toHaveLength(8);
  });
});
