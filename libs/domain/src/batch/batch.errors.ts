import { domainError } from '../domain-error';

/** Errors of the batch aggregate: generation, custody, split, consolidation, treatment and correction. */

export class WasteCodeRequired extends domainError('invalid', 'waste-code-required', () => [
  'hazardous waste needs its waste code',
  { field: 'wasteCode' },
]) {}

export class WasteCodeNotAllowed extends domainError(
  'invalid',
  'waste-code-not-allowed',
  (category: string) => [
    `a hazardous waste code is not allowed for ${category}`,
    { field: 'wasteCode', category },
  ],
) {}

export class TooFewConsolidationInputs extends domainError(
  'invalid',
  'too-few-consolidation-inputs',
  (count: number) => ['a consolidation takes at least two batches', { field: 'lines', count }],
) {}

/** The trace code given for a new (consolidated) batch does not embed the expected district, category or date. */
export class TraceCodeMismatch extends domainError(
  'invalid',
  'trace-code-mismatch',
  (
    field: string,
    traceCode: string,
    expected: { districtCode: string; categoryLetter: string; date: string },
  ) => [
    `${field}: ${traceCode} must be a root code of district ${expected.districtCode}, category ${expected.categoryLetter}, date ${expected.date}`,
    { field, traceCode, ...expected },
  ],
) {}

export class BatchNotFound extends domainError(
  'not-found',
  'batch-not-found',
  (traceCode: string, field?: string) => [`no batch ${traceCode}`, { field, traceCode }],
) {}

/**
 * The actor does not hold this batch — another party does, or there is no such batch at all: one answer for
 * both, naming neither the custodian nor whether the code exists (issue 10 row 3). The custodian always
 * knows its own batches; anyone else learns nothing a refusal could tell it.
 */
export class NotCustodian extends domainError(
  'forbidden',
  'not-custodian',
  (traceCode: string, actorUscc: string, field?: string) => [
    `${actorUscc} holds no batch ${traceCode}`,
    { field, traceCode, actorUscc },
  ],
) {}

export class BatchAlreadyExists extends domainError(
  'conflict',
  'batch-already-exists',
  (traceCode: string) => [`batch ${traceCode} already exists`, { traceCode }],
) {}

/** The batch is consigned on a manifest that has not been picked up: it is locked until cancelled or shipped. */
export class BatchOnOpenManifest extends domainError(
  'conflict',
  'batch-on-open-manifest',
  (traceCode: string, manifestNo: string) => [
    `batch ${traceCode} is on open manifest ${manifestNo}`,
    { traceCode, manifestNo },
  ],
) {}

export class BatchInTransit extends domainError(
  'conflict',
  'batch-in-transit',
  (traceCode: string, manifestNo: string) => [
    `batch ${traceCode} is in transit on manifest ${manifestNo}`,
    { traceCode, manifestNo },
  ],
) {}

export class TreatmentExceedsHeldMass extends domainError(
  'rule',
  'treatment-exceeds-held-mass',
  (traceCode: string, requestedGrams: number, heldGrams: number) => [
    `cannot treat ${requestedGrams} g of ${traceCode}: ${heldGrams} g held`,
    { field: 'massGrams', traceCode, requestedGrams, heldGrams },
  ],
) {}

export class CategoryMismatch extends domainError(
  'rule',
  'category-mismatch',
  (field: string, categories: readonly string[]) => [
    `${field}: batches of different categories cannot be consolidated (${categories.join(', ')})`,
    { field, categories },
  ],
) {}

export class WasteCodeMismatch extends domainError(
  'rule',
  'waste-code-mismatch',
  (field: string, wasteCodes: readonly string[]) => [
    `${field}: hazardous batches of different waste codes cannot be consolidated (${wasteCodes.join(', ')})`,
    { field, wasteCodes },
  ],
) {}

/** The batch holds no mass any more (fully treated, consolidated, lost or shipped away). */
export class BatchDepleted extends domainError('rule', 'batch-depleted', (traceCode: string) => [
  `batch ${traceCode} holds no mass`,
  { traceCode },
]) {}

/** A batch has at most 1024 children (two base32 characters of child index). */
export class ChildIndexExhausted extends domainError(
  'rule',
  'child-index-exhausted',
  (traceCode: string, requested: number) => [
    `batch ${traceCode} cannot have more than 1024 children`,
    { traceCode, requested },
  ],
) {}

/**
 * Who may treat (DESIGN §2, issue 10 row 5): a custodian records utilisation or disposal only if it has the
 * receiver role, or an own facility (自行利用/处置设施) registered by a regulator, valid at `occurredAt` and
 * covering the operation. A generator cannot otherwise certify its own utilisation.
 */
export class NotAllowedToTreat extends domainError(
  'forbidden',
  'not-allowed-to-treat',
  (actorUscc: string, operation: string, at: string, facilityCodes: readonly string[]) => [
    facilityCodes.length === 0
      ? `${actorUscc} has neither the receiver role nor a registered facility covering ${operation}`
      : `${actorUscc} has no registered facility covering ${operation} at ${at} (facilities: ${facilityCodes.join(', ')})`,
    { field: 'operation', actorUscc, operation, at, facilityCodes: [...facilityCodes] },
  ],
) {}

/**
 * The facility a treatment names (`facilityCode`, HJ 1259 table 4) must be one of the custodian's registered
 * facilities, valid at `occurredAt` and covering the operation; `facilityCodes` are those that do.
 */
export class FacilityDoesNotCover extends domainError(
  'rule',
  'facility-does-not-cover',
  (
    actorUscc: string,
    facilityCode: string,
    operation: string,
    at: string,
    facilityCodes: readonly string[],
  ) => [
    `${facilityCode} is not a registered facility of ${actorUscc} covering ${operation} at ${at}` +
      (facilityCodes.length === 0 ? '' : ` (covering: ${facilityCodes.join(', ')})`),
    { field: 'facilityCode', actorUscc, facilityCode, operation, at, facilityCodes: [...facilityCodes] },
  ],
) {}

/**
 * A custodian treating under its own facilities (no receiver role) with several registered facilities
 * covering the operation at `occurredAt` names the one that treated it: the record would otherwise not say
 * which facility vouched for the treatment.
 */
export class FacilityNotNamed extends domainError(
  'invalid',
  'facility-not-named',
  (actorUscc: string, operation: string, at: string, facilityCodes: readonly string[]) => [
    `several registered facilities of ${actorUscc} cover ${operation} at ${at}: name one in facilityCode (${facilityCodes.join(', ')})`,
    { field: 'facilityCode', actorUscc, operation, at, facilityCodes: [...facilityCodes] },
  ],
) {}

// ------------------------------------------------------------------------------------------------
// two-party mass corrections (DESIGN §2 "Corrections need a real second party", ADR 0018)

/**
 * The one answer to a decider without standing — neither the counterparty of the batch's last transfer nor
 * a regulator whose scope covers the batch — whether or not the batch or the request exists: it names
 * nothing the caller could not read (issue 10 row 3).
 */
export class NoStandingForCorrection extends domainError(
  'forbidden',
  'no-standing-for-correction',
  (traceCode: string, requestId: string) => [
    `no standing to decide correction request ${requestId} of ${traceCode}`,
    { traceCode, requestId },
  ],
) {}

/** The requester (the custodian) never decides its own correction request. */
export class CorrectionSelfApproval extends domainError(
  'forbidden',
  'correction-self-approval',
  (traceCode: string, requestId: string) => [
    `the custodian that requested ${requestId} of ${traceCode} cannot decide it`,
    { traceCode, requestId },
  ],
) {}

/** No such request on a batch the caller has standing on (or holds). */
export class CorrectionRequestNotFound extends domainError(
  'not-found',
  'correction-request-not-found',
  (traceCode: string, requestId: string) => [
    `no correction request ${requestId} of ${traceCode}`,
    { field: 'requestId', traceCode, requestId },
  ],
) {}

/** The request was approved, rejected or lapsed already: a decision is made once. */
export class CorrectionAlreadyDecided extends domainError(
  'conflict',
  'correction-already-decided',
  (traceCode: string, requestId: string, status: string) => [
    `correction request ${requestId} of ${traceCode} is ${status}`,
    { traceCode, requestId, status },
  ],
) {}

/** One pending correction request per batch: the next waits until it is decided (or lapses). */
export class CorrectionRequestPending extends domainError(
  'conflict',
  'correction-request-pending',
  (traceCode: string, requestId: string) => [
    `correction request ${requestId} of ${traceCode} is still pending`,
    { traceCode, requestId },
  ],
) {}
