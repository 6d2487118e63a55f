import { parsePersonDetails, type TripCrew } from '@wasteflow/domain';
import { optional, type PlanContext } from '../use-case/use-case';
import type { PersonToRecord } from './people-records';

/** A person as a command gives them (personal data). */
export type PersonInput = { readonly name: string; readonly phone?: string | null } | null | undefined;

/** The crew of a leg as the edge gives it: people by name, never stored so (ADR 14). */
export interface TripCrewInput {
  readonly driver?: PersonInput;
  readonly escort?: PersonInput;
  readonly vehicleType?: string | null;
  readonly transportLicenceNo?: string | null;
}

/**
 * The crew for the domain (people as references, ids from the command's entropy) and the people to seal
 * and store before the commit (Decision.people).
 */
export function tripCrewOf(
  input: TripCrewInput,
  context: PlanContext,
): { crew: TripCrew; people: PersonToRecord[] } {
  const people: PersonToRecord[] = [];
  const person = (role: 'driver' | 'escort'): string | undefined => {
    const given = optional(input[role]);
    if (given === undefined) return undefined;
    const personId = context.personId(role);
    people.push({ personId, ...parsePersonDetails(given, role) });
    return personId;
  };
  const driverPersonId = person('driver');
  const escortPersonId = person('escort');
  const vehicleType = optional(input.vehicleType);
  const transportLicenceNo = optional(input.transportLicenceNo);
  const crew: TripCrew = {
    ...(driverPersonId === undefined ? {} : { driverPersonId }),
    ...(escortPersonId === undefined ? {} : { escortPersonId }),
    ...(vehicleType === undefined ? {} : { vehicleType }),
    ...(transportLicenceNo === undefined ? {} : { transportLicenceNo }),
  };
  return { crew, people };
}

/** The crew as an answer carries it: references to the people's records, never their names (the answer is kept for retries). */
export type CrewAnswer = {
  driverPersonId?: string;
  escortPersonId?: string;
  vehicleType?: string;
  transportLicenceNo?: string;
};

/** The crew of an event as its answer carries it (CrewAnswer). */
export function crewAnswer(crew: TripCrew): CrewAnswer {
  return { ...crew };
}
