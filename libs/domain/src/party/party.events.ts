import { eventTime, type DomainEventOf, type EventTime } from '../events/envelope';
import { list, oneOf, optional, record, text, whole } from '../events/shape';
import {
  PERMIT_OPERATIONS,
  TREATMENT_OPERATIONS,
  type PermitOperation,
  type TreatmentOperation,
} from '../values/operation';
import { PARTY_ROLES, type PartyRole } from '../values/role';

/**
 * What the documents print about a unit (schema version 2 of PartyRegistered, issue 14): the address and the
 * unit's emergency phone (a line of the unit, not a person's). Version 3 adds the contact person as a
 * reference (`contactPersonId`): personal data is never recorded here in clear (ADR 14).
 */
export interface PartyProfile {
  readonly address?: string;
  readonly emergencyPhone?: string;
  /**
   * Version 3: the unit's contact person (联系人, with the phone), a reference to an erasable record
   * outside the log (ADR 14); the name and phone are never in the event.
   */
  readonly contactPersonId?: string;
}

/** Stream `party-<USCC>`. */
export interface PartyRegisteredData extends EventTime, PartyProfile {
  readonly uscc: string;
  readonly name: string;
  /** Canonical order: generator, collector, carrier, receiver. */
  readonly roles: readonly PartyRole[];
  readonly districtCode: string;
}

/** What a registration says of a party: its registered facts, without the time of the event. */
export type PartyFacts = Omit<PartyRegisteredData, keyof EventTime>;

export interface PermitGrantedData extends EventTime {
  readonly uscc: string;
  readonly permitNo: string;
  /** Canonical codes NNN-NNN-NN, sorted; may be empty when HW categories are given. */
  readonly wasteCodes: readonly string[];
  /** HWnn, sorted; may be empty when codes are given. */
  readonly hwCategories: readonly string[];
  /** In canonical order (R1 … Y16, collect, store). */
  readonly operations: readonly PermitOperation[];
  readonly annualCapacityGrams: number;
  /** `YYYY-MM-DD` (a CST calendar day, from its start) or an ISO 8601 instant. */
  readonly validFrom: string;
  /** `YYYY-MM-DD` (a CST calendar day, to its end, inclusive) or an ISO 8601 instant. */
  readonly validTo: string;
  /** Edition of the catalogue the codes were checked against, if one was loaded. */
  readonly catalogueEdition?: string;
}

export interface PermitRevokedData extends EventTime {
  readonly uscc: string;
  readonly permitNo: string;
  readonly reason: string;
}

/**
 * Accepted hazardous mass drawn on a permit's annual capacity by a receipt (written with ManifestReceived on
 * the receiver's stream, so two receipts on one permit are serialised by its revision and the sum is exact).
 */
export interface PermitCapacityDrawnData extends EventTime {
  readonly uscc: string;
  readonly permitNo: string;
  /** The permit year: from `yearStart` (an anniversary of validFrom, a CST day) for 12 months. */
  readonly yearStart: string;
  readonly grams: number;
  /** Used in the permit year after this draw. */
  readonly usedGramsAfter: number;
  readonly capacityGrams: number;
  readonly manifestNo: string;
}

/**
 * An own treatment facility (自行利用/处置设施, HJ 1259 table 4) registered by a regulator in scope of the
 * party: with it a custodian without the receiver role may utilise or dispose of what it holds, for the
 * operations it covers and within its validity (DESIGN §2 "Who may treat").
 */
export interface FacilityRegisteredData extends EventTime {
  readonly uscc: string;
  readonly facilityCode: string;
  /** Treatment codes only, in canonical order (R1 … Y16). */
  readonly operations: readonly TreatmentOperation[];
  /** `YYYY-MM-DD` (a CST calendar day, from its start) or an ISO 8601 instant. */
  readonly validFrom: string;
  /** `YYYY-MM-DD` (a CST calendar day, to its end, inclusive) or an ISO 8601 instant. */
  readonly validTo: string;
  /** The token of the registering regulator (who vouched for the facility). */
  readonly regulatorTokenId: string;
}

export type PartyRegistered = DomainEventOf<'PartyRegistered', PartyRegisteredData, 3>;
export type PermitGranted = DomainEventOf<'PermitGranted', PermitGrantedData>;
export type PermitRevoked = DomainEventOf<'PermitRevoked', PermitRevokedData>;

export type PermitCapacityDrawn = DomainEventOf<'PermitCapacityDrawn', PermitCapacityDrawnData>;
export type FacilityRegistered = DomainEventOf<'FacilityRegistered', FacilityRegisteredData>;

export type PartyEvent =
  PartyRegistered | PermitGranted | PermitRevoked | PermitCapacityDrawn | FacilityRegistered;
export type PartyEventType = PartyEvent['type'];

/** The shapes of the data (checked when a stored event is decoded; exactly the interfaces above). */
export const PARTY_EVENT_SHAPES = {
  PartyRegistered: record<PartyRegisteredData>({
    uscc: text,
    name: text,
    roles: list(oneOf(PARTY_ROLES)),
    districtCode: text,
    address: optional(text),
    emergencyPhone: optional(text),
    contactPersonId: optional(text),
    ...eventTime,
  }),
  PermitGranted: record<PermitGrantedData>({
    uscc: text,
    permitNo: text,
    wasteCodes: list(text),
    hwCategories: list(text),
    operations: list(oneOf(PERMIT_OPERATIONS)),
    annualCapacityGrams: whole,
    validFrom: text,
    validTo: text,
    catalogueEdition: optional(text),
    ...eventTime,
  }),
  PermitRevoked: record<PermitRevokedData>({ uscc: text, permitNo: text, reason: text, ...eventTime }),
  PermitCapacityDrawn: record<PermitCapacityDrawnData>({
    uscc: text,
    permitNo: text,
    yearStart: text,
    grams: whole,
    usedGramsAfter: whole,
    capacityGrams: whole,
    manifestNo: text,
    ...eventTime,
  }),
  FacilityRegistered: record<FacilityRegisteredData>({
    uscc: text,
    facilityCode: text,
    operations: list(oneOf(TREATMENT_OPERATIONS)),
    validFrom: text,
    validTo: text,
    regulatorTokenId: text,
    ...eventTime,
  }),
};
