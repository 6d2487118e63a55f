import { parsePersonDetails } from '@wasteflow/domain';
import { optional, type PlanContext } from '../use-case/use-case';
import type { PersonToRecord } from './people-records';
import type { PersonInput } from './trip-crew';

/** The person who handled an act (经办人 of a generation, receipt or treatment), as the edge gives them. */
export interface HandlerInput {
  readonly handler?: PersonInput;
}

/**
 * The handler for the domain, as a reference (its id from the command's entropy, so a retry names the same
 * person), and the record to seal and store before the commit (Decision.people), as the pickup's driver.
 */
export function handlerOf(
  input: HandlerInput,
  context: PlanContext,
): { handlerPersonId?: string; people: PersonToRecord[] } {
  const given = optional(input.handler);
  if (given === undefined) return { people: [] };
  const handlerPersonId = context.personId('handler');
  return {
    handlerPersonId,
    people: [{ personId: handlerPersonId, ...parsePersonDetails(given, 'handler') }],
  };
}

/** The handler as an answer carries it: a reference to the record, never the name (the answer is kept for retries). */
export type HandlerAnswer = { handlerPersonId?: string };

/** The handler an event names, as its answer carries it (nothing when it names none). */
export function handlerAnswer(data: { readonly handlerPersonId?: string }): HandlerAnswer {
  return data.handlerPersonId === undefined ? {} : { handlerPersonId: data.handlerPersonId };
}
