import * as errors from './errors';
import { DomainError, isDomainError, type DomainErrorKind } from './errors';

/** Every named error, built with sample facts: its stable rule and its kind (→ HTTP status in the API). */
const samples: [DomainError, string, DomainErrorKind][] = [
  [new errors.InvalidMass('massKg', 1.0001, 'more than 3 decimals'), 'invalid-mass', 'invalid'],
  [new errors.MassNotPositive('massKg', 0), 'mass-not-positive', 'invalid'],
  [new errors.MassOutOfRange('massKg', 1e10, 1e9), 'mass-out-of-range', 'invalid'],
  [new errors.InvalidUscc('uscc', 'x', 'r'), 'invalid-uscc', 'invalid'],
  [new errors.InvalidDistrictCode('districtCode', 'x', 'r'), 'invalid-district-code', 'invalid'],
  [new errors.InvalidRegion('region', 'x'), 'invalid-region', 'invalid'],
  [new errors.InvalidTraceCode('traceCode', 'x', 'r'), 'invalid-trace-code', 'invalid'],
  [new errors.InvalidManifestNumber('manifestNo', 'x', 'r'), 'invalid-manifest-number', 'invalid'],
  [new errors.ManifestNumberMismatch('20253302000001', '330106'), 'manifest-number-mismatch', 'invalid'],
  [new errors.InvalidVehiclePlate('vehiclePlate', 'x'), 'invalid-vehicle-plate', 'invalid'],
  [new errors.InvalidOperationCode('operation', 'x'), 'invalid-operation-code', 'invalid'],
  [new errors.NotATreatmentOperation('operation', 'store'), 'not-a-treatment-operation', 'invalid'],
  [new errors.InvalidCategory('category', 'x'), 'invalid-category', 'invalid'],
  [new errors.InvalidSubtype('subtype', 'x', 'household'), 'invalid-subtype', 'invalid'],
  [new errors.SubtypeRequired('household'), 'subtype-required', 'invalid'],
  [new errors.WasteCodeRequired(), 'waste-code-required', 'invalid'],
  [new errors.WasteCodeNotAllowed('industrial'), 'waste-code-not-allowed', 'invalid'],
  [new errors.InvalidWasteCode('wasteCode', 'x', 'r'), 'invalid-waste-code', 'invalid'],
  [new errors.UnknownWasteCode('wasteCode', '900-250-08', '2021'), 'unknown-waste-code', 'invalid'],
  [new errors.InvalidHwCategory('hwCategories', 'HW42'), 'invalid-hw-category', 'invalid'],
  [new errors.InvalidCatalogue('2021', 'r', 3), 'invalid-catalogue', 'invalid'],
  [new errors.InvalidTimestamp('occurredAt', 'x', 'r'), 'invalid-timestamp', 'invalid'],
  [new errors.InvalidRole('roles', 'x'), 'invalid-role', 'invalid'],
  [new errors.InvalidValue('name', null, 'r'), 'invalid-value', 'invalid'],
  [new errors.DuplicateLine('lines', 'c'), 'duplicate-line', 'invalid'],
  [new errors.TooFewConsolidationInputs(1), 'too-few-consolidation-inputs', 'invalid'],
  [new errors.ReceiptLinesMismatch('m', ['a'], []), 'receipt-lines-mismatch', 'invalid'],
  [new errors.RejectionReasonRequired('c'), 'rejection-reason-required', 'invalid'],
  [
    new errors.TraceCodeMismatch('traceCode', 'c', {
      districtCode: '330106',
      categoryLetter: 'W',
      date: '250303',
    }),
    'trace-code-mismatch',
    'invalid',
  ],
  [new errors.InvalidPermit('operations', 'r'), 'invalid-permit', 'invalid'],
  [new errors.UnknownEventType('X'), 'unknown-event-type', 'invalid'],
  [new errors.UnsupportedSchemaVersion('X', 3, 1), 'unsupported-schema-version', 'invalid'],
  [new errors.PartyNotFound('u'), 'party-not-found', 'not-found'],
  [new errors.BatchNotFound('c'), 'batch-not-found', 'not-found'],
  [new errors.ManifestNotFound('m'), 'manifest-not-found', 'not-found'],
  [new errors.PermitNotFound('u', 'p'), 'permit-not-found', 'not-found'],
  [new errors.NotCustodian('c', 'a', 'b'), 'not-custodian', 'forbidden'],
  [new errors.NotManifestShipper('m', 'a'), 'not-manifest-shipper', 'forbidden'],
  [new errors.NotManifestCarrier('m', 'a'), 'not-manifest-carrier', 'forbidden'],
  [new errors.NotManifestReceiver('m', 'a'), 'not-manifest-receiver', 'forbidden'],
  [new errors.ActorLacksRole('a', 'generator'), 'actor-lacks-role', 'forbidden'],
  [new errors.CorrectionNotApproved('c', 'a'), 'correction-not-approved', 'forbidden'],
  [new errors.OutsideJurisdiction('u', 'district', {}), 'outside-jurisdiction', 'forbidden'],
  [new errors.PartyAlreadyRegistered('u'), 'party-already-registered', 'conflict'],
  [new errors.PermitAlreadyGranted('u', 'p'), 'permit-already-granted', 'conflict'],
  [new errors.PermitAlreadyRevoked('u', 'p'), 'permit-already-revoked', 'conflict'],
  [new errors.BatchAlreadyExists('c'), 'batch-already-exists', 'conflict'],
  [new errors.ManifestAlreadyExists('m'), 'manifest-already-exists', 'conflict'],
  [new errors.BatchOnOpenManifest('c', 'm'), 'batch-on-open-manifest', 'conflict'],
  [new errors.BatchInTransit('c', 'm'), 'batch-in-transit', 'conflict'],
  [new errors.BatchNotOnManifest('c', 'm'), 'batch-not-on-manifest', 'conflict'],
  [new errors.ManifestAlreadyPickedUp('m'), 'manifest-already-picked-up', 'conflict'],
  [new errors.ManifestNotPickedUp('m'), 'manifest-not-picked-up', 'conflict'],
  [new errors.ManifestAlreadyReceived('m'), 'manifest-already-received', 'conflict'],
  [new errors.ManifestAlreadyCancelled('m'), 'manifest-already-cancelled', 'conflict'],
  [new errors.EventNotApplicable('X', 'r'), 'event-not-applicable', 'conflict'],
  [new errors.OccurredInFuture('a', 'b', 300000), 'occurred-in-future', 'rule'],
  [new errors.OccurredOutOfOrder('a', 'b', 's'), 'occurred-out-of-order', 'rule'],
  [new errors.MassNotConserved('partsGrams', 'r'), 'mass-not-conserved', 'rule'],
  [new errors.TreatmentExceedsHeldMass('c', 2, 1), 'treatment-exceeds-held-mass', 'rule'],
  [new errors.ManifestLineMassMismatch('c', 2, 1), 'manifest-line-mass-mismatch', 'rule'],
  [new errors.ReceivedExceedsShipped('c', 2, 1), 'received-exceeds-shipped', 'rule'],
  [new errors.AcceptedExceedsReceived('c', 2, 1), 'accepted-exceeds-received', 'rule'],
  [new errors.CategoryMismatch('lines', ['a', 'b']), 'category-mismatch', 'rule'],
  [new errors.WasteCodeMismatch('lines', ['a', 'b']), 'waste-code-mismatch', 'rule'],
  [new errors.CarrierRoleRequired('u'), 'carrier-role-required', 'rule'],
  [new errors.ReceiverRoleRequired('u'), 'receiver-role-required', 'rule'],
  [new errors.ShipperIsReceiver('u'), 'shipper-is-receiver', 'rule'],
  [new errors.NoPermit('u', 'w'), 'no-permit', 'rule'],
  [new errors.PermitNotValid('u', 'w', 't', ['p']), 'permit-not-valid', 'rule'],
  [new errors.PermitDoesNotCoverWaste('u', 'w', 't'), 'permit-does-not-cover-waste', 'rule'],
  [new errors.PermitDoesNotCoverOperation('u', 'w', 'D10', 't'), 'permit-does-not-cover-operation', 'rule'],
  [new errors.BatchDepleted('c'), 'batch-depleted', 'rule'],
  [new errors.ChildIndexExhausted('c', 1024), 'child-index-exhausted', 'rule'],
];

describe('domain errors', () => {
  it('cover every exported error class', () => {
    const classes = Object.entries(errors).filter(
      ([name, value]) =>
        typeof value === 'function' && name !== 'DomainError' && value.prototype instanceof DomainError,
    );
    expect(samples.map(([e]) => e.name).sort()).toEqual(classes.map(([name]) => name).sort());
  });

  it.each(samples.map(([e, rule, kind]) => [e.name, e, rule, kind] as const))(
    '%s has a stable rule and kind',
    (name, error, rule, kind) => {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toBeInstanceOf(Error);
      expect(isDomainError(error)).toBe(true);
      expect(error.name).toBe(name);
      expect(error.rule).toBe(rule);
      expect(error.kind).toBe(kind);
      expect(JSON.parse(JSON.stringify(error.details))).toEqual(JSON.parse(JSON.stringify(error.details)));
      expect(error.message.length).toBeGreaterThan(0);
    },
  );

  it('rules are unique kebab-case', () => {
    const rules = samples.map(([, rule]) => rule);
    expect(new Set(rules).size).toBe(rules.length);
    for (const r of rules) expect(r).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it('name the input field at fault', () => {
    expect(new errors.InvalidMass('lines[0].massKg', 1.0001, 'r').details.field).toBe('lines[0].massKg');
    expect(new errors.OccurredInFuture('a', 'b', 1).details.field).toBe('occurredAt');
  });
});
