import { domainError, fieldBreaks, fieldReason, type DetailValue } from '../domain-error';

/**
 * Errors of values (values/, origin/): a malformed input (invalid → 400) and the rules every input obeys
 * (times in order, mass conserved → 422). See domain-error.ts for the model.
 */

/** A value that is not a valid mass: not a number, not an integer number of grams, more than 3 decimals of kg. */
export class InvalidMass extends domainError('invalid', 'invalid-mass', fieldReason) {}

export class MassNotPositive extends domainError(
  'invalid',
  'mass-not-positive',
  (field: string, value: DetailValue) => [`${field} must be positive`, { field, value }],
) {}

export class MassOutOfRange extends domainError(
  'invalid',
  'mass-out-of-range',
  (field: string, value: DetailValue, maxKg: number) => [
    `${field} exceeds the bound of ${maxKg} kg`,
    { field, value, maxKg },
  ],
) {}

export class InvalidUscc extends domainError('invalid', 'invalid-uscc', fieldReason) {}

export class InvalidDistrictCode extends domainError('invalid', 'invalid-district-code', fieldReason) {}

export class InvalidRegion extends domainError(
  'invalid',
  'invalid-region',
  fieldBreaks('a region is a division code prefix of 2, 4 or 6 digits'),
) {}

/** A malformed trace code, including a wrong check character: a mistyped code is invalid, never "not found". */
export class InvalidTraceCode extends domainError('invalid', 'invalid-trace-code', fieldReason) {}

export class InvalidManifestNumber extends domainError('invalid', 'invalid-manifest-number', fieldReason) {}

export class InvalidVehiclePlate extends domainError(
  'invalid',
  'invalid-vehicle-plate',
  fieldBreaks('not a Chinese vehicle plate (7 characters, or 8 for new-energy vehicles)'),
) {}

export class InvalidOperationCode extends domainError(
  'invalid',
  'invalid-operation-code',
  fieldBreaks('unknown operation code'),
) {}

/** `collect` and `store` are permit operations, not treatments. */
export class NotATreatmentOperation extends domainError(
  'invalid',
  'not-a-treatment-operation',
  (field: string, value: DetailValue) => [
    `${field}: ${String(value)} is not a utilisation or disposal operation`,
    { field, value },
  ],
) {}

export class InvalidCategory extends domainError(
  'invalid',
  'invalid-category',
  fieldBreaks('unknown waste category'),
) {}

export class InvalidSubtype extends domainError(
  'invalid',
  'invalid-subtype',
  (field: string, value: DetailValue, category: string) => [
    `${field}: ${String(value)} is not a subtype of ${category}`,
    { field, value, category },
  ],
) {}

export class SubtypeRequired extends domainError('invalid', 'subtype-required', (category: string) => [
  `a subtype is required for ${category}`,
  { field: 'subtype', category },
]) {}

export class InvalidTimestamp extends domainError('invalid', 'invalid-timestamp', fieldReason) {}

export class InvalidRole extends domainError(
  'invalid',
  'invalid-role',
  fieldBreaks('roles are a non-empty set of generator, collector, carrier, receiver'),
) {}

/**
 * Free text that is not text (NUL, a control character, an unpaired surrogate), too long or empty
 * (values/text.ts). The value is not echoed: it may be the very bytes a store or a log cannot take.
 */
export class InvalidText extends domainError('invalid', 'invalid-text', (field: string, reason: string) => [
  `${field}: ${reason}`,
  { field, reason },
]) {}

/** A required text is missing or empty, a list is empty, or a value has the wrong type. */
export class InvalidValue extends domainError('invalid', 'invalid-value', fieldReason) {}

export class DuplicateLine extends domainError(
  'invalid',
  'duplicate-line',
  (field: string, traceCode: string) => [
    `${field}: ${traceCode} appears more than once`,
    { field, traceCode },
  ],
) {}

export class OccurredInFuture extends domainError(
  'rule',
  'occurred-in-future',
  (occurredAt: string, recordedAt: string, maxClockSkewMs: number) => [
    `occurredAt ${occurredAt} is in the future (recorded at ${recordedAt}, allowed skew ${maxClockSkewMs} ms)`,
    { field: 'occurredAt', occurredAt, recordedAt, maxClockSkewMs },
  ],
) {}

/** A step dated before the step it depends on (pickup before issue, treatment before receipt …). */
export class OccurredOutOfOrder extends domainError(
  'rule',
  'occurred-out-of-order',
  (occurredAt: string, notBefore: string, subject: string) => [
    `occurredAt ${occurredAt} is before ${notBefore} (${subject})`,
    { field: 'occurredAt', occurredAt, notBefore, subject },
  ],
) {}

/** Mass would be created or destroyed (split or consolidation beyond the held mass, a correction below zero …). */
export class MassNotConserved extends domainError(
  'rule',
  'mass-not-conserved',
  (field: string, message: string, facts: { readonly [key: string]: DetailValue } = {}) => [
    `${field}: ${message}`,
    { field, ...facts },
  ],
) {}
