import * as errors from './errors';
import {
  DOMAIN_ERRORS,
  DomainError,
  ERROR_CATALOGUES,
  isDomainError,
  isFault,
  isRefusal,
  type DomainErrorClass,
  type DomainErrorKind,
} from './errors';

/**
 * Every named error, built with sample facts, with its contract: the stable rule, the kind (→ the HTTP status
 * class in the API: invalid 400, forbidden 403, not-found 404, conflict 409, rule 422, fault 500) and the
 * message (the problem document's `detail`). Adding an error to a catalogue without a line here fails.
 */
const samples: [DomainError, string, DomainErrorKind, string][] = [
  [
    new errors.InvalidMass('massKg', 1.0001, 'more than 3 decimals'),
    'invalid-mass',
    'invalid',
    'massKg: more than 3 decimals',
  ],
  [new errors.MassNotPositive('massKg', 0), 'mass-not-positive', 'invalid', 'massKg must be positive'],
  [
    new errors.MassOutOfRange('massKg', 1e10, 1e9),
    'mass-out-of-range',
    'invalid',
    'massKg exceeds the bound of 1000000000 kg',
  ],
  [new errors.InvalidUscc('uscc', 'x', 'r'), 'invalid-uscc', 'invalid', 'uscc: r'],
  [
    new errors.InvalidDistrictCode('districtCode', 'x', 'r'),
    'invalid-district-code',
    'invalid',
    'districtCode: r',
  ],
  [
    new errors.InvalidRegion('region', 'x'),
    'invalid-region',
    'invalid',
    'region: a region is a division code prefix of 2, 4 or 6 digits',
  ],
  [new errors.InvalidTraceCode('traceCode', 'x', 'r'), 'invalid-trace-code', 'invalid', 'traceCode: r'],
  [
    new errors.InvalidManifestNumber('manifestNo', 'x', 'r'),
    'invalid-manifest-number',
    'invalid',
    'manifestNo: r',
  ],
  [
    new errors.ManifestNumberMismatch('20253302000001', '330106'),
    'manifest-number-mismatch',
    'invalid',
    "manifest number 20253302000001 was not allocated in the shipper's city (3301)",
  ],
  [
    new errors.InvalidVehiclePlate('vehiclePlate', 'x'),
    'invalid-vehicle-plate',
    'invalid',
    'vehiclePlate: not a Chinese vehicle plate (7 characters, or 8 for new-energy vehicles)',
  ],
  [
    new errors.InvalidOperationCode('operation', 'x'),
    'invalid-operation-code',
    'invalid',
    'operation: unknown operation code',
  ],
  [
    new errors.NotATreatmentOperation('operation', 'store'),
    'not-a-treatment-operation',
    'invalid',
    'operation: store is not a utilisation or disposal operation',
  ],
  [
    new errors.InvalidCategory('category', 'x'),
    'invalid-category',
    'invalid',
    'category: unknown waste category',
  ],
  [
    new errors.InvalidSubtype('subtype', 'x', 'household'),
    'invalid-subtype',
    'invalid',
    'subtype: x is not a subtype of household',
  ],
  [
    new errors.SubtypeRequired('household'),
    'subtype-required',
    'invalid',
    'a subtype is required for household',
  ],
  [new errors.WasteCodeRequired(), 'waste-code-required', 'invalid', 'hazardous waste needs its waste code'],
  [
    new errors.WasteCodeNotAllowed('industrial'),
    'waste-code-not-allowed',
    'invalid',
    'a hazardous waste code is not allowed for industrial',
  ],
  [new errors.InvalidWasteCode('wasteCode', 'x', 'r'), 'invalid-waste-code', 'invalid', 'wasteCode: r'],
  [
    new errors.UnknownWasteCode('wasteCode', '900-250-08', '2021'),
    'unknown-waste-code',
    'invalid',
    'wasteCode: 900-250-08 is not in the 2021 edition of the National Hazardous Waste List',
  ],
  [
    new errors.UnknownCatalogueEdition('2016', ['2021']),
    'catalogue-edition-not-found',
    'not-found',
    'edition 2016 of the National Hazardous Waste List is not loaded (loaded: 2021)',
  ],
  [
    new errors.InvalidHwCategory('hwCategories', 'HW42'),
    'invalid-hw-category',
    'invalid',
    'hwCategories: not an existing HW category (HW01–HW40, HW45–HW50)',
  ],
  [
    new errors.InvalidCatalogue('2021', 'r', 3),
    'invalid-catalogue',
    'fault',
    'hazardous waste catalogue 2021 line 3: r',
  ],
  [
    new errors.InvalidWorkdayCalendar('r', 4),
    'invalid-workday-calendar',
    'fault',
    'working-day calendar line 4: r',
  ],
  [new errors.InvalidTimestamp('occurredAt', 'x', 'r'), 'invalid-timestamp', 'invalid', 'occurredAt: r'],
  [
    new errors.InvalidRole('roles', 'x'),
    'invalid-role',
    'invalid',
    'roles: roles are a non-empty set of generator, collector, carrier, receiver',
  ],
  [new errors.InvalidValue('name', null, 'r'), 'invalid-value', 'invalid', 'name: r'],
  [new errors.InvalidText('name', 'r'), 'invalid-text', 'invalid', 'name: r'],
  [new errors.DuplicateLine('lines', 'c'), 'duplicate-line', 'invalid', 'lines: c appears more than once'],
  [
    new errors.TooFewConsolidationInputs(1),
    'too-few-consolidation-inputs',
    'invalid',
    'a consolidation takes at least two batches',
  ],
  [
    new errors.ReceiptLinesMismatch('m', ['a'], []),
    'receipt-lines-mismatch',
    'invalid',
    'the receipt of m must have exactly one line per manifest line',
  ],
  [
    new errors.RejectionReasonRequired('c'),
    'rejection-reason-required',
    'invalid',
    'reason: a reason is required when rejecting part of c',
  ],
  [
    new errors.TraceCodeMismatch('traceCode', 'c', {
      districtCode: '330106',
      categoryLetter: 'W',
      date: '250303',
    }),
    'trace-code-mismatch',
    'invalid',
    'traceCode: c must be a root code of district 330106, category W, date 250303',
  ],
  [new errors.InvalidPermit('operations', 'r'), 'invalid-permit', 'invalid', 'operations: r'],
  [new errors.InvalidFacility('operations', 'r'), 'invalid-facility', 'invalid', 'operations: r'],
  [new errors.UnknownEventType('X'), 'unknown-event-type', 'fault', 'unknown event type X'],
  [
    new errors.UnsupportedSchemaVersion('X', 3, 1),
    'unsupported-schema-version',
    'fault',
    'X v3 cannot be upcast to v1',
  ],
  [
    new errors.MalformedEvent('WasteGenerated', 'massGrams: not a whole number of grams'),
    'malformed-event',
    'fault',
    'WasteGenerated: massGrams: not a whole number of grams',
  ],
  [
    new errors.EventHashMismatch('batch-c', '3', 'BatchLostInTransit'),
    'event-hash-mismatch',
    'fault',
    'batch-c revision 3 (BatchLostInTransit): the stored hash is not the hash of the event',
  ],
  [new errors.PartyNotFound('u'), 'party-not-found', 'not-found', 'no registered party u'],
  [new errors.BatchNotFound('c'), 'batch-not-found', 'not-found', 'no batch c'],
  [new errors.ManifestNotFound('m'), 'manifest-not-found', 'not-found', 'no manifest m'],
  [new errors.PermitNotFound('u', 'p'), 'permit-not-found', 'not-found', 'u holds no permit p'],
  [new errors.NotCustodian('c', 'a', 'b'), 'not-custodian', 'forbidden', 'a holds no batch c'],
  [
    new errors.NotManifestShipper('m', 'a'),
    'not-manifest-shipper',
    'forbidden',
    'a is not the shipper of manifest m',
  ],
  [
    new errors.NotManifestCarrier('m', 'a'),
    'not-manifest-carrier',
    'forbidden',
    'manifest m does not name a as its carrier',
  ],
  [
    new errors.NotManifestReceiver('m', 'a'),
    'not-manifest-receiver',
    'forbidden',
    'manifest m is not addressed to a',
  ],
  [
    new errors.ActorLacksRole('a', 'generator'),
    'actor-lacks-role',
    'forbidden',
    'a does not hold the generator role',
  ],
  [
    new errors.NotAllowedToTreat('a', 'R5', 't', []),
    'not-allowed-to-treat',
    'forbidden',
    'a has neither the receiver role nor a registered facility covering R5',
  ],
  [
    new errors.FacilityDoesNotCover('a', 'F2', 'R5', 't', ['F1']),
    'facility-does-not-cover',
    'rule',
    'F2 is not a registered facility of a covering R5 at t (covering: F1)',
  ],
  [
    new errors.FacilityNotNamed('a', 'R5', 't', ['F1', 'F2']),
    'facility-not-named',
    'invalid',
    'several registered facilities of a cover R5 at t: name one in facilityCode (F1, F2)',
  ],
  [
    new errors.NoStandingForCorrection('c', 'cr-1'),
    'no-standing-for-correction',
    'forbidden',
    'no standing to decide correction request cr-1 of c',
  ],
  [
    new errors.CorrectionSelfApproval('c', 'cr-1'),
    'correction-self-approval',
    'forbidden',
    'the custodian that requested cr-1 of c cannot decide it',
  ],
  [
    new errors.CorrectionRequestNotFound('c', 'cr-9'),
    'correction-request-not-found',
    'not-found',
    'no correction request cr-9 of c',
  ],
  [
    new errors.CorrectionAlreadyDecided('c', 'cr-1', 'approved'),
    'correction-already-decided',
    'conflict',
    'correction request cr-1 of c is approved',
  ],
  [
    new errors.CorrectionRequestPending('c', 'cr-1'),
    'correction-request-pending',
    'conflict',
    'correction request cr-1 of c is still pending',
  ],
  [
    new errors.OutsideJurisdiction('u', 'district', {}),
    'outside-jurisdiction',
    'forbidden',
    "u is outside the regulator's districts",
  ],
  [new errors.PartyAlreadyRegistered('u'), 'party-already-registered', 'conflict', 'u is already registered'],
  [
    new errors.PermitAlreadyGranted('u', 'p'),
    'permit-already-granted',
    'conflict',
    'permit p is already granted to u',
  ],
  [
    new errors.FacilityAlreadyRegistered('u', 'f'),
    'facility-already-registered',
    'conflict',
    'facility f is already registered for u',
  ],
  [
    new errors.PermitAlreadyRevoked('u', 'p'),
    'permit-already-revoked',
    'conflict',
    'permit p is already revoked',
  ],
  [new errors.BatchAlreadyExists('c'), 'batch-already-exists', 'conflict', 'batch c already exists'],
  [new errors.ManifestAlreadyExists('m'), 'manifest-already-exists', 'conflict', 'manifest m already exists'],
  [
    new errors.BatchOnOpenManifest('c', 'm'),
    'batch-on-open-manifest',
    'conflict',
    'batch c is on open manifest m',
  ],
  [
    new errors.BatchInTransit('c', 'm'),
    'batch-in-transit',
    'conflict',
    'batch c is in transit on manifest m',
  ],
  [
    new errors.BatchNotOnManifest('c', 'm'),
    'batch-not-on-manifest',
    'conflict',
    'batch c is not on manifest m',
  ],
  [
    new errors.ManifestAlreadyPickedUp('m'),
    'manifest-already-picked-up',
    'conflict',
    'manifest m has already been picked up',
  ],
  [
    new errors.ManifestNotPickedUp('m'),
    'manifest-not-picked-up',
    'conflict',
    'manifest m has not been picked up',
  ],
  [
    new errors.ManifestAlreadyReceived('m'),
    'manifest-already-received',
    'conflict',
    'manifest m has already been received',
  ],
  [
    new errors.ManifestAlreadyCancelled('m'),
    'manifest-already-cancelled',
    'conflict',
    'manifest m has been cancelled',
  ],
  [new errors.EventNotApplicable('X', 'r'), 'event-not-applicable', 'fault', 'X: r'],
  [
    new errors.OccurredInFuture('a', 'b', 300000),
    'occurred-in-future',
    'rule',
    'occurredAt a is in the future (recorded at b, allowed skew 300000 ms)',
  ],
  [
    new errors.OccurredOutOfOrder('a', 'b', 's'),
    'occurred-out-of-order',
    'rule',
    'occurredAt a is before b (s)',
  ],
  [new errors.MassNotConserved('partsGrams', 'r'), 'mass-not-conserved', 'rule', 'partsGrams: r'],
  [
    new errors.TreatmentExceedsHeldMass('c', 2, 1),
    'treatment-exceeds-held-mass',
    'rule',
    'cannot treat 2 g of c: 1 g held',
  ],
  [
    new errors.ManifestLineMassMismatch('c', 2, 1),
    'manifest-line-mass-mismatch',
    'rule',
    'line c: 2 g given but 1 g held; a line ships the whole batch (split first)',
  ],
  [
    new errors.ReceivedExceedsShipped('c', 2, 1),
    'received-exceeds-shipped',
    'rule',
    'line c: received 2 g > shipped 1 g',
  ],
  [
    new errors.AcceptedExceedsReceived('c', 2, 1),
    'accepted-exceeds-received',
    'rule',
    'line c: accepted 2 g > received 1 g',
  ],
  [
    new errors.CategoryMismatch('lines', ['a', 'b']),
    'category-mismatch',
    'rule',
    'lines: batches of different categories cannot be consolidated (a, b)',
  ],
  [
    new errors.WasteCodeMismatch('lines', ['a', 'b']),
    'waste-code-mismatch',
    'rule',
    'lines: hazardous batches of different waste codes cannot be consolidated (a, b)',
  ],
  [new errors.CarrierRoleRequired('u'), 'carrier-role-required', 'rule', 'u does not hold the carrier role'],
  [
    new errors.NotCurrentCarrier('m', 'a', 'b'),
    'not-current-carrier',
    'forbidden',
    'a does not hold manifest m (its carrier now is b)',
  ],
  [new errors.HandoverToSelf('u'), 'handover-to-self', 'rule', 'u cannot hand a manifest over to itself'],
  [
    new errors.ReceiverRoleRequired('u'),
    'receiver-role-required',
    'rule',
    'u holds neither the receiver nor the collector role',
  ],
  [new errors.ShipperIsReceiver('u'), 'shipper-is-receiver', 'rule', 'u cannot ship to itself'],
  [
    new errors.WeighedLineNotOnManifest('20263301000001', 'c', 'lines[0].traceCode'),
    'weighed-line-not-on-manifest',
    'invalid',
    'lines[0].traceCode: c is not a line of manifest 20263301000001',
  ],
  [
    new errors.ManifestMixesCategories(['construction', 'hazardous']),
    'manifest-mixes-categories',
    'rule',
    'a manifest carries one category of waste; these lines are construction, hazardous (issue one manifest per category)',
  ],
  [new errors.NoPermit('u', 'w'), 'no-permit', 'rule', 'u holds no hazardous waste permit (w)'],
  [
    new errors.PermitCapacityExceeded('u', 'p', '2026-01-01', 1_500_000, 1_000_000, 501_000),
    'permit-capacity-exceeded',
    'rule',
    'permit p of u: accepting 501 kg would exceed its annual capacity of 1500 kg (1000 kg used in the permit year from 2026-01-01)',
  ],
  [
    new errors.PermitNotValid('u', 'w', 't', ['p']),
    'permit-not-valid',
    'rule',
    'no permit of u covering w is valid at t',
  ],
  [
    new errors.PermitDoesNotCoverWaste('u', 'w', 't'),
    'permit-does-not-cover-waste',
    'rule',
    'no valid permit of u covers w at t',
  ],
  [
    new errors.PermitDoesNotCoverOperation('u', 'w', 'D10', 't'),
    'permit-does-not-cover-operation',
    'rule',
    'no valid permit of u covers D10 of w at t',
  ],
  [new errors.BatchDepleted('c'), 'batch-depleted', 'rule', 'batch c holds no mass'],
  [
    new errors.ChildIndexExhausted('c', 1024),
    'child-index-exhausted',
    'rule',
    'batch c cannot have more than 1024 children',
  ],
  [
    new errors.InvalidAlertId('alertId', 'x'),
    'invalid-alert-id',
    'invalid',
    'alertId: an alert id <kind>:<subject> of at most 250 characters',
  ],
  [
    new errors.AlertNotConcerningParty('k:1', 'u'),
    'alert-not-concerning-party',
    'forbidden',
    'alert k:1 does not concern u, or does not exist',
  ],
  [
    new errors.AlertOutsideJurisdiction('k:1', ['3302'], ['hazardous']),
    'alert-outside-jurisdiction',
    'forbidden',
    "alert k:1 is not in this regulator's regions and categories, or does not exist",
  ],
  [
    new errors.AlertAlreadyAcknowledged('k:1', 'u', 't'),
    'alert-already-acknowledged',
    'conflict',
    'alert k:1 was already acknowledged by u at t',
  ],
  [
    new errors.AlertAlreadyClosed('k:1', 't'),
    'alert-already-closed',
    'conflict',
    'alert k:1 was closed at t',
  ],
  [new errors.AlertNotFound('k:1'), 'alert-not-found', 'not-found', 'no alert k:1 has been raised'],
  [
    new errors.InvalidTransferApprovalNo('approvalNo', 'a/b'),
    'invalid-transfer-approval-no',
    'invalid',
    'approvalNo: an approval number of 1–64 letters, digits, CJK characters and - _ . ( ) 〔 〕 （ ） [ ] 【 】',
  ],
  [
    new errors.InvalidTransferApproval('wasteCodes', 'an approval covers at least one waste code'),
    'invalid-transfer-approval',
    'invalid',
    'wasteCodes: an approval covers at least one waste code',
  ],
  [
    new errors.TransferApprovalValidityTooLong('2026-01-01', '2027-06-30', '2026-12-31'),
    'transfer-approval-validity-exceeded',
    'rule',
    'a transfer approval from 2026-01-01 is valid for at most 12 months (until 2026-12-31), not until 2027-06-30',
  ],
  [
    new errors.TransferApprovalOutsideProvince('u', '33', ['3301'], ['hazardous']),
    'transfer-approval-outside-province',
    'forbidden',
    'a transfer approval for u is granted by the regulator of province 33 for hazardous waste',
  ],
  [
    new errors.TransferApprovalSameProvince('33'),
    'transfer-approval-same-province',
    'rule',
    'shipper and receiver are both in province 33: a transfer within a province needs no approval',
  ],
  [
    new errors.TransferApprovalAlreadyGranted('A1'),
    'transfer-approval-already-granted',
    'conflict',
    'transfer approval A1 is already recorded',
  ],
  [
    new errors.TransferApprovalRequired('33', '32'),
    'transfer-approval-required',
    'rule',
    'hazardous waste sent from province 33 to province 32 needs a cross-province transfer approval (transferApprovalNo)',
  ],
  [
    new errors.TransferApprovalUnknown('A1', 'u'),
    'transfer-approval-unknown',
    'rule',
    'no transfer approval A1 is granted to u',
  ],
  [
    new errors.TransferApprovalNotValid('A1', 't', '2026-01-01', '2026-06-30'),
    'transfer-approval-not-valid',
    'rule',
    'transfer approval A1 is valid from 2026-01-01 to 2026-06-30, not at t',
  ],
  [
    new errors.TransferApprovalNotCovering('A1', 'wasteCode', '900-214-08'),
    'transfer-approval-not-covering',
    'rule',
    'transfer approval A1 does not cover waste code 900-214-08',
  ],
  [
    new errors.TransferApprovalExceeded('A1', 'receipt', 1_500_000, 1_000_000, 1_000_000),
    'transfer-approval-exceeded',
    'rule',
    'transfer approval A1: 1000 kg is more than the 500 kg left of the 1500 kg approved',
  ],
  [
    new errors.TransferApprovalNotFound('A1'),
    'transfer-approval-not-found',
    'not-found',
    'no transfer approval A1 is recorded',
  ],
  [
    new errors.TransferApprovalNotApplicable('A1'),
    'transfer-approval-not-applicable',
    'rule',
    'manifest needs no cross-province approval (not hazardous waste to another province): A1 is not recorded on it',
  ],
];

const exportedClasses = Object.entries(errors)
  .filter(([, value]) => typeof value === 'function' && value.prototype instanceof DomainError)
  .map(([name]) => name)
  .sort();

describe('domain errors', () => {
  it('the index lists every exported error class once, by catalogue, and each has a sample', () => {
    const indexed = DOMAIN_ERRORS.map((c) => c.name);
    expect(new Set(indexed).size).toBe(indexed.length);
    expect([...indexed].sort()).toEqual(exportedClasses);
    expect(samples.map(([e]) => e.name).sort()).toEqual(exportedClasses);
    expect(Object.values(ERROR_CATALOGUES).flat()).toEqual(DOMAIN_ERRORS);
    expect(exportedClasses.length).toBeGreaterThanOrEqual(76);
  });

  it.each(samples.map(([e, rule, kind, message]) => [e.name, e, rule, kind, message] as const))(
    '%s keeps its rule, kind and message',
    (name, error, rule, kind, message) => {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toBeInstanceOf(Error);
      expect(isDomainError(error)).toBe(true);
      expect(error.name).toBe(name);
      expect(error.rule).toBe(rule);
      expect(error.kind).toBe(kind);
      expect(error.message).toBe(message);
      // the class says the same without an instance (what the docs read)
      const errorClass = error.constructor as unknown as DomainErrorClass;
      expect([errorClass.name, errorClass.rule, errorClass.kind]).toEqual([name, rule, kind]);
      // details are plain JSON: they survive a round trip (a Date, a bigint or a class instance would not)
      expect(JSON.parse(JSON.stringify(error.details))).toEqual(error.details);
      expect(error.stack?.startsWith(`${name}: `)).toBe(true);
    },
  );

  it('rules are unique kebab-case', () => {
    const rules = samples.map(([, rule]) => rule);
    expect(new Set(rules).size).toBe(rules.length);
    for (const r of rules) expect(r).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it('integrity and configuration failures are faults, never refusals', () => {
    const faults = samples.filter(([e]) => isFault(e)).map(([e]) => e.name);
    expect(faults.sort()).toEqual([
      'EventHashMismatch',
      'EventNotApplicable',
      'InvalidCatalogue',
      'InvalidWorkdayCalendar',
      'MalformedEvent',
      'UnknownEventType',
      'UnsupportedSchemaVersion',
    ]);
    for (const [e] of samples) expect(isRefusal(e)).toBe(!faults.includes(e.name));
    expect(isFault(new Error('x'))).toBe(false);
  });

  it('faults name where the stored event sits, for the operator', () => {
    expect(new errors.UnknownEventType('X', { stream: 'batch-c', revision: '3' }).details).toEqual({
      type: 'X',
      stream: 'batch-c',
      revision: '3',
    });
  });

  it('name the input field at fault', () => {
    expect(new errors.InvalidMass('lines[0].massKg', 1.0001, 'r').details.field).toBe('lines[0].massKg');
    expect(new errors.OccurredInFuture('a', 'b', 1).details.field).toBe('occurredAt');
    expect(new errors.RejectionReasonRequired('c').details.field).toBe('reason');
    expect(new errors.RejectionReasonRequired('c', 'lines[1].reason').details.field).toBe('lines[1].reason');
  });
});
