import { domainError, type DetailValue } from '../domain-error';

/** Errors of the party aggregate: registration, roles, permits and the regulators' jurisdiction. */

export class InvalidPermit extends domainError(
  'invalid',
  'invalid-permit',
  (field: string, reason: string, value?: DetailValue) => [`${field}: ${reason}`, { field, reason, value }],
) {}

export class PartyNotFound extends domainError(
  'not-found',
  'party-not-found',
  (uscc: string, field?: string) => [`no registered party ${uscc}`, { field, uscc }],
) {}

export class PermitNotFound extends domainError(
  'not-found',
  'permit-not-found',
  (uscc: string, permitNo: string) => [`${uscc} holds no permit ${permitNo}`, { uscc, permitNo }],
) {}

/** The acting party lacks the role the action needs (e.g. recording generation without the generator role). */
export class ActorLacksRole extends domainError(
  'forbidden',
  'actor-lacks-role',
  (actorUscc: string, role: string) => [`${actorUscc} does not hold the ${role} role`, { actorUscc, role }],
) {}

/**
 * A regulator acts only on parties in its regions (district, city or province prefixes) and only for its
 * categories: a hazardous waste permit needs the `hazardous` category.
 */
export class OutsideJurisdiction extends domainError(
  'forbidden',
  'outside-jurisdiction',
  (uscc: string, reason: 'district' | 'category', facts: { readonly [key: string]: DetailValue }) => [
    reason === 'district'
      ? `${uscc} is outside the regulator's districts`
      : `the regulator's categories do not include hazardous waste permits`,
    { uscc, reason, ...facts },
  ],
) {}

export class PartyAlreadyRegistered extends domainError(
  'conflict',
  'party-already-registered',
  (uscc: string) => [`${uscc} is already registered`, { uscc }],
) {}

export class PermitAlreadyGranted extends domainError(
  'conflict',
  'permit-already-granted',
  (uscc: string, permitNo: string) => [
    `permit ${permitNo} is already granted to ${uscc}`,
    { field: 'permitNo', uscc, permitNo },
  ],
) {}

export class PermitAlreadyRevoked extends domainError(
  'conflict',
  'permit-already-revoked',
  (uscc: string, permitNo: string) => [`permit ${permitNo} is already revoked`, { uscc, permitNo }],
) {}

/** Hazardous waste, and the party holds no permit at all. */
export class NoPermit extends domainError('rule', 'no-permit', (uscc: string, wasteCode: string) => [
  `${uscc} holds no hazardous waste permit (${wasteCode})`,
  { uscc, wasteCode },
]) {}

/** A permit covers the waste (and operation) but is not valid at that time: not yet valid, expired or revoked. */
/** Accepting this mass would take the permit beyond its annual capacity in the permit year. */
export class PermitCapacityExceeded extends domainError(
  'rule',
  'permit-capacity-exceeded',
  (
    uscc: string,
    permitNo: string,
    yearStart: string,
    capacityGrams: number,
    usedGrams: number,
    requestedGrams: number,
  ) => [
    `permit ${permitNo} of ${uscc}: accepting ${requestedGrams / 1000} kg would exceed its annual capacity of ${capacityGrams / 1000} kg (${usedGrams / 1000} kg used in the permit year from ${yearStart})`,
    {
      field: 'lines',
      uscc,
      permitNo,
      yearStart,
      capacityKg: capacityGrams / 1000,
      usedKg: usedGrams / 1000,
      requestedKg: requestedGrams / 1000,
      remainingKg: Math.max(0, capacityGrams - usedGrams) / 1000,
    },
  ],
) {}

export class PermitNotValid extends domainError(
  'rule',
  'permit-not-valid',
  (uscc: string, wasteCode: string, at: string, permitNos: readonly string[]) => [
    `no permit of ${uscc} covering ${wasteCode} is valid at ${at}`,
    { uscc, wasteCode, at, permitNos },
  ],
) {}

export class PermitDoesNotCoverWaste extends domainError(
  'rule',
  'permit-does-not-cover-waste',
  (uscc: string, wasteCode: string, at: string) => [
    `no valid permit of ${uscc} covers ${wasteCode} at ${at}`,
    { uscc, wasteCode, at },
  ],
) {}

/** The permit covers the waste code but not this operation (e.g. a collector's permit: collect and store only). */
export class PermitDoesNotCoverOperation extends domainError(
  'rule',
  'permit-does-not-cover-operation',
  (uscc: string, wasteCode: string, operation: string, at: string) => [
    `no valid permit of ${uscc} covers ${operation} of ${wasteCode} at ${at}`,
    { field: 'operation', uscc, wasteCode, operation, at },
  ],
) {}

/** A facility registration that is not well formed (an operation that is no treatment, a window reversed). */
export class InvalidFacility extends domainError(
  'invalid',
  'invalid-facility',
  (field: string, reason: string, value?: DetailValue) => [`${field}: ${reason}`, { field, reason, value }],
) {}

export class FacilityAlreadyRegistered extends domainError(
  'conflict',
  'facility-already-registered',
  (uscc: string, facilityCode: string) => [
    `facility ${facilityCode} is already registered for ${uscc}`,
    { field: 'facilityCode', uscc, facilityCode },
  ],
) {}
