import { domainError } from '../domain-error';

/** Errors of the manifest aggregate (转移联单): issue, pickup, receipt and cancellation. */

/** `manifest <no> <state>`: the manifest's state does not allow the step. */
const manifestIs = (state: string) => (manifestNo: string) =>
  [`manifest ${manifestNo} ${state}`, { manifestNo }] as const;

/** The manifest number's province and city are not those of the shipper (the number is allocated where the waste leaves). */
export class ManifestNumberMismatch extends domainError(
  'invalid',
  'manifest-number-mismatch',
  (manifestNo: string, shipperDistrictCode: string) => [
    `manifest number ${manifestNo} was not allocated in the shipper's city (${shipperDistrictCode.slice(0, 4)})`,
    { field: 'manifestNo', manifestNo, shipperDistrictCode },
  ],
) {}

/** The receipt must have exactly one line per manifest line. */
export class ReceiptLinesMismatch extends domainError(
  'invalid',
  'receipt-lines-mismatch',
  (manifestNo: string, missing: readonly string[], unexpected: readonly string[]) => [
    `the receipt of ${manifestNo} must have exactly one line per manifest line`,
    { field: 'lines', manifestNo, missing, unexpected },
  ],
) {}

export class RejectionReasonRequired extends domainError(
  'invalid',
  'rejection-reason-required',
  (traceCode: string, field?: string) => [
    `${field ?? 'reason'}: a reason is required when rejecting part of ${traceCode}`,
    { field: field ?? 'reason', traceCode },
  ],
) {}

export class ManifestNotFound extends domainError('not-found', 'manifest-not-found', (manifestNo: string) => [
  `no manifest ${manifestNo}`,
  { manifestNo },
]) {}

export class NotManifestShipper extends domainError(
  'forbidden',
  'not-manifest-shipper',
  (manifestNo: string, actorUscc: string) => [
    `${actorUscc} is not the shipper of manifest ${manifestNo}`,
    { manifestNo, actorUscc },
  ],
) {}

export class NotManifestCarrier extends domainError(
  'forbidden',
  'not-manifest-carrier',
  (manifestNo: string, actorUscc: string) => [
    `manifest ${manifestNo} does not name ${actorUscc} as its carrier`,
    { manifestNo, actorUscc },
  ],
) {}

export class NotManifestReceiver extends domainError(
  'forbidden',
  'not-manifest-receiver',
  (manifestNo: string, actorUscc: string) => [
    `manifest ${manifestNo} is not addressed to ${actorUscc}`,
    { manifestNo, actorUscc },
  ],
) {}

export class ManifestAlreadyExists extends domainError(
  'conflict',
  'manifest-already-exists',
  (manifestNo: string) => [`manifest ${manifestNo} already exists`, { field: 'manifestNo', manifestNo }],
) {}

/** The process manager handed a manifest event to a batch that is not on that manifest. */
export class BatchNotOnManifest extends domainError(
  'conflict',
  'batch-not-on-manifest',
  (traceCode: string, manifestNo: string) => [
    `batch ${traceCode} is not on manifest ${manifestNo}`,
    { traceCode, manifestNo },
  ],
) {}

export class ManifestAlreadyPickedUp extends domainError(
  'conflict',
  'manifest-already-picked-up',
  manifestIs('has already been picked up'),
) {}

export class ManifestNotPickedUp extends domainError(
  'conflict',
  'manifest-not-picked-up',
  manifestIs('has not been picked up'),
) {}

export class ManifestAlreadyReceived extends domainError(
  'conflict',
  'manifest-already-received',
  manifestIs('has already been received'),
) {}

export class ManifestAlreadyCancelled extends domainError(
  'conflict',
  'manifest-already-cancelled',
  manifestIs('has been cancelled'),
) {}

/** A manifest line ships the whole held mass of a batch (split first to ship part of it). */
export class ManifestLineMassMismatch extends domainError(
  'rule',
  'manifest-line-mass-mismatch',
  (traceCode: string, lineGrams: number, heldGrams: number) => [
    `line ${traceCode}: ${lineGrams} g given but ${heldGrams} g held; a line ships the whole batch (split first)`,
    { field: 'lines', traceCode, lineGrams, heldGrams },
  ],
) {}

/** A receipt can only lose mass, never create it (reconcile a heavier weighing by correcting the batch first). */
export class ReceivedExceedsShipped extends domainError(
  'rule',
  'received-exceeds-shipped',
  (traceCode: string, receivedGrams: number, shippedGrams: number) => [
    `line ${traceCode}: received ${receivedGrams} g > shipped ${shippedGrams} g`,
    { field: 'receivedGrams', traceCode, receivedGrams, shippedGrams },
  ],
) {}

export class AcceptedExceedsReceived extends domainError(
  'rule',
  'accepted-exceeds-received',
  (traceCode: string, acceptedGrams: number, receivedGrams: number) => [
    `line ${traceCode}: accepted ${acceptedGrams} g > received ${receivedGrams} g`,
    { field: 'acceptedGrams', traceCode, acceptedGrams, receivedGrams },
  ],
) {}

/** The party named as carrier (at issue, or as the next carrier of a hand-over) does not hold the carrier role. */
export class CarrierRoleRequired extends domainError(
  'rule',
  'carrier-role-required',
  (carrierUscc: string, field?: string) => [
    `${carrierUscc} does not hold the carrier role`,
    { field: field ?? 'carrierUscc', carrierUscc },
  ],
) {}

/**
 * 多式联运: only the carrier holding the manifest now hands it over (a carrier that has handed it on, or was
 * never on it, cannot).
 */
export class NotCurrentCarrier extends domainError(
  'forbidden',
  'not-current-carrier',
  (manifestNo: string, actorUscc: string, carrierUscc: string) => [
    `${actorUscc} does not hold manifest ${manifestNo} (its carrier now is ${carrierUscc})`,
    { manifestNo, actorUscc },
  ],
) {}

/** A hand-over goes to another carrier (a change of vehicle by the same carrier is not a leg). */
export class HandoverToSelf extends domainError('rule', 'handover-to-self', (carrierUscc: string) => [
  `${carrierUscc} cannot hand a manifest over to itself`,
  { field: 'nextCarrierUscc', carrierUscc },
]) {}

/** The party named as receiver holds neither the receiver nor the collector role. */
export class ReceiverRoleRequired extends domainError(
  'rule',
  'receiver-role-required',
  (receiverUscc: string) => [
    `${receiverUscc} holds neither the receiver nor the collector role`,
    { field: 'receiverUscc', receiverUscc },
  ],
) {}

export class ShipperIsReceiver extends domainError('rule', 'shipper-is-receiver', (uscc: string) => [
  `${uscc} cannot ship to itself`,
  { field: 'receiverUscc', uscc },
]) {}

/**
 * One manifest, one kind of waste (DESIGN §2, added after the first hostile-client review): every line of
 * a manifest is of one category, so hazardous waste never shares a vehicle's papers with other waste and a
 * regulator scoped to one category reads whole manifests, never part of one.
 */
export class ManifestMixesCategories extends domainError(
  'rule',
  'manifest-mixes-categories',
  (categories: readonly string[]) => [
    `a manifest carries one category of waste; these lines are ${categories.join(', ')} (issue one manifest per category)`,
    { field: 'lines', categories },
  ],
) {}

/** A line weighed at pickup is not a line of the manifest. */
export class WeighedLineNotOnManifest extends domainError(
  'invalid',
  'weighed-line-not-on-manifest',
  (manifestNo: string, traceCode: string, field?: string) => [
    `${field ?? 'lines'}: ${traceCode} is not a line of manifest ${manifestNo}`,
    { field: field ?? 'lines', manifestNo, traceCode },
  ],
) {}
