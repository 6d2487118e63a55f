import type { DomainEvent } from '@wasteflow/domain';
import type { StreamEvents } from '../writing/ledger-writer';
import type { UnitOfWork } from '../writing/unit-of-work';
import type { AggregateStream } from '../streams/stream-models';
import { writeOf } from './plan-helpers';

/** What deciding on one aggregate gave. */
export interface DecidedOnStream<S, E, A> {
  /** The aggregate's state as the decision saw it. */
  readonly state: S;
  /** Everything the domain decided for the aggregate. */
  readonly events: readonly E[];
  /** The event the answer is made of. */
  readonly event: A;
  /** The events appended to the aggregate's own stream, at the revision read. */
  readonly write: StreamEvents;
}

/**
 * The step most plans share, for a command about one aggregate: its stream is loaded through the unit of
 * work (so the commit expects the revision the decision saw), the domain decides on its state (`decide`
 * may read other streams through the same unit of work), and the events go to that same stream.
 * `answeredBy` names the event the answer is made of: a decision without one is a fault of the plan, never
 * a refusal (refusals are the domain's errors, thrown by `decide`).
 */
export async function decideOnStream<S, E extends DomainEvent, T extends E['type']>(
  unitOfWork: UnitOfWork,
  aggregate: AggregateStream<S>,
  answeredBy: T | readonly T[],
  decide: (state: S) => readonly E[] | Promise<readonly E[]>,
): Promise<DecidedOnStream<S, E, Extract<E, { type: T }>>> {
  const { state } = await unitOfWork.load(aggregate.stream, aggregate.model);
  const events = await decide(state);
  const types: readonly string[] = typeof answeredBy === 'string' ? [answeredBy] : answeredBy;
  const event = events.find((e): e is Extract<E, { type: T }> => types.includes(e.type));
  if (event === undefined) throw new Error(`unexpected decision: no ${types.join(' or ')}`);
  return { state, events, event, write: writeOf(aggregate.stream, events) };
}
