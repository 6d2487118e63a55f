/**
 * Domain errors. Every refusal of the domain is a named class extending `DomainError` with
 *  - `rule`: a stable kebab-case identifier (part of the API contract: problem documents carry it),
 *  - `kind`: how the HTTP layer maps it (invalid → 400, not-found → 404, forbidden → 403,
 *    conflict → 409, rule → 422),
 *  - `details`: plain JSON-safe facts; `details.field` names the input field at fault when there is one.
 */
export type DomainErrorKind = 'invalid' | 'not-found' | 'forbidden' | 'conflict' | 'rule';

export type DetailValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly DetailValue[]
  | { readonly [key: string]: DetailValue };

export type ErrorDetails = { readonly [key: string]: DetailValue };

interface DomainErrorInit {
  readonly name: string;
  readonly rule: string;
  readonly kind: DomainErrorKind;
  readonly message: string;
  readonly details?: ErrorDetails;
}

export abstract class DomainError extends Error {
  readonly rule: string;
  readonly kind: DomainErrorKind;
  readonly details: ErrorDetails;

  protected constructor(init: DomainErrorInit) {
    super(init.message);
    this.name = init.name;
    this.rule = init.rule;
    this.kind = init.kind;
    this.details = init.details ?? {};
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

// ---------------------------------------------------------------------------------------------
// invalid (400): a malformed value
// ---------------------------------------------------------------------------------------------

/** A value that is not a valid mass: not a number, not an integer number of grams, more than 3 decimals of kg. */
export class InvalidMass extends DomainError {
  constructor(field: string, value: DetailValue, reason: string) {
    super({
      name: 'InvalidMass',
      rule: 'invalid-mass',
      kind: 'invalid',
      message: `${field}: ${reason}`,
      details: { field, value, reason },
    });
  }
}

export class MassNotPositive extends DomainError {
  constructor(field: string, value: DetailValue) {
    super({
      name: 'MassNotPositive',
      rule: 'mass-not-positive',
      kind: 'invalid',
      message: `${field} must be positive`,
      details: { field, value },
    });
  }
}

export class MassOutOfRange extends DomainError {
  constructor(field: string, value: DetailValue, maxKg: number) {
    super({
      name: 'MassOutOfRange',
      rule: 'mass-out-of-range',
      kind: 'invalid',
      message: `${field} exceeds the bound of ${maxKg} kg`,
      details: { field, value, maxKg },
    });
  }
}

export class InvalidUscc extends DomainError {
  constructor(field: string, value: DetailValue, reason: string) {
    super({
      name: 'InvalidUscc',
      rule: 'invalid-uscc',
      kind: 'invalid',
      message: `${field}: ${reason}`,
      details: { field, value, reason },
    });
  }
}

export class InvalidDistrictCode extends DomainError {
  constructor(field: string, value: DetailValue, reason: string) {
    super({
      name: 'InvalidDistrictCode',
      rule: 'invalid-district-code',
      kind: 'invalid',
      message: `${field}: ${reason}`,
      details: { field, value, reason },
    });
  }
}

export class InvalidRegion extends DomainError {
  constructor(field: string, value: DetailValue) {
    super({
      name: 'InvalidRegion',
      rule: 'invalid-region',
      kind: 'invalid',
      message: `${field}: a region is a division code prefix of 2, 4 or 6 digits`,
      details: { field, value },
    });
  }
}

/** A malformed trace code, including a wrong check character: a mistyped code is invalid, never "not found". */
export class InvalidTraceCode extends DomainError {
  constructor(field: string, value: DetailValue, reason: string) {
    super({
      name: 'InvalidTraceCode',
      rule: 'invalid-trace-code',
      kind: 'invalid',
      message: `${field}: ${reason}`,
      details: { field, value, reason },
    });
  }
}

export class InvalidManifestNumber extends DomainError {
  constructor(field: string, value: DetailValue, reason: string) {
    super({
      name: 'InvalidManifestNumber',
      rule: 'invalid-manifest-number',
      kind: 'invalid',
      message: `${field}: ${reason}`,
      details: { field, value, reason },
    });
  }
}

/** The manifest number's province and city are not those of the shipper (the number is allocated where the waste leaves). */
export class ManifestNumberMismatch extends DomainError {
  constructor(manifestNo: string, shipperDistrictCode: string) {
    super({
      name: 'ManifestNumberMismatch',
      rule: 'manifest-number-mismatch',
      kind: 'invalid',
      message: `manifest number ${manifestNo} was not allocated in the shipper's city (${shipperDistrictCode.slice(0, 4)})`,
      details: { field: 'manifestNo', manifestNo, shipperDistrictCode },
    });
  }
}

export class InvalidVehiclePlate extends DomainError {
  constructor(field: string, value: DetailValue) {
    super({
      name: 'InvalidVehiclePlate',
      rule: 'invalid-vehicle-plate',
      kind: 'invalid',
      message: `${field}: not a Chinese vehicle plate (7 characters, or 8 for new-energy vehicles)`,
      details: { field, value },
    });
  }
}

export class InvalidOperationCode extends DomainError {
  constructor(field: string, value: DetailValue) {
    super({
      name: 'InvalidOperationCode',
      rule: 'invalid-operation-code',
      kind: 'invalid',
      message: `${field}: unknown operation code`,
      details: { field, value },
    });
  }
}

/** `collect` and `store` are permit operations, not treatments. */
export class NotATreatmentOperation extends DomainError {
  constructor(field: string, value: DetailValue) {
    super({
      name: 'NotATreatmentOperation',
      rule: 'not-a-treatment-operation',
      kind: 'invalid',
      message: `${field}: ${String(value)} is not a utilisation or disposal operation`,
      details: { field, value },
    });
  }
}

export class InvalidCategory extends DomainError {
  constructor(field: string, value: DetailValue) {
    super({
      name: 'InvalidCategory',
      rule: 'invalid-category',
      kind: 'invalid',
      message: `${field}: unknown waste category`,
      details: { field, value },
    });
  }
}

export class InvalidSubtype extends DomainError {
  constructor(field: string, value: DetailValue, category: string) {
    super({
      name: 'InvalidSubtype',
      rule: 'invalid-subtype',
      kind: 'invalid',
      message: `${field}: ${String(value)} is not a subtype of ${category}`,
      details: { field, value, category },
    });
  }
}

export class SubtypeRequired extends DomainError {
  constructor(category: string) {
    super({
      name: 'SubtypeRequired',
      rule: 'subtype-required',
      kind: 'invalid',
      message: `a subtype is required for ${category}`,
      details: { field: 'subtype', category },
    });
  }
}

export class WasteCodeRequired extends DomainError {
  constructor() {
    super({
      name: 'WasteCodeRequired',
      rule: 'waste-code-required',
      kind: 'invalid',
      message: 'hazardous waste needs its waste code',
      details: { field: 'wasteCode' },
    });
  }
}

export class WasteCodeNotAllowed extends DomainError {
  constructor(category: string) {
    super({
      name: 'WasteCodeNotAllowed',
      rule: 'waste-code-not-allowed',
      kind: 'invalid',
      message: `a hazardous waste code is not allowed for ${category}`,
      details: { field: 'wasteCode', category },
    });
  }
}

/** Not of the form NNN-NNN-NN, or its HW category does not exist. */
export class InvalidWasteCode extends DomainError {
  constructor(field: string, value: DetailValue, reason: string) {
    super({
      name: 'InvalidWasteCode',
      rule: 'invalid-waste-code',
      kind: 'invalid',
      message: `${field}: ${reason}`,
      details: { field, value, reason },
    });
  }
}

/** Well-formed, but not in the loaded edition of the catalogue. */
export class UnknownWasteCode extends DomainError {
  constructor(field: string, value: string, edition: string) {
    super({
      name: 'UnknownWasteCode',
      rule: 'unknown-waste-code',
      kind: 'invalid',
      message: `${field}: ${value} is not in the ${edition} edition of the National Hazardous Waste List`,
      details: { field, value, edition },
    });
  }
}

export class InvalidHwCategory extends DomainError {
  constructor(field: string, value: DetailValue) {
    super({
      name: 'InvalidHwCategory',
      rule: 'invalid-hw-category',
      kind: 'invalid',
      message: `${field}: not an existing HW category (HW01–HW40, HW45–HW50)`,
      details: { field, value },
    });
  }
}

export class InvalidCatalogue extends DomainError {
  constructor(edition: string, reason: string, line?: number) {
    super({
      name: 'InvalidCatalogue',
      rule: 'invalid-catalogue',
      kind: 'invalid',
      message: `hazardous waste catalogue ${edition}${line === undefined ? '' : ` line ${line}`}: ${reason}`,
      details: { edition, reason, line },
    });
  }
}

export class InvalidTimestamp extends DomainError {
  constructor(field: string, value: DetailValue, reason: string) {
    super({
      name: 'InvalidTimestamp',
      rule: 'invalid-timestamp',
      kind: 'invalid',
      message: `${field}: ${reason}`,
      details: { field, value, reason },
    });
  }
}

export class InvalidRole extends DomainError {
  constructor(field: string, value: DetailValue) {
    super({
      name: 'InvalidRole',
      rule: 'invalid-role',
      kind: 'invalid',
      message: `${field}: roles are a non-empty set of generator, collector, carrier, receiver`,
      details: { field, value },
    });
  }
}

/** A required text is missing or empty, a list is empty, or a value has the wrong type. */
export class InvalidValue extends DomainError {
  constructor(field: string, value: DetailValue, reason: string) {
    super({
      name: 'InvalidValue',
      rule: 'invalid-value',
      kind: 'invalid',
      message: `${field}: ${reason}`,
      details: { field, value, reason },
    });
  }
}

export class DuplicateLine extends DomainError {
  constructor(field: string, traceCode: string) {
    super({
      name: 'DuplicateLine',
      rule: 'duplicate-line',
      kind: 'invalid',
      message: `${field}: ${traceCode} appears more than once`,
      details: { field, traceCode },
    });
  }
}

export class TooFewConsolidationInputs extends DomainError {
  constructor(count: number) {
    super({
      name: 'TooFewConsolidationInputs',
      rule: 'too-few-consolidation-inputs',
      kind: 'invalid',
      message: 'a consolidation takes at least two batches',
      details: { field: 'lines', count },
    });
  }
}

/** The receipt must have exactly one line per manifest line. */
export class ReceiptLinesMismatch extends DomainError {
  constructor(manifestNo: string, missing: readonly string[], unexpected: readonly string[]) {
    super({
      name: 'ReceiptLinesMismatch',
      rule: 'receipt-lines-mismatch',
      kind: 'invalid',
      message: `the receipt of ${manifestNo} must have exactly one line per manifest line`,
      details: { field: 'lines', manifestNo, missing, unexpected },
    });
  }
}

export class RejectionReasonRequired extends DomainError {
  constructor(traceCode: string, field = 'reason') {
    super({
      name: 'RejectionReasonRequired',
      rule: 'rejection-reason-required',
      kind: 'invalid',
      message: `${field}: a reason is required when rejecting part of ${traceCode}`,
      details: { field, traceCode },
    });
  }
}

/** The trace code given for a new (consolidated) batch does not embed the expected district, category or date. */
export class TraceCodeMismatch extends DomainError {
  constructor(
    field: string,
    traceCode: string,
    expected: { districtCode: string; categoryLetter: string; date: string },
  ) {
    super({
      name: 'TraceCodeMismatch',
      rule: 'trace-code-mismatch',
      kind: 'invalid',
      message: `${field}: ${traceCode} must be a root code of district ${expected.districtCode}, category ${expected.categoryLetter}, date ${expected.date}`,
      details: { field, traceCode, ...expected },
    });
  }
}

export class InvalidPermit extends DomainError {
  constructor(field: string, reason: string, value?: DetailValue) {
    super({
      name: 'InvalidPermit',
      rule: 'invalid-permit',
      kind: 'invalid',
      message: `${field}: ${reason}`,
      details: { field, reason, value },
    });
  }
}

export class UnknownEventType extends DomainError {
  constructor(type: string) {
    super({
      name: 'UnknownEventType',
      rule: 'unknown-event-type',
      kind: 'invalid',
      message: `unknown event type ${type}`,
      details: { type },
    });
  }
}

export class UnsupportedSchemaVersion extends DomainError {
  constructor(type: string, schemaVersion: number, current: number) {
    super({
      name: 'UnsupportedSchemaVersion',
      rule: 'unsupported-schema-version',
      kind: 'invalid',
      message: `${type} v${schemaVersion} cannot be upcast to v${current}`,
      details: { type, schemaVersion, current },
    });
  }
}

// ---------------------------------------------------------------------------------------------
// not-found (404)
// ---------------------------------------------------------------------------------------------

export class PartyNotFound extends DomainError {
  constructor(uscc: string, field?: string) {
    super({
      name: 'PartyNotFound',
      rule: 'party-not-found',
      kind: 'not-found',
      message: `no registered party ${uscc}`,
      details: { field, uscc },
    });
  }
}

export class BatchNotFound extends DomainError {
  constructor(traceCode: string, field?: string) {
    super({
      name: 'BatchNotFound',
      rule: 'batch-not-found',
      kind: 'not-found',
      message: `no batch ${traceCode}`,
      details: { field, traceCode },
    });
  }
}

export class ManifestNotFound extends DomainError {
  constructor(manifestNo: string) {
    super({
      name: 'ManifestNotFound',
      rule: 'manifest-not-found',
      kind: 'not-found',
      message: `no manifest ${manifestNo}`,
      details: { manifestNo },
    });
  }
}

export class PermitNotFound extends DomainError {
  constructor(uscc: string, permitNo: string) {
    super({
      name: 'PermitNotFound',
      rule: 'permit-not-found',
      kind: 'not-found',
      message: `${uscc} holds no permit ${permitNo}`,
      details: { uscc, permitNo },
    });
  }
}

// ---------------------------------------------------------------------------------------------
// forbidden (403): the actor may not do this
// ---------------------------------------------------------------------------------------------

export class NotCustodian extends DomainError {
  constructor(traceCode: string, actorUscc: string, custodianUscc: string) {
    super({
      name: 'NotCustodian',
      rule: 'not-custodian',
      kind: 'forbidden',
      message: `${actorUscc} is not the custodian of ${traceCode}`,
      details: { traceCode, actorUscc, custodianUscc },
    });
  }
}

export class NotManifestShipper extends DomainError {
  constructor(manifestNo: string, actorUscc: string) {
    super({
      name: 'NotManifestShipper',
      rule: 'not-manifest-shipper',
      kind: 'forbidden',
      message: `${actorUscc} is not the shipper of manifest ${manifestNo}`,
      details: { manifestNo, actorUscc },
    });
  }
}

export class NotManifestCarrier extends DomainError {
  constructor(manifestNo: string, actorUscc: string) {
    super({
      name: 'NotManifestCarrier',
      rule: 'not-manifest-carrier',
      kind: 'forbidden',
      message: `manifest ${manifestNo} does not name ${actorUscc} as its carrier`,
      details: { manifestNo, actorUscc },
    });
  }
}

export class NotManifestReceiver extends DomainError {
  constructor(manifestNo: string, actorUscc: string) {
    super({
      name: 'NotManifestReceiver',
      rule: 'not-manifest-receiver',
      kind: 'forbidden',
      message: `manifest ${manifestNo} is not addressed to ${actorUscc}`,
      details: { manifestNo, actorUscc },
    });
  }
}

/** The acting party lacks the role the action needs (e.g. recording generation without the generator role). */
export class ActorLacksRole extends DomainError {
  constructor(actorUscc: string, role: string) {
    super({
      name: 'ActorLacksRole',
      rule: 'actor-lacks-role',
      kind: 'forbidden',
      message: `${actorUscc} does not hold the ${role} role`,
      details: { actorUscc, role },
    });
  }
}

/**
 * A regulator acts only on parties in its regions (district, city or province prefixes) and only for its
 * categories: a hazardous waste permit needs the `hazardous` category.
 */
export class OutsideJurisdiction extends DomainError {
  constructor(uscc: string, reason: 'district' | 'category', facts: { readonly [key: string]: DetailValue }) {
    super({
      name: 'OutsideJurisdiction',
      rule: 'outside-jurisdiction',
      kind: 'forbidden',
      message:
        reason === 'district'
          ? `${uscc} is outside the regulator's districts`
          : `the regulator's categories do not include hazardous waste permits`,
      details: { uscc, reason, ...facts },
    });
  }
}

/** A mass correction needs at least one approval by someone other than the actor. */
export class CorrectionNotApproved extends DomainError {
  constructor(traceCode: string, actorUscc: string) {
    super({
      name: 'CorrectionNotApproved',
      rule: 'correction-not-approved',
      kind: 'forbidden',
      message: `a correction of ${traceCode} needs an approval by someone other than ${actorUscc}`,
      details: { field: 'approvals', traceCode, actorUscc },
    });
  }
}

// ---------------------------------------------------------------------------------------------
// conflict (409): the state does not allow it
// ---------------------------------------------------------------------------------------------

export class PartyAlreadyRegistered extends DomainError {
  constructor(uscc: string) {
    super({
      name: 'PartyAlreadyRegistered',
      rule: 'party-already-registered',
      kind: 'conflict',
      message: `${uscc} is already registered`,
      details: { uscc },
    });
  }
}

export class PermitAlreadyGranted extends DomainError {
  constructor(uscc: string, permitNo: string) {
    super({
      name: 'PermitAlreadyGranted',
      rule: 'permit-already-granted',
      kind: 'conflict',
      message: `permit ${permitNo} is already granted to ${uscc}`,
      details: { field: 'permitNo', uscc, permitNo },
    });
  }
}

export class PermitAlreadyRevoked extends DomainError {
  constructor(uscc: string, permitNo: string) {
    super({
      name: 'PermitAlreadyRevoked',
      rule: 'permit-already-revoked',
      kind: 'conflict',
      message: `permit ${permitNo} is already revoked`,
      details: { uscc, permitNo },
    });
  }
}

export class BatchAlreadyExists extends DomainError {
  constructor(traceCode: string) {
    super({
      name: 'BatchAlreadyExists',
      rule: 'batch-already-exists',
      kind: 'conflict',
      message: `batch ${traceCode} already exists`,
      details: { traceCode },
    });
  }
}

export class ManifestAlreadyExists extends DomainError {
  constructor(manifestNo: string) {
    super({
      name: 'ManifestAlreadyExists',
      rule: 'manifest-already-exists',
      kind: 'conflict',
      message: `manifest ${manifestNo} already exists`,
      details: { field: 'manifestNo', manifestNo },
    });
  }
}

/** The batch is consigned on a manifest that has not been picked up: it is locked until cancelled or shipped. */
export class BatchOnOpenManifest extends DomainError {
  constructor(traceCode: string, manifestNo: string) {
    super({
      name: 'BatchOnOpenManifest',
      rule: 'batch-on-open-manifest',
      kind: 'conflict',
      message: `batch ${traceCode} is on open manifest ${manifestNo}`,
      details: { traceCode, manifestNo },
    });
  }
}

export class BatchInTransit extends DomainError {
  constructor(traceCode: string, manifestNo: string) {
    super({
      name: 'BatchInTransit',
      rule: 'batch-in-transit',
      kind: 'conflict',
      message: `batch ${traceCode} is in transit on manifest ${manifestNo}`,
      details: { traceCode, manifestNo },
    });
  }
}

/** The process manager handed a manifest event to a batch that is not on that manifest. */
export class BatchNotOnManifest extends DomainError {
  constructor(traceCode: string, manifestNo: string) {
    super({
      name: 'BatchNotOnManifest',
      rule: 'batch-not-on-manifest',
      kind: 'conflict',
      message: `batch ${traceCode} is not on manifest ${manifestNo}`,
      details: { traceCode, manifestNo },
    });
  }
}

export class ManifestAlreadyPickedUp extends DomainError {
  constructor(manifestNo: string) {
    super({
      name: 'ManifestAlreadyPickedUp',
      rule: 'manifest-already-picked-up',
      kind: 'conflict',
      message: `manifest ${manifestNo} has already been picked up`,
      details: { manifestNo },
    });
  }
}

export class ManifestNotPickedUp extends DomainError {
  constructor(manifestNo: string) {
    super({
      name: 'ManifestNotPickedUp',
      rule: 'manifest-not-picked-up',
      kind: 'conflict',
      message: `manifest ${manifestNo} has not been picked up`,
      details: { manifestNo },
    });
  }
}

export class ManifestAlreadyReceived extends DomainError {
  constructor(manifestNo: string) {
    super({
      name: 'ManifestAlreadyReceived',
      rule: 'manifest-already-received',
      kind: 'conflict',
      message: `manifest ${manifestNo} has already been received`,
      details: { manifestNo },
    });
  }
}

export class ManifestAlreadyCancelled extends DomainError {
  constructor(manifestNo: string) {
    super({
      name: 'ManifestAlreadyCancelled',
      rule: 'manifest-already-cancelled',
      kind: 'conflict',
      message: `manifest ${manifestNo} has been cancelled`,
      details: { manifestNo },
    });
  }
}

/** An event that cannot apply to the state it is folded into: a corrupt or misrouted stream. */
export class EventNotApplicable extends DomainError {
  constructor(type: string, reason: string) {
    super({
      name: 'EventNotApplicable',
      rule: 'event-not-applicable',
      kind: 'conflict',
      message: `${type}: ${reason}`,
      details: { type, reason },
    });
  }
}

// ---------------------------------------------------------------------------------------------
// rule (422): a domain rule refuses it
// ---------------------------------------------------------------------------------------------

export class OccurredInFuture extends DomainError {
  constructor(occurredAt: string, recordedAt: string, maxClockSkewMs: number) {
    super({
      name: 'OccurredInFuture',
      rule: 'occurred-in-future',
      kind: 'rule',
      message: `occurredAt ${occurredAt} is in the future (recorded at ${recordedAt}, allowed skew ${maxClockSkewMs} ms)`,
      details: { field: 'occurredAt', occurredAt, recordedAt, maxClockSkewMs },
    });
  }
}

/** A step dated before the step it depends on (pickup before issue, treatment before receipt …). */
export class OccurredOutOfOrder extends DomainError {
  constructor(occurredAt: string, notBefore: string, subject: string) {
    super({
      name: 'OccurredOutOfOrder',
      rule: 'occurred-out-of-order',
      kind: 'rule',
      message: `occurredAt ${occurredAt} is before ${notBefore} (${subject})`,
      details: { field: 'occurredAt', occurredAt, notBefore, subject },
    });
  }
}

/** Mass would be created or destroyed (split or consolidation beyond the held mass, a correction below zero …). */
export class MassNotConserved extends DomainError {
  constructor(field: string, message: string, facts: { readonly [key: string]: DetailValue } = {}) {
    super({
      name: 'MassNotConserved',
      rule: 'mass-not-conserved',
      kind: 'rule',
      message: `${field}: ${message}`,
      details: { field, ...facts },
    });
  }
}

export class TreatmentExceedsHeldMass extends DomainError {
  constructor(traceCode: string, requestedGrams: number, heldGrams: number) {
    super({
      name: 'TreatmentExceedsHeldMass',
      rule: 'treatment-exceeds-held-mass',
      kind: 'rule',
      message: `cannot treat ${requestedGrams} g of ${traceCode}: ${heldGrams} g held`,
      details: { field: 'massGrams', traceCode, requestedGrams, heldGrams },
    });
  }
}

/** A manifest line ships the whole held mass of a batch (split first to ship part of it). */
export class ManifestLineMassMismatch extends DomainError {
  constructor(traceCode: string, lineGrams: number, heldGrams: number) {
    super({
      name: 'ManifestLineMassMismatch',
      rule: 'manifest-line-mass-mismatch',
      kind: 'rule',
      message: `line ${traceCode}: ${lineGrams} g given but ${heldGrams} g held; a line ships the whole batch (split first)`,
      details: { field: 'lines', traceCode, lineGrams, heldGrams },
    });
  }
}

/** A receipt can only lose mass, never create it (reconcile a heavier weighing by correcting the batch first). */
export class ReceivedExceedsShipped extends DomainError {
  constructor(traceCode: string, receivedGrams: number, shippedGrams: number) {
    super({
      name: 'ReceivedExceedsShipped',
      rule: 'received-exceeds-shipped',
      kind: 'rule',
      message: `line ${traceCode}: received ${receivedGrams} g > shipped ${shippedGrams} g`,
      details: { field: 'receivedGrams', traceCode, receivedGrams, shippedGrams },
    });
  }
}

export class AcceptedExceedsReceived extends DomainError {
  constructor(traceCode: string, acceptedGrams: number, receivedGrams: number) {
    super({
      name: 'AcceptedExceedsReceived',
      rule: 'accepted-exceeds-received',
      kind: 'rule',
      message: `line ${traceCode}: accepted ${acceptedGrams} g > received ${receivedGrams} g`,
      details: { field: 'acceptedGrams', traceCode, acceptedGrams, receivedGrams },
    });
  }
}

export class CategoryMismatch extends DomainError {
  constructor(field: string, categories: readonly string[]) {
    super({
      name: 'CategoryMismatch',
      rule: 'category-mismatch',
      kind: 'rule',
      message: `${field}: batches of different categories cannot be consolidated (${categories.join(', ')})`,
      details: { field, categories },
    });
  }
}

export class WasteCodeMismatch extends DomainError {
  constructor(field: string, wasteCodes: readonly string[]) {
    super({
      name: 'WasteCodeMismatch',
      rule: 'waste-code-mismatch',
      kind: 'rule',
      message: `${field}: hazardous batches of different waste codes cannot be consolidated (${wasteCodes.join(', ')})`,
      details: { field, wasteCodes },
    });
  }
}

/** The party named as carrier does not hold the carrier role. */
export class CarrierRoleRequired extends DomainError {
  constructor(carrierUscc: string) {
    super({
      name: 'CarrierRoleRequired',
      rule: 'carrier-role-required',
      kind: 'rule',
      message: `${carrierUscc} does not hold the carrier role`,
      details: { field: 'carrierUscc', carrierUscc },
    });
  }
}

/** The party named as receiver holds neither the receiver nor the collector role. */
export class ReceiverRoleRequired extends DomainError {
  constructor(receiverUscc: string) {
    super({
      name: 'ReceiverRoleRequired',
      rule: 'receiver-role-required',
      kind: 'rule',
      message: `${receiverUscc} holds neither the receiver nor the collector role`,
      details: { field: 'receiverUscc', receiverUscc },
    });
  }
}

export class ShipperIsReceiver extends DomainError {
  constructor(uscc: string) {
    super({
      name: 'ShipperIsReceiver',
      rule: 'shipper-is-receiver',
      kind: 'rule',
      message: `${uscc} cannot ship to itself`,
      details: { field: 'receiverUscc', uscc },
    });
  }
}

/** Hazardous waste, and the party holds no permit at all. */
export class NoPermit extends DomainError {
  constructor(uscc: string, wasteCode: string) {
    super({
      name: 'NoPermit',
      rule: 'no-permit',
      kind: 'rule',
      message: `${uscc} holds no hazardous waste permit (${wasteCode})`,
      details: { uscc, wasteCode },
    });
  }
}

/** A permit covers the waste (and operation) but is not valid at that time: not yet valid, expired or revoked. */
export class PermitNotValid extends DomainError {
  constructor(uscc: string, wasteCode: string, at: string, permitNos: readonly string[]) {
    super({
      name: 'PermitNotValid',
      rule: 'permit-not-valid',
      kind: 'rule',
      message: `no permit of ${uscc} covering ${wasteCode} is valid at ${at}`,
      details: { uscc, wasteCode, at, permitNos },
    });
  }
}

export class PermitDoesNotCoverWaste extends DomainError {
  constructor(uscc: string, wasteCode: string, at: string) {
    super({
      name: 'PermitDoesNotCoverWaste',
      rule: 'permit-does-not-cover-waste',
      kind: 'rule',
      message: `no valid permit of ${uscc} covers ${wasteCode} at ${at}`,
      details: { uscc, wasteCode, at },
    });
  }
}

/** The permit covers the waste code but not this operation (e.g. a collector's permit: collect and store only). */
export class PermitDoesNotCoverOperation extends DomainError {
  constructor(uscc: string, wasteCode: string, operation: string, at: string) {
    super({
      name: 'PermitDoesNotCoverOperation',
      rule: 'permit-does-not-cover-operation',
      kind: 'rule',
      message: `no valid permit of ${uscc} covers ${operation} of ${wasteCode} at ${at}`,
      details: { field: 'operation', uscc, wasteCode, operation, at },
    });
  }
}

/** The batch holds no mass any more (fully treated, consolidated, lost or shipped away). */
export class BatchDepleted extends DomainError {
  constructor(traceCode: string) {
    super({
      name: 'BatchDepleted',
      rule: 'batch-depleted',
      kind: 'rule',
      message: `batch ${traceCode} holds no mass`,
      details: { traceCode },
    });
  }
}

/** A batch has at most 1024 children (two base32 characters of child index). */
export class ChildIndexExhausted extends DomainError {
  constructor(traceCode: string, requested: number) {
    super({
      name: 'ChildIndexExhausted',
      rule: 'child-index-exhausted',
      kind: 'rule',
      message: `batch ${traceCode} cannot have more than 1024 children`,
      details: { traceCode, requested },
    });
  }
}
